/**
 * The one bound on concurrent work: a counting semaphore (requests in flight per
 * registry, engines busy in `xplat run`) and a map over items built on it (blob and
 * manifest copies).
 */

/** A counting semaphore: at most `limit` holders, the rest wait in order of arrival. */
export class Limiter {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  /** `limit` places, at least 1 (every caller checks its own). */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Runs `fn` once a slot is free; the slot is released when its promise settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter: #active stays as it is.
      if (next) next();
      else this.#active--;
    }
  }
}

/**
 * Run `fn` over `items`, at most `limit` at a time, in order of start; the first failure
 * rejects, and after it no new item starts (the result of one not started is never read).
 */
export function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limiter = new Limiter(limit);
  let failed = false;
  return Promise.all(
    items.map((item) =>
      limiter.run(() =>
        failed
          ? Promise.resolve(undefined as R)
          : fn(item).catch((error: unknown) => {
              failed = true;
              throw error;
            }),
      ),
    ),
  );
}
