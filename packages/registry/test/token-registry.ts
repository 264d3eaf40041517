/**
 * A small in-memory registry behind Docker-style token auth, on a real local port: the
 * test bed's registries only do Basic, and the Bearer flow (challenge, scoped tokens,
 * expiry, insufficient_scope) must be exercised against something that checks it.
 * It implements just enough of the distribution API for the client's operations.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type LocalServer, startServer } from './local-server.js';

export interface TokenRequest {
  method: string;
  scopes: string[];
  service: string | null;
  /** `basic:<user>`, `refresh:<token>` or `anonymous`. */
  who: string;
}

export interface FakeRegistryOptions {
  user?: string;
  password?: string;
  /** An accepted OAuth2 refresh token (identity token). */
  refreshToken?: string;
  /** `expires_in` to answer with; undefined leaves it out. */
  expiresIn?: number;
  /** Repositories the user may only pull from. */
  readOnly?: string[];
  /** Answer cross-repository mounts with 202 (an upload) instead of mounting. */
  mountDisabled?: boolean;
  /** Turn every token auth off: the registry is open. */
  open?: boolean;
  /** Lie in Docker-Content-Digest (to test that the client notices). */
  wrongDigestHeader?: boolean;
  /** Leave Docker-Content-Digest out of HEAD answers. */
  headWithoutDigest?: boolean;
  /** Hold every /v2/ answer this long (a far registry), so concurrent requests overlap. */
  delayMs?: number;
  /**
   * Revoke every token issued so far when the `nth` request matching `method` and `path`
   * arrives, and answer that request 401 `invalid_token` (as every later one carrying a
   * revoked token); tokens issued afterwards work. With holdUploads, the revocation waits
   * (at most a few seconds) until that many uploads are held.
   */
  revokeOn?: { method: string; path: RegExp; nth: number };
  /**
   * Hold the final PUT of blob uploads (their bytes received) until revokeOn fires, so
   * they are in flight with a token of before the revocation; then judge their token.
   */
  holdUploads?: number;
}

interface Grant {
  access: Map<string, Set<string>>;
  revoked: boolean;
}

export interface FakeRegistry extends LocalServer {
  tokenRequests: TokenRequest[];
  /** Every /v2/ request: `METHOD path`, and whether it carried a token. */
  requests: { line: string; auth: string | undefined }[];
  /** The most /v2/ requests that were in flight at once. */
  readonly maxInFlight: number;
  manifests: Map<string, { bytes: Buffer; mediaType: string }>;
  blobs: Map<string, Buffer>;
  /** Make every token issued so far invalid (as a registry does when a token expires early). */
  revokeAll(): void;
}

