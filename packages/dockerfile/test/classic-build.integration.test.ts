/**
 * The rendered Dockerfile against a real classic builder: the test bed's Docker Engine
 * 20.10 with DOCKER_BUILDKIT=0 (the builder the Windows engine has). The test bed has no
 * internet, so the fixture's images are swapped for the local busybox image by build arg.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  lintDockerfile,
  parseDockerfile,
  planStages,
  renderForClassicBuilder,
} from '@xplat/dockerfile';
import { exec } from '../../../test/exec.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import { fixturePath, multiOs, native } from './helpers.js';

const tb = testbed();
const local = tb.env('XPLAT_LOCAL_IMAGE_LINUX_AMD64');
const classic = { DOCKER_HOST: tb.dockerHost, DOCKER_BUILDKIT: '0' };
const docker = (...args: string[]) => exec(tb.docker, args, classic);

const cleanup: string[] = [];
const images: string[] = [];
afterAll(async () => {
  // Newest first, so children go before their parents; base images are never listed.
  for (const image of images.reverse()) await docker('rmi', image);
  await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
});

/**
 * The images a classic build made: the result of every step but FROM (intermediate stages
 * stay behind as untagged images otherwise). FROM steps print the base image: never those.
 */
function stepImages(stdout: string): string[] {
  const ids: string[] = [];
  for (const step of stdout.split(/^Step \d+\/\d+ : /m).slice(1)) {
    if (/^FROM /i.test(step)) continue;
    const id = [...step.matchAll(/^ ---> ([0-9a-f]{12})$/gm)].pop()?.[1];
    if (id) ids.push(id);
  }
  return ids;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-classic-'));
  cleanup.push(dir);
  return dir;
}

function buildArgFlags(args: Record<string, string>): string[] {
  return Object.entries(args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
}

describe('classic builder builds the rendered multi-OS Dockerfile', () => {
  it('linux/amd64: lints clean, renders, builds, and the image saw the platform ARGs', async () => {
    const parsed = multiOs();
    const options = native('linux/amd64', {
      buildArgs: { BUILD_IMAGE: local, LINUX_BASE: local },
    });
    const findings = await lintDockerfile(parsed, {
      ...options,
      builder: 'classic',
      contextDir: fixturePath('multi-os'),
    });
    expect(findings).toEqual([]);

    const rendered = renderForClassicBuilder(parsed, planStages(parsed, options), options);
    const dir = await tempDir();
    const file = path.join(dir, 'Dockerfile.linux-amd64');
    await writeFile(file, rendered.text);
    const tag = `xplat-test/${uniqueRepository('dockerfile-classic')}:linux-amd64`;
    images.push(tag);

    const build = await docker(
      'build',
      '--network',
      'host',
      '-f',
      file,
      '-t',
      tag,
      ...buildArgFlags(rendered.buildArgs),
      fixturePath('multi-os'),
    );
    images.push(...stepImages(build.stdout));
    expect(build.stderr).not.toMatch(/error/i);
    expect(build.code).toBe(0);
    // The classic builder prints numbered steps (BuildKit does not).
    expect(build.stdout).toMatch(/Step 1\/\d+ : ARG TARGETOS/);
    expect(build.stdout).toContain('FROM install-linux AS final');
    expect(build.stdout).not.toContain('nanoserver');

    const run = await docker('run', '--rm', '--network', 'none', tag);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('version 1.0.0 for linux/amd64');
    const inspect = await docker('image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', tag);
    expect(inspect.stdout.trim()).toBe('linux/amd64');
  });

  it('the unrendered pattern is what the classic builder rejects; the rendered one builds', async () => {
    const text = [
      'ARG TARGETOS',
      'ARG BASE',
      'FROM ${BASE} AS install-linux',
      'FROM install-${TARGETOS} AS final',
      'CMD ["echo", "linux"]',
      '',
    ].join('\n');
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Dockerfile'), text);
    const raw = await docker('build', '--network', 'host', '--build-arg', `BASE=${local}`, dir);
    expect(raw.code).not.toBe(0);
    expect(raw.stdout).toContain('FROM install-${TARGETOS} AS final');
    expect(raw.stderr).toContain('invalid reference format');

    const parsed = parseDockerfile({ file: 'Dockerfile', text });
    const options = native('linux/amd64', { buildArgs: { BASE: local } });
    const rendered = renderForClassicBuilder(parsed, planStages(parsed, options), options);
    await writeFile(path.join(dir, 'Dockerfile.rendered'), rendered.text);
    const tag = `xplat-test/${uniqueRepository('dockerfile-raw')}:linux-amd64`;
    images.push(tag);
    const built = await docker(
      'build',
      '--network',
      'host',
      '-f',
      path.join(dir, 'Dockerfile.rendered'),
      '-t',
      tag,
      ...buildArgFlags(rendered.buildArgs),
      dir,
    );
    images.push(...stepImages(built.stdout));
    expect(built.code).toBe(0);
    expect((await docker('run', '--rm', '--network', 'none', tag)).stdout.trim()).toBe('linux');
  });

  it('the classic builder really rejects what XP017 reports (--chmod)', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'a\n');
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY --chmod=755 a.txt /a.txt\n');
    const build = await docker('build', '--network', 'host', dir);
    expect(build.code).not.toBe(0);
    expect(build.stderr).toContain('the --chmod option requires BuildKit');
  });
});
