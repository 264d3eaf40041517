/**
 * The time an image's timestamps come from: SOURCE_DATE_EPOCH, as the reproducible-builds
 * convention names it (https://reproducible-builds.org/docs/source-date-epoch/). Set in
 * the environment it wins; otherwise it is the commit's time (`git log -1 --format=%ct`,
 * as Docker's reproducible-builds guide does), so two builds of one commit stamp the same
 * times. A build context with uncommitted changes is not that commit: it falls back to the
 * clock and says why, and so does a context outside a git checkout.
 */
import path from 'node:path';
import { getExecOutput } from '@actions/exec';
import { echo, XplatError } from '@xplat/core';

export interface SourceDate {
  /** Seconds since 1970 (SOURCE_DATE_EPOCH); absent when the clock is used. */
  readonly epoch?: number;
  readonly from: 'env' | 'commit' | 'clock';
  /** Why the clock (from: clock), one line. */
  readonly reason?: string;
}

export interface SourceDateRequest {
  /** The build context, absolute. */
  readonly context: string;
  /** The Dockerfile, absolute: it may live outside the context. */
  readonly file: string;
  /** The commit being built (GITHUB_SHA), when known: the checkout must be at it. */
  readonly sha?: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface GitAnswer {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git with an argument array; never throws (git may be missing). */
export type GitRunner = (args: readonly string[]) => Promise<GitAnswer>;

export const runGit: GitRunner = async (args) => {
  try {
    const out = await getExecOutput('git', [...args], { silent: true, ignoreReturnCode: true });
    return { ok: out.exitCode === 0, stdout: out.stdout, stderr: out.stderr };
  } catch (error) {
    return { ok: false, stdout: '', stderr: (error as Error).message };
  }
};

/** xplat's own state folder (`xplat run`): never part of the source. */
const XPLAT_STATE = '.xplat';
const LISTED = 3;

/**
 * SOURCE_DATE_EPOCH from the environment: undefined when unset, else its seconds; a value
 * that is no such number is refused (checked with the inputs, before any engine call).
 */
export function sourceDateEpochOf(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.SOURCE_DATE_EPOCH?.trim();
  if (!value) return undefined;
  if (!/^\d{1,12}$/.test(value))
    throw new XplatError(
      `"${echo(value)}" is not a number of seconds since 1970 (e.g. 1700000000, what git log -1 --format=%ct prints)`,
      'SOURCE_DATE_EPOCH',
    );
  return Number(value);
}

export async function sourceDateOf(
  request: SourceDateRequest,
  git: GitRunner = runGit,
): Promise<SourceDate> {
  const fromEnv = sourceDateEpochOf(request.env);
  if (fromEnv !== undefined) return { epoch: fromEnv, from: 'env' };
  const clock = (reason: string): SourceDate => ({ from: 'clock', reason });
  const inContext = (args: readonly string[]) => git(['-C', request.context, ...args]);

  const head = await inContext(['rev-parse', '--show-toplevel', 'HEAD']);
  if (!head.ok)
    return clock(`the build context is not in a git checkout (${firstLine(head.stderr)})`);
  const [top = '', commit = ''] = head.stdout.trim().split(/\r?\n/);
  if (request.sha && !commit.startsWith(request.sha) && !request.sha.startsWith(commit))
    return clock(
      `the checkout is at ${commit.slice(0, 7)}, not at the commit being built (${request.sha.slice(0, 7)})`,
    );

  const changed = await changedPaths(request, top, git);
  if (typeof changed === 'string') return clock(changed);
  if (changed.length)
    return clock(
      `uncommitted changes in the build context (git status): ${changed.slice(0, LISTED).join(', ')}${changed.length > LISTED ? ` and ${changed.length - LISTED} more` : ''}`,
    );

  const time = await inContext(['log', '-1', '--format=%ct', 'HEAD']);
  const epoch = Number(time.stdout.trim());
  if (!time.ok || !Number.isSafeInteger(epoch) || epoch < 0)
    return clock(`git gave no commit time for ${commit.slice(0, 7)}`);
  return { epoch, from: 'commit' };
}

/**
 * Paths git reports as changed or untracked in the context (and the Dockerfile when it is
 * outside the context), relative to the context; a string says why git could not tell.
 * git prints them relative to the top of the checkout (`top`).
 */
async function changedPaths(
  request: SourceDateRequest,
  top: string,
  git: GitRunner,
): Promise<string[] | string> {
  const status = (dir: string, pathspecs: readonly string[]) =>
    git([
      '--no-optional-locks',
      '-C',
      dir,
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=all',
      '--',
      ...pathspecs,
    ]);
  const contextStatus = await status(request.context, ['.', `:(exclude)${XPLAT_STATE}`]);
  if (!contextStatus.ok)
    return `git status failed in the build context (${firstLine(contextStatus.stderr)})`;
  const fromContext = (p: string) =>
    path.relative(request.context, path.join(top, p)).split(path.sep).join('/');
  const paths = parsePorcelain(contextStatus.stdout).map(fromContext);

  const relative = path.relative(request.context, request.file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    const fileStatus = await status(path.dirname(request.file), [path.basename(request.file)]);
    if (!fileStatus.ok)
      return `the Dockerfile is not in a git checkout (${firstLine(fileStatus.stderr)})`;
    if (parsePorcelain(fileStatus.stdout).length) paths.push(relative.split(path.sep).join('/'));
  }
  return paths;
}

/** `git status --porcelain=v1 -z`: `XY path\0`, a rename or copy followed by its source path. */
export function parsePorcelain(output: string): string[] {
  const fields = output.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field.length < 4) continue;
    paths.push(field.slice(3));
    if (field[0] === 'R' || field[0] === 'C') i++;
  }
  return paths;
}

function firstLine(text: string): string {
  return echo(
    text
      .trim()
      .split(/\r?\n/)[0]
      ?.replace(/^fatal: /, '') || 'no answer',
    160,
  );
}

/** SOURCE_DATE_EPOCH as the RFC 3339 time image configs carry (`2026-11-26T10:00:00Z`). */
export function epochTime(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
