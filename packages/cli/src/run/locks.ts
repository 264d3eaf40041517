/**
 * Who works when in `xplat run`. Every leg starts at once, in plan order, and waits its
 * turn: one leg at a time per engine (two builds on one engine would fight over its CPU
 * and a smoke test's host port), at most `--jobs` engines busy at once, and one leg at a
 * time from its prepare steps to the end of its build, when prepare steps write into the
 * project (in CI each leg has a checkout of its own; here they share one, so leg B's
 * `make` must not overwrite leg A's binary before A's build has sent its context).
 *
 * Locks are taken in one order (engine, then project, then a job slot, which is never held
 * while waiting for anything else), so no two legs can wait on each other.
 */

import { Limiter } from '@xplat/core';

export class RunLocks {
  private readonly engines = new Map<string, Limiter>();
  private readonly workspace = new Limiter(1);
  private readonly jobs: Limiter;

  /** `jobs`: engines worked on at once (default: no limit). */
  constructor(jobs?: number) {
    this.jobs = new Limiter(jobs ?? Number.MAX_SAFE_INTEGER);
  }

  /** `engine` to itself. Taken first. */
  engine<T>(name: string, fn: () => Promise<T>): Promise<T> {
    let lock = this.engines.get(name);
    if (!lock) this.engines.set(name, (lock = new Limiter(1)));
    return lock.run(fn);
  }

  /** The project folder to itself, from a leg's prepare steps to its build. Taken second. */
  project<T>(fn: () => Promise<T>): Promise<T> {
    return this.workspace.run(fn);
  }

  /** One of the --jobs places. Taken last, and held only while working. */
  job<T>(fn: () => Promise<T>): Promise<T> {
    return this.jobs.run(fn);
  }
}
