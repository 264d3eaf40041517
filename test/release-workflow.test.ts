/**
 * The guarded release (.github/workflows/release.yml) and this repository's Dependabot
 * configuration. The guard's ancestor check and the release step's tag move run for real,
 * on git repositories made here (a bare "origin" and a clone, as actions/checkout leaves
 * it); only `gh`, which would talk to GitHub, is a stand-in that records its arguments.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { repoRoot } from './run-action.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}

const text = readFileSync(path.join(repoRoot, '.github', 'workflows', 'release.yml'), 'utf8');
const workflow = parse(text) as { jobs: Record<string, Job> };
const { jobs } = workflow;
const step = (job: string, id: string) =>
  jobs[job]!.steps.find((s) => s.id === id || s.name?.startsWith(id))!;

function sh(
  cwd: string,
  file: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(file, args, { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const git = async (cwd: string, ...args: string[]) => {
  const run = await sh(cwd, 'git', args, {
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  });
  if (run.code !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim();
};

/**
 * An origin with main (two commits, v1.0.0 and v1.3.0 tagged on it) and a branch no one
 * merged (v1.9.0 on it), cloned with every branch and tag, as the guard's checkout does.
 */
async function repository(): Promise<{ clone: string; origin: string; main: string }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'xplat-release-'));
  const origin = path.join(root, 'origin.git');
  const work = path.join(root, 'work');
  await git(root, 'init', '--bare', '-b', 'main', origin);
  await git(root, 'clone', origin, work);
  await git(work, 'commit', '--allow-empty', '-m', 'one');
  await git(work, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0');
  await git(work, 'commit', '--allow-empty', '-m', 'two');
  await git(work, 'tag', 'v1.3.0');
  await git(work, 'push', 'origin', 'main', '--tags');
  await git(work, 'checkout', '-b', 'unmerged');
  await git(work, 'commit', '--allow-empty', '-m', 'not on main');
  await git(work, 'tag', '-a', 'v1.9.0', '-m', 'v1.9.0');
  await git(work, 'push', 'origin', 'unmerged', '--tags');
  const clone = path.join(root, 'clone');
  await git(root, 'clone', '--no-checkout', origin, clone);
  return { clone, origin, main: await git(work, 'rev-parse', 'main') };
}

