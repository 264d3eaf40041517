/**
 * Reproducible digests on the test bed: dockerd 20.10's BuildKit, which knows nothing of
 * SOURCE_DATE_EPOCH, builds a git repository (a fixture in a temporary folder) for
 * linux/amd64 and linux/arm64 (QEMU). Two builds of one commit give the same digests and
 * the second writes no manifest the registry did not hold; the pushed config carries the
 * commit's time; a one-line change gives new digests. Checked with skopeo and the
 * registry's own storage, not with xplat's client.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { readLegResult, silentLogger } from '@xplat/core';
import { buildPlatformImage, parseBuildInputs } from '@xplat/engine';
import { exec } from '../../../test/exec.js';
import { gitRepo, type GitRepo } from '../../../test/git-repo.js';
import { manifestRevisions } from '../../../test/registry-storage.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const EPOCH = 1_764_151_200; // 2025-11-26T10:00:00Z
const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
/** The environment without a builder exported by an earlier setup step. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    (e): e is [string, string] =>
      e[1] !== undefined &&
      !['XPLAT_BUILDER', 'BUILDX_BUILDER', 'SOURCE_DATE_EPOCH'].includes(e[0]),
  ),
);

function project(): Promise<GitRepo> {
  return gitRepo(
    {
      Dockerfile: [
        `FROM ${tb.env('XPLAT_FIXTURE_BUSYBOX_LIST_REF')}`,
        'COPY hello.txt /hello.txt',
        'RUN echo "built for $(uname -m)" > /built.txt',
        'CMD ["cat", "/hello.txt", "/built.txt"]',
        '',
      ].join('\n'),
      'hello.txt': 'hello from xplat\n',
    },
    EPOCH,
  );
}

async function build(repo: GitRepo, image: string, platform: string, runId: string) {
  const resultDir = await mkdtemp(path.join(os.tmpdir(), 'xplat-legs-'));
  const request = parseBuildInputs(
    {
      image,
      platform,
      context: repo.dir,
      network: 'host',
      'tag-template': '{platform-pair}-{run-id}',
      'result-dir': resultDir,
    },
    { cwd: repo.dir, env },
  );
  const sha = await repo.git('rev-parse', 'HEAD');
  return buildPlatformImage(request, {
    docker: tb.docker,
    env,
    source: { sha, runId },
    cwd: repo.dir,
    logger: silentLogger,
  });
}

async function skopeo(...args: string[]): Promise<string> {
  const out = await exec('skopeo', [...args.slice(0, -1), '--tls-verify=false', args.at(-1)!]);
  if (out.code !== 0) throw new Error(`skopeo ${args.join(' ')}: ${out.stderr}`);
  return out.stdout;
}

describe("reproducible digests with dockerd 20.10's BuildKit", () => {
  test('two builds of one commit: the same digests, no new manifest; a one-line change: new ones', async () => {
    const repo = await project();
    const repository = uniqueRepository('repro');
    const image = `${tb.openRegistry}/${repository}`;

    const first = [];
    for (const platform of PLATFORMS) first.push(await build(repo, image, platform, '1'));
    const held = await manifestRevisions(tb.openRegistry, repository);
    const second = [];
    for (const platform of PLATFORMS) second.push(await build(repo, image, platform, '2'));

    expect(second.map((o) => o.digest)).toEqual(first.map((o) => o.digest));
    expect(await manifestRevisions(tb.openRegistry, repository)).toEqual(held);
    for (const outcome of second) {
      expect(outcome.builder).toBe('buildkit');
      // The registry's answer for the leg's tag is the digest tested and recorded.
      expect(JSON.parse(await skopeo('inspect', `docker://${outcome.tag}`)).Digest).toBe(
        outcome.digest,
      );
      const config = JSON.parse(await skopeo('inspect', '--config', `docker://${outcome.tag}`));
      expect(config.created).toBe('2025-11-26T10:00:00Z');
      expect(config.config.Labels['org.opencontainers.image.created']).toBe(
        '2025-11-26T10:00:00.000Z',
      );
      for (const h of config.history as { created?: string }[])
        expect(Date.parse(h.created ?? '1970-01-01T00:00:00Z')).toBeLessThanOrEqual(EPOCH * 1000);
      const { result } = await readLegResult(outcome.resultFile);
      expect(result).toMatchObject({
        digest: outcome.digest,
        reproducible: true,
        source: { time: '2025-11-26T10:00:00Z' },
      });
      expect(result.reproducibleReason).toMatch(/^on this machine with its build cache/);
    }
    // The image that was tested runs.
    const run = await exec(tb.docker, ['run', '--rm', second[0]!.ref]);
    expect(run.stdout).toBe('hello from xplat\nbuilt for x86_64\n');

    await repo.write({ 'hello.txt': 'hello again\n' });
    await repo.commit('one line', EPOCH + 3600);
    const changed = [];
    for (const platform of PLATFORMS) changed.push(await build(repo, image, platform, '3'));
    for (const [i, outcome] of changed.entries()) {
      expect(outcome.digest).not.toBe(first[i]!.digest);
      const config = JSON.parse(await skopeo('inspect', '--config', `docker://${outcome.tag}`));
      expect(config.created).toBe('2025-11-26T11:00:00Z');
    }
  });

  test('an uncommitted change: image times from the clock, the leg result says why', async () => {
    const repo = await project();
    await repo.write({ 'hello.txt': 'not committed\n' });
    const image = `${tb.openRegistry}/${uniqueRepository('repro-dirty')}`;
    const outcome = await build(repo, image, 'linux/amd64', '1');
    const { result } = await readLegResult(outcome.resultFile);
    expect(result.reproducible).toBe(false);
    expect(result.reproducibleReason).toBe(
      'image times come from the clock: uncommitted changes in the build context (git status): hello.txt',
    );
    expect(result.source?.time).toBeUndefined();
    const config = JSON.parse(await skopeo('inspect', '--config', `docker://${outcome.tag}`));
    expect(Date.parse(config.created)).toBeGreaterThan(EPOCH * 1000);
  });
});
