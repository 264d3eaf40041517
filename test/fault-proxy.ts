/**
 * A fault-injecting proxy for the registry tests: a node:http server on 127.0.0.1 that
 * forwards to one of the test bed's registries and, per scripted rule, answers in its
 * place with the faults real registries and networks produce: 429 with Retry-After,
 * 5xx bursts, connection resets, a request that hangs, an answer lost after the
 * registry stored the request, altered bytes, a spurious 401, a cross-repository mount
 * answered with an upload, and a Bearer token service whose tokens can be revoked
 * (after a count of requests, or on a chosen request while others are held in flight).
 *
 * Everything is bounded: a rule fires a fixed number of times, a hang ends after at most
 * `maxHangMs`, the proxy answers 503 without forwarding past `maxRequests`, and close()
 * ends every socket and timer it holds. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';

export type Fault =
  /** Answer with this status instead of forwarding. */
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  /** Close the connection without an answer (the client sees a reset / socket hang up). */
  | { readonly reset: true }
  /** Say nothing for `ms`, then close the connection. */
  | { readonly hang: number }
  /** Forward, let the registry act on it, then close the connection instead of answering. */
  | { readonly loseAnswer: true }
  /** Forward, and change the answer's body (one byte), keeping its headers. */
  | { readonly alterBody: true }
  /**
   * A cross-repository mount (`POST …/blobs/uploads/?mount=…&from=…`) forwarded without
   * `mount` and `from`, so the registry opens an upload (202) and the client streams the
   * blob itself, as registries do that refuse a mount (no pull on the source, mounting off).
   */
  | { readonly refuseMount: true };

export interface Rule {
  readonly method?: string;
  readonly path?: RegExp;
  /** Matching requests let through before the rule fires (default 0). */
  readonly after?: number;
  /** How many times it fires (default 1). */
  readonly times?: number;
  readonly fault: Fault;
}

export interface BearerOptions {
  /** Credentials the token endpoint takes (Basic); absent: anonymous tokens. */
  readonly username?: string;
  readonly password?: string;
  /** After this many authorized registry requests, every token issued so far is revoked. */
  readonly revokeAfter?: number;
  /** With revokeAfter: the token endpoint refuses from then on too (credentials revoked). */
  readonly refuseAfterRevoke?: boolean;
  /**
   * Revoke every token issued so far when the `nth` authorized request matching `method`
   * and `path` arrives, and answer that request 401 `invalid_token` (it carried a token
   * that is now revoked, as every later request with one does). Tokens fetched afterwards
   * work.
   */
  readonly revokeOn?: {
    readonly method?: string;
    readonly path?: RegExp;
    readonly nth: number;
    /**
     * The revoking request waits (bounded by `maxHangMs`) until this many requests are
     * held by holdUntilRevoked, so the revocation finds them in flight whatever the order
     * the client sent things in.
     */
    readonly heldAtLeast?: number;
  };
  /**
   * Requests matching this are held (their body read and kept) until revokeOn fires, or
   * `maxHangMs` passes; then they are judged by the token they carry like any other. So
   * they are in flight, with a token issued before the revocation, when it happens. Once
   * it has happened, nothing is held.
   */
  readonly holdUntilRevoked?: { readonly method?: string; readonly path?: RegExp };
}

export interface ProxyOptions {
  /** `127.0.0.1:PORT` of the registry behind. */
  readonly upstream: string;
  readonly rules?: readonly Rule[];
  /** Put a Bearer token service in front (for a registry without auth). */
  readonly bearer?: BearerOptions;
  readonly maxRequests?: number;
  readonly maxHangMs?: number;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  /** The status answered, or the fault's name. */
  readonly outcome: string;
}

export interface FaultProxy {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  readonly log: LoggedRequest[];
  /** Replaces the rules (their counters start again). */
  setRules(rules: readonly Rule[]): void;
  /** Bearer mode: every token issued so far is refused from now on. */
  revokeTokens(): void;
  /** Bearer mode: the token endpoint refuses every request from now on. */
  refuseTokens(): void;
  /** Bearer mode: requests answered 401 because their token was revoked (`METHOD path`). */
  readonly revokedAnswers: string[];
  close(): Promise<void>;
}

interface LiveRule extends Rule {
  seen: number;
  fired: number;
}

