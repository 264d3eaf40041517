/**
 * checkBuildPaths: the one check that a build context is a folder and its Dockerfile a
 * file, shared by the string inputs (action, `xplat build`) and `xplat run`'s typed
 * requests, which name xplat.yml's fields instead.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkBuildPaths, parseBuildInputs } from '@xplat/engine';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-build-paths-'));
  await mkdir(path.join(dir, 'app'));
  await writeFile(path.join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const fields = { context: 'platforms[0].context', file: 'platforms[0].dockerfile' };

describe('checkBuildPaths', () => {
  it('accepts a folder with its Dockerfile', () => {
    expect(() =>
      checkBuildPaths(
        { context: path.join(dir, 'app'), file: path.join(dir, 'app', 'Dockerfile') },
        { context: 'app', file: 'app/Dockerfile', from: dir },
        fields,
      ),
    ).not.toThrow();
  });

  it.each([
    [
      'a missing context',
      'nope',
      'nope/Dockerfile',
      /^platforms\[0\]\.context: "nope" does not exist \(from /,
    ],
    [
      'a file as the context',
      'app/Dockerfile',
      'app/Dockerfile',
      /^platforms\[0\]\.context: "app\/Dockerfile" is a file; the build context is a folder$/,
    ],
    [
      'a missing Dockerfile',
      'app',
      'app/Dockerfile.windows',
      /^platforms\[0\]\.dockerfile: "app\/Dockerfile.windows" does not exist; give the Dockerfile's path$/,
    ],
  ])('refuses %s, naming the field', (_, context, file, message) => {
    expect(() =>
      checkBuildPaths(
        { context: path.join(dir, context), file: path.join(dir, file) },
        { context, file, from: dir },
        fields,
      ),
    ).toThrow(message);
  });

  it('parseBuildInputs says the same, naming its inputs', () => {
    expect(() =>
      parseBuildInputs({ image: 'ghcr.io/org/app', context: 'nope' }, { cwd: dir }),
    ).toThrow(/^context: "nope" does not exist \(from /);
    expect(() => parseBuildInputs({ image: 'ghcr.io/org/app' }, { cwd: dir })).toThrow(
      /^file: no Dockerfile in \. does not exist; give the Dockerfile's path$/,
    );
  });
});
