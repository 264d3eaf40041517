/**
 * A leg built by one process and smoke-tested by another that has only its leg result and
 * the registry, as a Windows image built on Linux is smoke-tested on its Windows runner:
 * the bundled build-platform-image, smoke-test and fuse-manifest actions, each run as the
 * runner runs it, against the test bed's engine and registry.
 */
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readLegResult, writeLegResult } from '@xplat/core';
import { inspectImage, runDocker } from '@xplat/engine';
import { dockerStandIn } from '../../../test/docker-stand-in.js';
import { runAction } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const docker = { docker: tb.docker };
const env = { XPLAT_DOCKER: tb.docker, DOCKER_CONFIG: tb.env('DOCKER_CONFIG') };

interface Built {
  readonly image: string;
  readonly ref: string;
  readonly digest: string;
  readonly resultFile: string;
}

/** One linux/amd64 leg, built and pushed by the build action in its own process. */
async function buildLeg(): Promise<Built> {
  const context = await mkdtemp(path.join(os.tmpdir(), 'xplat-ctx-'));
  await writeFile(
    path.join(context, 'Dockerfile'),
    `FROM ${tb.env('XPLAT_LOCAL_IMAGE_LINUX_AMD64')}\nRUN echo "built by xplat" > /built\n`,
  );
  const image = `${tb.openRegistry}/${uniqueRepository('smoke-from-leg')}`;
  const build = await runAction(
    'build-platform-image',
    {
      image,
      platform: 'linux/amd64',
      cache: 'none',
      // The test bed's engine has no bridge network.
      network: 'host',
      'result-dir': path.join(context, 'legs'),
    },
    { env: { ...env, GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' }, cwd: context },
  );
  expect(build.errors).toEqual([]);
  expect(build.exitCode).toBe(0);
  // The smoke job runs elsewhere: this engine forgets the image, the registry has it.
  await runDocker(['image', 'rm', build.outputs.tag!], docker);
  expect(await inspectImage(build.outputs.ref!, docker)).toBeUndefined();
  return {
    image,
    ref: build.outputs.ref!,
    digest: build.outputs.digest!,
    resultFile: build.outputs['result-file']!,
  };
}

describe('smoke-test from a leg result built in another process', () => {
  let leg: Built;
  beforeAll(async () => {
    leg = await buildLeg();
  }, 180_000);

  test('image empty: the leg is pulled by its digest, tested, and its result updated; the fuse takes it', async () => {
    // Only the leg result travels to the smoke job (download-artifact), in a folder of its own.
    const smokeDir = await mkdtemp(path.join(os.tmpdir(), 'xplat-smoke-job-'));
    const file = path.join(smokeDir, 'linux-amd64.json');
    await copyFile(leg.resultFile, file);

    const run = await runAction(
      'smoke-test',
      {
        'result-file': file,
        'one-shot': 'true',
        command: 'cat /built',
        'expect-output': '^built by xplat$',
      },
      { env, cwd: smokeDir },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ passed: 'true', skipped: 'false', 'exit-code': '0' });
    expect(run.stdout).toContain(`Pulling ${leg.ref} for linux/amd64`);
    expect(run.summary).toContain(`### Smoke test ✅ passed: \`${leg.ref}\` (linux/amd64)`);
    const { result } = await readLegResult(file);
    expect(result.digest).toBe(leg.digest);
    expect(result.smoke).toMatchObject({ status: 'passed', finishedAt: expect.any(String) });
    expect(result.smoke.checks.map((c) => [c.name, c.status])).toEqual([
      ['start', 'passed'],
      ['exit 0', 'passed'],
    ]);

    const fused = await runAction('fuse-manifest', {
      image: leg.image,
      tags: 'v1',
      results: file,
      'expected-platforms': 'linux/amd64',
    });
    expect(fused.errors).toEqual([]);
    expect(fused.exitCode).toBe(0);
    expect(fused.summary).toMatch(
      /\| `linux\/amd64` \| {2}\| `sha256:[a-f0-9]{12}` \| ✅ passed \|/,
    );
  });

  test('a tampered digest in the leg result is refused, naming both digests, with nothing run', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-smoke-tampered-'));
    const file = path.join(dir, 'linux-amd64.json');
    const tampered = tb.env('XPLAT_FIXTURE_LINUX_ARM64_DIGEST');
    const { result } = await readLegResult(leg.resultFile);
    await writeLegResult(file, { ...result, digest: tampered });
    const before = await readFile(file, 'utf8');
    const standIn = await dockerStandIn();

    const run = await runAction(
      'smoke-test',
      { image: leg.ref, 'result-file': file, 'one-shot': 'true', command: 'true' },
      { env: { ...env, XPLAT_DOCKER: standIn.docker }, cwd: dir },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `image: ${leg.ref} is ${leg.digest}, but the leg result ${file} is ${tampered}: a verdict is recorded only for the image the leg built; leave image empty to test ${leg.image}@${tampered}, or give the leg result of ${leg.digest}`,
    ]);
    expect(await standIn.calls()).toBe('');
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
