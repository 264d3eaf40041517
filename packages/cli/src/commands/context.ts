/**
 * The preamble every command shares: its flags parsed from its table, the positionals it
 * allows, the project (xplat.yml, when there is one), the images --image picks, and the
 * options of the docker CLI. A command states these in a CommandSpec once, instead of
 * repeating the steps, so every command refuses the same things the same way (exit 2).
 */
import type { Logger } from '@xplat/core';
import type { DockerOptions } from '@xplat/engine';
import type { ResolvedImage } from '@xplat/workflow';
import type { CliIO, Command } from '../command.js';
import {
  parseFlags,
  text,
  UsageError,
  withoutFlag,
  type FlagTable,
  type ParsedFlags,
} from '../flags.js';
import type { Project } from '../project.js';
import { projectOf } from './common.js';
import { chooseImages, type ImageRole } from './images.js';

export interface CommandSpec {
  readonly flags: FlagTable;
  /** At most `max` arguments (default none); `refuse` says what to do instead. */
  readonly positionals?: {
    readonly max: number;
    readonly refuse: (given: readonly string[]) => UsageError;
  };
  /** What --image is besides a name (images.ts); absent: the command has no --image. */
  readonly image?: ImageRole;
}

export interface CommandContext {
  /** The flags; without --image when it named an image (the rest are the action's inputs). */
  readonly parsed: ParsedFlags;
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
  readonly logger: Logger;
}

/** The command's flags, and no more positionals than it takes (else a usage error). */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedFlags {
  const parsed = parseFlags(spec.flags, argv);
  const max = spec.positionals?.max ?? 0;
  if (parsed.positionals.length > max)
    throw (
      spec.positionals?.refuse(parsed.positionals) ??
      new UsageError(`unexpected argument "${parsed.positionals[0]}"`)
    );
  return parsed;
}

/** Everything a command needs before its own work; every failure here is exit 2. */
export async function commandContext(
  spec: CommandSpec,
  argv: readonly string[],
  io: CliIO,
): Promise<CommandContext> {
  const parsed = parseCommand(spec, argv);
  const project = await projectOf(parsed, io);
  const choice = spec.image
    ? chooseImages(project.config, text(parsed, 'image') || undefined, spec.image)
    : { images: project.config?.images ?? [], named: false };
  return {
    parsed: choice.named ? withoutFlag(parsed, 'image') : parsed,
    project,
    images: choice.images,
    ...(choice.named ? { imageName: text(parsed, 'image') } : {}),
    ...(choice.input !== undefined ? { imageInput: choice.input } : {}),
    several: !!project.config?.several && !text(parsed, 'image'),
    docker: dockerOptions(io.env),
    logger: io.logger,
  };
}

/** The docker CLI every command runs: XPLAT_DOCKER, else `docker` from PATH. */
export function dockerOptions(
  env: NodeJS.ProcessEnv,
): DockerOptions & { readonly env: Record<string, string> } {
  return {
    ...(env.XPLAT_DOCKER ? { docker: env.XPLAT_DOCKER } : {}),
    env: env as Record<string, string>,
  };
}

/** A command as its file states it: what `xplat --help` says, its spec, and its work. */
export interface CommandDefinition<T> extends CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(context: T, io: CliIO): Promise<number>;
}

/** A command that starts from the whole preamble: flags, project, images, docker. */
export function contextCommand(definition: CommandDefinition<CommandContext>): Command {
  return commandOf(definition, (argv, io) => commandContext(definition, argv, io));
}

/**
 * A command that starts from its flags alone: init writes xplat.yml and generate's
 * --schema, --reusable and --starter need none, so neither loads the project first.
 */
export function flagsCommand(definition: CommandDefinition<ParsedFlags>): Command {
  return commandOf(definition, async (argv) => parseCommand(definition, argv));
}

function commandOf<T>(
  definition: CommandDefinition<T>,
  start: (argv: readonly string[], io: CliIO) => Promise<T>,
): Command {
  const { name, summary, usage, flags } = definition;
  return {
    name,
    summary,
    usage,
    flags,
    run: async (argv, io) => definition.run(await start(argv, io), io),
  };
}

/** For commands that take one argument: more is a usage error naming what they take. */
export function atMostOne(what: string): NonNullable<CommandSpec['positionals']> {
  return {
    max: 1,
    refuse: (given) => new UsageError(`one ${what} only, got: ${given.join(' ')}`),
  };
}
