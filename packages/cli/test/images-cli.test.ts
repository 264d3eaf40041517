/**
 * Commands over an xplat.yml with several images, through the CLI's dispatcher (no
 * engine, no registry: what is decided before either is asked anything). plan and lint
 * with and without --image, and the usage errors of --image and of flags that fit one
 * image only.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { silentLogger } from '@xplat/core';
import { runCli } from '../src/cli.js';

let dir: string;
let one: string;

const TWO_IMAGES = [
  'smoke: { port: 8080 }',
  'images:',
  '  - name: web',
  '    image: 127.0.0.1:5000/org/web',
  '    context: web',
  '    platforms: [linux/amd64, linux/arm64]',
  '  - name: agent',
  '    image: 127.0.0.1:5000/org/agent',
  '    context: agent',
  '    windows: { dockerfile: agent/Dockerfile.windows }',
  '    platforms: [linux/amd64, windows/amd64:ltsc2022]',
  '',
].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-images-cli-'));
  await mkdir(path.join(dir, 'web'));
  await mkdir(path.join(dir, 'agent'));
  await writeFile(path.join(dir, 'xplat.yml'), TWO_IMAGES);
  // Every COPY source exists: lint checks the context (XP027).
  for (const file of ['web/index.html', 'agent/agent', 'agent/agent.exe'])
    await writeFile(path.join(dir, file), '');
  await writeFile(path.join(dir, 'web', 'Dockerfile'), 'FROM scratch\nCOPY index.html /\n');
  await writeFile(path.join(dir, 'agent', 'Dockerfile'), 'FROM scratch\nCOPY agent /\n');
  await writeFile(
    path.join(dir, 'agent', 'Dockerfile.windows'),
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY agent.exe /\n',
  );
  one = await mkdtemp(path.join(os.tmpdir(), 'xplat-images-cli-one-'));
  await writeFile(
    path.join(one, 'xplat.yml'),
    'image: 127.0.0.1:5000/org/app\nplatforms: [linux/amd64]\n',
  );
  await writeFile(path.join(one, 'Dockerfile'), 'FROM scratch\nCOPY app /\n');
  await writeFile(path.join(one, 'app'), '');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(one, { recursive: true, force: true });
});

async function xplat(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    logger: silentLogger,
    cwd,
    // No engine: a command that got as far as asking one would fail, not pass.
    env: { XPLAT_DOCKER: '/nonexistent/docker', XPLAT_RUN_ID: 'unit' },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('xplat plan over several images', () => {
  it('without --image: every image; --json is {"images": [...]}', async () => {
    const table = await xplat(dir, 'plan');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('image web: 127.0.0.1:5000/org/web');
    expect(table.stdout).toContain('image agent: 127.0.0.1:5000/org/agent');
    const json = JSON.parse((await xplat(dir, 'plan', '--json')).stdout) as {
      images: { name: string }[];
    };
    expect(json.images.map((i) => i.name)).toEqual(['web', 'agent']);
  });

  it('--image NAME: that image alone, its plan as a one-image file prints it', async () => {
    const table = await xplat(dir, 'plan', '--image', 'agent');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^image: 127\.0\.0\.1:5000\/org\/agent$/m);
    expect(table.stdout).not.toContain('org/web');
    const json = JSON.parse((await xplat(dir, 'plan', '--image', 'agent', '--json')).stdout) as {
      name: string;
      expectedPlatforms: string[];
    };
    expect(json).toMatchObject({
      name: 'agent',
      expectedPlatforms: ['linux/amd64', 'windows/amd64:ltsc2022'],
    });
  });

  it("a one-image file: its name (from the repository) is --image's only value", async () => {
    expect((await xplat(one, 'plan', '--image', 'app')).code).toBe(0);
    const other = await xplat(one, 'plan', '--image', 'web');
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      'xplat plan: --image: "web" is not the name of an image of xplat.yml; its images: app (e.g. --image app)',
    );
  });
});

describe('xplat lint over several images', () => {
  it('without --image: every leg of every image, each line naming its image', async () => {
    const run = await xplat(dir, 'lint');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      `web linux/amd64 (${path.join('web', 'Dockerfile')}): no findings`,
      `web linux/arm64 (${path.join('web', 'Dockerfile')}): no findings`,
      `agent linux/amd64 (${path.join('agent', 'Dockerfile')}): no findings`,
      expect.stringMatching(
        /^agent windows\/amd64:ltsc2022 \(agent\/Dockerfile\.windows\): (no findings|0 errors)/,
      ),
    ]);
  });

  it('--image NAME: that image alone, lines as for a one-image file', async () => {
    const run = await xplat(dir, 'lint', '--image', 'web');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'linux/amd64: no findings',
      'linux/arm64: no findings',
    ]);
  });

  it('--json names the image of each platform', async () => {
    const run = await xplat(dir, 'lint', '--json');
    const json = JSON.parse(run.stdout) as { platforms: { image: string; platform: string }[] };
    expect(json.platforms.map((p) => `${p.image} ${p.platform}`)).toEqual([
      'web linux/amd64',
      'web linux/arm64',
      'agent linux/amd64',
      'agent windows/amd64:ltsc2022',
    ]);
  });

  it('--platform lints the images that build for its OS, each with its own file', async () => {
    const run = await xplat(dir, 'lint', '--platform', 'windows/amd64:ltsc2022');
    expect(run.stdout).toMatch(/^agent windows\/amd64:ltsc2022: /);
    expect(run.stdout).not.toContain('web');
  });
});

describe('--image and several images: usage errors before any engine or registry', () => {
  it.each<[string, string[], string]>([
    [
      'an unknown name (lint)',
      ['lint', '--image', 'api'],
      'xplat lint: --image: "api" is not the name of an image of xplat.yml; its images: web, agent (e.g. --image web)',
    ],
    [
      'an unknown name (build)',
      ['build', '--image', 'api'],
      'xplat build: --image: "api" is neither the name of an image of xplat.yml nor the repository of one; its images: web, agent (e.g. --image web)',
    ],
    [
      'a repository of no image (fuse)',
      ['fuse', '--image', '127.0.0.1:5000/org/api'],
      'xplat fuse: --image: "127.0.0.1:5000/org/api" is neither the name of an image of xplat.yml nor the repository of one; its images: web, agent (e.g. --image web)',
    ],
    [
      'a reference to no image (smoke)',
      ['smoke', '127.0.0.1:5000/org/api:v1'],
      `xplat smoke: IMAGE: "127.0.0.1:5000/org/api:v1" is neither the name of an image of xplat.yml nor a reference to one's repository; its images: web, agent (e.g. --image web)`,
    ],
    [
      'fuse --results without --image',
      ['fuse', '--results', 'legs'],
      'xplat fuse: --results: name the image they are for with --image NAME (web, agent): each image is gated on its own leg results',
    ],
    [
      'smoke --result-file without --image',
      ['smoke', '--result-file', 'leg.json'],
      'xplat smoke: --result-file: names one leg result; with several images, name its image with --image NAME (web, agent)',
    ],
    [
      'build --platform that no image lists',
      ['build', '--platform', 'linux/s390x'],
      "xplat build: --platform: no image of xplat.yml lists linux/s390x (web: linux/amd64, linux/arm64; agent: linux/amd64, windows/amd64:ltsc2022); give one of those, or --image NAME to build it from that image's top-level values",
    ],
    [
      'fuse with no leg results for any image',
      ['fuse'],
      `xplat fuse: --results: no leg results in ${path.join('.xplat', 'legs', 'unit')} for any image of xplat.yml; build and smoke-test first (xplat build, xplat smoke), or give --image NAME and --results`,
    ],
    [
      'inspect REF with --image',
      ['inspect', '127.0.0.1:5000/org/web:1', '--image', 'web'],
      'xplat inspect: --image: picks the default REF from xplat.yml; give REF or --image',
    ],
  ])('%s: exit 2, one line', async (_what, argv, message) => {
    const run = await xplat(dir, ...argv);
    expect(run.stderr).toBe(message);
    expect(run.code).toBe(2);
  });
});
