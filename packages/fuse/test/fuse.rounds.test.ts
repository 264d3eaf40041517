/**
 * fuse's requests against a local registry that holds every answer a little (a far
 * registry): independent requests go out together, within the bound per registry, and
 * every write still waits for what it depends on (the children before the index, the
 * index before the read-back). No timing is asserted: only counts and order.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { silentLogger } from '@xplat/core';
import { OCI_MANIFEST, sha256Digest } from '@xplat/oci';
import { RegistryClient } from '@xplat/registry';
import { fuse, parseFuseRequest, type FuseInputs } from '../src/index.js';
import { startFakeRegistry, type FakeRegistry } from '../../registry/test/token-registry.js';

let fake: FakeRegistry | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const PLATFORMS = [
  ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
  ['linux/arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
  ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
  ['linux/386', { os: 'linux', architecture: '386' }],
  ['linux/ppc64le', { os: 'linux', architecture: 'ppc64le' }],
  ['linux/s390x', { os: 'linux', architecture: 's390x' }],
  [
    'windows/amd64:ltsc2022',
    { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2655' },
  ],
  [
    'windows/amd64:ltsc2025',
    { os: 'windows', architecture: 'amd64', 'os.version': '10.0.26100.1742' },
  ],
] as const;

/** Eight platform images, each in `repoOf(i)`: returns their references. */
function seed(registry: FakeRegistry, repoOf: (i: number) => string): string[] {
  return PLATFORMS.map(([, platform], i) => {
    const repo = repoOf(i);
    const config = Buffer.from(JSON.stringify(platform));
    const layer = Buffer.from(`layer ${i}`);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: sha256Digest(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: sha256Digest(layer),
            size: layer.length,
          },
        ],
      }),
    );
    registry.blobs.set(`${repo}@${sha256Digest(config)}`, config);
    registry.blobs.set(`${repo}@${sha256Digest(layer)}`, layer);
    registry.manifests.set(`${repo}@${sha256Digest(manifest)}`, {
      bytes: manifest,
      mediaType: OCI_MANIFEST,
    });
    return `${registry.host}/${repo}@${sha256Digest(manifest)}`;
  });
}

async function fuseInto(target: string, sources: string[], client: RegistryClient) {
  const raw: FuseInputs = {
    image: `${fake!.host}/${target}`,
    tags: 'v1,v2,v3',
    results: '',
    sources: sources.join(','),
    'expected-platforms': PLATFORMS.map(([p]) => p).join(','),
    annotations: '',
    'media-type': 'auto',
    'mutable-tags': 'latest',
    'dry-run': 'false',
  };
  const request = await parseFuseRequest(raw, process.cwd());
  return fuse(request, client, silentLogger);
}

const kind = (line: string): string => {
  const [method, url = ''] = line.split(' ');
  if (url === '/v2/') return 'ping';
  if (/\/manifests\/v\d$/.test(url)) return `${method} tag`;
  if (/\/manifests\//.test(url)) return `${method} manifest`;
  if (/\/blobs\/uploads\/\?mount=/.test(url)) return 'mount';
  if (/\/blobs\/uploads\//.test(url)) return `${method} upload`;
  return `${method} blob`;
};

describe('fuse, 8 platforms x 3 tags', () => {
  it('sources in the target repository: 28 requests, every independent group together', async () => {
    // Each answer waits 150 ms, so the requests of one group overlap even when a loaded
    // machine is slow to send them (at 15 ms, a load of 10 let fewer than 9 overlap).
    fake = await startFakeRegistry({ open: true, delayMs: 150 });
    const sources = seed(fake, () => 'app');
    const result = await fuseInto('app', sources, new RegistryClient());
    expect(result.entries).toHaveLength(8);

    const kinds = fake.requests.map((r) => kind(r.line));
    const count = (k: string): number => kinds.filter((x) => x === k).length;
    expect(kinds).toHaveLength(28);
    expect([count('ping'), count('GET manifest'), count('GET blob')]).toEqual([1, 8, 8]);
    expect([count('GET tag'), count('PUT tag'), count('POST upload')]).toEqual([6, 3, 1]);
    expect(count('HEAD manifest') + count('HEAD blob')).toBe(0);
    // Requests went out together, but never more than the bound (16 by default).
    expect(fake.maxInFlight).toBeGreaterThan(8);
    expect(fake.maxInFlight).toBeLessThanOrEqual(16);
    // No tag is written before every source and tag is known; no read-back before the last write.
    const firstPut = kinds.indexOf('PUT tag');
    expect(kinds.slice(firstPut).filter((k) => k === 'GET blob' || k === 'GET manifest')).toEqual(
      [],
    );
    const lastPut = kinds.lastIndexOf('PUT tag');
    const readBacks = kinds.map((k, i) => (k === 'GET tag' && i > firstPut ? i : -1));
    expect(readBacks.filter((i) => i >= 0).every((i) => i > lastPut)).toBe(true);
  });

  it('sources in 8 other repositories: each manifest read once, mounts without HEADs, children before the index', async () => {
    fake = await startFakeRegistry({ open: true, delayMs: 15 });
    const sources = seed(fake, (i) => `src${i}`);
    const result = await fuseInto(
      'app',
      sources,
      new RegistryClient({ maxRequestsPerRegistry: 6 }),
    );
    expect(result.entries.every((e) => e.copied)).toBe(true);
    expect(fake.maxInFlight).toBeLessThanOrEqual(6);

    const lines = fake.requests.map((r) => r.line);
    const kinds = lines.map(kind);
    // Each source manifest was fetched exactly once.
    for (const source of sources) {
      const [repo, digest] = source.slice(fake.host.length + 1).split('@');
      expect(lines.filter((l) => l === `GET /v2/${repo}/manifests/${digest}`)).toHaveLength(1);
    }
    expect(kinds.filter((k) => k.startsWith('HEAD'))).toEqual([]);
    expect(kinds.filter((k) => k === 'mount')).toHaveLength(16);
    // Every image PUT comes after its blobs, and before the first tag.
    const firstTag = kinds.indexOf('PUT tag');
    const imagePuts = kinds.map((k, i) => (k === 'PUT manifest' ? i : -1)).filter((i) => i >= 0);
    expect(imagePuts).toHaveLength(8);
    expect(Math.max(...imagePuts)).toBeLessThan(firstTag);
    expect(kinds.slice(Math.max(...imagePuts)).includes('mount')).toBe(false);
    // And a re-run finds the index by its tags: nothing is copied or written again.
    fake.requests.length = 0;
    const again = await fuseInto('app', sources, new RegistryClient());
    expect(again.tags.every((t) => t.action === 'unchanged')).toBe(true);
    expect(
      fake.requests.map((r) => kind(r.line)).filter((k) => k === 'mount' || k.startsWith('PUT')),
    ).toEqual([]);
  });
});
