/**
 * Registry authentication as the distribution spec and Docker Hub do it: learn the
 * challenge from GET /v2/, then answer Basic with the credentials, or fetch a Bearer
 * token scoped to exactly what the operation needs (pull on a source, pull,push on the
 * target, both in one token for a cross-repository mount). Tokens are cached per scope
 * set and refreshed when they expire or when the registry turns down a cached one.
 *
 * Secrets never reach the logger or an error message; each one is handed to `onSecret`
 * so the caller can mask it. Here: the challenge per registry, the token cache and when
 * to send again; scopes.ts says what a request needs, token.ts fetches a token,
 * auth-errors.ts words a refusal.
 */
import { silentLogger, XplatError } from '@xplat/core';
import { denied, needsLogin, wrongCredentials } from './auth-errors.js';
import { type Challenge, parseWwwAuthenticate, pickChallenge } from './challenge.js';
import type { Credentials } from './credentials.js';
import { RegistryError } from './errors.js';
import type { HttpClient, HttpResponse } from './http.js';
import type { RegistryLogger } from './logger.js';
import { covers, describeScopes, normalizeScopes, type Scope, scopeString } from '@xplat/oci';
import { fetchToken, type BearerChallenge, type Token } from './token.js';

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

type ChallengeState = { scheme: 'none' } | { scheme: 'basic' } | BearerChallenge;

export class Authenticator {
  readonly #o: AuthenticatorOptions;
  readonly #logger: RegistryLogger;
  readonly #now: () => number;
  readonly #challenges = new Map<string, Promise<ChallengeState>>();
  readonly #credentials = new Map<string, Promise<Credentials | undefined>>();
  readonly #tokens = new Map<string, Token>();
  /** The order tokens were issued in, so a revocation can drop those issued before it. */
  readonly #issued = new WeakMap<Token, number>();
  #issueCount = 0;
  /** Per registry: tokens issued up to this number were suspect at its last revocation. */
  readonly #revocationFence = new Map<string, number>();
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
      if (!credentials) throw needsLogin(registry, wanted);
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
      return {
        header: `Bearer ${cached.value}`,
        scheme: 'bearer',
        cached: true,
        credentials,
      };
    // Requests sent at once share one token fetch; for all but the one that started it,
    // the token is as good as cached (another request may see it go stale first).
    const { token, started } = await this.#token(registry, state, wanted, credentials);
    return {
      header: `Bearer ${token.value}`,
      scheme: 'bearer',
      cached: !started,
      credentials,
    };
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
      // A revoked token (invalid_token): every token of this registry that existed when the
      // first 401 of this revocation came back is suspect (the re-send must not pick one of
      // them); tokens fetched after that are fresh. A 401 for a token issued after the
      // last such fence starts a new revocation, with a new fence.
      let fence: number | undefined;
      if (offered?.params.error === 'invalid_token') {
        const sentToken = [...this.#tokens.values()].find(
          (t) => sent.header === `Bearer ${t.value}`,
        );
        const sentIssue = sentToken ? (this.#issued.get(sentToken) ?? 0) : 0;
        fence = this.#revocationFence.get(registry) ?? 0;
        if (sentIssue > fence) this.#revocationFence.set(registry, (fence = this.#issueCount));
      }
      for (const [key, token] of this.#tokens) {
        if (!key.startsWith(`${registry} `)) continue;
        const same = covers(token.scopes, wanted) && sent.header === `Bearer ${token.value}`;
        const older = fence !== undefined && (this.#issued.get(token) ?? 0) <= fence;
        if (same || older) this.#tokens.delete(key);
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
    if (!credentials) return needsLogin(registry, wanted);
    if (sent.scheme === 'basic') return wrongCredentials(registry, credentials, res);
    // A token was issued but does not cover the request: the account lacks the access.
    return denied(registry, wanted, credentials);
  }

  /** The error for a 403. */
  forbidden(
    registry: string,
    scopes: readonly Scope[],
    sent: Authorization | undefined,
  ): XplatError {
    const wanted = normalizeScopes(scopes);
    if (!sent?.credentials) return needsLogin(registry, wanted);
    return denied(registry, wanted, sent.credentials);
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
    state: BearerChallenge,
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
    state: BearerChallenge,
    scopes: Scope[],
    credentials: Credentials | undefined,
  ): Promise<Token> {
    const { token, lifetimeS } = await fetchToken(
      {
        http: this.#o.http,
        plainHttpAllowed: this.#o.plainHttpAllowed,
        onSecret: this.#o.onSecret,
        now: this.#now,
      },
      registry,
      state,
      scopes,
      credentials,
    );
    this.#tokens.set(tokenKey(registry, scopes), token);
    this.#issued.set(token, ++this.#issueCount);
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
