/**
 * The `--json` report of `xplat run`: a file without `images:` keeps its one-image shape
 * exactly; a file with `images:` reports each image with its own index and legs.
 */
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@xplat/workflow';
import type { LegOutcome } from '../src/run/leg-run.js';
import { legsTable, runReport, type ImageEnd } from '../src/run/run-report.js';

const several = loadConfig(
  [
    'images:',
    '  - { name: web, image: ghcr.io/org/web, platforms: [linux/amd64] }',
    '  - { name: tool, image: ghcr.io/org/tool, platforms: [linux/amd64, linux/arm64] }',
  ].join('\n'),
);
const [web, tool] = several.images;
const outcome = (o: Partial<LegOutcome> & Pick<LegOutcome, 'platform' | 'status'>): LegOutcome => ({
  pair: o.platform.replace('/', '-'),
  reason: '',
  durationMs: 1500,
  ...o,
});
const ends: ImageEnd[] = [
  {
    image: web!,
    outcomes: [
      outcome({ platform: 'linux/amd64', status: 'passed', digest: 'sha256:a', log: 'w.log' }),
    ],
    fused: { ref: '127.0.0.1:5000/org/web:local', digest: 'sha256:i' },
    localImage: 'org/web:local',
  },
  {
    image: tool!,
    outcomes: [
      outcome({
        platform: 'linux/amd64',
        status: 'failed',
        reason: 'smoke test failed',
        log: 't.log',
      }),
      outcome({
        platform: 'linux/arm64',
        status: 'untested',
        reason: 'not smoke-tested: on hardware',
        digest: 'sha256:b',
        log: 'a.log',
      }),
    ],
  },
];

describe('runReport', () => {
  it('images: {registry, images: [{name, image, ref, digest, localImage, legs}]}', () => {
    expect(runReport(ends, '127.0.0.1:5000', true)).toEqual({
      registry: '127.0.0.1:5000',
      images: [
        {
          name: 'web',
          image: 'ghcr.io/org/web',
          ref: '127.0.0.1:5000/org/web:local',
          digest: 'sha256:i',
          localImage: 'org/web:local',
          legs: [
            {
              platform: 'linux/amd64',
              status: 'passed',
              reason: '',
              digest: 'sha256:a',
              log: 'w.log',
            },
          ],
        },
        {
          name: 'tool',
          image: 'ghcr.io/org/tool',
          ref: null,
          digest: null,
          localImage: null,
          legs: [
            {
              platform: 'linux/amd64',
              status: 'failed',
              reason: 'smoke test failed',
              digest: null,
              log: 't.log',
            },
            {
              platform: 'linux/arm64',
              status: 'untested',
              reason: 'not smoke-tested: on hardware',
              digest: 'sha256:b',
              log: 'a.log',
            },
          ],
        },
      ],
    });
  });

  it('one image without images: {ref, digest, localImage, registry, legs}, and only those', () => {
    const report = runReport([ends[0]!], '127.0.0.1:5000', false);
    expect(report).toEqual({
      ref: '127.0.0.1:5000/org/web:local',
      digest: 'sha256:i',
      localImage: 'org/web:local',
      registry: '127.0.0.1:5000',
      legs: [
        { platform: 'linux/amd64', status: 'passed', reason: '', digest: 'sha256:a', log: 'w.log' },
      ],
    });
    expect(Object.keys(report)).toEqual(['ref', 'digest', 'localImage', 'registry', 'legs']);
  });

  it('the legs table names the image of each leg when there are several', () => {
    const lines = legsTable(ends, true).split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual([
      'image',
      'platform',
      'status',
      'time',
      'digest / reason',
    ]);
    expect(lines[3]).toMatch(/^tool\s+linux\/amd64\s+failed\s+1\.5s\s+smoke test failed$/);
    expect(
      legsTable([ends[0]!], false)
        .split('\n')[0]!
        .split(/\s{2,}/)[0],
    ).toBe('platform');
  });
});