export async function startFaultProxy(options: ProxyOptions): Promise<FaultProxy> {
  const [upHost, upPort] = options.upstream.split(':') as [string, string];
  if (upHost !== '127.0.0.1' && upHost !== 'localhost')
    throw new Error(`the fault proxy forwards to loopback only, not ${options.upstream}`);
  const maxRequests = options.maxRequests ?? 5000;
  const maxHangMs = Math.min(options.maxHangMs ?? 60_000, 120_000);
  let rules: LiveRule[] = [];
  const setRules = (next: readonly Rule[]): void => {
    rules = next.map((r) => ({ ...r, seen: 0, fired: 0 }));
  };
  setRules(options.rules ?? []);
  const log: LoggedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  let address = '';

  // Bearer mode: tokens issued, revoked ones, and whether the token endpoint still works.
  const live = new Set<string>();
  let refusing = false;
  let authorized = 0;
  let revokeOnSeen = 0;
  const revokedAnswers: string[] = [];
  // Requests held until the revocation: each is let go (to be judged by its token) then.
  const held = new Set<() => void>();
  // A revoking request waiting for enough held requests (revokeOn.heldAtLeast).
  let waitingToRevoke: (() => void) | undefined;
  let revokedOnce = false;
  const revoke = (): void => {
    revokedOnce = true;
    live.clear();
    if (options.bearer?.refuseAfterRevoke) refusing = true;
    for (const release of [...held]) release();
  };
  const matches = (
    req: http.IncomingMessage,
    m: { readonly method?: string; readonly path?: RegExp } | undefined,
  ): boolean =>
    !!m && (!m.method || m.method === req.method) && (!m.path || m.path.test(req.url ?? ''));

  const pick = (req: http.IncomingMessage): LiveRule | undefined => {
    for (const rule of rules) {
      if (rule.method && rule.method !== req.method) continue;
      if (rule.path && !rule.path.test(req.url ?? '')) continue;
      if (rule.fired >= (rule.times ?? 1)) continue;
      rule.seen++;
      if (rule.seen <= (rule.after ?? 0)) continue;
      rule.fired++;
      return rule;
    }
    return undefined;
  };

  const record = (req: http.IncomingMessage, outcome: string): void => {
    if (log.length < 10_000)
      log.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, outcome });
  };

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    mode: 'plain' | 'lose' | 'alter',
    sent: { readonly body?: Buffer; readonly path?: string } = {},
  ): void => {
    const headers = { ...req.headers };
    if (options.bearer) delete headers.authorization;
    const up = http.request(
      {
        host: upHost,
        port: Number(upPort),
        method: req.method,
        path: sent.path ?? req.url,
        headers,
        timeout: 60_000,
      },
      (upRes) => {
        if (mode === 'plain') {
          record(req, String(upRes.statusCode));
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        upRes.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 64 * 1024 * 1024) chunks.push(c);
        });
        upRes.on('end', () => {
          if (mode === 'lose') {
            record(req, `lost ${upRes.statusCode}`);
            req.socket.destroy();
            return;
          }
          const body = Buffer.concat(chunks);
          // One byte changed, the length kept: JSON whitespace where there was a brace
          // would break parsing, so flip a byte inside the first string value instead.
          const at = body.indexOf('"', Math.max(0, body.indexOf(':')));
          if (at >= 0 && at + 1 < body.length) body[at + 1] = body[at + 1] === 0x61 ? 0x62 : 0x61;
          record(req, `altered ${upRes.statusCode}`);
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          res.end(body);
        });
      },
    );
    up.on('timeout', () => up.destroy(new Error('upstream timeout')));
    up.on('error', () => {
      record(req, 'upstream error');
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    if (sent.body) up.end(sent.body);
    else req.pipe(up);
  };

  const bearerChallenge = (error?: string): string =>
    `Bearer realm="http://${address}/token",service="fault-proxy"${error ? `,error="${error}"` : ''}`;

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    count++;
    if (count > maxRequests) {
      record(req, 'over the request bound');
      res
        .writeHead(503, { 'content-type': 'text/plain' })
        .end('fault proxy: request bound reached');
      return;
    }

    if (options.bearer) {
      const url = new URL(req.url ?? '/', `http://${address}`);
      if (url.pathname === '/token') {
        const want = options.bearer.username
          ? `Basic ${Buffer.from(`${options.bearer.username}:${options.bearer.password ?? ''}`).toString('base64')}`
          : undefined;
        req.resume();
        if (refusing || (want && req.headers.authorization !== want)) {
          record(req, 'token refused');
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'access denied' }] }));
          return;
        }
        const token = randomBytes(12).toString('hex');
        live.add(token);
        record(req, 'token');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token, expires_in: 300 }));
        return;
      }
      if (!revokedOnce && matches(req, options.bearer.holdUntilRevoked)) {
        // Read and keep the body, so the client has sent it all and waits for the answer.
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        record(req, 'held');
        const release = (): void => {
          if (!held.delete(release)) return;
          clearTimeout(timer);
          timers.delete(timer);
          const body = Buffer.concat(chunks);
          if (req.readableEnded) judge(req, res, body);
          else req.once('end', () => judge(req, res, Buffer.concat(chunks)));
        };
        const timer = setTimeout(release, maxHangMs);
        timers.add(timer);
        held.add(release);
        if (held.size >= (options.bearer.revokeOn?.heldAtLeast ?? 0)) waitingToRevoke?.();
        return;
      }
    }
    judge(req, res);
  };

  /** Bearer mode: a request with a revoked (or no) token gets 401; then the rules apply. */
  const judge = (req: http.IncomingMessage, res: http.ServerResponse, body?: Buffer): void => {
    if (options.bearer) {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      const refuse = (): void => {
        if (!body) req.resume();
        if (token) revokedAnswers.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
        record(req, token ? '401 revoked' : '401');
        res.writeHead(401, {
          'www-authenticate': bearerChallenge(token ? 'invalid_token' : undefined),
          'content-type': 'application/json',
          'docker-distribution-api-version': 'registry/2.0',
        });
        res.end(
          JSON.stringify({
            errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
          }),
        );
      };
      if (!live.has(token)) return refuse();
      if (
        options.bearer.revokeOn &&
        matches(req, options.bearer.revokeOn) &&
        ++revokeOnSeen === options.bearer.revokeOn.nth
      ) {
        // This request's token is revoked with all the others, so it is refused too.
        const now = (): void => {
          waitingToRevoke = undefined;
          clearTimeout(timer);
          timers.delete(timer);
          revoke();
          refuse();
        };
        const timer = setTimeout(now, maxHangMs);
        timers.add(timer);
        if (held.size >= (options.bearer.revokeOn.heldAtLeast ?? 0)) now();
        else waitingToRevoke = now;
        return;
      }
      authorized++;
      if (options.bearer.revokeAfter !== undefined && authorized === options.bearer.revokeAfter) {
        // This request still passes; the next one with the same token does not.
        setImmediate(revoke);
      }
    }

    const rule = pick(req);
    const fault = rule?.fault;
    if (!fault) return forward(req, res, 'plain', { ...(body ? { body } : {}) });
    if ('refuseMount' in fault) {
      const url = new URL(req.url ?? '/', 'http://x');
      url.searchParams.delete('mount');
      url.searchParams.delete('from');
      record(req, 'mount refused');
      return forward(req, res, 'plain', {
        ...(body ? { body } : {}),
        path: `${url.pathname}${url.search}`,
      });
    }
    if ('status' in fault) {
      if (!body) req.resume();
      record(req, `fault ${fault.status}`);
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(
        fault.body ?? JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected' }] }),
      );
    } else if ('reset' in fault) {
      record(req, 'reset');
      req.socket.destroy();
    } else if ('hang' in fault) {
      record(req, `hang ${fault.hang}`);
      req.resume();
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          req.socket.destroy();
        },
        Math.min(fault.hang, maxHangMs),
      );
      timers.add(timer);
    } else if ('loseAnswer' in fault) {
      forward(req, res, 'lose', { ...(body ? { body } : {}) });
    } else {
      forward(req, res, 'alter', { ...(body ? { body } : {}) });
    }
  };

  const server = http.createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;

  return {
    address,
    log,
    setRules,
    revokedAnswers,
    revokeTokens: () => live.clear(),
    refuseTokens: () => {
      refusing = true;
      live.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        held.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
