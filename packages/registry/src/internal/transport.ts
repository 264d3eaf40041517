/**
 * Authenticated requests to a registry's /v2/ API: picks http or https for the host,
 * attaches the Authorization the scopes need, sends once more after a 401 that a fresh
 * token or a newly learned challenge can cure, and turns 401/403 into one-line errors
 * that name the registry and where the credentials came from.
 */
import { Limiter, silentLogger } from '@xplat/core';
import {
  type CredentialOptions,
  type Credentials,
  explicitCredentials,
  resolveCredentials,
} from './credentials.js';
import { type Authorization, Authenticator } from './auth.js';
import { StaleUploadTokenError } from './auth-errors.js';
import {
  apiHost,
  isLoopbackHost,
  normalizeRegistry,
  registryHostname,
  type Repository,
  type Scope,
} from '@xplat/oci';
import { RegistryError, describeErrorBody } from './errors.js';
import {
  type HttpRequest,
  type HttpResponse,
  HttpClient,
  IdleTimeout,
  type RetryPolicy,
  type StreamResponse,
} from './http.js';
import type { RegistryLogger } from './logger.js';

export interface TransportOptions {
  /** Hosts (`host` or `host:port`) spoken to over plain http, besides loopback ones. */
  insecureRegistries?: readonly string[];
  /**
   * The username/password inputs. Checked: both or neither (an XplatError naming the
   * inputs). Set `registry` so they are sent to that registry only.
   */
  credentials?: { username?: string; password?: string; registry?: string } | undefined;
  /** Folder holding Docker's config.json; default `$DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfigDir?: string;
  /** Replaces credential lookup altogether (tests, other secret stores). */
  resolveCredentials?: (registry: string) => Promise<Credentials | undefined>;
  retry?: Partial<RetryPolicy>;
  logger?: RegistryLogger;
  onSecret?: (secret: string) => void;
  userAgent?: string;
  /** The clock for token expiry. */
  now?: () => number;
  /**
   * Requests in flight to one registry at a time (default 16, or XPLAT_REGISTRY_CONCURRENCY).
   * Token requests and the /v2/ ping are not counted; a streamed download holds its slot
   * only until its headers arrive, so an upload fed by it can never wait on it.
   */
  maxRequestsPerRegistry?: number;
}

/** Requests in flight per registry unless told otherwise. */
export const DEFAULT_REQUESTS_PER_REGISTRY = 16;

function defaultConcurrency(): number {
  const env = Number(process.env.XPLAT_REGISTRY_CONCURRENCY);
  return Number.isSafeInteger(env) && env >= 1 ? env : DEFAULT_REQUESTS_PER_REGISTRY;
}

export class Transport {
  readonly http: HttpClient;
  readonly auth: Authenticator;
  readonly logger: RegistryLogger;
  readonly #insecure: Set<string>;
  readonly #limit: number;
  readonly #limiters = new Map<string, Limiter>();

