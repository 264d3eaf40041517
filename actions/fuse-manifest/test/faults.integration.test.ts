/**
 * fuse-manifest, the bundle as the runner runs it, against the test bed's registries
 * through the fault proxy (test/fault-proxy.ts). For every fault: the exit code, the
 * tag's final state read from the registry itself (not through the proxy), a time
 * bound, at most one `::error::` line, and no stack trace.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { startFaultProxy, type FaultProxy, type ProxyOptions } from '../../../test/fault-proxy.js';
import { runAction } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const AMD64 = tb.env('XPLAT_FIXTURE_LINUX_AMD64_DIGEST');
const ARM64 = tb.env('XPLAT_FIXTURE_LINUX_ARM64_DIGEST');
const LTSC2022 = tb.env('XPLAT_FIXTURE_WINDOWS_LTSC2022_DIGEST');
const KILL_AFTER_MS = 200_000;

let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

interface Outcome {
  exitCode: number;
  errors: string[];
  digest: string | undefined;
  /** The tag as the registry behind the proxy holds it; undefined: no such tag. */
  tag: string | undefined;
  ms: number;
  output: string;
}

async function tagState(
  registry: string,
  repository: string,
  tag: string,
  auth?: string,
): Promise<string | undefined> {
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept:
        'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json',
      ...(auth ? { authorization: auth } : {}),
    },
  });
  return res.status === 200 ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
}

/**
 * One fuse of the two Linux fixtures (with `windows`, the ltsc2022 one too) into a new
 * repository, through a proxy with `faults`.
 */
async function fuseThrough(
  faults: Omit<ProxyOptions, 'upstream'>,
  options: { auth?: boolean; login?: boolean; repository?: string; windows?: boolean } = {},
): Promise<Outcome & { repository: string }> {
  const upstream = options.auth ? tb.authRegistry : tb.openRegistry;
  proxy ??= await startFaultProxy({ upstream, ...faults });
  const p = proxy;
  const repository = options.repository ?? uniqueRepository('fault-fuse');
  const started = Date.now();
  const run = await runAction(
    'fuse-manifest',
    {
      image: `${p.address}/${repository}`,
      tags: 'v1',
      sources: [
        `${p.address}/fixtures/busybox@${AMD64}`,
        `${p.address}/fixtures/busybox@${ARM64}`,
        ...(options.windows ? [`${p.address}/fixtures/windows@${LTSC2022}`] : []),
      ].join('\n'),
      'expected-platforms': `linux/amd64,linux/arm64${options.windows ? ',windows/amd64:ltsc2022' : ''}`,
      ...(options.auth || options.login ? { username: tb.user, password: tb.password } : {}),
    },
    { env: { DOCKER_CONFIG: tb.env('DOCKER_CONFIG') }, timeoutMs: KILL_AFTER_MS },
  );
  const ms = Date.now() - started;
  const auth = options.auth
    ? `Basic ${Buffer.from(`${tb.user}:${tb.password}`).toString('base64')}`
    : undefined;
  return {
    repository,
    exitCode: run.exitCode,
    errors: run.errors,
    digest: run.outputs.digest,
    tag: await tagState(upstream, repository, 'v1', auth),
    ms,
    output: `${run.stdout}\n${run.stderr}`,
  };
}

