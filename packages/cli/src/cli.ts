/**
 * The `xplat` command outside GitHub: dispatches to one subcommand per capability.
 * Arguments are parsed with node:util parseArgs (no dependency needed for flags).
 */
import { errorMessage, XplatError, type Logger } from '@xplat/core';
import type { CliIO, Command } from './command.js';
import { commands } from './commands/index.js';

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: xplat <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "xplat <command> --help" for its options.',
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`xplat: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr(`xplat ${name}: ${errorMessage(error)}`);
    if (!(error instanceof XplatError) && error instanceof Error && error.stack)
      io.logger.debug(error.stack);
    return 1;
  }
}

/** Progress goes to stderr so stdout stays clean for tables and JSON. */
export function consoleLogger(verbose: boolean): Logger {
  return {
    debug: (m) => (verbose ? console.error(`debug: ${m}`) : undefined),
    info: (m) => console.error(m),
    warning: (m) => console.error(`warning: ${m}`),
    group: async (title, fn) => {
      console.error(`▸ ${title}`);
      return fn();
    },
  };
}
