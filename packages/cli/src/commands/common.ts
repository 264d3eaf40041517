/**
 * The flags commands share, declared once here: the project flags (--dir, --config),
 * --image, --json, the run id that separate build/smoke/fuse calls meet under, and the
 * environment section of `--help`. runCli reads --dir, --config and --image into the one
 * context of every call (context.ts); --verbose is the root's own (cli.ts).
 */
import path from 'node:path';
import { sourceFromEnv, sourceFromGit } from '@xplat/engine';
import type { CliIO } from '../command.js';
import { asUsage, text, type Flag, type ParsedFlags } from '../flags.js';
import { commandRunId, legResultDir, loadProject, type Project } from '../project.js';

export const dirFlag: Flag = {
  flag: 'dir',
  kind: 'string',
  value: 'DIR',
  help: 'the project folder, where xplat.yml is (default: the current folder)',
};

export const configFlag: Flag = {
  flag: 'config',
  kind: 'string',
  value: 'FILE',
  help: 'the config, from DIR (default xplat.yml; without one, flags give every value)',
};

/** --dir and --config: every command that reads xplat.yml takes both. */
export const projectFlags: readonly Flag[] = [dirFlag, configFlag];

/** --json: what it prints is the command's, so each says so in `help`. */
export function jsonFlag(help: string): Flag {
  return { flag: 'json', kind: 'boolean', help };
}

const IMAGE_NAME_HELP = 'one image of xplat.yml, by its name (default: every image)';

/**
 * --image: picks one image of xplat.yml by its name. Where it is also the action's `image`
 * input (build, fuse: a repository; smoke: a reference), `input` says what any other value
 * is; see images.ts for the rule.
 */
export function imageFlag(input?: { value: string; help: string; fromConfig?: string }): Flag {
  if (!input) return { flag: 'image', kind: 'string', value: 'NAME', help: IMAGE_NAME_HELP };
  return {
    flag: 'image',
    input: 'image',
    kind: 'string',
    value: `NAME|${input.value}`,
    help: `${IMAGE_NAME_HELP}; any other value is ${input.help}`,
    ...(input.fromConfig ? { fromConfig: input.fromConfig } : {}),
  };
}

export const runIdFlag: Flag = {
  flag: 'run-id',
  kind: 'string',
  value: 'ID',
  help: 'leg results go to DIR/.xplat/legs/ID/ (default: XPLAT_RUN_ID, else git-<commit>)',
};

export const environmentHelp = `environment:
  XPLAT_DOCKER   the docker binary to run (default: docker from PATH)
  DOCKER_HOST    the engine, as for docker itself`;

/** --dir and --config as given (empty when absent). */
export function projectOptions(parsed: ParsedFlags): { dir: string; config: string } {
  return { dir: text(parsed, 'dir'), config: text(parsed, 'config') };
}

/** Loads xplat.yml for a command; a broken one is a usage error (exit 2). */
export function projectOf(parsed: ParsedFlags, io: CliIO): Promise<Project> {
  return asUsage(() => loadProject(io.cwd, projectOptions(parsed)));
}

/** The leg result folder of this command's run: `<project>/.xplat/legs/<run-id>/`. */
export async function runResultDir(
  parsed: ParsedFlags,
  io: CliIO,
  project: Project,
): Promise<string> {
  const fromEnv = sourceFromEnv(io.env);
  const sha = fromEnv.sha ?? (await sourceFromGit(project.dir)).sha;
  const runId = asUsage(() => commandRunId(text(parsed, 'run-id'), io.env, sha));
  return legResultDir(project.dir, runId);
}

/** A path as the user would type it from the current folder, for messages. */
export function shown(io: CliIO, file: string): string {
  const rel = path.relative(io.cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
