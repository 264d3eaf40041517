/**
 * The one bound on concurrent work: a counting semaphore (requests in flight per
 * registry, engines busy in `xplat run`) and a map over items built on it (blob and
 * manifest copies).
 */

/** A counting semaphore: at most `limit` holders, the rest wait in order of arrival. */
export class Limiter {
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Runs `fn` once a slot is free; the slot is released when its promise settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit)
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

/** Run `fn` over `items`, at most `limit` at a time, in order of start; the first failure rejects. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limiter = new Limiter(Math.max(1, limit));
  let failed = false;
  const skipped = Symbol('skipped');
  const results = await Promise.all(
    items.map((item) =>
      limiter.run(async () => {
        // After a failure no new item starts: the caller is about to see the error.
        if (failed) return skipped;
        try {
          return await fn(item);
        } catch (error) {
          failed = true;
          throw error;
        }
      }),
    ),
  );
  return results as R[];
}
