import type { Command } from '../command.js';
import { fuseCommand } from './fuse.js';
import { inspectCommand } from './inspect.js';
import { smokeCommand } from './smoke.js';

/** Every subcommand, in the order `xplat --help` lists them. */
export const commands: readonly Command[] = [smokeCommand, fuseCommand, inspectCommand];
