/**
 * Registry authentication as the distribution spec and Docker Hub do it: learn the
 * challenge from GET /v2/, then answer Basic with the credentials, or fetch a Bearer
 * token scoped to exactly what the operation needs (pull on a source, pull,push on the
 * target, both in one token for a cross-repository mount). Tokens are cached per scope
 * set and refreshed when they expire or when the registry turns down a cached one.
 *
 * Secrets never reach the logger or an error message; each one is handed to `onSecret`
 * so the caller can mask it.
 */
import { silentLogger, XplatError } from '@xplat/core';
import { type Challenge, parseWwwAuthenticate, pickChallenge } from './challenge.js';
import type { Credentials } from './credentials.js';
import { RegistryError, describeErrorBody } from './errors.js';
import type { HttpClient, HttpResponse } from './http.js';
import type { RegistryLogger } from './logger.js';

export type Action = 'pull' | 'push';

/** Access to one repository: `repository:org/app:pull,push` on the wire. */
export interface Scope {
  repository: string;
  actions: readonly Action[];
}

/** What a request sent, so a 401 can be told apart: stale token, wrong password, no login. */
export interface Authorization {
  /** The Authorization header value. Never log it. */
  header: string;
  scheme: 'basic' | 'bearer';
  /** The token came from the cache (a 401 may just mean it went stale). */
  cached: boolean;
  credentials: Credentials | undefined;
}

export interface AuthenticatorOptions {
  http: HttpClient;
  /** `http://127.0.0.1:5000` or `https://registry-1.docker.io` for a registry. */
  baseUrl: (registry: string) => string;
  credentials: (registry: string) => Promise<Credentials | undefined>;
  /** Whether plain http to this host is acceptable (loopback or insecureRegistries). */
  plainHttpAllowed: (host: string) => boolean;
  onSecret?: (secret: string) => void;
  logger?: RegistryLogger;
  now?: () => number;
}

type ChallengeState =
  | { scheme: 'none' }
  | { scheme: 'basic' }
  | { scheme: 'bearer'; realm: string; service: string | undefined };

interface Token {
  value: string;
  expiresAt: number;
  scopes: Scope[];
  credentials: Credentials | undefined;
}

/** Tokens live 60 s when the server does not say (the token spec's default). */
export const DEFAULT_TOKEN_LIFETIME_S = 60;

/** Pull on a repository: what reading needs. */
export function pullScope(repo: { repository: string }): Scope {
  return { repository: repo.repository, actions: ['pull'] };
}

/** Pull and push on a repository: what writing needs (registries check pull as they write). */
export function pushScope(repo: { repository: string }): Scope {
  return { repository: repo.repository, actions: ['pull', 'push'] };
}

/** `repository:org/app:pull,push`. */
export function scopeString(scope: Scope): string {
  return `repository:${scope.repository}:${scope.actions.join(',')}`;
}

/** One entry per repository, actions merged and ordered (pull before push), repositories sorted. */
export function normalizeScopes(scopes: readonly Scope[]): Scope[] {
  const merged = new Map<string, Set<Action>>();
  for (const s of scopes) {
    const set = merged.get(s.repository) ?? new Set<Action>();
    for (const a of s.actions) set.add(a);
    merged.set(s.repository, set);
  }
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([repository, set]) => ({
      repository,
      actions: (['pull', 'push'] as const).filter((a) => set.has(a)),
    }));
}

/** Whether `granted` includes every action of `wanted`. */
function covers(granted: readonly Scope[], wanted: readonly Scope[]): boolean {
  return wanted.every((w) =>
    w.actions.every((a) =>
      granted.some((g) => g.repository === w.repository && g.actions.includes(a)),
    ),
  );
}

/** `pull on a/b and pull,push on c/d`, for messages. */
export function describeScopes(scopes: readonly Scope[]): string {
  return scopes.map((s) => `${s.actions.join(',')} on ${s.repository}`).join(' and ');
}

function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '::1'
  );
}

export class Authenticator {
  readonly #o: AuthenticatorOptions;
  readonly #logger: RegistryLogger;
  readonly #now: () => number;
  readonly #challenges = new Map<string, Promise<ChallengeState>>();
  readonly #credentials = new Map<string, Promise<Credentials | undefined>>();
  readonly #tokens = new Map<string, Token>();
  readonly #pending = new Map<string, Promise<Token>>();
  /** Registries where Basic credentials were accepted at least once. */
  readonly #basicWorked = new Set<string>();

