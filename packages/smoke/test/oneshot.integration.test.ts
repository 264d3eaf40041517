/** Images that run and exit, an arm64 image under QEMU, cancellation and the leg result. */
import { describe, expect, test } from '@jest/globals';
import {
  evaluateGate,
  type LegResult,
  parsePlatformList,
  readLegResult,
  recordingLogger,
  writeLegResult,
} from '@xplat/core';
import { freePort } from '@xplat/core/free-port';
import { inspectContainer, runDocker } from '@xplat/engine';
import { parseSmokeInputs, type SmokeInputs, smokeTest } from '@xplat/smoke';
import type { SmokeReport } from '../src/report.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bed, httpService, idle } from '../../../test/containers.js';

const b = bed();

async function smoke(inputs: SmokeInputs, signal?: AbortSignal): Promise<SmokeReport> {
  const report = await smokeTest(
    parseSmokeInputs({
      image: b.amd64,
      ...(inputs['one-shot'] ? {} : { 'stop-timeout': '1', timeout: '10s' }),
      ...inputs,
    }),
    {
      docker: b.docker,
      logger: recordingLogger(),
      ...(signal ? { signal } : {}),
    },
  );
  if (report.container?.id)
    expect(await inspectContainer(report.container.id, b.docker)).toBeUndefined();
  return report;
}

describe('one-shot', () => {
  test('exit code and output are the check', async () => {
    const report = await smoke({
      'one-shot': 'true',
      command: 'sh -c "echo self-test ok; uname -m"',
      'expect-output': 'self-test ok\\nx86_64',
    });
    expect(report.passed).toBe(true);
    expect(report.exitCode).toBe(0);
    expect(report.readyMs).toBeUndefined();
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['start', 'passed'],
      ['exit 0', 'passed'],
    ]);
  });

  test('a wrong exit code fails with it and the output', async () => {
    const report = await smoke({
      'one-shot': 'true',
      args: 'sh -c "echo migration failed >&2; exit 2"',
    });
    expect(report.passed).toBe(false);
    expect(report.exitCode).toBe(2);
    expect(report.reason).toBe('one-shot: exited 2, expected 0');
    expect(report.logs).toEqual(['[stderr] migration failed']);
  });

  test('an expected non-zero exit code passes', async () => {
    const report = await smoke({
      'one-shot': 'true',
      args: 'sh -c "exit 3"',
      'expect-exit-code': '3',
    });
    expect(report.passed).toBe(true);
  });

  test('still running at the timeout fails', async () => {
    const report = await smoke({ 'one-shot': 'true', args: 'sleep 30', timeout: '800ms' });
    expect(report.passed).toBe(false);
    expect(report.reason).toBe('one-shot: still running after 0.8 s');
  });
});

describe('platforms', () => {
  test('a linux/arm64 image runs under QEMU and answers', async () => {
    const port = await freePort();
    const report = await smoke({
      image: b.arm64Ref,
      platform: 'linux/arm64',
      port: String(port),
      args: httpService(port),
      'expect-body': 'linux/arm64',
      timeout: '30s',
    });
    expect(report.passed).toBe(true);
    expect(report.platform).toBe('linux/arm64');
    expect(report.notes).toContainEqual(
      expect.stringContaining('linux/arm64 on a amd64 host runs under emulation'),
    );
  });

  test('the arm64 image really runs arm64 code (through QEMU binfmt)', async () => {
    const report = await smoke({
      image: b.arm64Ref,
      platform: 'linux/arm64',
      'one-shot': 'true',
      command: 'uname -m',
      'expect-output': '^aarch64$',
    });
    expect(report.passed).toBe(true);
  });

  test('an image built for another platform than platform says fails before it runs', async () => {
    const report = await smoke({ platform: 'linux/arm64', port: '1', args: idle() });
    expect(report.passed).toBe(false);
    expect(report.reason).toBe(
      'the image is linux/amd64, not linux/arm64 as platform says: it was built for the wrong platform',
    );
    expect(report.container).toBeUndefined();
  });
});

