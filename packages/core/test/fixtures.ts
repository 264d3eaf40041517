import type { LegResult } from '../src/index.js';

/** A valid, passed leg result; tests change one field at a time. */
export function legResult(overrides: Partial<LegResult> = {}): LegResult {
  return {
    schema: 'xplat.leg/v1',
    platform: 'linux/amd64',
    image: '127.0.0.1:5000/app',
    digest: `sha256:${'a'.repeat(64)}`,
    pushed: true,
    tags: ['127.0.0.1:5000/app:linux-amd64-1a2b3c4'],
    builder: 'buildkit',
    timings: {
      startedAt: '2026-11-26T10:00:00.000Z',
      finishedAt: '2026-11-26T10:01:00.000Z',
      buildMs: 60000,
    },
    smoke: { status: 'passed', checks: [{ name: 'http', status: 'passed', durationMs: 120 }] },
    ...overrides,
  };
}
