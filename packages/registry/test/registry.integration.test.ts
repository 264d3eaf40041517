/**
 * Against the test bed's real registries (distribution 2.8 on 127.0.0.1: one open, one
 * with htpasswd Basic auth) and the fixture images pushed there by scripts/testbed/up.sh.
 * Every write goes to a repository named for this run, so re-runs never collide.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XplatError } from '@xplat/core';
import { testbed, type Testbed } from '../../../test/testbed.js';
import { closedPort } from './local-server.js';
import {
  attestationsFor,
  DOCKER_MANIFEST,
  imageEntries,
  type ImageIndex,
  type ImageManifest,
  IN_TOTO,
  isImageIndex,
  OCI_INDEX,
  OCI_MANIFEST,
  parseReference,
  type Repository,
  sha256Digest,
} from '@xplat/oci';
import { RegistryClient } from '../src/index.js';

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
let tb: Testbed;
let emptyConfig: string;
let lines: string[];
let client: RegistryClient;

/** A client with the auth registry's credentials (given as inputs), quick to give up. */
function makeClient(
  password?: string,
  extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {},
) {
  return new RegistryClient({
    dockerConfigDir: emptyConfig,
    ...(password !== undefined
      ? { credentials: { username: tb.user, password, registry: tb.authRegistry } }
      : {}),
    logger: {
      debug: () => undefined,
      info: (m) => lines.push(m),
      warning: (m) => lines.push(`warning: ${m}`),
    },
    retry: { maxAttempts: 2, baseDelayMs: 10 },
    ...extra,
  });
}

const fixture = (name: string) => {
  const ref = parseReference(tb.env(`XPLAT_FIXTURE_${name}_REF`));
  return {
    ref,
    repo: { registry: ref.registry, repository: ref.repository } as Repository,
    tag: ref.tag as string,
    digest: tb.env(`XPLAT_FIXTURE_${name}_DIGEST`),
  };
};
const fresh = (registry: string, name: string): Repository => ({
  registry,
  repository: `registry-test/${run}/${name}`,
});

beforeAll(async () => {
  tb = testbed();
  emptyConfig = await mkdtemp(join(tmpdir(), 'xplat-registry-it-'));
  lines = [];
  client = makeClient(tb.password);
});

