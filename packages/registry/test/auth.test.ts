import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XplatError } from '@xplat/core';
import { DEFAULT_TOKEN_LIFETIME_S } from '../src/internal/token.js';
import { OCI_MANIFEST, sha256Digest } from '@xplat/oci';
import { RegistryClient, type RegistryClientOptions } from '../src/index.js';
import {
  type FakeRegistry,
  type FakeRegistryOptions,
  startFakeRegistry,
} from './token-registry.js';
import { startServer, type LocalServer } from './local-server.js';

const USER = 'robot';
const PASSWORD = 'correct-horse-battery';

let fake: FakeRegistry | undefined;
let plain: LocalServer | undefined;
afterEach(async () => {
  await fake?.close();
  await plain?.close();
  fake = undefined;
  plain = undefined;
});

/** A logger that keeps lines, to prove no secret ever reaches it. */
function recorder() {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      debug: (m: string) => lines.push(`debug: ${m}`),
      info: (m: string) => lines.push(m),
      warning: (m: string) => lines.push(`warning: ${m}`),
    },
  };
}

async function setup(
  registry: FakeRegistryOptions = {},
  client: Partial<RegistryClientOptions> = {},
) {
  fake = await startFakeRegistry({ user: USER, password: PASSWORD, expiresIn: 300, ...registry });
  const emptyConfig = await mkdtemp(join(tmpdir(), 'xplat-auth-'));
  let clock = 1_700_000_000_000;
  const { lines, logger } = recorder();
  const secrets: string[] = [];
  const c = new RegistryClient({
    credentials: { username: USER, password: PASSWORD, registry: fake.host },
    dockerConfigDir: emptyConfig,
    logger,
    onSecret: (s) => secrets.push(s),
    now: () => clock,
    retry: { maxAttempts: 2, baseDelayMs: 1, sleep: async () => undefined },
    ...client,
  });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256Digest(Buffer.from('{}')),
        size: 2,
      },
      layers: [],
    }),
  );
  return {
    fake,
    client: c,
    lines,
    secrets,
    manifest,
    advance: (ms: number) => {
      clock += ms;
    },
    repo: (repository: string) => ({ registry: fake!.host, repository }),
  };
}

