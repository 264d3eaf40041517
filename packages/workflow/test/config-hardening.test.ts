/**
 * xplat.yml values that could split, files that are not configs, and sizes: refused with
 * file, line and field, before anything else runs; accepted sizes parse quickly.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadConfig, readConfig } from '../src/index.js';
import { MAX_CONFIG_BYTES } from '../src/config.js';

const BASE = 'image: ghcr.io/org/app\nplatforms: [linux/amd64]\n';

function problem(text: string): string {
  try {
    loadConfig(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('loaded');
}

describe('control characters in values', () => {
  it.each([
    ['build-args: {A: "1\\nINJECTED=evil"}', 'xplat.yml:3:17: build-args.A: holds a line break'],
    ['labels: {a: "1\\nINJECTED=evil"}', 'xplat.yml:3:13: labels.a: holds a line break'],
    ['labels: {a: "x\\ry"}', 'xplat.yml:3:13: labels.a: holds a carriage return'],
    ['build-args: {A: "\\u001b[31m"}', 'build-args.A: holds the control character U+001B'],
    ['tags: ["v1\\nlatest"]', 'xplat.yml:3:8: tags[0]: holds a line break'],
  ])('%s', (line, message) => {
    const text = problem(`${BASE}${line}\n`);
    expect(text).toContain(message);
    expect(text.split('\n')).toHaveLength(1);
  });

  it('a block scalar’s trailing line break is not inside the value', () => {
    const config = loadConfig(`${BASE}build-args:\n  A: |\n    one line\n`);
    expect(config.images[0]!.legs[0]!.buildArgs.A).toBe('one line\n');
  });
});

describe('files that are not configs', () => {
  it('refuses more than 1 MiB, naming the file', () => {
    const text = `${BASE}# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    expect(problem(text)).toMatch(
      /^xplat\.yml:1:1: \(file\): is \d+ bytes; an xplat\.yml is at most 1048576 bytes/,
    );
  });

  it('names the file for an alias bomb', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(problem(`${bomb}\n${BASE}`)).toMatch(
      /^xplat\.yml:1:1: \(file\): YAML: Excessive alias count/,
    );
  });

  it('a folder given as the config', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-config-dir-'));
    await mkdir(path.join(dir, 'conf'));
    await expect(readConfig(dir, 'conf')).rejects.toThrow(/^conf:1:1: \(file\): is a folder/);
  });

  it('a file over the limit is refused before it is read', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-config-big-'));
    await writeFile(path.join(dir, 'xplat.yml'), `${BASE}#${'x'.repeat(10 * 1024 * 1024)}\n`);
    await expect(readConfig(dir)).rejects.toThrow(/is \d+ bytes/);
  });

  it('duplicate keys, found in one pass', () => {
    expect(problem(`${BASE}image: ghcr.io/org/b\n`)).toMatch(
      /^xplat\.yml:3:1: image: YAML: Map keys must be unique/,
    );
  });

  it('an accepted size with thousands of keys parses in bounded time (no quadratic check)', () => {
    let text = `${BASE}labels:\n`;
    for (let i = 0; text.length < MAX_CONFIG_BYTES - 64; i++) text += `  k${i}: v\n`;
    const started = Date.now();
    const config = loadConfig(text);
    expect(Object.keys(config.images[0]!.labels).length).toBeGreaterThan(50_000);
    // 17 s with the parser's own duplicate check; a few seconds on a busy machine without.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
