/**
 * RegistryClient's checks on what a registry answers, against a local registry that can
 * be told to misbehave (the test bed's registries always answer correctly).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { Limiter, XplatError } from '@xplat/core';
import {
  DOCKER_FOREIGN_LAYER,
  DOCKER_MANIFEST,
  OCI_INDEX,
  OCI_MANIFEST,
  sha256Digest,
} from '@xplat/oci';
import { RegistryClient } from '../src/index.js';
import { RegistryError } from '../src/internal/errors.js';
import {
  type FakeRegistry,
  type FakeRegistryOptions,
  startFakeRegistry,
} from './token-registry.js';

let fake: FakeRegistry | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function open(options: FakeRegistryOptions = {}) {
  fake = await startFakeRegistry({ open: true, ...options });
  const lines: string[] = [];
  const client = new RegistryClient({
    logger: { debug: () => undefined, info: (m) => lines.push(m), warning: (m) => lines.push(m) },
    retry: { sleep: async () => undefined },
  });
  return {
    fake,
    client,
    lines,
    repo: (repository: string) => ({ registry: fake!.host, repository }),
  };
}

function imageManifest(
  config: Buffer,
  layers: { mediaType: string; digest: string; size: number; urls?: string[] }[],
  mediaType = OCI_MANIFEST,
) {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256Digest(config),
        size: config.length,
      },
      layers,
    }),
  );
}

describe('manifest digests', () => {
  it('refuses a manifest whose Docker-Content-Digest does not match its bytes', async () => {
    const t = await open({ wrongDigestHeader: true });
    t.fake.manifests.set('app@v1', {
      bytes: imageManifest(Buffer.from('{}'), []),
      mediaType: OCI_MANIFEST,
    });
    await expect(t.client.getManifest(t.repo('app'), 'v1')).rejects.toThrow(
      /Docker-Content-Digest says sha256:0{64}, the bytes have sha256:[0-9a-f]{64}$/,
    );
  });

  it('refuses a manifest that is not the digest asked for', async () => {
    const t = await open();
    const bytes = imageManifest(Buffer.from('{}'), []);
    const other = `sha256:${'1'.repeat(64)}`;
    t.fake.manifests.set(`app@${other}`, { bytes, mediaType: OCI_MANIFEST });
    await expect(t.client.getManifest(t.repo('app'), other)).rejects.toThrow(
      `GET ${t.fake.host}/app@${other}: the bytes received have digest ${sha256Digest(bytes)}`,
    );
  });

  it('notices when the registry stored a different digest than it was sent', async () => {
    const t = await open({ wrongDigestHeader: true });
    const error = await t.client
      .putManifest(t.repo('app'), 'v1', imageManifest(Buffer.from('{}'), []), OCI_MANIFEST)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(
      /the registry stored digest sha256:0{64}, but the bytes sent have/,
    );
  });

  it('reads the digest from the body when HEAD leaves it out', async () => {
    const t = await open({ headWithoutDigest: true });
    const bytes = imageManifest(Buffer.from('{}'), []);
    t.fake.manifests.set('app@v1', { bytes, mediaType: OCI_MANIFEST });
    expect(await t.client.headManifest(t.repo('app'), 'v1')).toEqual({
      digest: sha256Digest(bytes),
      mediaType: OCI_MANIFEST,
      size: bytes.length,
    });
  });

  it('takes the media type from the Content-Type when the manifest has no mediaType field', async () => {
    const t = await open();
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] }));
    t.fake.manifests.set('app@v1', { bytes, mediaType: `${OCI_INDEX}; charset=utf-8` });
    expect((await t.client.getManifest(t.repo('app'), 'v1')).mediaType).toBe(OCI_INDEX);
  });

  it('refuses media types and manifests it cannot read', async () => {
    const t = await open();
    t.fake.manifests.set('app@v1', {
      bytes: Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'app' })),
      mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
    });
    await expect(t.client.getManifest(t.repo('app'), 'v1')).rejects.toThrow(
      /schemaVersion 1 is not supported/,
    );
    t.fake.manifests.set('app@v2', {
      bytes: Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.cncf.helm.config.v1+json' }),
      ),
      mediaType: 'application/vnd.cncf.helm.config.v1+json',
    });
    await expect(t.client.getManifest(t.repo('app'), 'v2')).rejects.toThrow(
      /is not a manifest type this client reads/,
    );
  });
});

describe('putManifest checks its arguments before writing', () => {
  it.each([
    [
      'an unknown media type',
      'v1',
      'application/json',
      /^media-type: "application\/json" is not a manifest media type/,
    ],
    [
      'a media type the bytes contradict',
      'v1',
      DOCKER_MANIFEST,
      /^media-type: .* says mediaType application\/vnd\.oci\.image\.manifest\.v1\+json but would be sent as/,
    ],
    [
      'a digest the bytes do not have',
      `sha256:${'2'.repeat(64)}`,
      OCI_MANIFEST,
      /^reference: .* the bytes to push have digest/,
    ],
    [
      'a malformed reference',
      'bad tag',
      OCI_MANIFEST,
      /^reference: "bad tag" is neither a tag nor a digest/,
    ],
    [
      'a malformed digest',
      'sha256:abc',
      OCI_MANIFEST,
      /^reference: "sha256:abc" is not a valid digest/,
    ],
  ])('%s', async (_name, reference, mediaType, message) => {
    const t = await open();
    const error = await t.client
      .putManifest(t.repo('app'), reference, imageManifest(Buffer.from('{}'), []), mediaType)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XplatError);
    expect((error as Error).message).toMatch(message);
    expect(t.fake.requests.filter((r) => r.line.startsWith('PUT'))).toEqual([]);
  });
});

describe('blobs', () => {
  it('copies when the registry answers a mount with 202', async () => {
    const t = await open({ mountDisabled: true });
    const blob = Buffer.from('a layer that will not be mounted');
    const digest = sha256Digest(blob);
    t.fake.blobs.set(`src@${digest}`, blob);
    expect(await t.client.mountBlob(t.repo('dst'), digest, 'src')).toBe('copied');
    expect(t.fake.blobs.get(`dst@${digest}`)).toEqual(blob);
    const lines = t.fake.requests.map((r) => r.line.replace(/uploads\/[0-9a-f-]+/, 'uploads/UUID'));
    expect(lines).toEqual([
      'GET /v2/',
      `POST /v2/dst/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=src`,
      `GET /v2/src/blobs/${digest}`,
      `PUT /v2/dst/blobs/uploads/UUID?digest=${encodeURIComponent(digest)}`,
    ]);
  });

  // Issue 20: a registry that revokes every token while streamed uploads wait for their
  // answer. Each upload's final PUT gets 401 invalid_token; its body was a stream, so the
  // transfer starts over (a new session, the bytes read again) with a fresh token.
  it('starts a streamed upload over when its token is revoked while it is in flight', async () => {
    fake = await startFakeRegistry({
      user: 'u',
      password: 'p',
      mountDisabled: true,
      revokeOn: { method: 'PUT', path: /\/manifests\//, nth: 1 },
      holdUploads: 2,
    });
    const client = new RegistryClient({
      credentials: { username: 'u', password: 'p', registry: fake.host },
      retry: { sleep: async () => undefined },
    });
    const repo = (repository: string) => ({ registry: fake!.host, repository });
    const config = Buffer.from('{"architecture":"amd64","os":"windows"}');
    const layer = Buffer.from('a windows layer, streamed');
    fake.blobs.set(`src@${sha256Digest(config)}`, config);
    fake.blobs.set(`src@${sha256Digest(layer)}`, layer);
    const manifest = imageManifest(config, [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: sha256Digest(layer),
        size: layer.length,
      },
    ]);
    fake.manifests.set(`src@${sha256Digest(manifest)}`, {
      bytes: manifest,
      mediaType: OCI_MANIFEST,
    });
    // Another manifest PUT in the same repository: the one that revokes every token.
    const other = imageManifest(Buffer.from('{}'), []);
    const [copied, put] = await Promise.all([
      client.copyImage({ ...repo('src'), digest: sha256Digest(manifest) }, repo('dst'), {
        checkTarget: false,
      }),
      client.putManifest(repo('dst'), sha256Digest(other), other, OCI_MANIFEST),
    ]);
    expect(put).toBe(sha256Digest(other));
    expect(copied.blobs.copied).toBe(2);
    expect(fake.blobs.get(`dst@${sha256Digest(config)}`)).toEqual(config);
    expect(fake.blobs.get(`dst@${sha256Digest(layer)}`)).toEqual(layer);
    // Two sessions from the refused mounts, two more when the uploads start over.
    const sessions = fake.requests.filter((r) => /^POST \/v2\/dst\/blobs\/uploads\/$/.test(r.line));
    expect(sessions).toHaveLength(2);
    const mounts = fake.requests.filter((r) =>
      /^POST \/v2\/dst\/blobs\/uploads\/\?mount/.test(r.line),
    );
    expect(mounts).toHaveLength(2);
    expect(
      fake.requests.filter((r) => r.line.startsWith('PUT /v2/dst/blobs/uploads/')),
    ).toHaveLength(4);
  });

  it('refuses a blob whose bytes do not match its digest', async () => {
    const t = await open();
    const digest = sha256Digest(Buffer.from('expected'));
    t.fake.blobs.set(`src@${digest}`, Buffer.from('tampered'));
    await expect(t.client.getBlob(t.repo('src'), digest)).rejects.toThrow(
      /the bytes received have digest/,
    );
    // A streamed copy checks too, and the target never gets the blob. (localhost:PORT is
    // the same server under another registry name, so the client copies instead of mounting.)
    const other = { registry: t.fake.host.replace('127.0.0.1', 'localhost'), repository: 'dst' };
    await expect(t.client.mountBlob(other, digest, t.repo('src'))).rejects.toThrow(
      /the bytes received have digest/,
    );
    expect(t.fake.blobs.has(`dst@${digest}`)).toBe(false);
  });

  it('skips foreign layers when copying an image, and says so', async () => {
    const t = await open();
    const config = Buffer.from(
      JSON.stringify({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2655' }),
    );
    const layer = Buffer.from('real layer');
    const foreign = {
      mediaType: DOCKER_FOREIGN_LAYER,
      digest: `sha256:${'f'.repeat(64)}`,
      size: 12345,
      urls: ['https://mcr.example/base.tar.gz'],
    };
    const manifest = imageManifest(config, [
      foreign,
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: sha256Digest(layer),
        size: layer.length,
      },
    ]);
    t.fake.blobs.set(`src@${sha256Digest(config)}`, config);
    t.fake.blobs.set(`src@${sha256Digest(layer)}`, layer);
    t.fake.manifests.set('src@win', { bytes: manifest, mediaType: OCI_MANIFEST });
    const result = await t.client.copyImage(
      { registry: t.fake.host, repository: 'src', tag: 'win' },
      t.repo('dst'),
    );
    expect(result.blobs).toEqual({ exists: 0, mounted: 2, copied: 0, skipped: 1 });
    expect(
      t.lines.some(
        (l) =>
          l.includes(`skipping foreign layer ${foreign.digest}`) &&
          l.includes('https://mcr.example/base.tar.gz'),
      ),
    ).toBe(true);
    expect(t.fake.blobs.has(`dst@${foreign.digest}`)).toBe(false);
    expect(t.fake.manifests.get(`dst@${sha256Digest(manifest)}`)?.bytes).toEqual(manifest);
  });
});

describe('round trips', () => {
  it('bounds the requests in flight to one registry', async () => {
    fake = await startFakeRegistry({ open: true, delayMs: 20 });
    const client = new RegistryClient({ maxRequestsPerRegistry: 3 });
    const bytes = imageManifest(Buffer.from('{}'), []);
    for (let i = 0; i < 10; i++)
      fake.manifests.set(`app@t${i}`, { bytes, mediaType: OCI_MANIFEST });
    const repo = { registry: fake.host, repository: 'app' };
    const read = await Promise.all(
      Array.from({ length: 10 }, (_, i) => client.getManifest(repo, `t${i}`)),
    );
    expect(read.map((r) => r.digest)).toEqual(Array(10).fill(sha256Digest(bytes)));
    expect(fake.maxInFlight).toBeLessThanOrEqual(3);
    expect(fake.maxInFlight).toBeGreaterThan(1);
  });

  it('Limiter runs at most `limit` at once, in order of arrival', async () => {
    const limiter = new Limiter(2);
    let active = 0;
    let most = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limiter
          .run(async () => {
            started.push(i);
            most = Math.max(most, ++active);
            await new Promise((resolve) => setImmediate(resolve));
            active--;
            if (i === 3) throw new Error('a failure frees its slot too');
          })
          .catch(() => undefined),
      ),
    );
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('checks a manifest with GET (undici closes the connection after a HEAD)', async () => {
    const t = await open();
    const bytes = imageManifest(Buffer.from('{}'), []);
    t.fake.manifests.set('app@v1', { bytes, mediaType: OCI_MANIFEST });
    expect(await t.client.headManifest(t.repo('app'), 'v1')).toEqual({
      digest: sha256Digest(bytes),
      mediaType: OCI_MANIFEST,
      size: bytes.length,
    });
    expect(await t.client.headManifest(t.repo('app'), 'missing')).toBeUndefined();
    expect(await t.client.findManifest(t.repo('app'), 'missing')).toBeUndefined();
    expect(t.fake.requests.map((r) => r.line)).toEqual([
      'GET /v2/',
      'GET /v2/app/manifests/v1',
      'GET /v2/app/manifests/missing',
      'GET /v2/app/manifests/missing',
    ]);
  });

  it('copies an image it was handed without reading it again, mounting without asking first', async () => {
    const t = await open();
    const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64' }));
    const layer = Buffer.from('a layer');
    const manifest = imageManifest(config, [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: sha256Digest(layer),
        size: layer.length,
      },
    ]);
    t.fake.blobs.set(`src@${sha256Digest(config)}`, config);
    t.fake.blobs.set(`src@${sha256Digest(layer)}`, layer);
    t.fake.manifests.set(`src@${sha256Digest(manifest)}`, {
      bytes: manifest,
      mediaType: OCI_MANIFEST,
    });
    const source = { registry: t.fake.host, repository: 'src', digest: sha256Digest(manifest) };
    const given = await t.client.getManifest(source, source.digest);
    t.fake.requests.length = 0;

    const result = await t.client.copyImage(source, t.repo('dst'), {
      manifest: given,
      checkTarget: false,
    });
    expect(result).toMatchObject({ manifests: 1, blobs: { mounted: 2, exists: 0, copied: 0 } });
    const lines = t.fake.requests.map((r) => r.line);
    // No GET of the source manifest, no HEAD of the target or its blobs: two mounts, one PUT last.
    expect(lines.filter((l) => !l.startsWith('POST')).sort()).toEqual([
      `PUT /v2/dst/manifests/${sha256Digest(manifest)}`,
    ]);
    expect(lines.filter((l) => l.startsWith('POST'))).toHaveLength(2);
    expect(lines.at(-1)).toBe(`PUT /v2/dst/manifests/${sha256Digest(manifest)}`);
    expect(t.fake.manifests.get(`dst@${sha256Digest(manifest)}`)?.bytes).toEqual(manifest);
  });
});
