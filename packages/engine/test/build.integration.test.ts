/**
 * Real builds on the test bed, from ONE Dockerfile in the common multi-stage pattern
 * (fixtures/multistage: `FROM install-${TARGETOS} AS final`, and a Windows stage that
 * would fail on Linux): linux/amd64 with BuildKit and with the classic builder (fed the
 * rendered Dockerfile), linux/arm64 under QEMU. Each is pushed to the test registry; the
 * pushed config is checked with skopeo, an independent client, and the digest in the
 * leg result with the registry's own answer.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { readLegResult } from '@xplat/core';
import {
  buildPlatformImage,
  parseBuildInputs,
  prepareBuild,
  type BuildInputs,
} from '@xplat/engine';
import { type BuildOptions } from '../src/platform-image/build-image.js';
import { exec } from '../../../test/exec.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, 'fixtures', 'multistage');
const SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const source = {
  sha: SHA,
  ref: 'refs/heads/main',
  refName: 'main',
  runId: '42',
  job: 'build',
  repository: 'org/app',
};
/** The environment without a builder exported by an earlier setup step. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    (e): e is [string, string] =>
      e[1] !== undefined && !['XPLAT_BUILDER', 'BUILDX_BUILDER'].includes(e[0]),
  ),
);

async function build(inputs: BuildInputs, options: Partial<BuildOptions> = {}) {
  const resultDir = await mkdtemp(path.join(os.tmpdir(), 'xplat-legs-'));
  const request = parseBuildInputs(
    { context: fixture, network: 'host', 'result-dir': resultDir, ...inputs },
    { cwd: fixture, env },
  );
  return buildPlatformImage(request, { docker: tb.docker, env, source, cwd: fixture, ...options });
}

async function skopeoConfig(ref: string): Promise<{
  os: string;
  architecture: string;
  variant?: string;
  config?: { Labels?: Record<string, string> };
}> {
  const out = await exec('skopeo', [
    'inspect',
    '--config',
    '--tls-verify=false',
    `docker://${ref}`,
  ]);
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout);
}

async function skopeoDigest(ref: string): Promise<string> {
  const out = await exec('skopeo', [
    'inspect',
    '--tls-verify=false',
    '--format',
    '{{.Digest}}',
    `docker://${ref}`,
  ]);
  return out.stdout.trim();
}

describe('one Dockerfile, every Linux builder here', () => {
  test('linux/amd64 with BuildKit (DOCKER_BUILDKIT=1): pushed, right config, leg result', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('build-bk')}`;
    const outcome = await build({ image, platform: 'linux/amd64', tags: 'latest' });

    expect(outcome.builder).toBe('buildkit');
    expect(outcome.tag).toBe(`${image}:linux-amd64-1a2b3c4`);
    expect(outcome.ref).toBe(`${image}@${outcome.digest}`);
    expect(outcome.digest).toBe(await skopeoDigest(outcome.tag));
    const config = await skopeoConfig(outcome.tag);
    expect(config).toMatchObject({ os: 'linux', architecture: 'amd64' });
    expect(config.config?.Labels).toMatchObject({
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/org/app',
    });
    expect(outcome.imageId).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(outcome.size).toBeGreaterThan(100_000);

    const { result } = await readLegResult(outcome.resultFile);
    expect(path.basename(outcome.resultFile)).toBe('linux-amd64.json');
    expect(result).toMatchObject({
      schema: 'xplat.leg/v1',
      platform: 'linux/amd64',
      image,
      digest: outcome.digest,
      pushed: true,
      tags: ['linux-amd64-1a2b3c4', 'latest'],
      builder: 'buildkit',
      smoke: { status: 'pending', checks: [] },
      source: { sha: SHA, ref: 'refs/heads/main', runId: '42', job: 'build' },
    });
    expect(result.osVersion).toBeUndefined();
    // The extra tag points at the same image; the cache image was pushed alongside.
    expect(await skopeoDigest(`${image}:latest`)).toBe(outcome.digest);
    expect(await skopeoDigest(`${image}:buildcache-linux-amd64`)).toMatch(/^sha256:/);

    // And the image is what the reachable stages made, TARGETPLATFORM included.
    const run = await exec(tb.docker, ['run', '--rm', outcome.ref]);
    expect(run.stdout).toBe('built for x86_64\nTARGETPLATFORM=linux/amd64\nhello from xplat\n');
  });

  test('linux/amd64 with the classic builder (docker 28, no buildx): the rendered Dockerfile', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('build-classic')}`;
    const prepared = await prepareBuild(
      parseBuildInputs(
        { image, platform: 'linux/amd64', context: fixture, network: 'host' },
        { cwd: fixture, env },
      ),
      { docker: '/usr/local/bin/docker', env, source, cwd: fixture },
    );
    // The classic builder gets a copy: the Windows stage pruned, platform ARGs passed.
    expect(prepared.selection.kind).toBe('classic');
    expect(prepared.rendered?.text).not.toContain('install-windows');
    expect(prepared.rendered?.text).not.toMatch(/^FROM \$\{WINDOWS_BASE\}/m);
    expect(prepared.spec.buildArgs).toMatchObject({
      TARGETOS: 'linux',
      TARGETARCH: 'amd64',
      TARGETPLATFORM: 'linux/amd64',
    });
    expect(prepared.plan.build.env).toEqual({ DOCKER_BUILDKIT: '0' });

    const outcome = await build(
      { image, platform: 'linux/amd64', labels: 'org.example.note=say "hi" to $HOME \\o/' },
      { docker: '/usr/local/bin/docker' },
    );
    expect(outcome.builder).toBe('classic');
    const config = await skopeoConfig(outcome.tag);
    expect(config).toMatchObject({ os: 'linux', architecture: 'amd64' });
    // The labels went through the rendered file's one LABEL line, quoting intact.
    expect(config.config?.Labels).toMatchObject({
      'org.example.note': 'say "hi" to $HOME \\o/',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/org/app',
    });
    expect(outcome.digest).toBe(await skopeoDigest(outcome.tag));
    const { result } = await readLegResult(outcome.resultFile);
    expect(result).toMatchObject({
      platform: 'linux/amd64',
      digest: outcome.digest,
      builder: 'classic',
      pushed: true,
    });
    const run = await exec(tb.docker, ['run', '--rm', outcome.ref]);
    expect(run.stdout).toBe('built for x86_64\nTARGETPLATFORM=linux/amd64\nhello from xplat\n');
  });

  test('the classic builder fails on the same Dockerfile without the rendering', async () => {
    // The reason the rendered form exists: classic runs every stage, the Windows one too.
    const out = await exec(
      '/usr/local/bin/docker',
      [
        'build',
        '--network',
        'host',
        '--build-arg',
        'TARGETOS=linux',
        '--build-arg',
        'TARGETARCH=amd64',
        fixture,
      ],
      {
        DOCKER_BUILDKIT: '0',
      },
    );
    expect(out.code).not.toBe(0);
    expect(out.stdout + out.stderr).toMatch(/mcr\.microsoft\.com|nanoserver/);
  });

  test('linux/arm64 under QEMU with BuildKit: an arm64 image that runs as aarch64', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('build-arm')}`;
    const outcome = await build({
      image,
      platform: 'linux/arm64',
      'tag-template': '{platform-pair}-{run-id}',
    });
    expect(outcome.tag).toBe(`${image}:linux-arm64-42`);
    expect(await skopeoConfig(outcome.tag)).toMatchObject({ os: 'linux', architecture: 'arm64' });
    const { result } = await readLegResult(outcome.resultFile);
    expect(result).toMatchObject({
      platform: 'linux/arm64',
      digest: outcome.digest,
      builder: 'buildkit',
    });
    expect(path.basename(outcome.resultFile)).toBe('linux-arm64.json');
    const run = await exec(tb.docker, ['run', '--rm', '--platform', 'linux/arm64', outcome.ref]);
    expect(run.stdout).toBe('built for aarch64\nTARGETPLATFORM=linux/arm64\nhello from xplat\n');
  });

  test('push: false builds into the engine only; the leg records the image ID', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('build-local')}`;
    const outcome = await build({ image, platform: 'linux/amd64', push: 'false', cache: 'none' });
    expect(outcome.pushed).toBe(false);
    expect(outcome.digest).toBe(outcome.imageId);
    expect(outcome.ref).toBe(`${image}:linux-amd64-1a2b3c4`);
    const { result } = await readLegResult(outcome.resultFile);
    expect(result).toMatchObject({ pushed: false, digest: outcome.imageId });
    const missing = await exec('skopeo', [
      'inspect',
      '--tls-verify=false',
      `docker://${outcome.tag}`,
    ]);
    expect(missing.code).not.toBe(0);
    const iid = await exec(tb.docker, ['image', 'inspect', '--format', '{{.Id}}', outcome.tag]);
    expect(iid.stdout.trim()).toBe(outcome.imageId);
  });
});

describe('the rendered Dockerfile is kept out of the context', () => {
  test('the fixture folder is unchanged after a classic build', async () => {
    const before = await readFile(path.join(fixture, 'Dockerfile'), 'utf8');
    await build({
      image: `${tb.openRegistry}/${uniqueRepository('build-ctx')}`,
      push: 'false',
      cache: 'none',
      builder: 'classic',
    });
    expect(await readFile(path.join(fixture, 'Dockerfile'), 'utf8')).toBe(before);
  });
});
