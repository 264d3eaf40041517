/** A skipped smoke test: nothing runs, the leg result records why, and a verdict is never overwritten. */
import { describe, expect, it } from '@jest/globals';
import { readLegResult, recordingLogger, writeLegResult, type LegResult } from '@xplat/core';
import {
  parseSmokeInputs,
  renderSkipSummary,
  skipSmokeTest,
  smokeTest,
  type SmokeInputs,
} from '@xplat/smoke';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const DIGEST = `sha256:${'e'.repeat(64)}`;
const REASON = 'no hosted ltsc2019 runner';

async function legFile(
  smoke: LegResult['smoke'] = { status: 'pending', checks: [] },
): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'xplat-skip-')), 'leg.json');
  await writeLegResult(file, {
    schema: 'xplat.leg/v1',
    platform: 'windows/amd64',
    osVersion: '10.0.17763.6293',
    image: '127.0.0.1:5000/app',
    digest: DIGEST,
    pushed: true,
    tags: ['windows-amd64-ltsc2019-1a2b3c4'],
    builder: 'buildx',
    timings: {
      startedAt: '2026-11-26T10:00:00.000Z',
      finishedAt: '2026-11-26T10:01:00.000Z',
      buildMs: 1,
    },
    smoke,
  });
  return file;
}

const skip = (file: string, inputs: SmokeInputs = {}) =>
  skipSmokeTest(parseSmokeInputs({ skip: REASON, 'result-file': file, ...inputs }));

describe('skipSmokeTest', () => {
  it.each<[string, SmokeInputs, LegResult['smoke']['status']]>([
    ['a pending leg', {}, 'pending'],
    ['a leg skipped before (a re-run)', {}, 'skipped'],
    [
      'with the platform and image the leg has',
      { platform: 'windows/amd64:ltsc2019', image: `127.0.0.1:5000/app@${DIGEST}`, port: '80' },
      'pending',
    ],
  ])('records the reason in %s', async (_name, inputs, status) => {
    const file = await legFile({ status, checks: [] });
    const logger = recordingLogger();
    const skipped = await skipSmokeTest(
      parseSmokeInputs({ skip: REASON, 'result-file': file, ...inputs }),
      { logger },
    );
    expect(skipped).toMatchObject({
      reason: REASON,
      resultFile: file,
      platform: 'windows/amd64:10.0.17763.6293',
    });
    const { result } = await readLegResult(file);
    expect(result.smoke).toEqual({
      status: 'skipped',
      checks: [],
      reason: REASON,
      finishedAt: skipped.finishedAt,
    });
    expect(logger.lines).toEqual([
      `Smoke test of windows/amd64:10.0.17763.6293 skipped: ${REASON}. Recorded in ${file}; the fuse admits windows/amd64:10.0.17763.6293 untested only when allow-untested lists it`,
    ]);
  });

  it.each<[string, SmokeInputs, LegResult['smoke'], RegExp]>([
    [
      'a leg whose smoke test failed',
      {},
      { status: 'failed', checks: [], reason: 'http: 500' },
      /^skip: .*leg\.json already records a smoke test that failed; skip records only a leg whose smoke test has not run$/,
    ],
    [
      'a leg whose smoke test passed',
      {},
      { status: 'passed', checks: [] },
      /already records a smoke test that passed/,
    ],
    [
      'another platform',
      { platform: 'linux/amd64' },
      { status: 'pending', checks: [] },
      /^platform: linux\/amd64 does not match windows\/amd64 in the leg result/,
    ],
    [
      'another image',
      { image: `127.0.0.1:5000/app@sha256:${'0'.repeat(64)}` },
      { status: 'pending', checks: [] },
      new RegExp(`^image: .* is sha256:0{64}, but the leg result .* is ${DIGEST}`),
    ],
  ])('refuses %s and leaves the leg result as it was', async (_name, inputs, smoke, message) => {
    const file = await legFile(smoke);
    await expect(skip(file, inputs)).rejects.toThrow(message);
    expect((await readLegResult(file)).result.smoke).toEqual(smoke);
  });

  it('is no smoke run: smokeTest refuses a skip request', async () => {
    const file = await legFile();
    await expect(
      smokeTest(parseSmokeInputs({ skip: REASON, 'result-file': file })),
    ).rejects.toThrow('runs nothing: record it with skipSmokeTest');
    expect((await readLegResult(file)).result.smoke.status).toBe('pending');
  });

  it('summarises what was not tested and why', () => {
    expect(
      renderSkipSummary({
        reason: 'no runner | <yet>',
        resultFile: 'legs/w.json',
        platform: 'windows/amd64:ltsc2019',
        finishedAt: '2026-11-26T10:01:00.000Z',
      }),
    ).toBe(
      [
        '### Smoke test ⏭️ skipped: `windows/amd64:ltsc2019`',
        '',
        '**Reason:** no runner \\| &lt;yet>',
        '',
        'Nothing ran. `legs/w.json` records `skipped`; the fuse admits windows/amd64:ltsc2019 untested only when its `allow-untested` lists it (xplat.yml: `smoke: { skip: "<reason>" }` on the platform).',
        '',
      ].join('\n'),
    );
  });
});
