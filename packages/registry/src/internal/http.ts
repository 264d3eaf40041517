/**
 * HTTP with the retries registries need: 429 and 5xx (not 501, which means "never") and
 * dropped connections are retried with exponential backoff and jitter, honouring
 * Retry-After, within a bound on the total time; every attempt has its own timeout so a
 * hung registry cannot stall a workflow. Other answers (4xx) come back at once for the
 * caller to interpret.
 *
 * Node's built-in fetch (undici) is the transport; the undici package itself needs a
 * newer Node than the runners' Node 20 toolchain.
 */
import { silentLogger } from '@xplat/core';
import { RegistryError, describeErrorBody } from './errors.js';
import type { RegistryLogger } from './logger.js';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Backoff before the first retry; doubled each time, with jitter. */
  baseDelayMs: number;
  /** Backoff never exceeds this. */
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it. */
  maxRetryAfterMs: number;
  /** Attempts and waits together end within this; no retry starts past it. */
  totalTimeMs: number;
  /** One attempt (connect, headers and a buffered body) ends within this. */
  requestTimeoutMs: number;
  /** Injectable for tests: how to wait, where jitter comes from, what time it is. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 30_000,
  totalTimeMs: 120_000,
  requestTimeoutMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  /** A replayable body. Streams go through `HttpClient.upload`, which does not retry. */
  body?: Uint8Array | string;
  /** How messages name the request; default `METHOD url-without-query`. Never holds secrets. */
  what?: string;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** The final URL, after redirects. */
  url: string;
  /** The whole body (empty for HEAD). */
  body: Buffer;
}

export interface StreamResponse extends Omit<HttpResponse, 'body'> {
  /** The body, unread; reading it keeps the idle timer alive. Empty for non-2xx answers. */
  body: ReadableStream<Uint8Array>;
}

/** Statuses worth another try: rate limiting and server trouble, except 501 Not Implemented. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501);
}

// Connection-level failures that a later attempt may not meet. DNS "no such host",
// TLS certificate and protocol errors are not among them: retrying cannot fix those.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

interface Failure {
  /** One line: `connect ECONNREFUSED 127.0.0.1:1`, `no answer within 30 s`. */
  text: string;
  code: string | undefined;
  retryable: boolean;
}

/** What a thrown fetch error means: its code, a one-line text, and whether to retry. */
export function classifyFetchError(error: unknown, timeoutMs?: number): Failure {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError') {
    const text =
      timeoutMs !== undefined ? `no answer within ${seconds(timeoutMs)}` : messageOf(error);
    return { text, code: 'ETIMEDOUT', retryable: true };
  }
  if (name === 'AbortError') return { text: 'aborted', code: 'ABORTED', retryable: false };
  // fetch wraps the socket error: TypeError('fetch failed', { cause }); causes can nest.
  let cause: unknown = error;
  for (let i = 0; i < 4; i++) {
    const next = (cause as { cause?: unknown } | undefined)?.cause;
    if (!next) break;
    cause = next;
  }
  const code = (cause as { code?: unknown } | undefined)?.code;
  const text = messageOf(cause) || messageOf(error);
  if (typeof code === 'string') return { text, code, retryable: TRANSIENT_CODES.has(code) };
  // "other side closed" and friends carry no code on some Node versions.
  return { text, code: undefined, retryable: /closed|reset|socket/i.test(text) };
}

/**
 * Whether an error thrown by this module is worth another try at a higher level (a
 * streamed blob transfer that cannot be replayed inside one request).
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof RegistryError) || error.exhausted) return false;
  if (error.status !== undefined) return isRetryableStatus(error.status);
  return (
    error.code !== undefined && (TRANSIENT_CODES.has(error.code) || error.code === 'ETIMEDOUT')
  );
}

/** An error's message; duck-typed because errors from fetch may come from another realm. */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** Retry-After as milliseconds from now: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Backoff before retry number `retry` (1 for the first): exponential, half of it jitter. */
export function backoffMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function describe(req: { method: string; url: string; what?: string }): string {
  if (req.what) return req.what;
  const url = new URL(req.url);
  return `${req.method} ${url.origin}${url.pathname}`;
}

/**
 * Aborts its signal when no data moved for `ms`: a per-request deadline would cut off a
 * large blob that is still flowing, while this only stops transfers that stalled.
 */
export class IdleTimeout {
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ms: number) {
    this.#ms = ms;
    this.touch();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Data moved: restart the clock. */
  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#controller.abort(new DOMException(`no data for ${seconds(this.#ms)}`, 'TimeoutError'));
    }, this.#ms);
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  /** `stream` passed through, restarting the clock on every chunk and once at its end. */
  watch(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    return stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          this.touch();
          controller.enqueue(chunk);
        },
        flush: () => this.touch(),
      }),
    );
  }
}

/** What a fetch answer says besides its body: status, headers and the final URL. */
function answerOf(res: Response): Omit<HttpResponse, 'body'> {
  return { status: res.status, statusText: res.statusText, headers: res.headers, url: res.url };
}

