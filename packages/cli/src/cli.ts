/**
 * The `xplat` command outside GitHub: dispatches to one subcommand per capability.
 * Arguments are parsed with node:util parseArgs (no dependency needed for flags).
 */
import { errorMessage, XplatError, type Logger } from '@xplat/core';
import type { CliIO, Command } from './command.js';
import { commands } from './commands/index.js';
import { commandContext } from './commands/context.js';
import { EXIT_OK, EXIT_USAGE, exitCodeOf, nameFlag } from './flags.js';

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: xplat <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "xplat <command> --help" for its options. With an xplat.yml in the folder',
    '(or --dir), every command takes its defaults from it; flags override.',
    '',
    'exit codes: 0 done, 1 failed (lint errors, a failed build or smoke test, a closed',
    'gate), 2 the arguments or a file could not be used.',
    '',
    'environment:',
    '  XPLAT_DOCKER   the docker binary to run (default: docker from PATH)',
    '  XPLAT_RUN_ID   the run whose leg results build, smoke and fuse share',
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`xplat: unknown command "${name}"\n\n${usage()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return EXIT_OK;
  }
  try {
    const call = await commandContext(command, rest, io);
    return await command.run(call.parsed, call);
  } catch (caught) {
    // The library names action inputs (image:); on the command line that is --image.
    const error = nameFlag(command.flags, command.onError?.(caught, rest, io) ?? caught);
    io.stderr(`xplat ${name}: ${errorMessage(error)}`);
    if (!(error instanceof XplatError) && error instanceof Error && error.stack)
      io.logger.debug(error.stack);
    return exitCodeOf(error);
  }
}

/**
 * The root's own flag, taken out wherever it stands before the command sees its
 * arguments: --verbose (or RUNNER_DEBUG=1, as on a runner) shows debug lines.
 */
export function rootFlags(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { argv: string[]; verbose: boolean } {
  return {
    argv: argv.filter((a) => a !== '--verbose'),
    verbose: argv.includes('--verbose') || env.RUNNER_DEBUG === '1',
  };
}

/** Progress goes to stderr so stdout stays clean for tables and JSON. */
export function consoleLogger(verbose: boolean): Logger {
  return {
    debug: (m) => (verbose ? console.error(`debug: ${m}`) : undefined),
    info: (m) => console.error(m),
    warning: (m) => console.error(`warning: ${m}`),
    group: async (title, fn) => {
      console.error(title);
      return fn();
    },
  };
}
