/**
 * The bundled action as the runner runs it (`node dist/smoke-test/index.js`, INPUT_*
 * variables, file commands read back), against real containers on the test bed, with a
 * real leg result that the real fuse-manifest bundle then gates on.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { type LegResult, readLegResult, writeLegResult } from '@xplat/core';
import { freePort } from '@xplat/core/free-port';
import { inspectContainer, runContainer } from '@xplat/engine';
import { parseReference, parseRepository } from '@xplat/oci';
import { createRegistryClient } from '@xplat/registry';
import { SMOKE_INPUTS } from '@xplat/smoke';
import { dockerStandIn } from '../../../test/docker-stand-in.js';
import { parseFileCommands, repoRoot, runAction } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import { httpService, idle } from '../../../test/containers.js';

const tb = testbed();
const docker = { docker: tb.docker };
const image = tb.env('XPLAT_LOCAL_IMAGE_LINUX_AMD64');
const env = { XPLAT_DOCKER: tb.docker, DOCKER_CONFIG: tb.env('DOCKER_CONFIG') };

/** A leg result as build-platform-image leaves it: pushed, smoke pending. */
async function legFile(repository: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-smoke-action-'));
  const file = path.join(dir, 'linux-amd64.json');
  const now = new Date().toISOString();
  const leg: LegResult = {
    schema: 'xplat.leg/v1',
    platform: 'linux/amd64',
    image: repository,
    digest: tb.env('XPLAT_FIXTURE_LINUX_AMD64_DIGEST'),
    pushed: true,
    tags: ['linux-amd64'],
    builder: 'buildx',
    timings: { startedAt: now, finishedAt: now, buildMs: 1200 },
    smoke: { status: 'pending', checks: [] },
  };
  await writeLegResult(file, leg);
  return file;
}