describe('Bearer token flow against a local token-auth registry', () => {
  it('asks for exactly pull on the repository it reads', async () => {
    const t = await setup();
    t.fake.manifests.set('org/app@v1', { bytes: t.manifest, mediaType: OCI_MANIFEST });
    const got = await t.client.getManifest(t.repo('org/app'), 'v1');
    expect(got.digest).toBe(sha256Digest(t.manifest));
    expect(t.fake.tokenRequests).toEqual([
      {
        method: 'GET',
        scopes: ['repository:org/app:pull'],
        service: 'fake-registry',
        who: `basic:${USER}`,
      },
    ]);
  });

  it('asks for pull,push on the repository it writes', async () => {
    const t = await setup();
    await t.client.putManifest(t.repo('org/app'), 'v1', t.manifest, OCI_MANIFEST);
    expect(t.fake.tokenRequests.map((r) => r.scopes)).toEqual([['repository:org/app:pull,push']]);
  });

  it('asks for both repositories in one token for a cross-repository mount', async () => {
    const t = await setup();
    const blob = Buffer.from('layer');
    const digest = sha256Digest(blob);
    t.fake.blobs.set(`src/app@${digest}`, blob);
    expect(await t.client.mountBlob(t.repo('dst/app'), digest, 'src/app')).toBe('mounted');
    expect(t.fake.tokenRequests.map((r) => r.scopes)).toEqual([
      ['repository:dst/app:pull,push', 'repository:src/app:pull'],
    ]);
    expect(t.fake.blobs.get(`dst/app@${digest}`)).toEqual(blob);
  });

  it('reuses a token until it expires, then fetches a new one', async () => {
    const t = await setup({ expiresIn: 120 });
    t.fake.manifests.set('app@v1', { bytes: t.manifest, mediaType: OCI_MANIFEST });
    await t.client.getManifest(t.repo('app'), 'v1');
    await t.client.headManifest(t.repo('app'), 'v1');
    t.advance(100_000);
    await t.client.getManifest(t.repo('app'), 'v1');
    expect(t.fake.tokenRequests).toHaveLength(1);
    t.advance(20_001); // past 120 s
    await t.client.getManifest(t.repo('app'), 'v1');
    expect(t.fake.tokenRequests).toHaveLength(2);
    // The stale token was never sent: every registry request was answered 200.
    expect(
      t.fake.requests.filter(
        (r) => r.line.startsWith('GET /v2/app') || r.line.startsWith('HEAD /v2/app'),
      ),
    ).toHaveLength(4);
  });

  it(`takes ${DEFAULT_TOKEN_LIFETIME_S} s when the token server names no expiry`, async () => {
    const t = await setup({ expiresIn: undefined });
    t.fake.manifests.set('app@v1', { bytes: t.manifest, mediaType: OCI_MANIFEST });
    await t.client.getManifest(t.repo('app'), 'v1');
    t.advance(45_000);
    await t.client.getManifest(t.repo('app'), 'v1');
    expect(t.fake.tokenRequests).toHaveLength(1);
    t.advance(15_000);
    await t.client.getManifest(t.repo('app'), 'v1');
    expect(t.fake.tokenRequests).toHaveLength(2);
  });

  it('serves a pull with a cached push token, but not a push with a pull token', async () => {
    const t = await setup();
    await t.client.putManifest(t.repo('app'), 'v1', t.manifest, OCI_MANIFEST);
    await t.client.getManifest(t.repo('app'), 'v1');
    expect(t.fake.tokenRequests).toHaveLength(1);
    await t.client.getManifest(t.repo('other'), 'v1').catch(() => undefined);
    await t.client.putManifest(t.repo('other'), 'v1', t.manifest, OCI_MANIFEST);
    expect(t.fake.tokenRequests.map((r) => r.scopes)).toEqual([
      ['repository:app:pull,push'],
      ['repository:other:pull'],
      ['repository:other:pull,push'],
    ]);
  });

  it('refreshes a cached token the registry turns down, once', async () => {
    const t = await setup();
    t.fake.manifests.set('app@v1', { bytes: t.manifest, mediaType: OCI_MANIFEST });
    await t.client.getManifest(t.repo('app'), 'v1');
    t.fake.revokeAll();
    await t.client.getManifest(t.repo('app'), 'v1');
    expect(t.fake.tokenRequests).toHaveLength(2);
    expect(t.fake.requests.map((r) => r.line)).toEqual([
      'GET /v2/',
      'GET /v2/app/manifests/v1',
      'GET /v2/app/manifests/v1', // 401: the token was revoked
      'GET /v2/app/manifests/v1',
    ]);
  });

  it('a revocation drops every token that existed when the request went out, so the one re-send gets a new one', async () => {
    const t = await setup();
    t.fake.manifests.set('app@v1', { bytes: t.manifest, mediaType: OCI_MANIFEST });
    await t.client.getManifest(t.repo('app'), 'v1'); // token 1: app pull
    await t.client.putManifest(t.repo('app'), 'v2', t.manifest, OCI_MANIFEST); // token 2: app pull,push
    t.fake.revokeAll();
    // The read goes out with token 1 (its exact scope) and gets invalid_token; token 2 also
    // serves a pull and is just as revoked: were it kept, the one re-send would fail too.
    const got = await t.client.getManifest(t.repo('app'), 'v1');
    expect(got.digest).toBe(sha256Digest(t.manifest));
    expect(t.fake.tokenRequests).toHaveLength(3);
  });

  it('requests sent at once share one token, and all of them recover when it is revoked', async () => {
    const t = await setup();
    for (const tag of ['v1', 'v2', 'v3', 'v4'])
      t.fake.manifests.set(`app@${tag}`, { bytes: t.manifest, mediaType: OCI_MANIFEST });
    const all = () =>
      Promise.all(['v1', 'v2', 'v3', 'v4'].map((tag) => t.client.getManifest(t.repo('app'), tag)));
    await all();
    expect(t.fake.tokenRequests).toHaveLength(1);
    t.fake.revokeAll();
    // Each of the four was sent with the revoked token, got a 401 and is sent once more
    // with one new token, fetched once for all of them.
    expect((await all()).map((r) => r.digest)).toEqual(Array(4).fill(sha256Digest(t.manifest)));
    expect(t.fake.tokenRequests).toHaveLength(2);
  });

  it('turns a wrong password into one line naming the registry and the inputs, without the secret', async () => {
    const t = await setup({}, { credentials: { username: USER, password: 'wrong-password-123' } });
    const error = await t.client.getManifest(t.repo('app'), 'v1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XplatError);
    const message = (error as Error).message;
    expect(message).toBe(
      `username/password: ${t.fake.host} rejected the credentials from the username and password inputs (401 UNAUTHORIZED: unauthorized); check that they are right for ${t.fake.host}`,
    );
    expect(message).not.toContain('wrong-password-123');
    expect(t.fake.tokenRequests).toHaveLength(1); // not hammered
  });

  it('says a login is needed when there are no credentials', async () => {
    const t = await setup({}, { credentials: undefined });
    const error = await t.client.getManifest(t.repo('private/app'), 'v1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XplatError);
    expect((error as Error).message).toBe(
      `username/password: ${t.fake.host} requires a login for pull on private/app: give the username and password inputs, or run docker login ${t.fake.host} first`,
    );
  });

  it('says the account lacks access when the token does not cover a push', async () => {
    const t = await setup({ readOnly: ['ro/app'] });
    const error = await t.client
      .putManifest(t.repo('ro/app'), 'v1', t.manifest, OCI_MANIFEST)
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `username/password: the credentials from the username and password inputs are not allowed pull,push on ro/app at ${t.fake.host}; use an account with that access`,
    );
    await expect(t.client.checkAccess(t.repo('ro/app'), 'push')).rejects.toThrow(
      /not allowed pull,push on ro\/app/,
    );
    await expect(t.client.checkAccess(t.repo('ro/app'), 'pull')).resolves.toBeUndefined();
  });

  it('exchanges an identity token from config.json with an OAuth2 POST', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xplat-auth-'));
    const t0 = await startFakeRegistry({ refreshToken: 'idtoken-xyz', expiresIn: 300 });
    fake = t0;
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ auths: { [t0.host]: { identitytoken: 'idtoken-xyz' } } }),
    );
    const client = new RegistryClient({
      dockerConfigDir: dir,
      retry: { sleep: async () => undefined },
    });
    await client.putManifest(
      { registry: t0.host, repository: 'app' },
      'v1',
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { mediaType: 'x', digest: sha256Digest(Buffer.from('')), size: 0 },
          layers: [],
        }),
      ),
      OCI_MANIFEST,
    );
    expect(t0.tokenRequests).toEqual([
      {
        method: 'POST',
        scopes: ['repository:app:pull,push'],
        service: 'fake-registry',
        who: 'refresh:idtoken-xyz',
      },
    ]);
  });

  it('hands every secret to onSecret and never logs one', async () => {
    const t = await setup();
    t.fake.manifests.set('app@v1', { bytes: t.manifest, mediaType: OCI_MANIFEST });
    await t.client.getManifest(t.repo('app'), 'v1');
    await t.client.putManifest(t.repo('app'), 'v2', t.manifest, OCI_MANIFEST);
    expect(t.secrets).toEqual(expect.arrayContaining([PASSWORD, 'token-1', 'token-2']));
    const log = t.lines.join('\n');
    expect(t.lines.length).toBeGreaterThan(3);
    for (const secret of [
      PASSWORD,
      'token-1',
      'token-2',
      'Bearer',
      'Basic ',
      Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('Basic challenge', () => {
  it('sends Basic credentials after the challenge, and names the inputs when they are wrong', async () => {
    const seen: (string | undefined)[] = [];
    plain = await startServer((req, res) => {
      seen.push(req.headers.authorization);
      const ok = req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`;
      if (!ok) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="basic-realm"' });
        return res.end();
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
    });
    const repo = { registry: plain.host, repository: 'app' };
    const good = new RegistryClient({ credentials: { username: 'u', password: 'p' } });
    expect(await good.headManifest(repo, 'v1')).toBeUndefined();
    expect(seen).toEqual([undefined, `Basic ${Buffer.from('u:p').toString('base64')}`]);

    const bad = new RegistryClient({ credentials: { username: 'u', password: 'nope-secret' } });
    const error = await bad.headManifest(repo, 'v1').catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `username/password: ${plain.host} rejected the credentials from the username and password inputs (401); check that they are right for ${plain.host}`,
    );
  });
});
