/** `xplat smoke`: the same library call as the action, from flags. */
import { describe, expect, test } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readLegResult, recordingLogger, writeLegResult } from '@xplat/core';
import { freePort } from '@xplat/core/free-port';
import { runCli } from '../src/cli.js';
import { bed, httpService } from '../../../test/containers.js';
import { dockerStandIn } from '../../../test/docker-stand-in.js';
import { testbed } from '../../../test/testbed.js';

const b = bed();
const tb = testbed();
const fixtureDigest = tb.env('XPLAT_FIXTURE_LINUX_AMD64_DIGEST');

/** A pushed linux/amd64 leg whose image is the test bed's busybox fixture. */
async function legFile(): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-smoke-')), 'leg.json');
  const now = new Date().toISOString();
  await writeLegResult(file, {
    schema: 'xplat.leg/v1',
    platform: 'linux/amd64',
    image: `${tb.openRegistry}/fixtures/busybox`,
    digest: fixtureDigest,
    pushed: true,
    tags: ['linux-amd64'],
    builder: 'buildkit',
    timings: { startedAt: now, finishedAt: now, buildMs: 1 },
    smoke: { status: 'pending', checks: [] },
  });
  return file;
}

async function cli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string[]; stderr: string[]; log: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const logger = recordingLogger();
  const code = await runCli(argv, {
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    logger,
    cwd: process.cwd(),
    env: { ...process.env, XPLAT_DOCKER: b.docker.docker, ...env },
  });
  return { code, stdout, stderr, log: logger.lines };
}

describe('xplat smoke', () => {
  test('passes with the checks table on stdout, printed once', async () => {
    const port = await freePort();
    const run = await cli([
      'smoke',
      b.amd64,
      '--port',
      String(port),
      '--args',
      httpService(port),
      '--header',
      'X-A: 1',
      '--stop-timeout',
      '1',
      '--expect-graceful-stop',
    ]);
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout[0]).toMatch(/^check +status +time +detail\n/);
    expect(run.stdout[0]).toMatch(/\nhttp GET \/ +passed +\d+ ms +200 in \d+ ms\n/);
    // The log has the progress, not the table again; it says before it waits for the stop.
    expect(run.log.join('\n')).not.toMatch(/^check +status/m);
    expect(run.log).toContainEqual(
      expect.stringMatching(/^waiting up to 1 s for xplat-smoke-\S+ to stop after SIGTERM$/),
    );
  });

  test('--json prints the report; a failure exits 1 with the reason', async () => {
    const run = await cli([
      'smoke',
      '--image',
      b.amd64,
      '--one-shot',
      '--args',
      'sh -c "exit 9"',
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout[0]!)).toMatchObject({
      passed: false,
      exitCode: 9,
      mode: 'one-shot',
    });
    expect(run.stderr).toEqual(['xplat smoke: failed: one-shot: exited 9, expected 0']);
  });

  test.each<[string[], string]>([
    [
      ['--port', '8080', '--timeout', 'soon'],
      'xplat smoke: --timeout: "soon" is not a duration: use e.g. 30s, 2m or 1500ms',
    ],
    [
      ['--path', '/x'],
      'xplat smoke: --path: is an HTTP check and needs port (the port the service listens on)',
    ],
    [
      ['--header', 'X: 1'],
      'xplat smoke: --header: is an HTTP check and needs port (the port the service listens on)',
    ],
  ])('a bad flag value is one line naming the flag, exit 2: %j', async (args, message) => {
    const run = await cli(['smoke', b.amd64, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([message]);
  });

  test('--result-file and no image: the leg result names the image, and gets the verdict', async () => {
    const file = await legFile();
    const run = await cli([
      'smoke',
      '--result-file',
      file,
      '--one-shot',
      '--command',
      'cat /www/index.html',
      '--expect-output',
      'xplat fixture',
    ]);
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.log).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Starting ${tb.openRegistry}/fixtures/busybox@${fixtureDigest}: docker run `),
      ),
    );
    expect((await readLegResult(file)).result.smoke.status).toBe('passed');
  });

  test('--skip records the reason and runs nothing; exit 0', async () => {
    const file = await legFile();
    const standIn = await dockerStandIn();
    const run = await cli(
      ['smoke', '--result-file', file, '--skip', 'no hosted ltsc2019 runner', '--port', '80'],
      { XPLAT_DOCKER: standIn.docker },
    );
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual([
      // The leg result is outside the current folder: shown by its full path.
      `skipped linux/amd64: no hosted ltsc2019 runner (recorded in ${file})`,
    ]);
    expect(await standIn.calls()).toBe('');
    expect((await readLegResult(file)).result.smoke).toMatchObject({
      status: 'skipped',
      reason: 'no hosted ltsc2019 runner',
    });
  });

  test.each<[string[], string]>([
    [['--skip', 'true'], 'xplat smoke: --skip: "true" is not a reason'],
    [['--skip', 'no runner'], 'xplat smoke: --result-file: is required with skip'],
  ])('a bad skip is one line naming the flag, exit 2: %j', async (args, message) => {
    const run = await cli(['smoke', b.amd64, '--port', '80', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toContain(message);
  });

  test('--help', async () => {
    const run = await cli(['smoke', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout[0]).toMatch(/^usage: xplat smoke \[IMAGE\] \[options\]/);
  });
});
