import type { Command } from '../command.js';
import { buildCommand } from './build.js';
import { fuseCommand } from './fuse.js';
import { generateCommand } from './generate.js';
import { initCommand } from './init.js';
import { inspectCommand } from './inspect.js';
import { lintCommand } from './lint.js';
import { planCommand } from './plan.js';
import { promoteCommand } from './promote.js';
import { runCommand } from '../run/run-command.js';
import { smokeCommand } from './smoke.js';

/** Every subcommand, in the order `xplat --help` lists them. */
export const commands: readonly Command[] = [
  initCommand,
  generateCommand,
  planCommand,
  lintCommand,
  buildCommand,
  smokeCommand,
  fuseCommand,
  promoteCommand,
  inspectCommand,
  runCommand,
];