/** What every run holds to, failed or not. */
function sane(o: Outcome): void {
  expect(o.output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  const visible = o.output.split('\n').filter((l) => !l.startsWith('::add-mask::'));
  expect(visible.join('\n')).not.toContain(tb.password);
  expect(o.errors.length).toBeLessThanOrEqual(1);
  for (const e of o.errors) expect(e.length).toBeLessThan(2000);
}

function succeeded(o: Outcome, boundMs: number): void {
  sane(o);
  expect({ exitCode: o.exitCode, errors: o.errors }).toEqual({ exitCode: 0, errors: [] });
  expect(o.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  expect(o.tag).toBe(o.digest);
  expect(o.ms).toBeLessThan(boundMs);
}

function failedCleanly(o: Outcome, boundMs: number, line: RegExp): void {
  sane(o);
  expect(o.exitCode).toBe(1);
  expect(o.errors).toEqual([expect.stringMatching(line)]);
  expect(o.tag).toBeUndefined();
  expect(o.ms).toBeLessThan(boundMs);
}

describe('fuse-manifest through registry faults', () => {
  it('429 with Retry-After on the manifests', async () => {
    const o = await fuseThrough({
      rules: [
        {
          method: 'GET',
          path: /\/manifests\//,
          times: 2,
          fault: { status: 429, headers: { 'retry-after': '1' } },
        },
      ],
    });
    succeeded(o, 60_000);
    expect(proxy!.log.filter((l) => l.outcome === 'fault 429')).toHaveLength(2);
  });

  it('a burst of 503s', async () => {
    const o = await fuseThrough({ rules: [{ path: /\/v2\/./, times: 4, fault: { status: 503 } }] });
    succeeded(o, 60_000);
  });

  it('connection resets on HEAD, on the cross-repository mount and on the manifest PUT', async () => {
    const o = await fuseThrough({
      rules: [
        { method: 'HEAD', times: 2, fault: { reset: true } },
        { method: 'POST', path: /mount=/, times: 1, fault: { reset: true } },
        { method: 'PUT', path: /\/manifests\//, times: 1, fault: { reset: true } },
      ],
    });
    succeeded(o, 60_000);
    expect(proxy!.log.filter((l) => l.outcome === 'reset').length).toBeGreaterThanOrEqual(2);
  });

  it('a request that hangs for 35 s: that attempt times out, the next one succeeds', async () => {
    const o = await fuseThrough({
      rules: [{ method: 'GET', path: /\/manifests\//, times: 1, fault: { hang: 35_000 } }],
    });
    succeeded(o, 120_000);
  }, 180_000);

  it('a lost answer to the stored index PUT: the run, or a re-run, converges to the same digest', async () => {
    const first = await fuseThrough({
      rules: [{ method: 'PUT', path: /\/manifests\/v1$/, times: 1, fault: { loseAnswer: true } }],
    });
    sane(first);
    expect(proxy!.log.some((l) => l.outcome.startsWith('lost'))).toBe(true);
    proxy!.setRules([]);
    const again = await fuseThrough({}, { repository: first.repository });
    succeeded(again, 60_000);
    if (first.exitCode === 0) expect(first.digest).toBe(again.digest);
  });

  it('manifests whose bytes do not match their digest: refused, nothing tagged', async () => {
    const o = await fuseThrough({
      rules: [
        { method: 'GET', path: /\/manifests\/sha256:/, times: 1000, fault: { alterBody: true } },
      ],
    });
    failedCleanly(o, 60_000, /digest|sha256/);
  });

  it('persistent 500: one line naming the registry, in bounded time, nothing tagged', async () => {
    const o = await fuseThrough({
      rules: [{ path: /\/v2\//, times: 100_000, fault: { status: 500 } }],
    });
    failedCleanly(o, 150_000, new RegExp(proxy!.address.replace(/\./g, '\\.')));
  }, 200_000);

  it('a Bearer token revoked mid-run: completes with a new token', async () => {
    const o = await fuseThrough(
      { bearer: { username: tb.user, password: tb.password, revokeAfter: 3 } },
      { login: true },
    );
    expect(proxy!.log.some((l) => l.outcome === '401 revoked')).toBe(true);
    // With requests in flight at the moment of revocation, every token of the registry
    // that existed then is dropped (not just the one sent), so the one re-send gets a
    // new token whichever request saw the 401 first.
    succeeded(o, 60_000);
  });

  // Issue 20's case: a token service that issues a fresh token per request revokes every
  // token on the second manifest PUT of a three-platform fuse, with the Windows image's two
  // blobs streamed (its mounts refused) and their final upload PUTs in flight; each of
  // those PUTs, sent with a revoked token, gets 401 invalid_token. A consumed stream
  // cannot be sent again, so the transfer starts over (a new session, the bytes read
  // again) with a fresh token.
  it('a Bearer token revoked on the second manifest PUT while blob uploads are in flight', async () => {
    const o = await fuseThrough(
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
      { login: true, windows: true },
    );
    const revoked = proxy!.revokedAnswers;
    expect(revoked.filter((r) => /^PUT .*\/blobs\/uploads\//.test(r))).toHaveLength(2);
    expect(revoked.filter((r) => /^PUT .*\/manifests\//.test(r))).toHaveLength(1);
    succeeded(o, 60_000);
    // Both blobs were uploaded again after the 401s, each in a session of its own.
    const uploads = proxy!.log.filter(
      (l) => l.method === 'PUT' && /\/blobs\/uploads\//.test(l.path),
    );
    expect(uploads.filter((l) => l.outcome === '201')).toHaveLength(2);
  });

  it('a revoked Bearer token and revoked credentials: one line naming the registry, nothing tagged', async () => {
    const o = await fuseThrough(
      {
        bearer: {
          username: tb.user,
          password: tb.password,
          revokeAfter: 3,
          refuseAfterRevoke: true,
        },
      },
      { login: true },
    );
    failedCleanly(o, 60_000, new RegExp(proxy!.address.replace(/\./g, '\\.')));
  });

  it('a spurious Basic 401 after the credentials worked (Harbor, Nexus behind LDAP)', async () => {
    const o = await fuseThrough(
      {
        rules: [
          {
            method: 'PUT',
            path: /\/manifests\//,
            times: 1,
            fault: { status: 401, headers: { 'www-authenticate': 'Basic realm="Registry Realm"' } },
          },
        ],
      },
      { auth: true },
    );
    succeeded(o, 60_000);
    expect(proxy!.log.filter((l) => l.outcome === 'fault 401')).toHaveLength(1);
  });
});
