/**
 * The bundles under Node 24, the runtime GitHub gives JavaScript actions (`runs.using:
 * node24`), whatever Node runs the tests: the binary comes from npm (scripts/node24.mjs),
 * so this runs the same on a fresh machine. One pipeline through the four bundled actions
 * (setup and its post step, build, smoke, fuse) against the test bed, and the CLI bundle.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readLegResult } from '@xplat/core';
import { repoRoot, runAction } from './run-action.js';
import { testbed, uniqueRepository } from './testbed.js';

const tb = testbed();
const env = { XPLAT_DOCKER: tb.docker, DOCKER_CONFIG: tb.env('DOCKER_CONFIG') };
let node24 = '';

function run(
  file: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: unknown }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

beforeAll(async () => {
  const got = await run(process.execPath, [path.join(repoRoot, 'scripts', 'node24.mjs')]);
  expect(got).toMatchObject({ code: 0 });
  node24 = got.stdout.trim();
  expect((await run(node24, ['--version'])).stdout).toMatch(/^v24\./);
}, 180_000);

describe('the bundles under Node 24', () => {
  it('setup, build, smoke and fuse: one platform from source to a fused index', async () => {
    const setup = await runAction(
      'setup-crossplatform-builder',
      { platforms: 'linux/amd64' },
      { env, node: node24 },
    );
    expect({ code: setup.exitCode, errors: setup.errors }).toEqual({ code: 0, errors: [] });
    const post = await runAction(
      'setup-crossplatform-builder',
      {},
      { script: 'post/index.js', state: setup.state, node: node24 },
    );
    expect(post.exitCode).toBe(0);

    const image = `${tb.openRegistry}/${uniqueRepository('node24')}`;
    const resultDir = await mkdtemp(path.join(os.tmpdir(), 'xplat-node24-legs-'));
    const build = await runAction(
      'build-platform-image',
      {
        image,
        platform: 'linux/amd64',
        context: path.join(repoRoot, 'packages', 'engine', 'test', 'fixtures', 'multistage'),
        network: 'host',
        'result-dir': resultDir,
      },
      {
        env: {
          ...env,
          GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
          GITHUB_RUN_ID: '24',
        },
        node: node24,
      },
    );
    expect({ code: build.exitCode, errors: build.errors }).toEqual({ code: 0, errors: [] });

    const smoke = await runAction(
      'smoke-test',
      {
        image: build.outputs.ref!,
        platform: 'linux/amd64',
        'one-shot': 'true',
        'expect-output': 'built for x86_64',
        'result-file': build.outputs['result-file']!,
      },
      { env, node: node24 },
    );
    expect({ code: smoke.exitCode, errors: smoke.errors, passed: smoke.outputs.passed }).toEqual({
      code: 0,
      errors: [],
      passed: 'true',
    });
    expect((await readLegResult(build.outputs['result-file']!)).result.smoke.status).toBe('passed');

    const fuse = await runAction(
      'fuse-manifest',
      { image, tags: 'node24', results: resultDir, 'expected-platforms': 'linux/amd64' },
      { env: { ...env, GITHUB_RUN_ID: '24' }, node: node24 },
    );
    expect({ code: fuse.exitCode, errors: fuse.errors }).toEqual({ code: 0, errors: [] });
    expect(JSON.parse(fuse.outputs.platforms!)).toEqual(['linux/amd64']);
  }, 300_000);

  it('the CLI: help, the example workflow up to date, its plan', async () => {
    const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
    const help = await run(node24, [cli, '--help']);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: xplat /m) });
    const check = await run(node24, [cli, 'generate', '--check', '--dir', 'examples/hello-http']);
    expect(check).toMatchObject({ code: 0 });
    const plan = await run(node24, [cli, 'plan', '--json', '--dir', 'examples/hello-http']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ legs: expect.any(Array) });
  });
});
