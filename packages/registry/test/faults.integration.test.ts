/**
 * The registry client against the test bed's registries through the fault proxy
 * (test/fault-proxy.ts): every fault a registry or network produces is survived where it
 * can be, and refused in one line naming the registry where it cannot, within a bound.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { parseReference, parseRepository, sha256Digest } from '@xplat/oci';
import {
  createRegistryClient,
  type RegistryClient,
  type RegistryClientOptions,
} from '@xplat/registry';
import { startFaultProxy, type FaultProxy, type ProxyOptions } from '../../../test/fault-proxy.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const AMD64 = tb.env('XPLAT_FIXTURE_LINUX_AMD64_DIGEST');
const ARM64 = tb.env('XPLAT_FIXTURE_LINUX_ARM64_DIGEST');
const LTSC2022 = tb.env('XPLAT_FIXTURE_WINDOWS_LTSC2022_DIGEST');

let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/** Short bounds, so the failures are quick; the same code paths as the defaults. */
const FAST = {
  baseDelayMs: 50,
  maxDelayMs: 400,
  maxRetryAfterMs: 2000,
  requestTimeoutMs: 3000,
  totalTimeMs: 20_000,
};

async function through(
  options: Omit<ProxyOptions, 'upstream'> & { upstream?: string },
  client: RegistryClientOptions = {},
): Promise<{ proxy: FaultProxy; client: RegistryClient }> {
  proxy = await startFaultProxy({ upstream: tb.openRegistry, ...options });
  return {
    proxy,
    client: createRegistryClient({
      resolveCredentials: async () => undefined,
      ...client,
      retry: { ...FAST, ...client.retry },
    }),
  };
}

/** The tag as the registry itself holds it, asked directly (not through the proxy). */
async function tagState(
  registry: string,
  repository: string,
  tag: string,
  auth?: string,
): Promise<string | undefined> {
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept: [
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ].join(', '),
      ...(auth ? { authorization: auth } : {}),
    },
  });
  return res.status === 200 ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
}

const source = (address: string) =>
  parseReference(`${address}/fixtures/busybox@${AMD64}`, 'source');

