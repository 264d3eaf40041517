/**
 * A git repository in a temporary folder, committed at a fixed time, for the tests of
 * image times from the commit (SOURCE_DATE_EPOCH) and of reproducible builds.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exec } from './exec.js';

export interface GitRepo {
  readonly dir: string;
  /** git in the repository; fails the test on a non-zero exit. */
  git(...args: string[]): Promise<string>;
  /** Writes files (path relative to the repository: content). */
  write(files: Record<string, string>): Promise<void>;
  /** Commits everything at `epoch` (seconds); returns the commit's sha. */
  commit(message: string, epoch: number): Promise<string>;
}

export async function gitRepo(
  files: Record<string, string>,
  epoch = 1_764_151_200,
): Promise<GitRepo> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-git-'));
  const repo: GitRepo = {
    dir,
    async git(...args) {
      const out = await exec('git', ['-C', dir, ...args], {
        GIT_AUTHOR_NAME: 'xplat test',
        GIT_AUTHOR_EMAIL: 'test@xplat.invalid',
        GIT_COMMITTER_NAME: 'xplat test',
        GIT_COMMITTER_EMAIL: 'test@xplat.invalid',
        GIT_CONFIG_NOSYSTEM: '1',
      });
      if (out.code !== 0) throw new Error(`git ${args.join(' ')}: ${out.stderr}`);
      return out.stdout.trim();
    },
    async write(more) {
      for (const [name, content] of Object.entries(more)) {
        await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
        await writeFile(path.join(dir, name), content);
      }
    },
    async commit(message, at) {
      await repo.git('add', '--all');
      const date = `@${at} +0000`;
      const args = [
        '-C',
        dir,
        'commit',
        '--quiet',
        '--allow-empty',
        '--no-gpg-sign',
        '-m',
        message,
      ];
      const out = await exec('git', args, {
        GIT_AUTHOR_NAME: 'xplat test',
        GIT_AUTHOR_EMAIL: 'test@xplat.invalid',
        GIT_COMMITTER_NAME: 'xplat test',
        GIT_COMMITTER_EMAIL: 'test@xplat.invalid',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_NOSYSTEM: '1',
      });
      if (out.code !== 0) throw new Error(`git commit: ${out.stderr}`);
      return repo.git('rev-parse', 'HEAD');
    },
  };
  await repo.git('init', '--quiet', '--initial-branch=main');
  await repo.write(files);
  await repo.commit('initial', epoch);
  return repo;
}
