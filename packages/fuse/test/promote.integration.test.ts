/**
 * Promote on the test bed: an index fused from the four fixture legs (gated, of one
 * commit) gets release tags in its repository, in another repository, and in the second
 * registry (basic auth); an index without the gate mark, of another commit, without an
 * expected platform or without os.version is refused, and so is a tag that points
 * elsewhere, each before anything is written. Checked with skopeo and the registry's own
 * storage.
 */
import { describe, expect, it } from '@jest/globals';
import { recordingLogger, silentLogger } from '@xplat/core';
import { OCI_INDEX, parseRepository } from '@xplat/oci';
import { createRegistryClient, type RegistryClient } from '@xplat/registry';
import { fuse, parseFuseRequest, promote, type FuseInputs } from '../src/index.js';
import type { PromoteResult } from '../src/promote.js';
import { exec } from '../../../test/exec.js';
import { manifestRevisions } from '../../../test/registry-storage.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import { fixture, FOUR_PLATFORMS, fourLegs, writeLegs } from './testbed-legs.js';

const tb = testbed();
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const COMMIT_TAG = 'sha-a1b2c3d';
const authClient = () =>
  createRegistryClient({
    credentials: { username: tb.user, password: tb.password, registry: tb.authRegistry },
  });

/** A fresh repository holding an index fused from the four legs of commit SHA, by COMMIT_TAG. */
async function gatedIndex(): Promise<{ image: string; digest: string }> {
  const image = `${tb.openRegistry}/${uniqueRepository('main')}`;
  const legs = fourLegs().map((l) => ({ ...l, source: { sha: SHA } }));
  const dir = await writeLegs(legs, image);
  const request = await parseFuseRequest(
    inputs({ image, tags: COMMIT_TAG, results: dir, 'expected-platforms': FOUR_PLATFORMS }),
    dir,
  );
  const fused = await fuse(request, createRegistryClient(), silentLogger);
  return { image, digest: fused.digest };
}

function inputs(change: Partial<FuseInputs>): FuseInputs {
  return {
    image: '',
    tags: '',
    results: '',
    sources: '',
    'expected-platforms': '',
    annotations: '',
    'media-type': 'auto',
    'mutable-tags': 'latest',
    'dry-run': 'false',
    ...change,
  };
}

async function promoteWith(
  change: Partial<FuseInputs>,
  client: RegistryClient = createRegistryClient(),
  logger = silentLogger,
): Promise<PromoteResult> {
  const request = await parseFuseRequest(
    inputs({
      tags: 'v1.2.3\n1.2',
      'mutable-tags': '1.2',
      'expected-platforms': FOUR_PLATFORMS,
      ...change,
    }),
    process.cwd(),
  );
  return promote({ ...request, promote: request.promote! }, client, logger);
}

interface RawIndex {
  mediaType: string;
  annotations?: Record<string, string>;
  manifests: { digest: string; platform?: Record<string, unknown> }[];
}

async function skopeoRaw(ref: string, creds?: string): Promise<{ digest: string; json: RawIndex }> {
  const args = ['inspect', '--raw', '--tls-verify=false', ...(creds ? ['--creds', creds] : [])];
  const raw = await exec('skopeo', [...args, `docker://${ref}`]);
  if (raw.code !== 0) throw new Error(`skopeo ${ref}: ${raw.stderr}`);
  const digest = await exec('skopeo', [
    'inspect',
    '--tls-verify=false',
    ...(creds ? ['--creds', creds] : []),
    '--format',
    '{{.Digest}}',
    `docker://${ref}`,
  ]);
  return { digest: digest.stdout.trim(), json: JSON.parse(raw.stdout) };
}

const osVersions = (json: RawIndex) =>
  json.manifests.map((m) => m.platform?.['os.version'] ?? null);

