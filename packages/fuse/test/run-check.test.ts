/**
 * One run's legs, one index: a leg result of another workflow run (or a later attempt)
 * is refused before anything is written, naming both runs, unless allow-foreign-runs.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { currentRun, parseFuseRequest, type FuseInputs } from '../src/index.js';
import type { WorkflowRun } from '../src/run-check.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const leg = (source?: Record<string, string>) =>
  JSON.stringify({
    schema: 'xplat.leg/v1',
    platform: 'linux/amd64',
    image: '127.0.0.1:5000/app',
    digest: DIGEST,
    pushed: true,
    tags: [],
    builder: 'buildkit',
    timings: { startedAt: '2026-11-26T10:00:00Z', finishedAt: '2026-11-26T10:01:00Z', buildMs: 1 },
    smoke: { status: 'passed', checks: [] },
    ...(source ? { source } : {}),
  });

const raw = (over: Partial<FuseInputs> = {}): FuseInputs => ({
  image: '127.0.0.1:5000/app',
  tags: '',
  results: 'legs',
  sources: '',
  'expected-platforms': 'linux/amd64',
  annotations: '',
  'media-type': 'auto',
  'mutable-tags': '',
  'dry-run': 'false',
  ...over,
});

async function parse(
  source: Record<string, string> | undefined,
  run: WorkflowRun | undefined,
  over: Partial<FuseInputs> = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-run-check-'));
  await mkdir(path.join(dir, 'legs'));
  await writeFile(path.join(dir, 'legs', 'linux-amd64.json'), leg(source));
  return parseFuseRequest(raw(over), dir, { run }).then(
    (r) => `ok: ${r.legs?.length} leg`,
    (e: Error) => e.message.replace(dir, 'DIR'),
  );
}

const RUN: WorkflowRun = { id: '1001', attempt: 2 };
const ALLOW = 'or set allow-foreign-runs: true to fuse legs of another run on purpose';

describe('leg results of another workflow run', () => {
  it.each<[string, Record<string, string> | undefined, WorkflowRun | undefined, string]>([
    ['a leg of this run and attempt', { runId: '1001', runAttempt: '2' }, RUN, 'ok: 1 leg'],
    // "Re-run failed jobs": the legs that passed keep the attempt they were built in.
    [
      'a leg of an earlier attempt of this run',
      { runId: '1001', runAttempt: '1' },
      RUN,
      'ok: 1 leg',
    ],
    [
      'a leg of this run written before attempts were recorded',
      { runId: '1001' },
      RUN,
      'ok: 1 leg',
    ],
    ['any leg outside a workflow run', undefined, undefined, 'ok: 1 leg'],
    [
      'a leg of another run',
      { runId: '999', runAttempt: '1' },
      RUN,
      `DIR/legs/linux-amd64.json: the leg result is from workflow run 999 (attempt 1), not this run 1001 (attempt 2); fuse the legs built in this run, ${ALLOW}`,
    ],
    [
      'a leg of a later attempt',
      { runId: '1001', runAttempt: '3' },
      RUN,
      `DIR/legs/linux-amd64.json: the leg result is from workflow run 1001 (attempt 3), a later attempt than this run 1001 (attempt 2); fuse the legs of this attempt or an earlier one, ${ALLOW}`,
    ],
    [
      'a leg that names no run',
      undefined,
      { id: '1001', attempt: undefined },
      `DIR/legs/linux-amd64.json: the leg result names no workflow run (built outside GitHub Actions?), and this fuse is run 1001; fuse the legs built in this run, ${ALLOW}`,
    ],
  ])('%s', async (_, source, run, expected) => {
    expect(await parse(source, run)).toBe(expected);
  });

  it('takes legs of any run with allow-foreign-runs: true', async () => {
    const sources: (Record<string, string> | undefined)[] = [
      { runId: '999' },
      { runId: '1001', runAttempt: '9' },
      undefined,
    ];
    for (const source of sources)
      expect(await parse(source, RUN, { 'allow-foreign-runs': 'true' })).toBe('ok: 1 leg');
  });

  it('checks the image repository first, whatever the run', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-run-check-'));
    await mkdir(path.join(dir, 'legs'));
    await writeFile(
      path.join(dir, 'legs', 'a.json'),
      leg({ runId: '999' }).replace('127.0.0.1:5000/app', '127.0.0.1:5000/other'),
    );
    await expect(parseFuseRequest(raw(), dir, { run: RUN })).rejects.toThrow(
      /a\.json: the leg result is for 127\.0\.0\.1:5000\/other, not the target repository 127\.0\.0\.1:5000\/app/,
    );
  });

  it.each<[Partial<FuseInputs>, string]>([
    [{ 'allow-foreign-runs': 'perhaps' }, 'allow-foreign-runs: '],
    [
      { 'allow-foreign-runs': 'true', results: '', sources: `127.0.0.1:5000/app@${DIGEST}` },
      'allow-foreign-runs: applies to leg results (each names the run that built it); sources name no run: leave it out',
    ],
  ])('refuses %j in one line naming the input', async (over, message) => {
    const got = await parse({ runId: '1001' }, RUN, over);
    expect(got.startsWith(message)).toBe(true);
    expect(got).not.toContain('\n');
  });
});

describe('currentRun', () => {
  it.each<[NodeJS.ProcessEnv, WorkflowRun | undefined]>([
    [
      { GITHUB_RUN_ID: '1001', GITHUB_RUN_ATTEMPT: '2' },
      { id: '1001', attempt: 2 },
    ],
    [{ GITHUB_RUN_ID: '1001' }, { id: '1001', attempt: undefined }],
    [
      { GITHUB_RUN_ID: '1001', GITHUB_RUN_ATTEMPT: 'x' },
      { id: '1001', attempt: undefined },
    ],
    [{}, undefined],
    [{ GITHUB_RUN_ID: 'abc' }, undefined],
  ])('%j is %j', (env, run) => {
    expect(currentRun(env)).toEqual(run);
  });
});
