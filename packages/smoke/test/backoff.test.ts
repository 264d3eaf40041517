import { describe, expect, test } from '@jest/globals';
import { FAST_BACKOFF, intervals, poll } from '../src/backoff.js';

describe('backoff', () => {
  test('short first intervals, growing to the cap', () => {
    const gen = intervals(FAST_BACKOFF);
    const first = Array.from({ length: 12 }, () => Math.round(gen.next().value));
    expect(first.slice(0, 4)).toEqual([10, 15, 23, 34]);
    expect(first.slice(-3)).toEqual([250, 250, 250]);
    expect(first).toEqual([...first].sort((a, b) => a - b));
  });

  test('poll returns as soon as an attempt passes', async () => {
    let calls = 0;
    const started = Date.now();
    const result = await poll({
      deadline: Date.now() + 5000,
      backoff: FAST_BACKOFF,
      attempt: async () =>
        ++calls < 4 ? { ok: false, error: `try ${calls}` } : { ok: true, detail: 'up' },
    });
    expect(result).toMatchObject({ ok: true, detail: 'up', attempts: 4, aborted: false });
    // 10 + 15 + 22.5 ms of waiting: far from the 5 s deadline, with slack for a busy CI.
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('poll gives up at the deadline with the last error', async () => {
    const started = Date.now();
    const result = await poll({
      deadline: Date.now() + 300,
      backoff: FAST_BACKOFF,
      attempt: async () => ({ ok: false, error: 'refused' }),
    });
    expect(result).toMatchObject({ ok: false, detail: 'refused', aborted: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(295);
    expect(Date.now() - started).toBeLessThan(800);
  });

  test('an attempt that hangs does not hold the verdict past the deadline', async () => {
    const started = Date.now();
    const result = await poll({
      deadline: Date.now() + 200,
      backoff: FAST_BACKOFF,
      attempt: () => new Promise(() => undefined),
    });
    expect(result).toMatchObject({
      ok: false,
      detail: 'the attempt did not finish before the deadline',
    });
    expect(Date.now() - started).toBeLessThan(800);
  });

  test("an attempt that times out on the deadline's leftovers does not hide the answer before it", async () => {
    // What a loaded machine does to an HTTP probe: real answers first, then a last attempt
    // that only had the remaining milliseconds and timed out by itself.
    let n = 0;
    const result = await poll({
      deadline: Date.now() + 150,
      backoff: { initialMs: 10, factor: 1, capMs: 10 },
      attempt: async (remaining) => {
        n++;
        if (n < 3) return { ok: false, error: 'answered 200 but the body does not match /ok/' };
        await new Promise((r) => setTimeout(r, remaining));
        return { ok: false, error: `no answer within ${(remaining / 1000).toFixed(1)} s` };
      },
    });
    expect(result).toMatchObject({
      ok: false,
      detail: 'answered 200 but the body does not match /ok/',
    });
  });

  test('an abort ends the poll at once', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await poll({
      deadline: Date.now() + 10_000,
      backoff: { initialMs: 1000, factor: 1, capMs: 1000 },
      signal: controller.signal,
      attempt: async () => ({ ok: false, error: 'not yet' }),
    });
    expect(result).toMatchObject({ ok: false, aborted: true });
    // Before the first 1 s interval would have ended.
    expect(Date.now() - started).toBeLessThan(800);
  });
});