describe('promote: the index that passed, new tags, no rebuild', () => {
  it('within its repository: only the tags are written, and a re-run writes nothing', async () => {
    const { image, digest } = await gatedIndex();
    const repository = parseRepository(image).repository;
    const held = await manifestRevisions(tb.openRegistry, repository);
    const result = await promoteWith({
      image,
      'promote-from': COMMIT_TAG,
      'promote-revision': SHA,
    });

    expect(result.promoted).toBe(true);
    if (!result.promoted) return;
    expect(result).toMatchObject({ digest, revision: SHA, ref: `${image}@${digest}` });
    expect(result.tags.map((t) => [t.tag, t.action])).toEqual([
      ['v1.2.3', 'create'],
      ['1.2', 'create'],
    ]);
    expect(result.entries.every((e) => !e.copied)).toBe(true);
    for (const tag of ['v1.2.3', '1.2'])
      expect((await skopeoRaw(`${image}:${tag}`)).digest).toBe(digest);
    expect(await manifestRevisions(tb.openRegistry, repository)).toEqual(held);

    const again = await promoteWith({ image, 'promote-from': COMMIT_TAG });
    expect(again.promoted && again.tags.map((t) => t.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('to another repository: copied with blob mounts, os.version kept', async () => {
    const { image, digest } = await gatedIndex();
    const target = `${tb.openRegistry}/${uniqueRepository('release')}`;
    const logger = recordingLogger();
    const result = await promoteWith(
      { image: target, 'promote-from': `${image}:${COMMIT_TAG}` },
      createRegistryClient({ logger }),
      logger,
    );
    expect(result.promoted && result.entries.map((e) => e.copied)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    const read = await skopeoRaw(`${target}:v1.2.3`);
    expect(read.digest).toBe(digest);
    expect(read.json.mediaType).toBe(OCI_INDEX);
    expect(read.json.annotations?.['dev.xplat.gate']).toBe('passed');
    expect(osVersions(read.json)).toEqual([null, null, '10.0.20348.2655', '10.0.26100.1742']);
    // Every platform image is there too, not only the index.
    for (const leg of fourLegs())
      expect((await skopeoRaw(`${target}@${leg.fixture.digest}`)).digest).toBe(leg.fixture.digest);
    expect(logger.lines.join('\n')).toMatch(/blobs [1-9]\d* mounted, 0 copied/);
  });

  it('to the second registry, with its credentials: copied across registries', async () => {
    const { image, digest } = await gatedIndex();
    const target = `${tb.authRegistry}/${uniqueRepository('release')}`;
    const result = await promoteWith(
      { image: target, 'promote-from': `${image}:${COMMIT_TAG}` },
      authClient(),
    );
    expect(result.promoted && result.digest).toBe(digest);
    const read = await skopeoRaw(`${target}:v1.2.3`, `${tb.user}:${tb.password}`);
    expect(read.digest).toBe(digest);
    expect(osVersions(read.json)).toEqual([null, null, '10.0.20348.2655', '10.0.26100.1742']);
    // Without credentials the second registry refuses: the copy really went there.
    expect(
      (await exec('skopeo', ['inspect', '--tls-verify=false', `docker://${target}:v1.2.3`])).code,
    ).not.toBe(0);
  });
});

describe('promote: refused before anything is written', () => {
  it.each<
    [string, (main: { image: string; digest: string }) => Promise<Partial<FuseInputs>>, string]
  >([
    [
      'an index fused from sources (no gate mark)',
      async () => {
        const image = `${tb.openRegistry}/${uniqueRepository('ungated')}`;
        const request = await parseFuseRequest(
          inputs({
            image,
            tags: COMMIT_TAG,
            sources: [fixture('LINUX_AMD64').ref, fixture('LINUX_ARM64').ref].join('\n'),
          }),
          process.cwd(),
        );
        await fuse(request, createRegistryClient(), silentLogger);
        return { image, 'promote-from': COMMIT_TAG, 'expected-platforms': '' };
      },
      `promote-from: __IMAGE__:${COMMIT_TAG} has no dev.xplat.gate annotation: xplat did not fuse it from leg results that passed the gate (it was fused from sources, by another tool, or as a Docker manifest list); promote an index fused after the gate, or set promote-force`,
    ],
    [
      'the index of another commit',
      async ({ image }) => ({
        image,
        'promote-from': COMMIT_TAG,
        'promote-revision': 'f'.repeat(40),
      }),
      `promote-revision: __IMAGE__:${COMMIT_TAG} is the index of commit a1b2c3d4e5f6, not ffffffffffff`,
    ],
    [
      'an index without an expected platform',
      async ({ image }) => ({
        image,
        'promote-from': COMMIT_TAG,
        'expected-platforms': `${FOUR_PLATFORMS},windows/amd64:ltsc2019`,
      }),
      `expected-platforms: __IMAGE__:${COMMIT_TAG} holds no image of windows/amd64:ltsc2019`,
    ],
    [
      'a tag that exists elsewhere',
      async ({ image }) => {
        await createRegistryClient().copyImage(
          {
            ...parseRepository(fixture('LINUX_AMD64').image),
            digest: fixture('LINUX_AMD64').digest,
          },
          parseRepository(image),
          { tags: ['v1.2.3'] },
        );
        return { image, 'promote-from': COMMIT_TAG };
      },
      `tags: refusing to move existing tag(s) __IMAGE__:v1.2.3 (now ${process.env.XPLAT_FIXTURE_LINUX_AMD64_DIGEST}): they are not in mutable-tags`,
    ],
    [
      'an index that does not exist',
      async ({ image }) => ({ image, 'promote-from': 'sha-0000000' }),
      'promote-from: __IMAGE__:sha-0000000 does not exist; promote an index fused by xplat',
    ],
    [
      'a single image',
      async () => ({
        image: fixture('LINUX_AMD64').image,
        'promote-from': 'linux-amd64',
        'expected-platforms': '',
      }),
      'promote-from: __IMAGE__:linux-amd64 is a single image',
    ],
  ])('%s', async (_name, setup, message) => {
    const main = await gatedIndex();
    const change = await setup(main);
    const repository = parseRepository(change.image!).repository;
    const held = await manifestRevisions(tb.openRegistry, repository);
    const error = await promoteWith(change).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(message.replace(/__IMAGE__/g, change.image!));
    expect((error as Error).message).not.toContain('\n');
    expect(await manifestRevisions(tb.openRegistry, repository)).toEqual(held);
    expect(
      (await exec('skopeo', ['inspect', '--tls-verify=false', `docker://${change.image}:1.2`]))
        .code,
    ).not.toBe(0);
  });

  it('an index that lost os.version is refused even when forced', async () => {
    const { image, digest } = await gatedIndex();
    const client = createRegistryClient();
    const repo = parseRepository(image);
    const index = (await client.getManifest(repo, digest)).manifest as {
      manifests: { platform?: Record<string, unknown> }[];
    };
    // What `docker buildx imagetools create` does to Windows entries.
    for (const m of index.manifests) delete m.platform?.['os.version'];
    await client.pushManifest(repo, Buffer.from(JSON.stringify(index)), OCI_INDEX, ['stripped']);
    await expect(
      promoteWith({
        image,
        'promote-from': 'stripped',
        'promote-force': 'true',
        'expected-platforms': '',
      }),
    ).rejects.toThrow(
      /the entry sha256:[a-f0-9]{64} says os.version null, its image config "10.0.20348.2655": the index lost what hosts choose by/,
    );
  });

  it('forced, an ungated index is promoted with a warning; missing and skipped, nothing', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('forced')}`;
    const request = await parseFuseRequest(
      inputs({ image, tags: 'built', sources: fixture('LINUX_AMD64').ref }),
      process.cwd(),
    );
    const fused = await fuse(request, createRegistryClient(), silentLogger);
    const logger = recordingLogger();
    const forced = await promoteWith(
      {
        image,
        'promote-from': 'built',
        'promote-force': 'true',
        'expected-platforms': 'linux/amd64',
      },
      createRegistryClient(),
      logger,
    );
    expect(forced.promoted && forced.digest).toBe(fused.digest);
    expect(logger.lines.join('\n')).toMatch(
      /warning: .* has no dev.xplat.gate annotation.*promoting it anyway \(promote-force\)/,
    );

    const skipped = await promoteWith({
      image,
      'promote-from': 'sha-0000000',
      'promote-missing': 'skip',
    });
    expect(skipped).toEqual({
      promoted: false,
      from: `${image}:sha-0000000`,
      reason: `${image}:sha-0000000 does not exist`,
    });
  });
});
