import { afterEach, describe, expect, it } from '@jest/globals';
import {
  backoffMs,
  HttpClient,
  IdleTimeout,
  isRetryableStatus,
  retryAfterMs,
} from '../src/internal/http.js';
import { RegistryError } from '../src/internal/errors.js';
import { type LocalServer, closedPort, startServer } from './local-server.js';

/** A policy whose waits are recorded and shortened, so retry tests take milliseconds. */
function fastPolicy(overrides: Record<string, unknown> = {}) {
  const waits: number[] = [];
  return {
    waits,
    policy: {
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      maxRetryAfterMs: 5000,
      totalTimeMs: 60_000,
      requestTimeoutMs: 2000,
      random: () => 0.5,
      sleep: async (ms: number) => {
        waits.push(ms);
      },
      ...overrides,
    },
  };
}

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('retryable statuses', () => {
  it.each([
    [429, true],
    [408, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [501, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [200, false],
  ])('%i retryable: %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2024-08-13T12:00:00Z');
  it.each([
    ['3', 3000],
    ['0', 0],
    [' 12 ', 12_000],
    ['Tue, 13 Aug 2024 12:00:05 GMT', 5000],
    ['Tue, 13 Aug 2024 11:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%p -> %p ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});

describe('backoff', () => {
  it('doubles per retry, is capped, and keeps half of it as jitter', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(1, { ...policy, random: () => 0 })).toBe(50);
    expect(backoffMs(1, { ...policy, random: () => 1 })).toBe(100);
    expect(backoffMs(3, { ...policy, random: () => 1 })).toBe(400);
    expect(backoffMs(10, { ...policy, random: () => 1 })).toBe(1000);
    expect(backoffMs(10, { ...policy, random: () => 0 })).toBe(500);
  });
});

describe('HttpClient against a real local server', () => {
  it('retries a 429 after its Retry-After, then returns the 200', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(429, { 'retry-after': '2' });
        res.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}');
        return;
      }
      res.end('ok');
    });
    const { policy, waits } = fastPolicy();
    const res = await new HttpClient(policy).request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('ok');
    expect(calls).toBe(2);
    expect(waits).toEqual([2000]); // Retry-After, not the 100 ms backoff
  });

  it('caps a long Retry-After', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(503, { 'retry-after': '3600' });
        res.end();
        return;
      }
      res.end('ok');
    });
    const { policy, waits } = fastPolicy({ maxRetryAfterMs: 1500 });
    await new HttpClient(policy).request({ method: 'GET', url: server.url });
    expect(waits).toEqual([1500]);
  });

  it('gives up on a registry that keeps answering 503, within the total time bound', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls += 1;
      res.writeHead(503);
      res.end();
    });
    // Real sleeps here: the bound is wall-clock time.
    const started = Date.now();
    const client = new HttpClient({
      maxAttempts: 100,
      baseDelayMs: 50,
      maxDelayMs: 200,
      totalTimeMs: 800,
      requestTimeoutMs: 500,
    });
    const error = await client
      .request({ method: 'GET', url: `${server.url}/v2/x/manifests/1` })
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(503);
    expect((error as RegistryError).message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/v2\/x\/manifests\/1 failed: 503 Service Unavailable \(gave up after \d+ attempts in [\d.]+ s\)$/,
    );
    expect(elapsed).toBeLessThan(2500); // 800 ms bound, plus slack for a busy machine
    expect(calls).toBeGreaterThan(2);
    expect(calls).toBeLessThan(100);
  });

  it('stops after maxAttempts on 5xx', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls += 1;
      res.writeHead(502);
      res.end();
    });
    const { policy, waits } = fastPolicy({ maxAttempts: 4 });
    await expect(
      new HttpClient(policy).request({ method: 'GET', url: server.url }),
    ).rejects.toThrow(/502 Bad Gateway \(gave up after 4 attempts/);
    expect(calls).toBe(4);
    // Ceilings 100, 200, 400 ms; random() = 0.5 keeps three quarters of each.
    expect(waits).toEqual([75, 150, 300]);
  });

  it('does not retry a 404 or a 501', async () => {
    let calls = 0;
    server = await startServer((req, res) => {
      calls += 1;
      res.writeHead(req.url === '/501' ? 501 : 404);
      res.end();
    });
    const { policy, waits } = fastPolicy();
    const client = new HttpClient(policy);
    expect((await client.request({ method: 'GET', url: `${server.url}/404` })).status).toBe(404);
    expect((await client.request({ method: 'GET', url: `${server.url}/501` })).status).toBe(501);
    expect(calls).toBe(2);
    expect(waits).toEqual([]);
  });

  it('times out a hung request and retries it', async () => {
    let calls = 0;
    server = await startServer(() => {
      calls += 1; // never answers
    });
    const { policy } = fastPolicy({ requestTimeoutMs: 200, maxAttempts: 2 });
    const started = Date.now();
    const error = await new HttpClient(policy)
      .request({ method: 'GET', url: server.url })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /failed: no answer within 0\.2 s \(gave up after 2 attempts/,
    );
    expect((error as RegistryError).code).toBe('ETIMEDOUT');
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('retries a refused connection, then says the registry is unreachable', async () => {
    const host = await closedPort();
    const { policy, waits } = fastPolicy({ maxAttempts: 3 });
    const error = await new HttpClient(policy)
      .request({ method: 'GET', url: `http://${host}/v2/` })
      .catch((e: unknown) => e);
    expect((error as RegistryError).code).toBe('ECONNREFUSED');
    expect((error as Error).message).toContain(
      `GET http://${host}/v2/ failed: connect ECONNREFUSED`,
    );
    expect((error as Error).message).toContain('gave up after 3 attempts');
    expect(waits).toHaveLength(2);
  });

  it('fails at once when the host does not resolve', async () => {
    const { policy, waits } = fastPolicy();
    const error = await new HttpClient(policy)
      .request({ method: 'GET', url: 'http://no-such-host.invalid/v2/' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(waits).toEqual([]);
  });

  it('recovers when a dropped connection is followed by an answer', async () => {
    let calls = 0;
    server = await startServer((req, res) => {
      calls += 1;
      if (calls === 1) {
        req.socket.destroy(); // drop it mid-request
        return;
      }
      res.end('fine');
    });
    const { policy, waits } = fastPolicy();
    const res = await new HttpClient(policy).request({ method: 'GET', url: server.url });
    expect(res.body.toString()).toBe('fine');
    expect(waits).toHaveLength(1);
  });
});

describe('streamed bodies', () => {
  it('abort when the data stops flowing, not while it flows', async () => {
    server = await startServer((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      if (req.url === '/slow-but-steady') {
        // 10 chunks, 50 ms apart: longer in all than the idle limit below, but never
        // idle for nearly that long (the margin absorbs a busy machine).
        let sent = 0;
        const timer = setInterval(() => {
          res.write(Buffer.alloc(100, 1));
          if (++sent === 10) {
            clearInterval(timer);
            res.end();
          }
        }, 50);
        return;
      }
      res.write(Buffer.alloc(100, 1)); // then hang
    });
    const client = new HttpClient({ requestTimeoutMs: 400 });
    const steady = await client.stream(
      { method: 'GET', url: `${server.url}/slow-but-steady` },
      new IdleTimeout(400),
    );
    expect(Buffer.from(await new Response(steady.body).arrayBuffer()).length).toBe(1000);

    const stalled = await client.stream(
      { method: 'GET', url: `${server.url}/stall` },
      new IdleTimeout(300),
    );
    const started = Date.now();
    await expect(new Response(stalled.body).arrayBuffer()).rejects.toThrow(/no data for 0\.3 s/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
