/**
 * The config times xplat sets after a push for builders that ignore SOURCE_DATE_EPOCH
 * (settle-times.ts): pure, so a table of configs. The pushes themselves are in
 * reproducible.integration.test.ts.
 */
import { describe, expect, test } from '@jest/globals';
import { configWithTimes } from '../src/platform-image/settle-times.js';
import { epochTime } from '../src/platform-image/source-date.js';
import { hasTimes } from '../src/platform-image/settle-times.js';

const EPOCH = 1_764_151_200; // 2025-11-26T10:00:00Z

describe("the config's times set from the commit", () => {
  const config = {
    architecture: 'amd64',
    os: 'linux',
    created: '2026-12-06T17:54:41.17102098Z',
    config: { Labels: { a: 'b' } },
    history: [
      { created: '2020-01-01T00:00:00Z', created_by: 'base layer' },
      { created: '2026-12-06T17:54:33Z', created_by: 'COPY a.txt /a.txt # buildkit' },
      { created_by: 'an entry without a time' },
    ],
    rootfs: { type: 'layers', diff_ids: [] },
  };

  test('created is the commit time; later history entries are clamped to it, earlier kept', () => {
    const settled = configWithTimes(config, EPOCH);
    expect(settled).toEqual({
      ...config,
      created: '2025-11-26T10:00:00Z',
      history: [
        config.history[0],
        { created: '2025-11-26T10:00:00Z', created_by: 'COPY a.txt /a.txt # buildkit' },
        config.history[2],
      ],
    });
    expect(Object.keys(settled)).toEqual(Object.keys(config));
    expect([hasTimes(config, EPOCH), hasTimes(settled, EPOCH)]).toEqual([false, true]);
    expect(configWithTimes(settled, EPOCH)).toEqual(settled);
    expect(epochTime(EPOCH)).toBe('2025-11-26T10:00:00Z');
  });
});
