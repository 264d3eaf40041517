/**
 * The project a CLI command works in: its folder, its xplat.yml when there is one (the
 * defaults of every command), and where its leg results go: `.xplat/legs/<run-id>/` in
 * the project, never a folder shared with other projects, so a fuse never picks up
 * another project's legs. `xplat run` uses the same helpers.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parsePlatform, platformMatches, UsageError, XplatError, type Platform } from '@xplat/core';
import {
  CONFIG_FILE,
  pickImage,
  readConfig,
  type ResolvedConfig,
  type ResolvedImage,
  type ResolvedLeg,
} from '@xplat/workflow';

export interface Project {
  /** Absolute: the folder of xplat.yml (`--dir`, default the current folder). */
  readonly dir: string;
  /** Absent when there is no xplat.yml: no defaults, every value comes from flags. */
  readonly config?: ResolvedConfig;
  /** The config file as the user names it (`xplat.yml`), for messages. */
  readonly configFile: string;
}

export interface ProjectOptions {
  /** `--dir`: the project folder, from cwd. */
  readonly dir?: string;
  /** `--config`: the config file, from dir. Given but missing is an error; the default missing is not. */
  readonly config?: string;
}

/** Finds and loads xplat.yml. Throws ConfigError (file:line:col) when it is there but wrong. */
export async function loadProject(cwd: string, options: ProjectOptions = {}): Promise<Project> {
  const dir = path.resolve(cwd, options.dir || '.');
  const configFile = options.config || CONFIG_FILE;
  if (!options.config && !existsSync(path.join(dir, configFile))) return { dir, configFile };
  if (options.config && !existsSync(path.resolve(dir, configFile)))
    throw new UsageError(`${configFile} does not exist in ${dir}`, 'config');
  return { dir, configFile, config: await readConfig(dir, configFile) };
}

/**
 * The image of xplat.yml a command works on: the one named, or the only one (a file with
 * several images needs a name). Undefined without an xplat.yml.
 */
export function projectImage(project: Project, name?: string): ResolvedImage | undefined {
  return project.config ? pickImage(project.config, name) : undefined;
}

/**
 * The xplat.yml leg for `platform` (`linux/arm64`, `windows/amd64:ltsc2022`); without one,
 * the leg of `fallback` (the engine's platform) or, when xplat.yml has one leg, that one.
 * Undefined when there is no config or no leg fits (flags alone then say what to build).
 */
export function pickLeg(
  project: Project,
  platform: string | undefined,
  fallback?: Platform,
  flag = '--platform',
  image: ResolvedImage | undefined = projectImage(project),
): ResolvedLeg | undefined {
  const legs = image?.legs ?? [];
  if (!legs.length) return undefined;
  if (platform) {
    const wanted = parsePlatform(platform, flag);
    const exact = legs.filter((l) => platformMatches(wanted, l.platform));
    if (exact.length > 1)
      throw new XplatError(
        `"${platform}" matches ${exact.map((l) => l.name).join(', ')} in ${project.configFile}; give the Windows release (e.g. windows/amd64:ltsc2022)`,
        flag,
      );
    return exact[0];
  }
  if (fallback) {
    const native = legs.filter((l) => platformMatches(l.platform, fallback));
    if (native.length === 1) return native[0];
  }
  return legs.length === 1 ? legs[0] : undefined;
}

/** A new run id: sortable by time, unique enough for one machine (20261201-101502-3fa9). */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * The run id of separate `xplat build`/`smoke`/`fuse` calls, so they meet in one folder:
 * `--run-id`, else XPLAT_RUN_ID, else the commit (`git-1a2b3c4`): every leg built from one
 * commit is fused together; a rebuild of a leg replaces its result.
 */
export function commandRunId(
  flag: string,
  env: NodeJS.ProcessEnv,
  sha: string | undefined,
): string {
  const id = flag.trim() || env.XPLAT_RUN_ID?.trim() || (sha ? `git-${sha.slice(0, 7)}` : 'local');
  if (!/^[\w.-]+$/.test(id) || id === '.' || id === '..')
    throw new XplatError(
      `"${id}" may hold letters, digits, _ . - only (it names a folder)`,
      'run-id',
    );
  return id;
}

/** Where the leg results of run `runId` go: `<project>/.xplat/legs/<runId>/`. */
export function legResultDir(projectDir: string, runId: string): string {
  return path.join(projectDir, '.xplat', 'legs', runId);
}

/**
 * Where one image's leg results go in a run's folder: the folder itself for a one-image
 * xplat.yml (as before `images:` existed), `<folder>/<image name>/` for a file with
 * several, so that each image's fuse reads its own legs only.
 */
export function imageLegDir(
  runDir: string,
  config: ResolvedConfig | undefined,
  image: ResolvedImage | undefined,
): string {
  return config?.several && image ? path.join(runDir, image.name) : runDir;
}
