import type { Logger } from '@xplat/core';
import type { DockerOptions } from '@xplat/engine';
import type { ResolvedImage } from '@xplat/workflow';
import type { CommandSpec } from './commands/context.js';
import type { ParsedFlags } from './flags.js';
import type { Project } from './project.js';

/** Where a command writes: stdout for results (tables, JSON), the logger for progress. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly logger: Logger;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * What every command starts from, built once by runCli (commands/context.ts) from the
 * shared flags: the project (--dir, --config), the images --image picks, the docker CLI
 * and where to write. Every failure while building it is a usage error (exit 2).
 */
export interface CommandContext extends CliIO {
  /**
   * --dir and --config, and xplat.yml when there is one. A command that does not load
   * it (`project: false`: init, generate) gets the folder and the file name only.
   */
  readonly project: Project;
  /** The images of xplat.yml this call works on (every one, or the one --image picks); [] without xplat.yml. */
  readonly images: readonly ResolvedImage[];
  /** The name --image picked the image by. */
  readonly imageName?: string;
  /** --image given as the action's input (a repository or reference), not a name. */
  readonly imageInput?: string;
  /**
   * xplat.yml lists `images:` and --image picks none of them: each image is reported on
   * its own (under its name, JSON as {"images": [...]}), and one's failure stops no other.
   */
  readonly several: boolean;
  readonly docker: DockerOptions & { readonly env: Record<string, string> };
}

/**
 * One `xplat <name>` subcommand: the same library call its action makes. It states its
 * flags (the shared ones, --dir, --config, --image, --json, --run-id, from common.ts),
 * what it takes besides, and its work: `run(options, context)` with the parsed flags
 * (without --image when it named an image) and the context runCli built.
 */
export interface Command extends CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Printed for `xplat <name> --help` and on a usage error. */
  readonly usage: string;
  /** Returns the exit code; throws XplatError for errors the user can fix. */
  run(options: ParsedFlags, context: CommandContext): Promise<number>;
  /**
   * What the command answers for an error besides the line on stderr (lint --json), from
   * the arguments as given; returns the error to report.
   */
  readonly onError?: (error: unknown, argv: readonly string[], io: CliIO) => unknown;
}
