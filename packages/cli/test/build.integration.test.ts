/** `xplat build`, the bundled CLI as users run it: the same library call as the action. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { exec } from '../../../test/exec.js';
import { repoRoot } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const fixture = path.join(repoRoot, 'packages', 'engine', 'test', 'fixtures', 'multistage');
const xplat = (...args: string[]) =>
  exec(process.execPath, [path.join(repoRoot, 'dist', 'cli', 'index.js'), ...args], {
    GITHUB_SHA: '',
    XPLAT_BUILDER: '',
  });

describe('xplat build', () => {
  it('--dry-run prints the plan: builder and the exact docker commands', async () => {
    const image = `${tb.openRegistry}/cli-plan`;
    const run = await xplat(
      'build',
      fixture,
      '--image',
      image,
      '--platform',
      'linux/arm64',
      '--network',
      'host',
      '--dry-run',
    );
    expect(run.code).toBe(0);
    const [first, second] = run.stdout.trim().split('\n');
    expect(first).toBe(
      'builder: buildkit (docker CLI 20.10.24+dfsg1 has BuildKit built in; no buildx)',
    );
    // Outside GitHub the commit comes from git: the tag carries this checkout's short sha.
    const sha = (
      await exec('git', ['-C', repoRoot, 'rev-parse', '--short=7', 'HEAD'])
    ).stdout.trim();
    expect(second).toContain(
      `DOCKER_BUILDKIT=1 docker build --platform linux/arm64 --progress plain --file ${fixture}/Dockerfile`,
    );
    expect(second).toContain(`--tag ${image}:linux-arm64-${sha}`);
    expect(second).toContain('--build-arg TARGETOS=linux --build-arg TARGETARCH=arm64');
  });

  it('builds (no push) and prints the outputs as JSON', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('cli-build')}`;
    const resultDir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-'));
    const run = await xplat(
      'build',
      fixture,
      '--image',
      image,
      '--no-push',
      '--network',
      'host',
      '--cache',
      'none',
      '--result-dir',
      resultDir,
      '--tag-template',
      'cli-{os}-{arch}',
      '--json',
    );
    expect(run.code).toBe(0);
    const outputs = JSON.parse(run.stdout) as Record<string, string>;
    expect(outputs).toMatchObject({
      platform: 'linux/amd64',
      builder: 'buildkit',
      tag: `${image}:cli-linux-amd64`,
      digest: '',
    });
    expect(outputs['result-file']).toBe(path.join(resultDir, 'linux-amd64.json'));
    expect(run.stderr).toContain('builder: buildkit');
  });

  it('a bad option is one line naming the flag, exit 2', async () => {
    const run = await xplat(
      'build',
      fixture,
      '--image',
      `${tb.openRegistry}/x`,
      '--platform',
      'linux/amd64',
      '--isolation',
      'process',
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'xplat build: --isolation: isolation applies to Windows builds only; linux/amd64 is Linux',
    );
  });
});