  constructor(options: AuthenticatorOptions) {
    this.#o = options;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
  }

  /** The Authorization to send to `registry` for `scopes`, or undefined when it needs none. */
  async authorize(registry: string, scopes: readonly Scope[]): Promise<Authorization | undefined> {
    const state = await this.#challenge(registry);
    if (state.scheme === 'none') return undefined;
    const wanted = normalizeScopes(scopes);
    const credentials = await this.#credentialsFor(registry);

    if (state.scheme === 'basic') {
      if (!credentials) throw this.#needsLogin(registry, wanted);
      if (credentials.username === undefined || credentials.password === undefined) {
        throw new XplatError(
          `${registry} asks for a username and password, but ${credentials.source} holds a token; give the username and password inputs`,
          credentials.input,
        );
      }
      const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString(
        'base64',
      );
      this.#o.onSecret?.(basic);
      return { header: `Basic ${basic}`, scheme: 'basic', cached: false, credentials };
    }

    if (credentials?.registryToken) {
      return {
        header: `Bearer ${credentials.registryToken}`,
        scheme: 'bearer',
        cached: false,
        credentials,
      };
    }
    const cached = this.#cachedToken(registry, wanted);
    if (cached)
      return { header: `Bearer ${cached.value}`, scheme: 'bearer', cached: true, credentials };
    // Requests sent at once share one token fetch; for all but the one that started it,
    // the token is as good as cached (another request may see it go stale first).
    const { token, started } = await this.#token(registry, state, wanted, credentials);
    return { header: `Bearer ${token.value}`, scheme: 'bearer', cached: !started, credentials };
  }

  /** A request sent with `sent` was not turned down: Basic credentials have worked here. */
  accepted(registry: string, sent: Authorization | undefined): void {
    if (sent?.scheme === 'basic') this.#basicWorked.add(registry);
  }

  /**
   * The registry answered 401 to a request sent with `sent`. Learns the challenge it
   * offered and drops a stale token. True when sending again can succeed.
   */
  async rejected(
    registry: string,
    scopes: readonly Scope[],
    sent: Authorization | undefined,
    res: HttpResponse,
  ): Promise<boolean> {
    const offered = pickChallenge(parseWwwAuthenticate(res.headers.get('www-authenticate')));
    const known = await this.#challenge(registry);
    let retry = false;
    if (offered && !sameChallenge(known, offered)) {
      // e.g. GET /v2/ was open but this repository is not, or the realm moved.
      this.#challenges.set(registry, Promise.resolve(toState(offered)));
      this.#dropTokens(registry);
      retry = true;
    }
    // A token that went stale (cached, or shared with requests sent at once), or one the
    // registry says is invalid (RFC 6750: expired, revoked): dropped, and a new one asked.
    if (sent?.scheme === 'bearer' && (sent.cached || offered?.params.error === 'invalid_token')) {
      const wanted = normalizeScopes(scopes);
      for (const [key, token] of this.#tokens) {
        // Only the token that was sent: a newer one, fetched meanwhile, is kept.
        if (
          key.startsWith(`${registry} `) &&
          covers(token.scopes, wanted) &&
          sent.header === `Bearer ${token.value}`
        )
          this.#tokens.delete(key);
      }
      retry = true;
    }
    // Basic credentials that have worked on this registry: a 401 now is the registry's
    // hiccup (Harbor, Nexus behind LDAP), worth sending once more; the caller sends once.
    if (sent?.scheme === 'basic' && this.#basicWorked.has(registry)) retry = true;
    return retry;
  }

  /** The error for a 401 that sending again did not cure. */
  unauthorized(
    registry: string,
    scopes: readonly Scope[],
    sent: Authorization | undefined,
    res: HttpResponse,
  ): XplatError {
    const wanted = normalizeScopes(scopes);
    const credentials = sent?.credentials;
    if (!credentials) return this.#needsLogin(registry, wanted);
    if (sent.scheme === 'basic') return this.#wrongCredentials(registry, credentials, res);
    // A token was issued but does not cover the request: the account lacks the access.
    return this.#denied(registry, wanted, credentials);
  }

  /** The error for a 403. */
  forbidden(
    registry: string,
    scopes: readonly Scope[],
    sent: Authorization | undefined,
  ): XplatError {
    const wanted = normalizeScopes(scopes);
    if (!sent?.credentials) return this.#needsLogin(registry, wanted);
    return this.#denied(registry, wanted, sent.credentials);
  }

  #needsLogin(registry: string, scopes: readonly Scope[]): XplatError {
    return new XplatError(
      `${registry} requires a login for ${describeScopes(scopes)}: give the username and password inputs, or run docker login ${registry} first`,
      'username/password',
    );
  }

