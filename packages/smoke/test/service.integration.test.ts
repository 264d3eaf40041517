/**
 * Real containers on the test bed's engine, host networking, 127.0.0.1 only: services
 * that become ready, never answer, crash, answer 500 or the wrong body; and the stop.
 */
import { describe, expect, test } from '@jest/globals';
import { recordingLogger } from '@xplat/core';
import { freePort } from '@xplat/core/free-port';
import { inspectContainer } from '@xplat/engine';
import { parseSmokeInputs, type SmokeInputs, smokeTest } from '@xplat/smoke';
import type { SmokeReport } from '../src/report.js';
import { bed, httpService, idle, stamp } from '../../../test/containers.js';

const b = bed();

async function smoke(
  inputs: SmokeInputs,
): Promise<{ report: SmokeReport; lines: string[]; ms: number }> {
  const logger = recordingLogger();
  const started = Date.now();
  const report = await smokeTest(
    parseSmokeInputs({
      image: b.amd64,
      ...(inputs['one-shot'] ? {} : { 'stop-timeout': '1', timeout: '10s' }),
      ...inputs,
    }),
    { docker: b.docker, logger },
  );
  // Whatever happened, the container is gone.
  if (report.container?.id)
    expect(await inspectContainer(report.container.id, b.docker)).toBeUndefined();
  return { report, lines: logger.lines, ms: Date.now() - started };
}

describe('HTTP service', () => {
  test('ready after a delay: ready-ms within a measured margin of the true delay', async () => {
    const port = await freePort();
    const { report } = await smoke({
      port: String(port),
      args: httpService(port, { delay: 1.2 }),
      'expect-body': 'xplat fixture linux/amd64',
    });
    expect(report.passed).toBe(true);
    // The container stamped its own start and the moment it began listening.
    const trueDelay = stamp(report.logs, 'listening') - stamp(report.logs, 'start');
    const overhead = report.readyMs! - trueDelay;
    expect(trueDelay).toBeGreaterThanOrEqual(1200);
    // Never before the service could answer; at most the backoff cap (250 ms) plus slack after.
    expect(overhead).toBeGreaterThanOrEqual(-5);
    expect(overhead).toBeLessThan(350);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['start', 'passed'],
      ['http GET /', 'passed'],
      ['stop', 'passed'],
    ]);
  });

  test('never answers: fails at the timeout, with the state and logs shown', async () => {
    const port = await freePort();
    const { report, lines, ms } = await smoke({
      port: String(port),
      args: idle('echo "booting forever"'),
      timeout: '1500ms',
    });
    expect(report.passed).toBe(false);
    expect(report.failedCheck).toBe('http GET /');
    expect(report.reason).toMatch(
      /^http GET \/: no success within 1\.5 s \(\d+ attempts\); last: ECONNREFUSED/,
    );
    expect(ms).toBeGreaterThanOrEqual(1500);
    expect(ms).toBeLessThan(5000);
    expect(report.logs).toContain('booting forever');
    const group = lines.indexOf(`[group] Container state and last ${report.logs.length} log lines`);
    expect(group).toBeGreaterThanOrEqual(0);
    expect(lines[group + 1]).toBe('state: status running, exit code 0, OOM killed no, restarts 0');
    expect(lines.slice(group)).toContain('booting forever');
  });

  test('crashes at start: fails fast with the exit code, not at the timeout', async () => {
    const port = await freePort();
    const { report, ms } = await smoke({
      port: String(port),
      args: JSON.stringify(['sh', '-c', 'echo "config file missing" >&2; exit 3']),
      timeout: '30s',
    });
    expect(report.passed).toBe(false);
    expect(report.reason).toMatch(
      /^the container exited with code 3 \d+ ms after start, before http GET \/ passed$/,
    );
    expect(report.container?.state).toMatchObject({
      status: 'exited',
      exitCode: 3,
      oomKilled: false,
    });
    expect(report.logs).toEqual(['[stderr] config file missing']);
    expect(ms).toBeLessThan(3000);
  });

  test('answers 500: fails with the status it got', async () => {
    const port = await freePort();
    const cgi = `mkdir -p /tmp/www/cgi-bin && printf '#!/bin/sh\\necho "Status: 500 Internal Server Error"\\necho\\necho boom\\n' > /tmp/www/cgi-bin/health && chmod +x /tmp/www/cgi-bin/health`;
    const { report } = await smoke({
      port: String(port),
      path: '/cgi-bin/health',
      args: httpService(port, { before: cgi, root: '/tmp/www' }),
      timeout: '5s',
    });
    expect(report.passed).toBe(false);
    expect(report.reason).toMatch(
      /^http GET \/cgi-bin\/health: no success within 5 s .*last: answered 500, expected 200-399; body: boom$/,
    );
  });

  test('body does not match: fails naming the pattern and what the body was', async () => {
    const port = await freePort();
    const { report } = await smoke({
      port: String(port),
      args: httpService(port),
      'expect-body': '"status": ?"ok"',
      timeout: '5s',
    });
    expect(report.passed).toBe(false);
    expect(report.reason).toContain(
      'answered 200 but the body does not match /"status": ?"ok"/; body: xplat fixture linux/amd64',
    );
  });

  test('method, headers and an exact status reach the service', async () => {
    const port = await freePort();
    const { report } = await smoke({
      port: String(port),
      path: '/missing',
      method: 'HEAD',
      headers: 'X-Smoke: 1',
      'expect-status': '404',
      args: httpService(port),
    });
    expect(report.passed).toBe(true);
    expect(report.checks[1]).toMatchObject({
      name: 'http HEAD /missing',
      status: 'passed',
      detail: expect.stringMatching(/^404 in \d+ ms$/),
    });
  });
});