describe('reading fixtures', () => {
  it.each([
    ['LINUX_AMD64', DOCKER_MANIFEST],
    ['LINUX_ARM64', DOCKER_MANIFEST],
    ['LINUX_AMD64_OCI', OCI_MANIFEST],
    ['WINDOWS_LTSC2022', DOCKER_MANIFEST],
    ['WINDOWS_LTSC2022_OCI', OCI_MANIFEST],
    ['WINDOWS_LTSC2025', DOCKER_MANIFEST],
    ['WINDOWS_LTSC2025_OCI', OCI_MANIFEST],
    ['ATTESTED', OCI_INDEX],
    ['OTHER_LINUX_AMD64', DOCKER_MANIFEST],
    ['AUTH_LINUX_AMD64', DOCKER_MANIFEST],
    ['AUTH_WINDOWS_LTSC2025', DOCKER_MANIFEST],
  ])('%s by tag, by digest and by HEAD', async (name, mediaType) => {
    const f = fixture(name);
    const byTag = await client.getManifest(f.repo, f.tag);
    expect(byTag.digest).toBe(f.digest);
    expect(byTag.mediaType).toBe(mediaType);
    expect(byTag.size).toBe(byTag.bytes.length);
    const byDigest = await client.getManifest(f.repo, f.digest);
    expect(byDigest.bytes.equals(byTag.bytes)).toBe(true);
    expect(await client.headManifest(f.repo, f.tag)).toEqual({
      digest: f.digest,
      mediaType,
      size: byTag.size,
    });
  });

  it.each(['LINUX_AMD64', 'WINDOWS_LTSC2022_OCI', 'ATTESTED'])(
    '%s: the digest equals skopeo’s',
    async (name) => {
      const f = fixture(name);
      const { stdout } = await promisify(execFile)(
        'skopeo',
        [
          'inspect',
          '--raw',
          '--tls-verify=false',
          `docker://${f.ref.registry}/${f.ref.repository}:${f.tag}`,
        ],
        { encoding: 'buffer' },
      );
      expect((await client.getManifest(f.repo, f.tag)).digest).toBe(sha256Digest(stdout));
    },
  );

  it.each([
    ['LINUX_AMD64', { os: 'linux', architecture: 'amd64' }],
    ['LINUX_ARM64', { os: 'linux', architecture: 'arm64' }],
    ['WINDOWS_LTSC2022', { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2655' }],
    [
      'WINDOWS_LTSC2025_OCI',
      {
        os: 'windows',
        architecture: 'amd64',
        'os.version': '10.0.26100.1742',
        'os.features': ['win32k'],
      },
    ],
    ['AUTH_WINDOWS_LTSC2022', { os: 'windows', 'os.version': '10.0.20348.2655' }],
  ])('%s: reads os, architecture and os.version from the config', async (name, expected) => {
    const f = fixture(name);
    const manifest = (await client.getManifest(f.repo, f.tag)).manifest as ImageManifest;
    expect(await client.getConfig(f.repo, manifest.config)).toMatchObject(expected);
  });

  it('finds the platform image and its attestation inside the attested index', async () => {
    const f = fixture('ATTESTED');
    const index = await client.getManifest(f.repo, f.tag);
    expect(isImageIndex(index.manifest, index.mediaType)).toBe(true);
    const manifest = index.manifest as ImageIndex;
    const images = imageEntries(manifest);
    expect(images.map((d) => [d.digest, d.platform])).toEqual([
      [tb.env('XPLAT_FIXTURE_ATTESTED_IMAGE_DIGEST'), { architecture: 'amd64', os: 'linux' }],
    ]);
    const attestations = attestationsFor(manifest, images[0]!.digest);
    expect(attestations.map((d) => d.digest)).toEqual([
      tb.env('XPLAT_FIXTURE_ATTESTED_ATTESTATION_DIGEST'),
    ]);
    const attestation = await client.getManifest(f.repo, attestations[0]!.digest);
    expect((attestation.manifest as ImageManifest).layers.map((l) => l.mediaType)).toEqual([
      IN_TOTO,
    ]);
    const image = await client.getManifest(f.repo, images[0]!.digest);
    expect(await client.getConfig(f.repo, (image.manifest as ImageManifest).config)).toMatchObject({
      os: 'linux',
      architecture: 'amd64',
    });
  });

  it('answers undefined to HEAD and a one-line XplatError to GET for a missing tag', async () => {
    const f = fixture('LINUX_AMD64');
    expect(await client.headManifest(f.repo, `missing-${run}`)).toBeUndefined();
    const error = await client.getManifest(f.repo, `missing-${run}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XplatError);
    expect((error as Error).message).toBe(
      `${tb.openRegistry}/fixtures/busybox:missing-${run} was not found (MANIFEST_UNKNOWN): check the name, tag or digest`,
    );
  });
});

describe('writing', () => {
  it('mounts a blob from fixtures/busybox into a new repository', async () => {
    const f = fixture('LINUX_AMD64');
    const layer = ((await client.getManifest(f.repo, f.tag)).manifest as ImageManifest).layers[0]!;
    const target = fresh(tb.openRegistry, 'mounted');
    expect(await client.blobExists(target, layer.digest)).toBe(false);
    expect(await client.mountBlob(target, layer.digest, f.repo.repository)).toBe('mounted');
    expect(await client.blobExists(target, layer.digest)).toBe(true);
  });

  it('puts a manifest under a new tag and reads it back', async () => {
    const f = fixture('LINUX_ARM64');
    const source = await client.getManifest(f.repo, f.tag);
    const target = fresh(tb.openRegistry, 'put');
    const m = source.manifest as ImageManifest;
    for (const d of [m.config, ...m.layers])
      await client.mountBlob(target, d.digest, f.repo.repository);
    const digest = await client.putManifest(target, 'arm64-copy', source.bytes, source.mediaType);
    expect(digest).toBe(f.digest);
    const back = await client.getManifest(target, 'arm64-copy');
    expect(back.digest).toBe(f.digest);
    expect(back.bytes.equals(source.bytes)).toBe(true);
    expect(back.mediaType).toBe(DOCKER_MANIFEST);
  });

  it('pushes a new index by digest and several tags, keeping os.version', async () => {
    const target = fresh(tb.openRegistry, 'index');
    const entries = [];
    for (const name of ['LINUX_AMD64_OCI', 'WINDOWS_LTSC2022_OCI']) {
      const f = fixture(name);
      const copied = await client.copyImage(f.ref, target);
      const m = (await client.getManifest(target, copied.digest)).manifest as ImageManifest;
      const config = await client.getConfig(target, m.config);
      entries.push({
        mediaType: copied.mediaType,
        digest: copied.digest,
        size: copied.size,
        platform: {
          os: config.os,
          architecture: config.architecture,
          ...(config['os.version'] ? { 'os.version': config['os.version'] } : {}),
        },
      });
    }
    const bytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries }),
    );
    const digest = await client.pushManifest(target, bytes, OCI_INDEX, ['latest', `v-${run}`]);
    for (const tag of ['latest', `v-${run}`, digest]) {
      const back = await client.getManifest(target, tag);
      expect(back.digest).toBe(digest);
      expect(
        (back.manifest as ImageIndex).manifests.map((d) => d.platform?.['os.version']),
      ).toEqual([undefined, '10.0.20348.2655']);
    }
  });

  it('copies an index with its attestation into another repository, and again as a no-op', async () => {
    const f = fixture('ATTESTED');
    const target = fresh(tb.openRegistry, 'attested');
    const result = await client.copyImage(f.ref, target, { tags: ['copied'] });
    expect(result).toMatchObject({ digest: f.digest, mediaType: OCI_INDEX, manifests: 3 });
    expect(result.blobs.mounted).toBeGreaterThanOrEqual(3); // configs, layer, in-toto statement
    expect(result.blobs.copied).toBe(0);
    expect((await client.headManifest(target, 'copied'))?.digest).toBe(f.digest);
    for (const d of [
      tb.env('XPLAT_FIXTURE_ATTESTED_IMAGE_DIGEST'),
      tb.env('XPLAT_FIXTURE_ATTESTED_ATTESTATION_DIGEST'),
    ]) {
      expect((await client.headManifest(target, d))?.digest).toBe(d);
    }
    const again = await client.copyImage(f.ref, target);
    expect(again).toMatchObject({
      digest: f.digest,
      manifests: 0,
      blobs: { exists: 0, mounted: 0, copied: 0, skipped: 0 },
    });
  });

  it('copies from the open registry to the auth registry, and back', async () => {
    const win = fixture('WINDOWS_LTSC2025');
    const toAuth = fresh(tb.authRegistry, 'from-open');
    const there = await client.copyImage(win.ref, toAuth);
    expect(there).toMatchObject({
      digest: win.digest,
      manifests: 1,
      blobs: { copied: 2, mounted: 0 },
    });
    const config = await client.getConfig(
      toAuth,
      ((await client.getManifest(toAuth, win.digest)).manifest as ImageManifest).config,
    );
    expect(config['os.version']).toBe('10.0.26100.1742');

    const arm = fixture('AUTH_LINUX_ARM64');
    const toOpen = fresh(tb.openRegistry, 'from-auth');
    const back = await client.copyImage(arm.ref, toOpen, { tags: ['arm64'] });
    expect(back.digest).toBe(arm.digest);
    expect((await client.getManifest(toOpen, 'arm64')).digest).toBe(arm.digest);
  });

  it('checks pull and push access before writing', async () => {
    await expect(
      client.checkAccess(fresh(tb.openRegistry, 'access'), 'push'),
    ).resolves.toBeUndefined();
    await expect(
      client.checkAccess(fresh(tb.authRegistry, 'access'), 'push'),
    ).resolves.toBeUndefined();
    await expect(
      client.checkAccess(fixture('AUTH_LINUX_AMD64').repo, 'pull'),
    ).resolves.toBeUndefined();
    await expect(
      client.checkAccess(fresh(tb.openRegistry, 'never-pushed'), 'pull'),
    ).rejects.toThrow(/registry-test\/.*\/never-pushed was not found \(NAME_UNKNOWN\)/);
    const anonymous = makeClient();
    await expect(anonymous.checkAccess(fresh(tb.authRegistry, 'access'), 'push')).rejects.toThrow(
      `username/password: ${tb.authRegistry} requires a login for pull,push on registry-test/${run}/access: give the username and password inputs, or run docker login ${tb.authRegistry} first`,
    );
  });
});

describe('credentials against the Basic-auth registry', () => {
  it('turns a wrong password into one line naming the registry and the inputs', async () => {
    const secret = `wrong-${run}`;
    const wrong = makeClient(secret);
    const f = fixture('AUTH_LINUX_AMD64');
    const error = await wrong.getManifest(f.repo, f.tag).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XplatError);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^username/password: ${tb.authRegistry.replace(/\./g, '\\.')} rejected the credentials from the username and password inputs \\(401[^)]*\\); check that they are right for `,
      ),
    );
    expect(message).not.toContain(secret);
    expect(message).not.toContain('\n');
  });

  it('uses the auths entry of a config.json, and names that file when it is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xplat-registry-cfg-'));
    const auth = (password: string) => Buffer.from(`${tb.user}:${password}`).toString('base64');
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ auths: { [tb.authRegistry]: { auth: auth(tb.password) } } }),
    );
    const f = fixture('AUTH_WINDOWS_LTSC2022');
    const fromConfig = makeClient(undefined, { dockerConfigDir: dir });
    expect((await fromConfig.getManifest(f.repo, f.tag)).digest).toBe(f.digest);

    const badDir = await mkdtemp(join(tmpdir(), 'xplat-registry-cfg-'));
    await writeFile(
      join(badDir, 'config.json'),
      JSON.stringify({ auths: { [`http://${tb.authRegistry}`]: { auth: auth('nope') } } }),
    );
    const error = await makeClient(undefined, { dockerConfigDir: badDir })
      .getManifest(f.repo, f.tag)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${join(badDir, 'config.json').replace(/[.\\]/g, '\\$&')}: .* rejected the credentials from auths\\["http://${tb.authRegistry.replace(/\./g, '\\.')}"\\]`,
      ),
    );
  });

  it('reads the test bed’s own auth file as a DOCKER_CONFIG-style auths file', async () => {
    // containers-auth.json has the same `auths` shape as docker's config.json.
    const dir = await mkdtemp(join(tmpdir(), 'xplat-registry-cfg-'));
    const { readFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'config.json'), await readFile(tb.env('XPLAT_REGISTRY_AUTHFILE')));
    const f = fixture('AUTH_LINUX_ARM64');
    expect(
      (await makeClient(undefined, { dockerConfigDir: dir }).headManifest(f.repo, f.tag))?.digest,
    ).toBe(f.digest);
  });
});

describe('an unreachable registry', () => {
  it('fails with one line after a bounded number of attempts', async () => {
    const host = await closedPort();
    const c = makeClient(undefined, {
      retry: { maxAttempts: 2, baseDelayMs: 10, requestTimeoutMs: 2000 },
    });
    const started = Date.now();
    const error = await c
      .getManifest({ registry: host, repository: 'app' }, 'v1')
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^GET ${host.replace(/\./g, '\\.')}/v2/ failed: connect ECONNREFUSED ${host.replace(/\./g, '\\.')} \\(gave up after 2 attempts in [\\d.]+ s\\)$`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
