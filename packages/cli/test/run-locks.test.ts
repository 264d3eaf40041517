/** Who works when in `xplat run`: one leg per engine, --jobs engines at once, in plan order. */
import { describe, expect, it } from '@jest/globals';
import { RunLocks } from '../src/run/locks.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('RunLocks', () => {
  it('legs of one engine run one after another, in the order they asked', async () => {
    const locks = new RunLocks();
    const log: string[] = [];
    const leg = (name: string) =>
      locks.engine('local', () =>
        locks.job(async () => {
          log.push(`${name} start`);
          await tick();
          log.push(`${name} end`);
        }),
      );
    await Promise.all([leg('a'), leg('b'), leg('c')]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('engines work at once, up to --jobs of them', async () => {
    for (const [jobs, most] of [
      [undefined, 3],
      [2, 2],
      [1, 1],
    ] as const) {
      const locks = new RunLocks(jobs);
      let busy = 0;
      let peak = 0;
      await Promise.all(
        ['e1', 'e2', 'e3'].map((engine) =>
          locks.engine(engine, () =>
            locks.job(async () => {
              peak = Math.max(peak, ++busy);
              await tick();
              busy--;
            }),
          ),
        ),
      );
      expect(peak).toBe(most);
    }
  });

  it('prepare-and-build of two engines never overlap; their other work does', async () => {
    const locks = new RunLocks();
    const log: string[] = [];
    const leg = (engine: string) =>
      locks.engine(engine, async () => {
        await locks.project(() =>
          locks.job(async () => {
            log.push(`${engine} prepare`);
            await tick();
            log.push(`${engine} built`);
          }),
        );
        await locks.job(async () => {
          log.push(`${engine} smoke`);
          await tick();
        });
      });
    await Promise.all([leg('e1'), leg('e2')]);
    expect(log.slice(0, 3)).toEqual(['e1 prepare', 'e1 built', 'e2 prepare']);
    // e1's smoke test runs while e2 prepares and builds.
    expect(log.indexOf('e1 smoke')).toBeLessThan(log.indexOf('e2 built'));
  });

  it('a failing leg frees its engine for the next', async () => {
    const locks = new RunLocks(1);
    const first = locks.engine('local', () => locks.job(() => Promise.reject(new Error('boom'))));
    const second = locks.engine('local', () => locks.job(() => Promise.resolve('ran')));
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('ran');
  });
});
