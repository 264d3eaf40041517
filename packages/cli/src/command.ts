import type { Logger } from '@xplat/core';
import type { FlagTable } from './flags.js';

/** Where a command writes: stdout for results (tables, JSON), the logger for progress. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly logger: Logger;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** One `xplat <name>` subcommand: the same library call its action makes. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Printed for `xplat <name> --help` and on a usage error. */
  readonly usage: string;
  /** The flag table, when the command has one: errors about an input name its flag. */
  readonly flags?: FlagTable;
  /** Returns the exit code; throws XplatError for errors the user can fix. */
  run(argv: string[], io: CliIO): Promise<number>;
}
