/**
 * The preamble every command shares, done once by runCli: the command's flags parsed from
 * its table, no more positionals than it takes, the project (xplat.yml, when there is
 * one), the images --image picks, and the options of the docker CLI. Every command
 * refuses the same things the same way (exit 2) before its own work starts.
 */
import path from 'node:path';
import type { DockerOptions } from '@xplat/engine';
import { CONFIG_FILE } from '@xplat/workflow';
import type { CliIO, CommandContext } from '../command.js';
import {
  parseFlags,
  text,
  UsageError,
  withoutFlag,
  type FlagTable,
  type ParsedFlags,
} from '../flags.js';
import type { Project } from '../project.js';
import { projectOf, projectOptions } from './common.js';
import { chooseImages, type ImageRole } from './images.js';

/** What runCli reads before a command's work: its flags, arguments, --image and project. */
export interface CommandSpec {
  /** Its flag table: parsed by runCli; errors about an input name its flag. */
  readonly flags: FlagTable;
  /** At most `max` arguments (default none); `refuse` says what to do instead. */
  readonly positionals?: {
    readonly max: number;
    readonly refuse: (given: readonly string[]) => UsageError;
  };
  /** What --image is besides a name (images.ts); absent: the command has no --image. */
  readonly image?: ImageRole;
  /** false: xplat.yml is not read before run (init writes it; generate reads it itself). */
  readonly project?: false;
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

/** One call of a command: its options (the parsed flags) and its context. */
export interface CommandCall extends CommandContext {
  /** The flags; without --image when it named an image (the rest are the action's inputs). */
  readonly parsed: ParsedFlags;
}

/** The options and the context of one call; every failure here is exit 2. */
export async function commandContext(
  spec: CommandSpec,
  argv: readonly string[],
  io: CliIO,
): Promise<CommandCall> {
  const parsed = parseCommand(spec, argv);
  const project = spec.project === false ? unreadProject(parsed, io) : await projectOf(parsed, io);
  const image = text(parsed, 'image');
  const choice = spec.image
    ? chooseImages(project.config, image || undefined, spec.image)
    : { images: project.config?.images ?? [], named: false };
  return {
    parsed: choice.named ? withoutFlag(parsed, 'image') : parsed,
    stdout: io.stdout,
    stderr: io.stderr,
    logger: io.logger,
    cwd: io.cwd,
    env: io.env,
    project,
    images: choice.images,
    ...(choice.named ? { imageName: image } : {}),
    ...(choice.input !== undefined ? { imageInput: choice.input } : {}),
    several: !!project.config?.several && !image,
    docker: dockerOptions(io.env),
  };
}

/** --dir and --config of a command that does not read xplat.yml first. */
function unreadProject(parsed: ParsedFlags, io: CliIO): Project {
  const { dir, config } = projectOptions(parsed);
  return { dir: path.resolve(io.cwd, dir || '.'), configFile: config || CONFIG_FILE };
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

/** For commands that take one argument: more is a usage error naming what they take. */
export function atMostOne(what: string): NonNullable<CommandSpec['positionals']> {
  return {
    max: 1,
    refuse: (given) => new UsageError(`one ${what} only, got: ${given.join(' ')}`),
  };
}