  #wrongCredentials(registry: string, credentials: Credentials, res: HttpResponse): XplatError {
    const detail = describeErrorBody(res.body).text;
    return new XplatError(
      `${registry} rejected the credentials from ${credentials.source} (${res.status}${detail ? ` ${detail}` : ''}); check that they are right for ${registry}`,
      credentials.input,
    );
  }

  #denied(registry: string, scopes: readonly Scope[], credentials: Credentials): XplatError {
    return new XplatError(
      `the credentials from ${credentials.source} are not allowed ${describeScopes(scopes)} at ${registry}; use an account with that access`,
      credentials.input,
    );
  }

  #credentialsFor(registry: string): Promise<Credentials | undefined> {
    let found = this.#credentials.get(registry);
    if (!found) {
      found = this.#o.credentials(registry);
      this.#credentials.set(registry, found);
      found.catch(() => this.#credentials.delete(registry));
    }
    return found;
  }

  /** The challenge of GET /v2/, asked once per registry (the spec's "API version check"). */
  #challenge(registry: string): Promise<ChallengeState> {
    let state = this.#challenges.get(registry);
    if (!state) {
      state = this.#ping(registry);
      this.#challenges.set(registry, state);
      state.catch(() => this.#challenges.delete(registry));
    }
    return state;
  }

  async #ping(registry: string): Promise<ChallengeState> {
    const url = `${this.#o.baseUrl(registry)}/v2/`;
    const res = await this.#o.http.request({ method: 'GET', url, what: `GET ${registry}/v2/` });
    if (res.status >= 200 && res.status < 300) return { scheme: 'none' };
    if (res.status === 401) {
      const offered = pickChallenge(parseWwwAuthenticate(res.headers.get('www-authenticate')));
      if (!offered) {
        throw new RegistryError(
          `GET ${registry}/v2/ answered 401 without a Basic or Bearer challenge (WWW-Authenticate: ${res.headers.get('www-authenticate') ?? 'none'})`,
          401,
        );
      }
      const state = toState(offered);
      this.#logger.debug(`${registry} wants ${state.scheme} authentication`);
      return state;
    }
    throw new RegistryError(
      `GET ${registry}/v2/ answered ${res.status} ${res.statusText}: is ${registry} an OCI registry?`,
      res.status,
    );
  }

  #cachedToken(registry: string, wanted: readonly Scope[]): Token | undefined {
    const now = this.#now();
    const exact = this.#tokens.get(tokenKey(registry, wanted));
    if (exact && exact.expiresAt > now) return exact;
    // A token for more than this request needs serves it as well (a push token pulls too).
    for (const [key, token] of this.#tokens) {
      if (token.expiresAt <= now) {
        this.#tokens.delete(key);
        continue;
      }
      if (key.startsWith(`${registry} `) && covers(token.scopes, wanted)) return token;
    }
    return undefined;
  }

  #dropTokens(registry: string): void {
    for (const key of this.#tokens.keys())
      if (key.startsWith(`${registry} `)) this.#tokens.delete(key);
  }

  /** A new token for `scopes`, one fetch for all who ask at once; `started`: this call fetched it. */
  async #token(
    registry: string,
    state: Extract<ChallengeState, { scheme: 'bearer' }>,
    scopes: Scope[],
    credentials: Credentials | undefined,
  ): Promise<{ token: Token; started: boolean }> {
    const key = tokenKey(registry, scopes);
    const waiting = this.#pending.get(key);
    if (waiting) return { token: await waiting, started: false };
    const pending = this.#fetchToken(registry, state, scopes, credentials).finally(() =>
      this.#pending.delete(key),
    );
    this.#pending.set(key, pending);
    return { token: await pending, started: true };
  }

  async #fetchToken(
    registry: string,
    state: Extract<ChallengeState, { scheme: 'bearer' }>,
    scopes: Scope[],
    credentials: Credentials | undefined,
  ): Promise<Token> {
    let realm: URL;
    try {
      realm = new URL(state.realm);
    } catch {
      throw new RegistryError(
        `${registry} named the token realm "${state.realm}", which is not a URL`,
      );
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw new RegistryError(
        `${registry} named the token realm "${state.realm}", which is not http(s)`,
      );
    }
    if (
      credentials &&
      realm.protocol === 'http:' &&
      !isLoopback(realm.hostname) &&
      !this.#o.plainHttpAllowed(realm.host)
    ) {
      throw new RegistryError(
        `${registry} wants credentials sent to ${realm.origin} over plain http; refusing (list ${realm.host} in insecure-registries if that is intended)`,
      );
    }
    const wire = scopes.map(scopeString);
    const what = `token for ${describeScopes(scopes)} from ${realm.origin}${realm.pathname}`;
    const started = this.#now();
    let res: HttpResponse;
    if (credentials?.identityToken) {
      // An identity token is an OAuth2 refresh token: exchange it with a POST (docker does the same).
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.identityToken,
        client_id: 'xplat',
        ...(state.service ? { service: state.service } : {}),
        scope: wire.join(' '),
      });
      res = await this.#o.http.request({
        method: 'POST',
        url: realm.href,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        what: `POST ${what}`,
      });
    } else {
      const url = new URL(realm.href);
      if (state.service) url.searchParams.set('service', state.service);
      for (const s of wire) url.searchParams.append('scope', s);
      const headers: Record<string, string> = {};
      if (credentials?.username !== undefined && credentials.password !== undefined) {
        headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      }
      res = await this.#o.http.request({
        method: 'GET',
        url: url.href,
        headers,
        what: `GET ${what}`,
      });
    }
    if (res.status === 401 || res.status === 403) {
      if (credentials) throw this.#wrongCredentials(registry, credentials, res);
      throw this.#needsLogin(registry, scopes);
    }
    if (res.status !== 200) {
      const detail = describeErrorBody(res.body).text;
      throw new RegistryError(
        `${what}: ${res.status} ${res.statusText}${detail ? ` (${detail})` : ''}`,
        res.status,
      );
    }
    let body: {
      token?: unknown;
      access_token?: unknown;
      expires_in?: unknown;
      refresh_token?: unknown;
    };
    try {
      body = JSON.parse(res.body.toString('utf8')) as typeof body;
    } catch {
      throw new RegistryError(`${what}: the answer is not JSON`);
    }
    const value = typeof body.token === 'string' && body.token ? body.token : body.access_token;
    if (typeof value !== 'string' || !value)
      throw new RegistryError(`${what}: the answer holds no token`);
    this.#o.onSecret?.(value);
    if (typeof body.refresh_token === 'string' && body.refresh_token)
      this.#o.onSecret?.(body.refresh_token);
    const lifetimeS =
      typeof body.expires_in === 'number' && body.expires_in > 0
        ? body.expires_in
        : DEFAULT_TOKEN_LIFETIME_S;
    const lifetime = lifetimeS * 1000;
    // Renew a little early so a token does not expire between our check and the request.
    const token: Token = {
      value,
      expiresAt: started + lifetime - Math.min(10_000, lifetime / 10),
      scopes,
      credentials,
    };
    this.#tokens.set(tokenKey(registry, scopes), token);
    this.#logger.debug(
      `got a ${registry} token for ${describeScopes(scopes)}, valid ${lifetimeS} s`,
    );
    return token;
  }
}

function tokenKey(registry: string, scopes: readonly Scope[]): string {
  return `${registry} ${scopes.map(scopeString).join(' ')}`;
}

function toState(challenge: Challenge): ChallengeState {
  if (challenge.scheme === 'bearer') {
    return {
      scheme: 'bearer',
      realm: challenge.params.realm ?? '',
      service: challenge.params.service,
    };
  }
  return { scheme: 'basic' };
}

function sameChallenge(known: ChallengeState, offered: Challenge): boolean {
  const next = toState(offered);
  if (known.scheme !== next.scheme) return false;
  if (known.scheme === 'bearer' && next.scheme === 'bearer') {
    return known.realm === next.realm && known.service === next.service;
  }
  return true;
}
