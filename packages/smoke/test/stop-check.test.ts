/**
 * Whether a service had stopped before the stop was sent, without an inspect of its
 * own: from `docker wait`, or from FinishedAt on the engine's clock, related to ours by
 * StartedAt (which the engine stamped while our `docker run` was running).
 */
import { describe, expect, it } from '@jest/globals';
import { exitedBeforeStop } from '../src/run/stop-check.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const T = 1_800_000_000_000;

describe('exitedBeforeStop', () => {
  it('believes docker wait when it returned before the stop was sent', () => {
    const run = { exitedAt: { code: 0, at: T - 5 }, engineStartedAt: undefined, runReturned: 0 };
    expect(exitedBeforeStop(run, { running: false, finishedAt: '' }, T)).toBe(true);
  });

  it('same clocks: a FinishedAt before the stop was sent is an early exit, after it is not', () => {
    // The engine started the container 40 ms before our docker run returned.
    const run = { exitedAt: undefined, engineStartedAt: T - 1000, runReturned: T - 960 };
    expect(exitedBeforeStop(run, { running: false, finishedAt: iso(T - 100) }, T)).toBe(true);
    expect(exitedBeforeStop(run, { running: false, finishedAt: iso(T + 30) }, T)).toBe(false);
    // Within the uncertainty (run's return minus StartedAt) it errs towards "still running".
    expect(exitedBeforeStop(run, { running: false, finishedAt: iso(T - 20) }, T)).toBe(false);
  });

  it('an engine clock 5 s behind ours never turns a graceful stop into an early exit', () => {
    const run = { exitedAt: undefined, engineStartedAt: T - 6000, runReturned: T - 960 };
    // Exited 30 ms after the stop was sent, stamped on a clock 5 s behind.
    expect(exitedBeforeStop(run, { running: false, finishedAt: iso(T - 5000 + 30) }, T)).toBe(
      false,
    );
    expect(exitedBeforeStop(run, { running: false, finishedAt: iso(T - 5000 - 500) }, T)).toBe(
      true,
    );
  });

  it('no StartedAt, or a container still running: no early exit', () => {
    const run = { exitedAt: undefined, engineStartedAt: undefined, runReturned: T - 960 };
    expect(exitedBeforeStop(run, { running: false, finishedAt: iso(T - 100) }, T)).toBe(false);
    const known = { ...run, engineStartedAt: T - 1000 };
    expect(exitedBeforeStop(known, { running: true, finishedAt: '0001-01-01T00:00:00Z' }, T)).toBe(
      false,
    );
  });
});