export class HttpClient {
  readonly policy: RetryPolicy;
  readonly #logger: RegistryLogger;
  readonly #userAgent: string;

  constructor(
    policy: Partial<RetryPolicy> = {},
    logger: RegistryLogger = silentLogger,
    userAgent = 'xplat-registry',
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...policy };
    this.#logger = logger;
    this.#userAgent = userAgent;
  }

  /** A request with a buffered answer, retried as the policy says. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    return this.#retrying(req, async (timeoutMs) => {
      const signal = AbortSignal.timeout(timeoutMs);
      const res = await fetch(req.url, this.#init(req, signal));
      const body = req.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await res.arrayBuffer());
      return { ...answerOf(res), body };
    });
  }

  /**
   * A request whose answer body is left as a stream (blobs): retried until an answer
   * arrives; the stream then aborts when it stalls for `idle` (default requestTimeoutMs).
   */
  async stream(
    req: HttpRequest,
    idle = new IdleTimeout(this.policy.requestTimeoutMs),
  ): Promise<StreamResponse> {
    try {
      return await this.#retrying(req, async () => {
        idle.touch();
        const res = await fetch(req.url, this.#init(req, idle.signal));
        const meta = answerOf(res);
        if (res.status < 200 || res.status >= 300 || !res.body) {
          // Small error bodies are read so the caller can report them.
          const bytes = Buffer.from(await res.arrayBuffer());
          return { ...meta, body: new Blob([bytes]).stream() };
        }
        return { ...meta, body: idle.watch(res.body) };
      });
    } catch (error) {
      idle.dispose();
      throw error;
    }
  }

  /**
   * One attempt with a streamed request body (an upload fed by a download). Not retried
   * here: a consumed stream cannot be replayed, so the caller retries the whole transfer.
   */
  async upload(
    req: Omit<HttpRequest, 'body'> & { body: ReadableStream<Uint8Array> },
    idle: IdleTimeout,
  ): Promise<HttpResponse> {
    const what = describe(req);
    try {
      const init = {
        ...this.#init({ ...req, body: undefined }, idle.signal),
        body: req.body,
        duplex: 'half' as const,
      };
      const res = await fetch(req.url, init);
      const body = Buffer.from(await res.arrayBuffer());
      this.#logger.debug(`${what} -> ${res.status}`);
      return { ...answerOf(res), body };
    } catch (error) {
      // An idle abort carries its own message ("no data for 30 s").
      const failure = classifyFetchError(idle.signal.reason ?? error);
      throw new RegistryError(`${what} failed: ${failure.text}`, undefined, failure.code);
    } finally {
      idle.dispose();
    }
  }

  #init(req: HttpRequest, signal: AbortSignal): RequestInit {
    return {
      method: req.method,
      headers: { 'user-agent': this.#userAgent, ...req.headers },
      ...(req.body !== undefined ? { body: req.body } : {}),
      redirect: 'follow',
      signal,
    };
  }

  async #retrying<
    T extends { status: number; statusText: string; headers: Headers; body: unknown },
  >(req: HttpRequest, attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
    const policy = this.policy;
    const what = describe(req);
    const start = policy.now();
    for (let n = 1; ; n++) {
      const elapsed = policy.now() - start;
      const timeoutMs = Math.max(
        1,
        Math.min(policy.requestTimeoutMs, policy.totalTimeMs - elapsed),
      );
      let problem: string;
      let code: string | undefined;
      let status: number | undefined;
      let wait: number | undefined;
      try {
        const res = await attempt(timeoutMs);
        this.#logger.debug(`${what} -> ${res.status}`);
        if (!isRetryableStatus(res.status)) return res;
        status = res.status;
        const detail = res.body instanceof Buffer ? describeErrorBody(res.body).text : undefined;
        code = detail?.split(':')[0];
        problem = `${res.status} ${res.statusText}${detail ? ` (${detail})` : ''}`;
        const after = retryAfterMs(res.headers.get('retry-after'), Date.now());
        if (after !== undefined) wait = Math.min(after, policy.maxRetryAfterMs);
      } catch (error) {
        const failure = classifyFetchError(error, timeoutMs);
        if (!failure.retryable) {
          throw new RegistryError(`${what} failed: ${failure.text}`, undefined, failure.code);
        }
        problem = failure.text;
        code = failure.code;
      }
      wait ??= backoffMs(n, policy);
      const spent = policy.now() - start;
      if (n >= policy.maxAttempts || spent + wait >= policy.totalTimeMs) {
        const error = new RegistryError(
          `${what} failed: ${problem} (gave up after ${n} attempt${n === 1 ? '' : 's'} in ${seconds(spent)})`,
          status,
          code,
        );
        error.exhausted = true;
        throw error;
      }
      this.#logger.debug(
        `${what}: ${problem}; retrying in ${seconds(wait)} (attempt ${n + 1} of ${policy.maxAttempts})`,
      );
      await policy.sleep(wait);
    }
  }
}