describe('always cleaned up', () => {
  test('cancelling mid-poll ends the run at once and removes the container', async () => {
    const port = await freePort();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 700);
    const started = Date.now();
    const report = await smoke(
      { port: String(port), args: idle(), timeout: '60s' },
      controller.signal,
    );
    expect(report.passed).toBe(false);
    expect(report.reason).toBe('cancelled before every probe passed');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('a cancel that arrives while the container starts still ends the run at once', async () => {
    const controller = new AbortController();
    const started = Date.now();
    let id = '';
    const report = await smokeTest(
      parseSmokeInputs({
        image: b.amd64,
        port: String(await freePort()),
        args: idle(),
        timeout: '60s',
      }),
      {
        docker: b.docker,
        signal: controller.signal,
        onContainer: (containerId) => {
          id = containerId;
          controller.abort();
        },
      },
    );
    expect(report.reason).toBe('cancelled before every probe passed');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await inspectContainer(id, b.docker)).toBeUndefined();
  });

  test('a container that is created but cannot start is removed by name', async () => {
    const port = await freePort();
    const report = await smoke({
      port: String(port),
      args: idle(),
      'run-args': '--user no-such-user',
    });
    expect(report.passed).toBe(false);
    expect(report.reason).toMatch(
      /^the container did not start: docker run failed \(exit 12\d\): .*no-such-user/,
    );
    expect(report.container?.id).toBe('');
    expect(report.container?.state).toMatchObject({ status: 'created' });
    const left = await runDocker(
      ['ps', '--all', '--quiet', '--filter', `name=${report.container!.name}`],
      b.docker,
    );
    expect(left.stdout.trim()).toBe('');
  });

  test('a one-shot cancelled while it runs is removed too', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const report = await smoke(
      { 'one-shot': 'true', args: 'sleep 30', timeout: '60s' },
      controller.signal,
    );
    expect(report.reason).toBe('one-shot: cancelled while waiting for the container to exit');
  });
});

describe('leg result', () => {
  // The local fixture tag (b.amd64) is the test bed's pushed fixture: its registry digest
  // is the leg's, as for an image the build pushed.
  const fixtureDigest = (): string => process.env.XPLAT_FIXTURE_LINUX_AMD64_DIGEST!;
  async function legFile(platform = 'linux/amd64', digest = fixtureDigest()): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-smoke-leg-'));
    const file = path.join(dir, 'leg.json');
    const now = new Date().toISOString();
    const leg: LegResult = {
      schema: 'xplat.leg/v1',
      platform,
      image: '127.0.0.1:5000/app',
      digest,
      pushed: true,
      tags: ['linux-amd64-abc1234'],
      builder: 'buildx',
      timings: { startedAt: now, finishedAt: now, buildMs: 1000 },
      smoke: { status: 'pending', checks: [] },
    };
    await writeLegResult(file, leg);
    return file;
  }

  test('a pass is recorded with timings, the platform taken from the leg, and the report written', async () => {
    const file = await legFile();
    const reportFile = path.join(path.dirname(file), 'report.json');
    const port = await freePort();
    const report = await smoke({
      port: String(port),
      args: httpService(port),
      'result-file': file,
      'report-file': reportFile,
    });
    expect(report.platform).toBe('linux/amd64');
    const { result } = await readLegResult(file);
    expect(result.smoke).toMatchObject({
      status: 'passed',
      readyMs: report.readyMs,
      durationMs: report.durationMs,
    });
    expect(result.smoke.checks.map((c) => c.name)).toEqual(['start', 'http GET /', 'stop']);
    expect(JSON.parse(await readFile(reportFile, 'utf8'))).toMatchObject({
      schema: 'xplat.smoke/v1',
      passed: true,
    });
  });

  test('a failed smoke closes the gate for that platform', async () => {
    const file = await legFile();
    const report = await smoke({ 'one-shot': 'true', args: 'false', 'result-file': file });
    expect(report.passed).toBe(false);
    const gate = evaluateGate(parsePlatformList('linux/amd64'), [await readLegResult(file)]);
    expect(gate.passed).toBe(false);
    expect(gate.rows[0]).toMatchObject({
      verdict: 'failed',
      detail: 'smoke test failed: one-shot: exited 1, expected 0',
    });
  });

  test('a platform that disagrees with the leg result is an input error', async () => {
    const file = await legFile('linux/arm64');
    await expect(
      smoke({ platform: 'linux/amd64', port: '1', 'result-file': file }),
    ).rejects.toThrow(`platform: linux/amd64 does not match linux/arm64 in the leg result ${file}`);
  });

  test('a tag that names another image than the leg is refused before it runs', async () => {
    const other = `sha256:${'1'.repeat(64)}`;
    const file = await legFile('linux/amd64', other);
    const logger = recordingLogger();
    const run = smokeTest(
      parseSmokeInputs({
        image: b.amd64,
        'one-shot': 'true',
        command: 'true',
        'result-file': file,
      }),
      { docker: b.docker, logger },
    );
    await expect(run).rejects.toThrow(
      new RegExp(
        `^image: ${b.amd64} is ${fixtureDigest()} \\(image sha256:[a-f0-9]{64}\\), not ${other} of the leg result ${file}: the tag moved or names another build; leave image empty to test 127\\.0\\.0\\.1:5000/app@${other}$`,
      ),
    );
    // The engine was asked about the image, and nothing ran.
    const docker = logger.lines.filter((l) => l.startsWith('debug: ')).join('\n');
    expect(docker).toContain(`image inspect ${b.amd64}`);
    expect(docker).not.toMatch(/ (run|create|pull) /);
    expect((await readLegResult(file)).result.smoke.status).toBe('pending');
  });
});
