/**
 * The shared preamble (flags, positionals, project, --image) and the report of work done
 * once per image: one image as every command always printed it, several each under its
 * name, one failure stopping no other.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordingLogger, XplatError } from '@xplat/core';
import { loadConfig } from '@xplat/workflow';
import type { CliIO } from '../src/command.js';
import { imageFlag, projectFlags } from '../src/commands/common.js';
import { commandContext, parseCommand, type CommandSpec } from '../src/commands/context.js';
import { runPerImage, type ImageTask } from '../src/commands/per-image.js';
import { UsageError, type FlagTable } from '../src/flags.js';

const flags: FlagTable = [
  imageFlag({ value: 'REPO', help: 'the repository' }),
  { flag: 'tag', input: 'tags', kind: 'list', value: 'TAG', help: 'a tag' },
  ...projectFlags,
];
const spec: CommandSpec = {
  flags,
  positionals: { max: 1, refuse: (given) => new UsageError(`one only, got ${given.length}`) },
  image: 'repository',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-context-'));
  await writeFile(
    path.join(dir, 'xplat.yml'),
    'platforms: [linux/amd64]\nimages:\n  - { name: a, image: ghcr.io/org/a }\n  - { name: b, image: ghcr.io/org/b }\n',
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function io(): CliIO & { out: string[]; err: string[]; log: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const logger = recordingLogger();
  return {
    out,
    err,
    log: logger.lines,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    logger,
    cwd: dir,
    env: { XPLAT_DOCKER: '/opt/docker' },
  };
}

describe('commandContext', () => {
  it.each<[string[], string[], boolean, string | undefined, Record<string, unknown>]>([
    [[], ['a', 'b'], true, undefined, {}],
    [['--image', 'b', '--tag', 'v1'], ['b'], false, undefined, { tag: ['v1'] }],
    [['--image', 'ghcr.io/org/a'], ['a'], false, 'ghcr.io/org/a', { image: 'ghcr.io/org/a' }],
  ])('%j: images %j, several %s, input %s', async (argv, images, several, input, values) => {
    const ctx = await commandContext(spec, argv, io());
    expect(ctx.images.map((i) => i.name)).toEqual(images);
    expect(ctx.several).toBe(several);
    expect(ctx.imageInput).toBe(input);
    // A name is consumed by the choice: what is left are the action's inputs.
    expect(ctx.parsed.values).toEqual(values);
    expect(ctx.project.dir).toBe(dir);
    expect(ctx.docker).toMatchObject({ docker: '/opt/docker' });
  });

  it.each<[string[], string]>([
    [['x', 'y'], 'one only, got 2'],
    [['--nope'], "Unknown option '--nope'"],
    [['--image', 'c'], '--image: "c" is neither the name of an image of xplat.yml'],
    [['--config', 'missing.yml'], 'config: missing.yml does not exist'],
  ])('%j is a usage error: %s', async (argv, message) => {
    const run = commandContext(spec, argv, io());
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  it('a command without positionals says which argument it did not expect', () => {
    expect(() => parseCommand({ flags }, ['extra'])).toThrow('unexpected argument "extra"');
  });
});

describe('runPerImage', () => {
  const [a, b, c] = loadConfig(
    'platforms: [linux/amd64]\nimages:\n  - { name: a, image: r/a }\n  - { name: b, image: r/b }\n  - { name: c, image: r/c }\n',
  ).images;
  const ok = (text: string) => async () => ({ code: 0, value: { text }, text });
  const tasks: ImageTask[] = [
    { image: a, run: ok('a done') },
    {
      image: b,
      run: () => Promise.reject(new XplatError('gate closed: 0 of 1', 'expected-platforms')),
    },
    { image: c, skipped: 'linux/arm64 is not in its platforms' },
  ];
  const options = { command: 'fuse', flags: [], json: false, several: true };

  it('several: each under its name, a failure as one line, the others still run; exit 1', async () => {
    const out = io();
    const run = runPerImage([...tasks, { image: a, run: ok('a again') }], out, options);
    expect(await run).toBe(1);
    expect(out.out).toEqual([
      'image a: r/a',
      'a done',
      '\nimage b: r/b',
      '\nimage a: r/a',
      'a again',
    ]);
    expect(out.err).toEqual(['xplat fuse: b: expected-platforms: gate closed: 0 of 1']);
    expect(out.log).toContain('c: linux/arm64 is not in its platforms');
  });

  it('several, --json: one document {"images": [...]}, errors and skips included', async () => {
    const out = io();
    expect(await runPerImage(tasks, out, { ...options, json: true })).toBe(1);
    expect(JSON.parse(out.out.join(''))).toEqual({
      images: [
        { name: 'a', text: 'a done' },
        { name: 'b', error: 'expected-platforms: gate closed: 0 of 1' },
        { name: 'c', skipped: 'linux/arm64 is not in its platforms' },
      ],
    });
  });

  it('a usage error of one image makes the exit code 2', async () => {
    const out = io();
    const failing: ImageTask = {
      image: b,
      run: () => Promise.reject(new UsageError('the build of linux/amd64 failed', 'image')),
    };
    expect(await runPerImage([tasks[0]!, failing], out, options)).toBe(2);
  });

  it('one image: its output alone, and its error goes to the caller (exit 1 or 2 there)', async () => {
    const out = io();
    expect(await runPerImage([tasks[0]!], out, { ...options, several: false })).toBe(0);
    expect(out.out).toEqual(['a done']);
    await expect(runPerImage([tasks[1]!], io(), { ...options, several: false })).rejects.toThrow(
      'gate closed',
    );
  });
});
