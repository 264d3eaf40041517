/**
 * Readiness polling without fixed sleeps: the first retries come quickly (a service that
 * is nearly up is seen within milliseconds), later ones back off to a cap (a slow
 * starter is not hammered). The cap bounds the delay between "ready" and "seen ready".
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Backoff {
  readonly initialMs: number;
  readonly factor: number;
  readonly capMs: number;
}

/** In-process probes (HTTP, TCP) cost almost nothing per attempt. */
export const FAST_BACKOFF: Backoff = { initialMs: 10, factor: 1.5, capMs: 250 };
/** Probes that start a docker CLI process per attempt (log, exec) back off to a longer cap. */
export const DOCKER_BACKOFF: Backoff = { initialMs: 50, factor: 1.5, capMs: 500 };

/** The waits between attempts, in order: 10, 15, 22.5, ... capMs, capMs, ... */
export function* intervals(backoff: Backoff): Generator<number, never> {
  let next = backoff.initialMs;
  for (;;) {
    yield next;
    next = Math.min(backoff.capMs, next * backoff.factor);
  }
}

export type Attempt = { ok: true; detail: string } | { ok: false; error: string };

export interface PollResult {
  readonly ok: boolean;
  /** The passing attempt's detail, or the last error. */
  readonly detail: string;
  readonly attempts: number;
  /** When the outcome was known (Date.now()). */
  readonly at: number;
  readonly aborted: boolean;
}

export interface PollOptions {
  readonly deadline: number;
  readonly backoff: Backoff;
  readonly signal?: AbortSignal;
  /** Attempts get the time left, so one slow attempt never runs past the deadline. */
  readonly attempt: (remainingMs: number) => Promise<Attempt>;
  readonly now?: () => number;
}

/** Attempts until one passes, the deadline passes, or the signal aborts. */
export async function poll(options: PollOptions): Promise<PollResult> {
  const now = options.now ?? Date.now;
  const waits = intervals(options.backoff);
  let attempts = 0;
  let last = 'not attempted';
  for (;;) {
    if (options.signal?.aborted)
      return { ok: false, detail: last, attempts, at: now(), aborted: true };
    const remaining = options.deadline - now();
    if (remaining <= 0) return { ok: false, detail: last, attempts, at: now(), aborted: false };
    attempts++;
    const result = await bounded(options.attempt(remaining), remaining, options.signal);
    if (result.ok) return { ok: true, detail: result.detail, attempts, at: now(), aborted: false };
    // An attempt cut short by the deadline says less than the one before it did: one that
    // timed out by itself but only had the deadline's leftovers ("no answer within 0.0 s")
    // is no better than one `bounded` cut.
    const cutShort = result.error === CUT_SHORT || now() >= options.deadline;
    if (!cutShort || attempts === 1) last = result.error;
    const wait = Math.min(waits.next().value, options.deadline - now());
    if (wait <= 0) return { ok: false, detail: last, attempts, at: now(), aborted: false };
    try {
      await sleep(wait, undefined, options.signal ? { signal: options.signal } : undefined);
    } catch {
      return { ok: false, detail: last, attempts, at: now(), aborted: true };
    }
  }
}

const CUT_SHORT = 'the attempt did not finish before the deadline';

/**
 * An attempt that outlives the deadline (a `docker exec` that hangs) must not hold the
 * verdict: after `ms`, or on abort, it counts as failed and is left to finish on its own.
 */
async function bounded(
  attempt: Promise<Attempt>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<Attempt> {
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  signal?.addEventListener('abort', abort, { once: true });
  const timer = sleep(ms, { ok: false, error: CUT_SHORT } as Attempt, {
    signal: stop.signal,
  }).catch(() => ({ ok: false, error: 'aborted' }) as Attempt);
  try {
    return await Promise.race([attempt, timer]);
  } finally {
    stop.abort();
    signal?.removeEventListener('abort', abort);
  }
}
