/** The leg result search is bounded: `results: /` is refused in a moment, naming what was searched. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { findResultFiles, RESULTS_MAX_DEPTH, RESULTS_MAX_FILES } from '../src/results.js';

describe('findResultFiles bounds', () => {
  it('refuses the filesystem root in bounded time, saying what it searched', async () => {
    const started = Date.now();
    await expect(findResultFiles(['/'], os.tmpdir())).rejects.toThrow(/^results: "\/" /);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('says where it looked when nothing matches', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-results-'));
    await mkdir(path.join(dir, 'legs', 'a'), { recursive: true });
    await expect(findResultFiles(['legs'], dir)).rejects.toThrow(
      new RegExp(
        `^results: "legs" matched no leg result file \\(searched .*legs and ${RESULTS_MAX_DEPTH} levels below \\(2 folders\\)`,
      ),
    );
    await expect(findResultFiles(['legs/*.json'], dir)).rejects.toThrow(
      /matched no leg result file \(searched .*legs\/\*\.json/,
    );
  });

  it('finds results in artifact folders, not deeper than the bound', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-results-'));
    const deep = path.join(
      dir,
      ...Array.from({ length: RESULTS_MAX_DEPTH + 1 }, (_, i) => `d${i}`),
    );
    await mkdir(deep, { recursive: true });
    await mkdir(path.join(dir, 'xplat-leg-linux-amd64'));
    await writeFile(path.join(dir, 'xplat-leg-linux-amd64', 'linux-amd64.json'), '{}');
    await writeFile(path.join(deep, 'too-deep.json'), '{}');
    expect(await findResultFiles(['.'], dir)).toEqual([
      path.join(dir, 'xplat-leg-linux-amd64', 'linux-amd64.json'),
    ]);
  });

  it('refuses a folder with more .json files than any fleet has legs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-results-'));
    for (let i = 0; i <= RESULTS_MAX_FILES; i++) await writeFile(path.join(dir, `${i}.json`), '{}');
    await expect(findResultFiles([dir], dir)).rejects.toThrow(/matched more than \d+ \.json files/);
  });
});
