/** The project of a CLI command: xplat.yml (optional), its legs, and where leg results go. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parsePlatform } from '@xplat/core';
import { loadConfig } from '@xplat/workflow';
import {
  commandRunId,
  imageLegDir,
  legResultDir,
  loadProject,
  newRunId,
  pickLeg,
} from '../src/project.js';

let dir: string;
let empty: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-project-'));
  empty = await mkdtemp(path.join(os.tmpdir(), 'xplat-project-empty-'));
  await writeFile(
    path.join(dir, 'xplat.yml'),
    [
      'image: ghcr.io/org/app',
      'platforms:',
      '  - linux/amd64',
      '  - linux/arm64',
      '  - windows/amd64:ltsc2022',
      '  - windows/amd64:ltsc2025',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(dir, 'broken.yml'), 'image: [\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(empty, { recursive: true, force: true });
});

describe('loadProject', () => {
  it('loads xplat.yml from --dir', async () => {
    const project = await loadProject(os.tmpdir(), { dir });
    expect(project.dir).toBe(dir);
    expect(project.config!.images[0]!.legs.map((l) => l.name)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'windows/amd64:ltsc2022',
      'windows/amd64:ltsc2025',
    ]);
  });

  it('without xplat.yml: no defaults, not an error', async () => {
    expect(await loadProject(empty)).toEqual({ dir: empty, configFile: 'xplat.yml' });
  });

  it.each<[string, RegExp]>([
    ['missing.yml', /^config: missing\.yml does not exist in /],
    ['broken.yml', /^broken\.yml:2/],
  ])('--config %s that cannot be used is an error', async (config, message) => {
    await expect(loadProject(dir, { config })).rejects.toThrow(message);
  });
});

describe('pickLeg', () => {
  it.each<[string | undefined, string | undefined, string | undefined]>([
    ['linux/arm64', undefined, 'linux/arm64'],
    ['windows/amd64:ltsc2025', undefined, 'windows/amd64:ltsc2025'],
    ['linux/386', undefined, undefined],
    [undefined, 'linux/amd64', 'linux/amd64'],
    [undefined, 'windows/amd64', undefined],
  ])('--platform %s on a %s engine: %s', async (platform, engine, leg) => {
    const project = await loadProject(dir);
    const picked = pickLeg(project, platform, engine ? parsePlatform(engine) : undefined);
    expect(picked?.name).toBe(leg);
  });

  it('a Windows platform without its release matches two legs: an error naming the flag', async () => {
    const project = await loadProject(dir);
    expect(() => pickLeg(project, 'windows/amd64')).toThrow(
      '--platform: "windows/amd64" matches windows/amd64:ltsc2022, windows/amd64:ltsc2025 in xplat.yml; give the Windows release (e.g. windows/amd64:ltsc2022)',
    );
  });
});

describe('run ids and leg result folders', () => {
  it('a new run id sorts by time', () => {
    const id = newRunId(new Date('2026-12-01T10:15:02.123Z'));
    expect(id).toMatch(/^20261201-101502-[0-9a-f]{4}$/);
  });

  it.each<[string, Record<string, string>, string | undefined, string]>([
    ['--run-id', { XPLAT_RUN_ID: 'env' }, 'abcdef0123', 'flag'],
    ['', { XPLAT_RUN_ID: 'env' }, 'abcdef0123', 'env'],
    ['', {}, 'abcdef0123', 'git-abcdef0'],
    ['', {}, undefined, 'local'],
  ])('flag %j, env %j, commit %s: %s', (flag, env, sha, id) => {
    expect(commandRunId(flag === '--run-id' ? 'flag' : flag, env, sha)).toBe(id);
  });

  it('a run id names a folder: no path separators', () => {
    expect(() => commandRunId('../x', {}, undefined)).toThrow(
      'run-id: "../x" may hold letters, digits, _ . - only (it names a folder)',
    );
  });

  it('leg results live in the project, per run', () => {
    expect(legResultDir('/p', 'r1')).toBe(path.join('/p', '.xplat', 'legs', 'r1'));
  });
});

describe('imageLegDir: each image of a file with images: in a folder of its own', () => {
  it.each<[string, string, string]>([
    ['image: r/app\nplatforms: [linux/amd64]\n', 'app', path.join('/p', 'run')],
    [
      'platforms: [linux/amd64]\nimages:\n  - { name: a, image: r/a }\n',
      'a',
      path.join('/p', 'run', 'a'),
    ],
  ])('%j: %s -> %s', (text, name, folder) => {
    const config = loadConfig(text);
    const image = config.images.find((i) => i.name === name);
    expect(imageLegDir(path.join('/p', 'run'), config, image)).toBe(folder);
  });
});