export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const grants = new Map<string, Grant>();
  const tokenRequests: TokenRequest[] = [];
  const requests: FakeRegistry['requests'] = [];
  const manifests = new Map<string, { bytes: Buffer; mediaType: string }>();
  const blobs = new Map<string, Buffer>();
  let issued = 0;
  let realm = '';
  let revokeSeen = 0;
  let held = 0;
  let onHeld: (() => void) | undefined;
  let revoked = false;
  let onRevoked: () => void = () => undefined;
  const revocation = new Promise<void>((resolve) => (onRevoked = resolve));
  // A bounded wait that never keeps the process alive.
  const bound = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5000).unref());
  const revokeAll = (): void => {
    for (const g of grants.values()) g.revoked = true;
    revoked = true;
    onRevoked();
  };
  let inFlight = 0;
  let maxInFlight = 0;

  const challenge = (res: ServerResponse, scope?: string, error?: string): void => {
    const parts = [`realm="${realm}"`, 'service="fake-registry"'];
    if (scope) parts.push(`scope="${scope}"`);
    if (error) parts.push(`error="${error}"`);
    res.writeHead(401, {
      'www-authenticate': `Bearer ${parts.join(',')}`,
      'content-type': 'application/json',
    });
    res.end(
      JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }),
    );
  };
  const issue = (res: ServerResponse, scopes: string[], who: string): void => {
    const access = new Map<string, Set<string>>();
    const user = who.startsWith('basic:') || who.startsWith('refresh:');
    for (const scope of scopes) {
      const [, name = '', actions = ''] = /^repository:(.+):([a-z,]+)$/.exec(scope) ?? [];
      const granted = new Set(
        actions
          .split(',')
          .filter((a) => user && (a === 'pull' || !options.readOnly?.includes(name))),
      );
      access.set(name, new Set([...(access.get(name) ?? []), ...granted]));
    }
    const token = `token-${++issued}`;
    grants.set(token, { access, revoked: false });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        token,
        ...(options.expiresIn !== undefined ? { expires_in: options.expiresIn } : {}),
      }),
    );
  };
  const json = (res: ServerResponse, status: number, code: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code, message: code.toLowerCase().replace(/_/g, ' ') }] }));
  };

  const server = await startServer(async (req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/v2/')) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    }
    if (url.pathname === '/token') {
      const auth = req.headers.authorization;
      let who = 'anonymous';
      let scopes = url.searchParams.getAll('scope');
      const service = url.searchParams.get('service');
      if (req.method === 'POST') {
        const form = new URLSearchParams(body.toString());
        scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
        tokenRequests.push({
          method: 'POST',
          scopes,
          service: form.get('service'),
          who: `refresh:${form.get('refresh_token')}`,
        });
        if (
          form.get('grant_type') !== 'refresh_token' ||
          form.get('refresh_token') !== options.refreshToken
        ) {
          return json(res, 401, 'UNAUTHORIZED');
        }
        return issue(res, scopes, `refresh:${form.get('refresh_token')}`);
      }
      if (auth?.startsWith('Basic ')) {
        const [user, ...rest] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
        who = `basic:${user}`;
        tokenRequests.push({ method: 'GET', scopes, service, who });
        if (user !== options.user || rest.join(':') !== options.password)
          return json(res, 401, 'UNAUTHORIZED');
      } else {
        tokenRequests.push({ method: 'GET', scopes, service, who });
      }
      return issue(res, scopes, who);
    }

    const auth = req.headers.authorization;
    requests.push({
      line: `${req.method} ${url.pathname}${url.search}`,
      auth: auth?.split(' ')[0],
    });
    if (
      options.holdUploads &&
      !revoked &&
      req.method === 'PUT' &&
      /\/blobs\/uploads\/./.test(url.pathname)
    ) {
      held++;
      onHeld?.();
      await Promise.race([revocation, bound()]);
    }
    const revokeOn = options.revokeOn;
    if (
      revokeOn &&
      req.method === revokeOn.method &&
      revokeOn.path.test(url.pathname) &&
      ++revokeSeen === revokeOn.nth
    ) {
      if (held < (options.holdUploads ?? 0))
        await Promise.race([
          new Promise<void>((resolve) => {
            onHeld = () => held >= (options.holdUploads ?? 0) && resolve();
          }),
          bound(),
        ]);
      revokeAll();
      return challenge(res, undefined, 'invalid_token');
    }
    const grant = auth?.startsWith('Bearer ') ? grants.get(auth.slice(7)) : undefined;
    const valid = grant && !grant.revoked ? grant : undefined;
    if (url.pathname === '/v2/') {
      if (!valid && !options.open) return challenge(res);
      res.end('{}');
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs|tags)\/(.*)$/.exec(url.pathname);
    if (!m) return json(res, 404, 'NOT_FOUND');
    const [, name = '', kind, rest = ''] = m;
    const needs: [string, string][] = [
      [name, req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'push'],
    ];
    const from = url.searchParams.get('from');
    if (from) needs.push([from, 'pull']);
    for (const [repo, action] of needs) {
      if (!options.open && !valid?.access.get(repo)?.has(action)) {
        const scope = needs
          .map(([r, a]) => `repository:${r}:${a === 'push' ? 'pull,push' : 'pull'}`)
          .join(' ');
        // As distribution's token auth answers: a token it no longer honours is invalid_token.
        const error = valid ? 'insufficient_scope' : grant?.revoked ? 'invalid_token' : undefined;
        return challenge(res, scope, error);
      }
    }
    if (kind === 'manifests') {
      const key = `${name}@${rest}`;
      if (req.method === 'PUT') {
        const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
        const entry = { bytes: body, mediaType: req.headers['content-type'] ?? '' };
        manifests.set(key, entry);
        manifests.set(`${name}@${digest}`, entry);
        const answered = options.wrongDigestHeader ? `sha256:${'0'.repeat(64)}` : digest;
        res.writeHead(201, {
          'docker-content-digest': answered,
          location: `/v2/${name}/manifests/${digest}`,
        });
        return res.end();
      }
      const found = manifests.get(key);
      if (!found) return json(res, 404, 'MANIFEST_UNKNOWN');
      const digest = options.wrongDigestHeader
        ? `sha256:${'0'.repeat(64)}`
        : `sha256:${createHash('sha256').update(found.bytes).digest('hex')}`;
      res.writeHead(200, {
        'content-type': found.mediaType,
        ...(req.method === 'HEAD' && options.headWithoutDigest
          ? {}
          : { 'docker-content-digest': digest }),
        'content-length': found.bytes.length,
      });
      return res.end(req.method === 'HEAD' ? undefined : found.bytes);
    }
    if (kind === 'blobs' && rest.startsWith('uploads/')) {
      const mount = url.searchParams.get('mount');
      if (
        req.method === 'POST' &&
        mount &&
        from &&
        !options.mountDisabled &&
        blobs.has(`${from}@${mount}`)
      ) {
        blobs.set(`${name}@${mount}`, blobs.get(`${from}@${mount}`) as Buffer);
        res.writeHead(201, {
          location: `/v2/${name}/blobs/${mount}`,
          'docker-content-digest': mount,
        });
        return res.end();
      }
      if (req.method === 'POST') {
        res.writeHead(202, { location: `/v2/${name}/blobs/uploads/${randomUUID()}` });
        return res.end();
      }
      if (req.method === 'DELETE') {
        res.writeHead(204);
        return res.end();
      }
      const digest = url.searchParams.get('digest') ?? '';
      blobs.set(`${name}@${digest}`, body);
      res.writeHead(201, { location: `/v2/${name}/blobs/${digest}` });
      return res.end();
    }
    if (kind === 'blobs') {
      const found = blobs.get(`${name}@${rest}`);
      if (!found) return json(res, 404, 'BLOB_UNKNOWN');
      res.writeHead(200, { 'content-length': found.length });
      return res.end(req.method === 'HEAD' ? undefined : found);
    }
    if (kind === 'tags') {
      res.end(JSON.stringify({ name, tags: [] }));
      return;
    }
    return json(res, 404, 'NOT_FOUND');
  });
  realm = `${server.url}/token`;
  return {
    ...server,
    get maxInFlight() {
      return maxInFlight;
    },
    tokenRequests,
    requests,
    manifests,
    blobs,
    revokeAll,
  };
}