describe('smoke-test as the runner runs it', () => {
  test('action.yml declares every input the library reads, and the outputs main sets', async () => {
    const yml = await readFile(path.join(repoRoot, 'actions/smoke-test/action.yml'), 'utf8');
    const section = (name: string): string[] => {
      const body = yml.split(new RegExp(`^${name}:\\n`, 'm'))[1]!.split(/^\S/m)[0]!;
      return [...body.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]!);
    };
    expect(section('inputs').sort()).toEqual([...SMOKE_INPUTS].sort());
    expect(section('outputs')).toEqual([
      'passed',
      'ready-ms',
      'duration-ms',
      'report',
      'exit-code',
      'graceful-stop',
      'skipped',
    ]);
    // image is optional: a leg result names the image when it is left out.
    expect(yml).toMatch(/^ {2}image:\n(?: {4}.*\n)+? {4}required: false\n {4}default: ''$/m);
    expect(yml).toMatch(
      /using: node24\n\s+main: \.\.\/\.\.\/dist\/smoke-test\/index\.js\n\s+post: \.\.\/\.\.\/dist\/smoke-test\/post\/index\.js/,
    );
  });

  test('a failed smoke blocks the fuse; after it passes, the same fuse goes through', async () => {
    // The leg pushed into the fuse's target repository, as build-platform-image does (the
    // fuse refuses leg results of another repository).
    const target = `${tb.openRegistry}/${uniqueRepository('smoke-e2e')}`;
    await createRegistryClient().copyImage(
      parseReference(
        `${tb.openRegistry}/fixtures/busybox@${tb.env('XPLAT_FIXTURE_LINUX_AMD64_DIGEST')}`,
      ),
      parseRepository(target),
    );
    const file = await legFile(target);
    const port = await freePort();
    const base = {
      image,
      platform: 'linux/amd64',
      port: String(port),
      'result-file': file,
      'stop-timeout': '1',
      timeout: '10s',
    };

    // 1. The service crashes: the step fails in one line, logs and state are grouped.
    const failed = await runAction(
      'smoke-test',
      { ...base, args: JSON.stringify(['sh', '-c', 'echo "db unreachable" >&2; exit 7']) },
      { env },
    );
    expect(failed.exitCode).toBe(1);
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toMatch(
      /^the container exited with code 7 \d+ ms after start, before http GET \/ passed$/,
    );
    expect(failed.stdout).toMatch(
      /::group::Container state and last 1 log lines\nstate: status exited, exit code 7, OOM killed no, restarts 0\n\[stderr\] db unreachable\n::endgroup::/,
    );
    expect(failed.outputs).toMatchObject({ passed: 'false', 'ready-ms': '' });
    expect(failed.summary).toContain('### Smoke test ❌ failed');
    expect(failed.summary).toContain('**Reason:** the container exited with code 7');
    expect((await readLegResult(file)).result.smoke).toMatchObject({
      status: 'failed',
      reason: failed.errors[0],
    });

    const fuseInputs = {
      image: target,
      tags: 'v1',
      results: file,
      'expected-platforms': 'linux/amd64',
    };
    const blocked = await runAction('fuse-manifest', fuseInputs);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.errors[0]).toContain(
      'gate closed: 1 of 1 expected platforms did not pass: linux/amd64 failed (smoke test failed: the container exited with code 7',
    );

    // 2. The fixed service passes: outputs, summary and leg result say so, and the gate opens.
    const passed = await runAction(
      'smoke-test',
      { ...base, args: httpService(port), 'expect-body': 'xplat fixture' },
      { env },
    );
    expect(passed.errors).toEqual([]);
    expect(passed.exitCode).toBe(0);
    expect(passed.outputs.passed).toBe('true');
    expect(Number(passed.outputs['ready-ms'])).toBeGreaterThan(0);
    expect(Number(passed.outputs['duration-ms'])).toBeGreaterThanOrEqual(
      Number(passed.outputs['ready-ms']),
    );
    expect(passed.outputs['graceful-stop']).toBe('true');
    const report = JSON.parse(await readFile(passed.outputs.report!, 'utf8')) as {
      passed: boolean;
      readyMs: number;
    };
    expect(report).toMatchObject({ passed: true, readyMs: Number(passed.outputs['ready-ms']) });
    expect(passed.summary).toContain('### Smoke test ✅ passed');
    expect(passed.summary).toMatch(/\| http GET \/ \| ✅ passed \| \d+ ms \| 200 in \d+ ms \|/);
    const leg = (await readLegResult(file)).result.smoke;
    expect(leg).toMatchObject({ status: 'passed', readyMs: report.readyMs });
    expect(leg.reason).toBeUndefined();

    const fused = await runAction('fuse-manifest', fuseInputs);
    expect(fused.errors).toEqual([]);
    expect(fused.exitCode).toBe(0);
  });

  test('skip: nothing runs, the leg result records the reason, the step succeeds', async () => {
    const file = await legFile(`${tb.openRegistry}/fixtures/busybox`);
    const standIn = await dockerStandIn();
    const run = await runAction(
      'smoke-test',
      // xplat.yml's probes may come along with the skip; nothing uses them.
      { 'result-file': file, skip: 'no hosted ltsc2019 runner', port: '8080' },
      { env: { ...env, XPLAT_DOCKER: standIn.docker } },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ passed: 'false', skipped: 'true' });
    expect(run.stdout).toContain(
      `Smoke test of linux/amd64 skipped: no hosted ltsc2019 runner. Recorded in ${file}`,
    );
    expect(run.summary).toContain('### Smoke test ⏭️ skipped: `linux/amd64`');
    expect(run.summary).toContain('**Reason:** no hosted ltsc2019 runner');
    expect(await standIn.calls()).toBe('');
    expect((await readLegResult(file)).result.smoke).toEqual({
      status: 'skipped',
      checks: [],
      reason: 'no hosted ltsc2019 runner',
      finishedAt: expect.any(String),
    });
  });

  test('skip never overwrites a verdict, and a switch word is no reason', async () => {
    const file = await legFile(`${tb.openRegistry}/fixtures/busybox`);
    const { result } = await readLegResult(file);
    const failed = { status: 'failed' as const, checks: [], reason: 'http GET /: 500' };
    await writeLegResult(file, { ...result, smoke: failed });
    const overwrite = await runAction(
      'smoke-test',
      { 'result-file': file, skip: 'no runner' },
      { env },
    );
    expect(overwrite.exitCode).toBe(1);
    expect(overwrite.errors).toEqual([
      `skip: ${file} already records a smoke test that failed; skip records only a leg whose smoke test has not run`,
    ]);
    const word = await runAction('smoke-test', { 'result-file': file, skip: 'true' }, { env });
    expect(word.errors).toEqual([
      'skip: "true" is not a reason: say why the smoke test is skipped, e.g. "no hosted ltsc2019 runner" (empty runs the test)',
    ]);
    expect((await readLegResult(file)).result.smoke).toEqual(failed);
  });

  test('a bad input fails the step in one line and leaves the leg result pending', async () => {
    const file = await legFile(`${tb.openRegistry}/fixtures/busybox`);
    const run = await runAction(
      'smoke-test',
      { image, port: 'http', 'result-file': file },
      { env },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['port: "http" is not a port: use a number from 1 to 65535']);
    expect((await readLegResult(file)).result.smoke.status).toBe('pending');
  });

  test('a one-shot image sets exit-code', async () => {
    const run = await runAction(
      'smoke-test',
      { image, 'one-shot': 'true', command: 'sh -c "echo v1.2.3"', 'expect-output': '^v1\\.' },
      { env },
    );
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ passed: 'true', 'exit-code': '0', 'ready-ms': '' });
  });

  test('cancelled (SIGINT, as the runner sends): the container is removed before main exits', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-smoke-cancel-'));
    const files = {
      GITHUB_OUTPUT: 'output',
      GITHUB_STATE: 'state',
      GITHUB_STEP_SUMMARY: 'summary',
    };
    for (const [key, name] of Object.entries(files)) {
      files[key as keyof typeof files] = path.join(dir, name);
      await writeFile(path.join(dir, name), '');
    }
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/smoke-test/index.js')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        DOCKER_HOST: tb.dockerHost,
        RUNNER_TEMP: dir,
        ...env,
        ...files,
        INPUT_IMAGE: image,
        INPUT_PORT: String(port),
        INPUT_ARGS: idle(),
        INPUT_TIMEOUT: '60s',
      },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number>((resolve) =>
      child.on('close', (code) => resolve(code ?? -1)),
    );
    // Wait until main has saved the container id, then cancel.
    let id: string | undefined;
    for (let i = 0; i < 200 && !id; i++) {
      await new Promise((r) => setTimeout(r, 25));
      id = Object.fromEntries(parseFileCommands(await readFile(files.GITHUB_STATE, 'utf8')))[
        'container-id'
      ];
    }
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    const cancelledAt = Date.now();
    child.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exited,
      new Promise<string>(
        (r) => (timer = setTimeout(() => r('still running 8 s after SIGINT'), 8000)),
      ),
    ]);
    clearTimeout(timer);
    if (typeof code === 'string') child.kill('SIGKILL');
    expect([code, stdout]).toEqual([1, expect.any(String)]);
    expect(Date.now() - cancelledAt).toBeLessThan(3000);
    expect(stdout).toContain('::error::cancelled before every probe passed');
    expect(await inspectContainer(id!, docker)).toBeUndefined();
  });

  test('post removes a container main left behind (main was killed), and is quiet otherwise', async () => {
    const id = await runContainer({ image, network: 'none', command: ['sleep', '3600'] }, docker);
    const state = `container-id<<_STATE_\n${id}\n_STATE_\n`;
    const post = await runAction('smoke-test', {}, { env, script: 'post/index.js', state });
    expect([post.exitCode, post.stderr]).toEqual([0, '']);
    expect(post.stdout).toContain(
      `Removed container ${id.slice(0, 12)}, left behind by an interrupted smoke test`,
    );
    expect(await inspectContainer(id, docker)).toBeUndefined();

    const again = await runAction('smoke-test', {}, { env, script: 'post/index.js', state });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toContain('Removed container');
  });
});
