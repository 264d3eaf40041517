/** What the job summary and the terminal show for a platform fused without a smoke test. */
import { describe, expect, it } from '@jest/globals';
import { evaluateGate, parsePlatformList, type LegResult } from '@xplat/core';
import { renderFuseSummary, renderFuseText, renderGateSummary } from '@xplat/fuse';
import type { FuseResult } from '../src/fuse.js';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;

const result: FuseResult = {
  digest: digest('f'),
  ref: `127.0.0.1:5000/app@${digest('f')}`,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  index: {},
  entries: [
    {
      platform: 'linux/amd64',
      osVersion: undefined,
      digest: digest('a'),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      smoke: 'passed',
      source: `127.0.0.1:5000/app@${digest('a')}`,
      copied: false,
    },
    {
      platform: 'windows/amd64:10.0.17763.6293',
      osVersion: '10.0.17763.6293',
      digest: digest('e'),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      smoke: 'skipped',
      untested: 'no hosted ltsc2019 runner',
      source: `127.0.0.1:5000/app@${digest('e')}`,
      copied: false,
    },
  ],
  tags: [{ tag: 'v1', action: 'create' }],
  dryRun: false,
  gate: undefined,
  warnings: [],
};

describe('a platform fused untested', () => {
  it('reads "not tested: <reason>" in the job summary, distinct from passed', () => {
    const lines = renderFuseSummary(result).split('\n');
    expect(lines).toContain('| `linux/amd64` |  | `sha256:aaaaaaaaaaaa` | ✅ passed | in place |');
    expect(lines).toContain(
      '| `windows/amd64` | 10.0.17763.6293 (ltsc2019) | `sha256:eeeeeeeeeeee` | ⏭️ not tested: no hosted ltsc2019 runner | in place |',
    );
  });

  it('reads "not tested: <reason>" in the terminal table', () => {
    expect(renderFuseText(result)).toMatch(
      /^windows\/amd64\s+10\.0\.17763\.6293 \(ltsc2019\)\s+sha256:eeeeeeeeeeee\s+not tested: no hosted ltsc2019 runner\s+in place$/m,
    );
  });

  it('shows its own verdict in the table of a gate another platform closed', () => {
    const leg = (platform: string, smoke: LegResult['smoke'], osVersion?: string) => ({
      file: `${platform}.json`,
      result: {
        schema: 'xplat.leg/v1' as const,
        platform,
        ...(osVersion ? { osVersion } : {}),
        image: '127.0.0.1:5000/app',
        digest: digest('e'),
        pushed: true,
        tags: [],
        builder: 'buildx' as const,
        timings: {
          startedAt: '2026-11-26T10:00:00.000Z',
          finishedAt: '2026-11-26T10:01:00.000Z',
          buildMs: 1,
        },
        smoke,
      },
    });
    const gate = evaluateGate(
      parsePlatformList('linux/amd64,windows/amd64:ltsc2019'),
      [
        leg('linux/amd64', { status: 'failed', checks: [], reason: 'http GET /: 500' }),
        leg(
          'windows/amd64',
          { status: 'skipped', checks: [], reason: 'no hosted ltsc2019 runner' },
          '10.0.17763.6293',
        ),
      ],
      { allowUntested: parsePlatformList('windows/amd64:ltsc2019') },
    );
    const lines = renderGateSummary(gate).split('\n');
    expect(lines).toContain(
      '| `windows/amd64:ltsc2019` | ⏭️ allowed-untested | `sha256:eeeeeeeeeeee` | skipped | not tested: no hosted ltsc2019 runner |',
    );
    expect(lines).toContain(
      '| `linux/amd64` | ❌ failed | `sha256:eeeeeeeeeeee` | failed | smoke test failed: http GET /: 500 |',
    );
  });
});