  constructor(options: TransportOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    const limit = options.maxRequestsPerRegistry ?? defaultConcurrency();
    this.#limit = Number.isSafeInteger(limit) && limit >= 1 ? limit : DEFAULT_REQUESTS_PER_REGISTRY;
    this.#insecure = new Set(
      (options.insecureRegistries ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean),
    );
    this.http = new HttpClient(options.retry, this.logger, options.userAgent);
    const given = explicitCredentials(options.credentials?.username, options.credentials?.password);
    const lookup: CredentialOptions = {
      ...(given
        ? {
            explicit: {
              ...given,
              ...(options.credentials?.registry ? { registry: options.credentials.registry } : {}),
            },
          }
        : {}),
      ...(options.dockerConfigDir ? { dockerConfigDir: options.dockerConfigDir } : {}),
      logger: this.logger,
      ...(options.onSecret ? { onSecret: options.onSecret } : {}),
    };
    const resolve =
      options.resolveCredentials ?? ((registry: string) => resolveCredentials(registry, lookup));
    this.auth = new Authenticator({
      http: this.http,
      baseUrl: (registry) => this.baseUrl(registry),
      credentials: resolve,
      plainHttpAllowed: (host) => this.plainHttp(host),
      logger: this.logger,
      ...(options.onSecret ? { onSecret: options.onSecret } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** Whether `host` is spoken to over plain http. */
  plainHttp(host: string): boolean {
    const lower = host.toLowerCase();
    return (
      isLoopbackHost(lower) ||
      this.#insecure.has(lower) ||
      this.#insecure.has(registryHostname(lower))
    );
  }

  /** `http://127.0.0.1:5000`, `https://registry-1.docker.io`. */
  baseUrl(registry: string): string {
    const host = apiHost(registry);
    return `${this.plainHttp(host) || this.plainHttp(registry) ? 'http' : 'https'}://${host}`;
  }

  /** The URL of `path` under a repository: `.../v2/org/app/manifests/latest`. */
  url(repo: Repository, path: string): string {
    return `${this.baseUrl(repo.registry)}/v2/${repo.repository}/${path}`;
  }

  /** The bound on requests in flight to `registry` (one limiter per registry). */
  limiter(registry: string): Limiter {
    const key = normalizeRegistry(registry);
    let limiter = this.#limiters.get(key);
    if (!limiter) {
      limiter = new Limiter(this.#limit);
      this.#limiters.set(key, limiter);
    }
    return limiter;
  }

  /** A buffered request with the authorization `scopes` need; 401 and 403 become errors. */
  async send(registry: string, scopes: readonly Scope[], req: HttpRequest): Promise<HttpResponse> {
    const key = normalizeRegistry(registry);
    const limiter = this.limiter(key);
    let sent = await this.auth.authorize(key, scopes);
    let res = await limiter.run(() => this.http.request(withAuth(req, sent)));
    if (res.status === 401 && (await this.auth.rejected(key, scopes, sent, res))) {
      sent = await this.auth.authorize(key, scopes);
      res = await limiter.run(() => this.http.request(withAuth(req, sent)));
    }
    if (res.status === 401) throw this.auth.unauthorized(key, scopes, sent, res);
    if (res.status === 403) throw this.auth.forbidden(key, scopes, sent);
    this.auth.accepted(key, sent);
    return res;
  }

  /** An authorized GET whose body stays a stream (blobs). */
  async stream(
    registry: string,
    scopes: readonly Scope[],
    req: HttpRequest,
    idle: IdleTimeout,
  ): Promise<StreamResponse> {
    const key = normalizeRegistry(registry);
    const limiter = this.limiter(key);
    let sent = await this.auth.authorize(key, scopes);
    let res = await limiter.run(() => this.http.stream(withAuth(req, sent), idle));
    if (res.status === 401) {
      const body = Buffer.from(await new Response(res.body).arrayBuffer());
      const buffered = { ...res, body };
      if (await this.auth.rejected(key, scopes, sent, buffered)) {
        sent = await this.auth.authorize(key, scopes);
        res = await limiter.run(() => this.http.stream(withAuth(req, sent), idle));
      }
      if (res.status === 401) throw this.auth.unauthorized(key, scopes, sent, buffered);
    }
    if (res.status === 403) throw this.auth.forbidden(key, scopes, sent);
    this.auth.accepted(key, sent);
    return res;
  }

  /**
   * An authorized upload of a streamed body (one attempt; see HttpClient.upload). A 401
   * that a fresh token can cure is a StaleUploadTokenError: the caller sends again.
   */
  async upload(
    registry: string,
    scopes: readonly Scope[],
    req: Omit<HttpRequest, 'body'> & { body: ReadableStream<Uint8Array> },
    idle: IdleTimeout,
  ): Promise<HttpResponse> {
    const key = normalizeRegistry(registry);
    const sent = await this.auth.authorize(key, scopes);
    const res = await this.limiter(key).run(() =>
      this.http.upload({ ...req, headers: { ...req.headers, ...authHeader(sent) } }, idle),
    );
    if (res.status === 401) {
      const unauthorized = this.auth.unauthorized(key, scopes, sent, res);
      // The body is spent, so no re-send here; when a fresh token can cure the 401 (the
      // registry revoked the one sent), the caller starts the transfer over with one.
      if (await this.auth.rejected(key, scopes, sent, res))
        throw new StaleUploadTokenError(req.what ?? `${req.method} ${req.url}`, unauthorized);
      throw unauthorized;
    }
    if (res.status === 403) throw this.auth.forbidden(key, scopes, sent);
    this.auth.accepted(key, sent);
    return res;
  }

  /** A new idle timer with the policy's request timeout. */
  idleTimeout(): IdleTimeout {
    return new IdleTimeout(this.http.policy.requestTimeoutMs);
  }
}

function authHeader(sent: Authorization | undefined): Record<string, string> {
  return sent ? { authorization: sent.header } : {};
}

function withAuth(req: HttpRequest, sent: Authorization | undefined): HttpRequest {
  return { ...req, headers: { ...req.headers, ...authHeader(sent) } };
}

/** The error for an answer the caller did not expect: `what: 500 Internal Server Error (CODE: text)`. */
export function unexpected(
  what: string,
  res: Pick<HttpResponse, 'status' | 'statusText' | 'body'>,
): RegistryError {
  const { code, text } = describeErrorBody(res.body);
  return new RegistryError(
    `${what}: ${res.status} ${res.statusText}${text ? ` (${text})` : ''}`,
    res.status,
    code,
  );
}
