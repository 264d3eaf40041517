/**
 * Every command with an xplat.yml in the folder, run with no flags as a user would (the
 * bundled CLI, in a git checkout of its own): lint every platform, build the engine's
 * platform, smoke-test it, fuse, inspect. Leg results land in the project's
 * .xplat/legs/<run-id>/, never a shared temp folder. The one flag the test bed needs is
 * `--network host` for build (its engine has no bridge network for RUN steps).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readLegResult } from '@xplat/core';
import { freePort } from '@xplat/core/free-port';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import { commitAll, xplatIn } from './cli-project.js';

const tb = testbed();
const run = xplatIn;

/** The service listens on a port of its own: host networking shares ports with everything else. */
const dockerfile = (port: number): string =>
  [
    'ARG TARGETOS',
    'ARG TARGETARCH',
    'FROM xplat-fixtures/busybox:${TARGETOS}-${TARGETARCH}',
    'RUN mkdir -p /www && echo "hello from xplat" > /www/index.html',
    `CMD ["httpd", "-f", "-p", "${port}", "-h", "/www"]`,
    '',
  ].join('\n');

/** A project folder (a git checkout: tags carry the commit) with xplat.yml and a Dockerfile. */
async function project(platforms: string[], image: string): Promise<{ dir: string; sha: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-project-'));
  const port = await freePort();
  await writeFile(path.join(dir, 'Dockerfile'), dockerfile(port));
  await writeFile(
    path.join(dir, 'xplat.yml'),
    [
      `image: ${image}`,
      'platforms:',
      ...platforms.map((p) => `  - ${p}`),
      'smoke:',
      `  port: ${port}`,
      '  path: /',
      '  expect-body: hello from xplat',
      '  stop-timeout: 1s',
      '',
    ].join('\n'),
  );
  return { dir, sha: await commitAll(dir) };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('xplat with xplat.yml: no flags needed', () => {
  let dir: string;
  let sha: string;
  const image = `${tb.openRegistry}/${uniqueRepository('cli-yml')}`;
  beforeAll(async () => {
    ({ dir, sha } = await project(['linux/amd64'], image));
    dirs.push(dir);
  });

  it('lint, build, smoke, fuse, inspect', async () => {
    const lint = await run(dir, ['lint']);
    expect(lint.stdout).toBe('linux/amd64: no findings\n');
    expect(lint.code).toBe(0);

    const build = await run(dir, ['build', '--network', 'host']);
    expect(build.stderr).not.toMatch(/^xplat build:/m);
    expect(build.code).toBe(0);
    const legDir = path.join(dir, '.xplat', 'legs', `git-${sha}`);
    const resultFile = path.join(legDir, 'linux-amd64.json');
    expect(build.stdout).toMatch(new RegExp(`^result-file +${resultFile}$`, 'm'));
    expect(build.stdout).toMatch(new RegExp(`^tag +${image}:linux-amd64-${sha}$`, 'm'));

    const smoke = await run(dir, ['smoke']);
    expect(smoke.code).toBe(0);
    // The checks table once, on stdout; the log (stderr) says before it waits for the stop.
    expect(smoke.stdout).toMatch(/^check +status +time +detail\n/);
    expect(smoke.stdout).toMatch(/\nhttp GET \/ +passed /);
    expect(smoke.stderr).not.toContain('check  ');
    expect(smoke.stderr).toMatch(/waiting up to 1 s for xplat-smoke-linux-amd64-\w+ to stop/);
    expect((await readLegResult(resultFile)).result.smoke.status).toBe('passed');

    const fuse = await run(dir, ['fuse']);
    expect(fuse.code).toBe(0);
    expect(fuse.stdout).toMatch(new RegExp(`^index +${image}@sha256:[a-f0-9]{64}$`, 'm'));
    expect(fuse.stdout).toMatch(/^linux\/amd64 +- +sha256:[a-f0-9]{12} +passed +in place$/m);
    // Terminal output is plain text: Markdown is for GITHUB_STEP_SUMMARY only.
    for (const out of [build.stdout, smoke.stdout, fuse.stdout, fuse.stderr, smoke.stderr])
      expect(out).not.toMatch(/###|\*\*|✅|❌|⚠️|✓/u);

    const inspect = await run(dir, ['inspect']);
    expect(inspect.code).toBe(1); // nothing tagged latest: the fuse above gave no tag
    expect(inspect.stderr).toContain(`${image}:latest was not found`);

    // Only this project's folder holds its leg results.
    expect(await readdir(path.join(dir, '.xplat', 'legs'))).toEqual([`git-${sha}`]);
  });

  it('flags override xplat.yml and errors name the flag, exit 2', async () => {
    const bad = await run(dir, ['build', '--image', 'Not A Repo']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^xplat build: --image: "Not A Repo" /);
    const other = await run(dir, ['build', '--platform', 'linux/s390x', '--dry-run']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/--platform: linux\/s390x needs QEMU emulation/);
  });

  it('--help says which values come from xplat.yml, and documents XPLAT_DOCKER', async () => {
    for (const command of ['lint', 'build', 'smoke', 'fuse']) {
      const help = await run(dir, [command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('(xplat.yml:');
    }
    const build = await run(dir, ['build', '--help']);
    expect(build.stdout).toMatch(
      /--image NAME\|REPO +one image of xplat\.yml, by its name \(default: every image\); any\s+other value is the repository, e\.g\. ghcr\.io\/org\/app \(xplat\.yml:\s+image\)/,
    );
    expect(build.stdout).toContain('XPLAT_DOCKER');
    const top = await run(dir, ['--help']);
    expect(top.stdout).toContain('XPLAT_DOCKER');
    expect(top.stdout).toMatch(/exit codes: 0 done, 1 failed/);
  });
});

describe('xplat build without BuildKit', () => {
  it('refuses another architecture with what to install, and leaves a failed leg result', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('cli-nobk')}`;
    const { dir } = await project(['linux/amd64', 'linux/arm64'], image);
    dirs.push(dir);
    // The test bed's docker 28 CLI has no buildx plugin (and, from 23.0, no built-in BuildKit).
    const env = { XPLAT_DOCKER: '/usr/local/bin/docker', XPLAT_RUN_ID: 'nobk' };
    const build = await run(dir, ['build', '--platform', 'linux/arm64'], env);
    expect(build.code).toBe(1);
    expect(build.stderr.trim().split('\n').at(-1)).toMatch(
      /^xplat build: --platform: linux\/arm64 is another architecture than this linux\/amd64 engine: that needs BuildKit, .* install the buildx plugin/,
    );
    const file = path.join(dir, '.xplat', 'legs', 'nobk', 'linux-arm64.json');
    expect(existsSync(file)).toBe(true);
    expect((await readLegResult(file)).result.failure?.reason).toMatch(/needs BuildKit/);

    const fuse = await run(dir, ['fuse'], env);
    expect(fuse.code).toBe(1);
    expect(fuse.stderr).toMatch(
      /linux\/arm64 failed \(build failed: linux\/arm64 is another architecture/,
    );
  });
});
