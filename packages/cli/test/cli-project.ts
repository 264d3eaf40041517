/**
 * Running the bundled CLI (dist/cli/index.js) in a project folder as a user would, and
 * making that folder a git checkout (leg tags and the default run id carry its commit).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Exec } from '../../../test/exec.js';
import { repoRoot } from '../../../test/run-action.js';

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');

/** `xplat ARGS` in `cwd`; the commit comes from git, never from this process's GITHUB_SHA. */
export function xplatIn(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      {
        cwd,
        env: { ...process.env, GITHUB_SHA: '', XPLAT_BUILDER: '', XPLAT_RUN_ID: '', ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'git',
      ['-c', 'user.email=test@xplat', '-c', 'user.name=test', ...args],
      { cwd },
      (error, stdout) => (error ? reject(error) : resolve(String(stdout).trim())),
    ),
  );
}

/** Commits everything in `dir` (a new repository) and returns the short commit. */
export async function commitAll(dir: string): Promise<string> {
  await git(dir, 'init', '-q', '.');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-qm', 'init');
  return (await git(dir, 'rev-parse', '--short=7', 'HEAD')).slice(0, 7);
}