describe('other probes', () => {
  test('a log line and a TCP port, polled together', async () => {
    const port = await freePort();
    const { report } = await smoke({
      'tcp-port': String(port),
      'expect-log': 'listening \\d+',
      args: httpService(port, { delay: 0.3 }),
    });
    expect(report.passed).toBe(true);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['start', 'passed'],
      ['tcp ' + port, 'passed'],
      ['log /listening \\d+/', 'passed'],
      ['stop', 'passed'],
    ]);
  });

  test('a command inside the container, with its output checked', async () => {
    const { report } = await smoke({
      command: `sh -c 'cat /tmp/ready'`,
      'expect-output': '^ok$',
      args: idle('sleep 1; echo ok > /tmp/ready'),
    });
    expect(report.passed).toBe(true);
    const exec = report.checks.find((c) => c.name.startsWith('exec'))!;
    expect(exec).toMatchObject({ status: 'passed', detail: 'exited 0: ok' });
    // Not before the file existed: the exec was retried until it did.
    expect(exec.durationMs).toBeGreaterThanOrEqual(1000);
  });

  test('a command that keeps failing reports its exit code and output', async () => {
    const { report } = await smoke({
      command: 'sh -c "echo not yet; exit 4"',
      args: idle(),
      timeout: '5s',
    });
    expect(report.passed).toBe(false);
    expect(report.reason).toMatch(
      /^exec sh -c echo not yet; exit 4: no success within 5 s .*last: exited 4, expected 0; output: not yet$/,
    );
  });
});

describe('stop', () => {
  test('graceful: exits 0 on SIGTERM, well inside stop-timeout', async () => {
    const port = await freePort();
    const { report } = await smoke({
      port: String(port),
      args: httpService(port),
      'expect-graceful-stop': 'true',
      'stop-timeout': '5',
    });
    expect(report.passed).toBe(true);
    expect(report.stop).toMatchObject({
      signal: 'SIGTERM',
      exitCode: 0,
      exitedOnOwn: true,
      graceful: true,
      timeoutSeconds: 5,
    });
    expect(report.stop!.durationMs).toBeLessThan(2000);
    expect(report.logs).toContain('got TERM');
  });

  test('ungraceful: PID 1 ignores SIGTERM and is killed at stop-timeout', async () => {
    const port = await freePort();
    const { report } = await smoke({
      port: String(port),
      args: httpService(port, { graceful: false }),
      'expect-graceful-stop': 'true',
    });
    expect(report.passed).toBe(false);
    expect(report.stop).toMatchObject({
      exitCode: 137,
      exitedOnOwn: false,
      graceful: false,
      required: true,
    });
    expect(report.stop!.durationMs).toBeGreaterThanOrEqual(1000);
    expect(report.reason).toBe(
      'stop: did not exit within 1 s of SIGTERM: killed (exit 137); the app must handle SIGTERM (or add --init to run-args so an init forwards it) and exit in time',
    );
  });

  test('ungraceful but not required: passes with a warning', async () => {
    const port = await freePort();
    const { report, lines } = await smoke({
      port: String(port),
      args: httpService(port, { graceful: false }),
    });
    expect(report.passed).toBe(true);
    expect(report.checks.at(-1)).toMatchObject({ name: 'stop', status: 'skipped' });
    expect(lines.some((l) => l.startsWith('warning: stop was not graceful'))).toBe(true);
  });

  test('--init in run-args makes a bare PID 1 stop gracefully', async () => {
    const port = await freePort();
    const { report } = await smoke({
      port: String(port),
      args: httpService(port, { graceful: false }),
      'run-args': '--init',
      'expect-graceful-stop': 'true',
    });
    expect(report.passed).toBe(true);
    expect(report.stop).toMatchObject({ exitCode: 143, graceful: true });
  });
});
