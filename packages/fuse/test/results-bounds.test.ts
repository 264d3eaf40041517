/**
 * The leg result search is bounded, and refuses a search from the filesystem root before
 * reading anything: what such a search finds depends on the machine.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  findResultFiles,
  RESULTS_MAX_DEPTH,
  RESULTS_MAX_FILES,
  RESULTS_MAX_FOLDERS,
  searchBase,
} from '../src/results.js';

const ROOT = path.parse(process.cwd()).root;
/** As many `..` as it takes to climb from the temporary folder to the root, and one more. */
const UP = Array.from({ length: os.tmpdir().split(path.sep).length }, () => '..').join('/');

describe('findResultFiles bounds', () => {
  it.each(['/', '/**/*.json', '/*.json', '/*/legs/*.json', `${UP}`, `${UP}/**/*.json`])(
    'refuses %s: its search starts at the filesystem root',
    async (pattern: string) => {
      await expect(findResultFiles([pattern], os.tmpdir())).rejects.toThrow(
        new RegExp(
          `^results: "${pattern.replace(/[.*/]/g, (c) => `\\${c}`)}" searches from the root of the filesystem \\(${ROOT.replace(/\\/g, '\\\\')}\\); point it at the folder the leg results were downloaded to`,
        ),
      );
    },
  );

  it.each([
    ['/a/b/**/*.json', '/a/b'],
    ['/a/*.json', '/a'],
    ['/a/legs', '/a/legs'],
    ['/x.json', '/x.json'],
    ['/', '/'],
    ['/{a,b}/*.json', '/'],
  ])('the search for %s starts at %s', (pattern, base) => {
    expect(searchBase(path.resolve(pattern))).toBe(path.resolve(base));
  });

  it('a file named at the root is not a search from it', async () => {
    const name = `/xplat-${randomBytes(6).toString('hex')}.json`;
    await expect(findResultFiles([name], os.tmpdir())).rejects.toThrow(
      /matched no leg result file/,
    );
  });

  it('refuses a folder with more folders than the bound, in bounded time', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-results-'));
    for (let i = 0; i <= RESULTS_MAX_FOLDERS; i++) await mkdir(path.join(dir, `f${i}`));
    const started = Date.now();
    await expect(findResultFiles([dir], dir)).rejects.toThrow(
      new RegExp(`has more than ${RESULTS_MAX_FOLDERS} folders`),
    );
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