describe('the release workflow', () => {
  it('publishes only from the jobs in the release environment, after the guard and the tests', () => {
    for (const name of ['release', 'publish-npm']) {
      expect({ name, environment: jobs[name]!.environment, needs: jobs[name]!.needs }).toEqual({
        name,
        environment: 'release',
        needs: ['guard', 'check'],
      });
    }
    expect(jobs.check!.needs).toBe('guard');
    // The environment alone holds secrets: no other job names one.
    for (const [name, job] of Object.entries(jobs))
      if (job.environment !== 'release')
        expect({ name, secrets: JSON.stringify(job).includes('secrets.') }).toEqual({
          name,
          secrets: false,
        });
  });

  it('checks on the supported Node lines, and checks the reusable workflow as generated', () => {
    const check = jobs.check as Job & { strategy: { matrix: { node: number[] } } };
    expect(check.strategy.matrix.node).toEqual([22, 24]);
    expect(step('check', 'dist, reusable workflow').run).toContain(
      'node dist/cli/index.js generate --reusable --pin-actions --check',
    );
  });

  it('pins every action by commit SHA with its version', () => {
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s+(.*)$/gm)].map((m) => m[1]!);
    expect(uses.length).toBeGreaterThan(5);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('decides the channels with release-channels.mjs, and each job takes them from the guard', () => {
    expect(step('guard', 'channels').run).toBe(
      'node scripts/release-channels.mjs --tag "$TAG" >> "$GITHUB_OUTPUT"',
    );
    expect(jobs['publish-npm']!.steps.at(-1)!.env!.NPM_TAG).toBe(
      '${{ needs.guard.outputs.npm-tag }}',
    );
    expect(step('release', 'Release from the CHANGELOG').env).toMatchObject({
      MOVE_MAJOR: '${{ needs.guard.outputs.move-major }}',
      GITHUB_LATEST: '${{ needs.guard.outputs.github-latest }}',
    });
  });

  it.each([
    ['v1.3.0', 0, 'v1.3.0 (COMMIT) is on main'],
    ['v1.0.0', 0, 'v1.0.0 (COMMIT) is on main'],
    [
      'v1.9.0',
      1,
      '::error::v1.9.0 (COMMIT) is not on main: tag a commit of main; nothing was published',
    ],
  ])(
    'the guard lets %s through only when its commit is on the default branch',
    async (tag, code, line) => {
      const { clone } = await repository();
      const output = path.join(clone, '..', 'output');
      writeFileSync(output, '');
      const guard = step('guard', 'commit');
      const run = await sh(clone, 'bash', ['-e', '-c', guard.run!], {
        TAG: tag,
        DEFAULT_BRANCH: 'main',
        GITHUB_OUTPUT: output,
      });
      const commit = await git(clone, 'rev-parse', `refs/tags/${tag}^{commit}`);
      expect({ code: run.code, out: run.stdout.trim() }).toEqual({
        code,
        out: line.replace('COMMIT', commit),
      });
      expect(readFileSync(output, 'utf8')).toBe(code === 0 ? `commit=${commit}\n` : '');
    },
  );

  it.each([
    ['true', 'the highest release moves the major tag', true],
    ['false', 'a backport leaves it where it is', false],
  ])('move-major %s: %s', async (moveMajor, _, moved) => {
    const { clone, origin, main } = await repository();
    await git(clone, 'checkout', '-q', 'v1.0.0');
    await git(origin, 'tag', 'v1', 'v1.0.0^{commit}');
    // gh records what it was asked and succeeds: creating the release is GitHub's side.
    const bin = path.join(clone, '..', 'bin');
    await sh(clone, 'mkdir', ['-p', bin]);
    const calls = path.join(clone, '..', 'gh-calls');
    writeFileSync(path.join(bin, 'gh'), `#!/bin/sh\necho "$*" >> "${calls}"\n`);
    chmodSync(path.join(bin, 'gh'), 0o755);
    writeFileSync(path.join(clone, 'CHANGELOG.md'), '# Changelog\n\n## [1.3.0]\n\nfixed\n');
    const release = step('release', 'Release from the CHANGELOG');
    const run = await sh(clone, 'bash', ['-e', '-c', release.run!], {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      RUNNER_TEMP: path.join(clone, '..'),
      TAG: 'v1.3.0',
      REPOSITORY: 'xplat-dev/xplat',
      COMMIT: main,
      MAJOR: 'v1',
      PRERELEASE: 'false',
      MOVE_MAJOR: moveMajor,
      GITHUB_LATEST: moveMajor,
    });
    expect(run.code).toBe(0);
    expect(readFileSync(calls, 'utf8')).toBe(
      `release create v1.3.0 --repo xplat-dev/xplat --verify-tag --title v1.3.0 --notes-file ${path.join(clone, '..', 'notes.md')} --latest=${moveMajor}\n`,
    );
    expect(readFileSync(path.join(clone, '..', 'notes.md'), 'utf8')).toBe('\nfixed\n');
    const v1 = await git(origin, 'rev-parse', 'v1^{commit}');
    const first = await git(origin, 'rev-parse', 'v1.0.0^{commit}');
    expect(v1).toBe(moved ? main : first);
  });
});

describe("this repository's Dependabot", () => {
  const config = parse(readFileSync(path.join(repoRoot, '.github', 'dependabot.yml'), 'utf8')) as {
    version: number;
    updates: { 'package-ecosystem': string; cooldown?: Record<string, number> }[];
  };

  it('updates the actions and the npm packages, each with a cooldown', () => {
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm',
    ]);
    for (const u of config.updates) expect(u.cooldown?.['default-days']).toBeGreaterThanOrEqual(3);
    // GitHub Actions takes default-days only (the semver-* days are for package managers).
    const actions = config.updates.find((u) => u['package-ecosystem'] === 'github-actions')!;
    expect(Object.keys(actions.cooldown!)).toEqual(['default-days']);
  });
});