describe('the registry client through faults', () => {
  it('429 with Retry-After: waits as told, then succeeds', async () => {
    const { proxy, client } = await through({
      rules: [
        {
          method: 'GET',
          path: /\/manifests\//,
          times: 2,
          fault: { status: 429, headers: { 'retry-after': '1' } },
        },
      ],
    });
    const started = Date.now();
    const got = await client.getManifest(source(proxy.address), AMD64);
    expect(got.digest).toBe(AMD64);
    expect(proxy.log.filter((l) => l.outcome === 'fault 429')).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500); // two Retry-After: 1
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a burst of 503s: retried until the registry answers', async () => {
    const { proxy, client } = await through({
      rules: [{ path: /\/v2\/fixtures/, times: 3, fault: { status: 503 } }],
    });
    const got = await client.getManifest(source(proxy.address), AMD64);
    expect(got.digest).toBe(AMD64);
    expect(proxy.log.filter((l) => l.outcome === 'fault 503')).toHaveLength(3);
  });

  it('connection resets on HEAD (blob) and GET (manifest): retried', async () => {
    const { proxy, client } = await through({
      rules: [
        { method: 'HEAD', path: /\/blobs\//, times: 2, fault: { reset: true } },
        { method: 'GET', path: /\/manifests\//, times: 1, fault: { reset: true } },
      ],
    });
    const repo = source(proxy.address);
    const got = await client.getManifest(repo, AMD64);
    const config = (got.manifest as unknown as { config: { digest: string } }).config.digest;
    expect(await client.blobExists(repo, config)).toBe(true);
    expect(proxy.log.filter((l) => l.outcome === 'reset')).toHaveLength(3);
  });

  it('a connection reset on a cross-repository mount: retried', async () => {
    const { proxy, client } = await through({
      rules: [
        { method: 'POST', path: /\/blobs\/uploads\/\?.*mount=/, times: 1, fault: { reset: true } },
      ],
    });
    const repo = parseRepository(`${proxy.address}/${uniqueRepository('fault-mount')}`, 'image');
    const got = await client.getManifest(source(proxy.address), AMD64);
    const config = (got.manifest as unknown as { config: { digest: string } }).config.digest;
    expect(await client.mountBlob(repo, config, 'fixtures/busybox')).toBe('mounted');
    expect(proxy.log.filter((l) => l.outcome === 'reset')).toHaveLength(1);
    expect(await client.blobExists(repo, config)).toBe(true);
  });

  it('a hanging request: the attempt times out and the next one succeeds, in bounded time', async () => {
    const { proxy, client } = await through({
      rules: [{ method: 'GET', path: /\/manifests\//, times: 1, fault: { hang: 30_000 } }],
    });
    const started = Date.now();
    const got = await client.getManifest(source(proxy.address), AMD64);
    expect(got.digest).toBe(AMD64);
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('a lost answer to a stored manifest PUT: the retry converges on the same digest', async () => {
    const { proxy, client } = await through({});
    const repo = parseRepository(`${proxy.address}/${uniqueRepository('fault-lost')}`, 'image');
    const from = await client.getManifest(source(proxy.address), AMD64);
    // The image's blobs first (mounted from the fixtures repository), then the tag.
    const manifest = from.manifest as unknown as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    for (const blob of [manifest.config, ...manifest.layers])
      await client.mountBlob(repo, blob.digest, 'fixtures/busybox');
    proxy.setRules([
      { method: 'PUT', path: /\/manifests\/v1$/, times: 1, fault: { loseAnswer: true } },
    ]);
    let digest: string | undefined;
    try {
      digest = await client.putManifest(repo, 'v1', from.bytes, from.mediaType);
    } catch {
      // Some clients give up on a lost answer: a second run must converge.
      digest = await client.putManifest(repo, 'v1', from.bytes, from.mediaType);
    }
    expect(digest).toBe(sha256Digest(from.bytes));
    expect(proxy.log.some((l) => l.outcome.startsWith('lost'))).toBe(true);
    expect(await tagState(tb.openRegistry, repo.repository, 'v1')).toBe(digest);
  });

  it('a manifest whose bytes do not match its digest is refused', async () => {
    const { proxy, client } = await through({
      rules: [
        { method: 'GET', path: /\/manifests\/sha256:/, times: 100, fault: { alterBody: true } },
      ],
    });
    const error = await client.getManifest(source(proxy.address), AMD64).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/digest|sha256/);
    expect(error?.message.split('\n')).toHaveLength(1);
  });

  it('persistent 500: gives up within the bound, in one line naming the registry', async () => {
    const { proxy, client } = await through({
      rules: [{ path: /\/v2\//, times: 100_000, fault: { status: 500 } }],
    });
    const started = Date.now();
    const error = await client.getManifest(source(proxy.address), AMD64).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(error?.message).toContain(proxy.address);
    expect(error?.message.split('\n')).toHaveLength(1);
    expect(error?.stack ?? '').not.toContain(tb.password);
  });

  it('a revoked Bearer token: a fresh one is fetched and the work goes on', async () => {
    const { proxy, client } = await through({ bearer: { revokeAfter: 2 } });
    const repo = source(proxy.address);
    for (let i = 0; i < 4; i++) expect((await client.getManifest(repo, AMD64)).digest).toBe(AMD64);
    expect(proxy.log.some((l) => l.outcome === '401 revoked')).toBe(true);
    expect(proxy.log.filter((l) => l.outcome === 'token').length).toBeGreaterThanOrEqual(2);
  });

  // Issue 20's case at the client: three images copied at once from other repositories of
  // the same registry; the Windows one's mounts refused, so its two blobs stream; every
  // token revoked on the second manifest PUT while both uploads wait for their answer.
  it('a token revoked on the second manifest PUT while two streamed uploads are in flight', async () => {
    const { proxy, client } = await through(
      {
        bearer: {
          username: tb.user,
          password: tb.password,
          revokeOn: { method: 'PUT', path: /\/manifests\//, nth: 2, heldAtLeast: 2 },
          holdUntilRevoked: { method: 'PUT', path: /\/blobs\/uploads\// },
        },
        rules: [
          {
            method: 'POST',
            path: /mount=.*from=fixtures%2Fwindows/,
            times: 100,
            fault: { refuseMount: true },
          },
        ],
      },
      { credentials: { username: tb.user, password: tb.password, registry: '' } },
    );
    const c = createRegistryClient({
      credentials: { username: tb.user, password: tb.password, registry: proxy.address },
      retry: FAST,
    });
    void client;
    const target = parseRepository(`${proxy.address}/${uniqueRepository('fault-held')}`, 'image');
    const copies = await Promise.all(
      [
        ['busybox', AMD64],
        ['busybox', ARM64],
        ['windows', LTSC2022],
      ].map(([repo, digest]) =>
        c.copyImage(
          parseReference(`${proxy.address}/fixtures/${repo}@${digest}`, 'source'),
          target,
        ),
      ),
    );
    expect(copies.map((x) => x.digest)).toEqual([AMD64, ARM64, LTSC2022]);
    expect(copies[2]!.blobs.copied).toBe(2);
    const revoked = proxy.revokedAnswers;
    expect(
      revoked.filter((r) => r.startsWith('PUT ') && r.includes('/blobs/uploads/')),
    ).toHaveLength(2);
    expect(revoked.filter((r) => r.startsWith('PUT ') && r.includes('/manifests/'))).toHaveLength(
      1,
    );
    for (const digest of [AMD64, ARM64, LTSC2022])
      expect(await tagState(tb.openRegistry, target.repository, digest)).toBe(digest);
  });

  it('a revoked Bearer token whose credentials are revoked too: one line naming the registry', async () => {
    const { proxy, client } = await through({
      bearer: { revokeAfter: 1, refuseAfterRevoke: true },
    });
    const repo = source(proxy.address);
    await client.getManifest(repo, AMD64);
    await new Promise((r) => setTimeout(r, 50));
    const error = await client.getManifest(repo, AMD64).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain(proxy.address);
    expect(error?.message.split('\n')).toHaveLength(1);
    // Bounded: the token endpoint is asked a few times, not in a loop.
    expect(proxy.log.filter((l) => l.outcome === 'token refused').length).toBeLessThanOrEqual(3);
  });

  it('a spurious Basic 401 after the credentials worked: sent once more, and it succeeds', async () => {
    const { proxy, client } = await through(
      {
        upstream: tb.authRegistry,
        rules: [
          {
            method: 'GET',
            path: /\/manifests\//,
            after: 1,
            times: 1,
            fault: { status: 401, headers: { 'www-authenticate': 'Basic realm="Registry Realm"' } },
          },
        ],
      },
      { credentials: { username: tb.user, password: tb.password, registry: '' } },
    );
    // Credentials for the proxy's address: the same user and password as the registry behind.
    const c = createRegistryClient({
      credentials: { username: tb.user, password: tb.password, registry: proxy.address },
      retry: FAST,
    });
    void client;
    const repo = source(proxy.address);
    expect((await c.getManifest(repo, AMD64)).digest).toBe(AMD64);
    expect((await c.getManifest(repo, AMD64)).digest).toBe(AMD64);
    expect(proxy.log.filter((l) => l.outcome === 'fault 401')).toHaveLength(1);
  });

  it('a real rejection of Basic credentials still fails with the same message', async () => {
    proxy = await startFaultProxy({ upstream: tb.authRegistry });
    const c = createRegistryClient({
      credentials: { username: tb.user, password: 'not-the-password', registry: proxy.address },
      retry: FAST,
    });
    const error = await c.getManifest(source(proxy.address), AMD64).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/rejected the credentials .*check that they are right/);
  });
});
