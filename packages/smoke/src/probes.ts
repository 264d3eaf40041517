/**
 * One attempt of each probe kind. An attempt never throws: it reports what it saw, so
 * the poller can retry and the report can say what the last failure was. HTTP and TCP
 * talk to 127.0.0.1 only (the plan builds every target from LOOPBACK).
 */
import http from 'node:http';
import net from 'node:net';
import { containerLogs, execInContainer, type DockerOptions } from '@xplat/engine';
import type { Attempt } from './backoff.js';
import { statusMatches } from './parse.js';
import type { ProbeSpec } from './plan.js';

export interface AttemptContext {
  readonly containerId: string;
  readonly docker: DockerOptions;
  /** The most one attempt may take (also bounded by the probe's deadline). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export function attemptProbe(probe: ProbeSpec, ctx: AttemptContext): Promise<Attempt> {
  switch (probe.kind) {
    case 'http':
      return attemptHttp(probe, ctx);
    case 'tcp':
      return attemptTcp(probe.host, probe.port, ctx);
    case 'log':
      return attemptLog(probe.pattern, ctx);
    case 'exec':
      return attemptExec(probe, ctx);
  }
}

const BODY_LIMIT = 64 * 1024;

export function attemptHttp(
  probe: Extract<ProbeSpec, { kind: 'http' }>,
  ctx: AttemptContext,
): Promise<Attempt> {
  return new Promise((resolve) => {
    const started = Date.now();
    // No keep-alive agent: each attempt is a fresh connection, as a first client's would be.
    const request = http.request(probe.url, {
      method: probe.method,
      headers: probe.headers,
      agent: false,
      timeout: ctx.timeoutMs,
      // A health check of the user's own service, not a security boundary: accept what
      // curl and browsers accept (bare LF line ends from small servers and CGI scripts).
      insecureHTTPParser: true,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const fail = (error: string): void => resolve({ ok: false, error });
    request.on('timeout', () =>
      request.destroy(new Error(`no answer within ${seconds(ctx.timeoutMs)}`)),
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      fail(error.code ? `${error.code}: ${error.message}` : error.message),
    );
    request.on('response', (response) => {
      // HEAD has no body to wait for; some servers send one anyway, which would only
      // turn a good answer into a parse error.
      if (probe.method === 'HEAD') {
        const status = response.statusCode ?? 0;
        request.destroy();
        if (!statusMatches(probe.expectStatus, status))
          return fail(`answered ${status}, expected ${probe.expectStatus.text}`);
        return resolve({ ok: true, detail: `${status} in ${Date.now() - started} ms` });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('error', (error) => fail(error.message));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8').slice(0, BODY_LIMIT);
        const took = `${Date.now() - started} ms`;
        if (!statusMatches(probe.expectStatus, status)) {
          return fail(
            `answered ${status}, expected ${probe.expectStatus.text}; body: ${snippet(body)}`,
          );
        }
        if (probe.expectBody && !probe.expectBody.test(body)) {
          return fail(
            `answered ${status} but the body does not match /${probe.expectBody.source}/; body: ${snippet(body)}`,
          );
        }
        resolve({ ok: true, detail: `${status} in ${took}` });
      });
    });
    request.end();
  });
}

export function attemptTcp(host: string, port: number, ctx: AttemptContext): Promise<Attempt> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host, port, timeout: ctx.timeoutMs });
    const done = (result: Attempt): void => {
      socket.destroy();
      resolve(result);
    };
    socket.on('connect', () =>
      done({ ok: true, detail: `connected in ${Date.now() - started} ms` }),
    );
    socket.on('timeout', () =>
      done({ ok: false, error: `no connection within ${seconds(ctx.timeoutMs)}` }),
    );
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, error: `${error.code ?? 'error'}: ${error.message}` }),
    );
  });
}

export async function attemptLog(pattern: RegExp, ctx: AttemptContext): Promise<Attempt> {
  try {
    const lines = await containerLogs(ctx.containerId, {}, ctx.docker);
    const hit = lines.find((l) => pattern.test(l.text));
    if (hit) return { ok: true, detail: `matched: ${snippet(hit.text)}` };
    return {
      ok: false,
      error: `no log line matches /${pattern.source}/ yet (${lines.length} lines so far)`,
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export async function attemptExec(
  probe: Extract<ProbeSpec, { kind: 'exec' }>,
  ctx: AttemptContext,
): Promise<Attempt> {
  try {
    const result = await execInContainer(ctx.containerId, probe.command, ctx.docker);
    const output = `${result.stdout}${result.stderr}`;
    if (result.exitCode !== probe.expectExitCode) {
      return {
        ok: false,
        error: `exited ${result.exitCode}, expected ${probe.expectExitCode}; output: ${snippet(output)}`,
      };
    }
    if (probe.expectOutput && !probe.expectOutput.test(output)) {
      return {
        ok: false,
        error: `output does not match /${probe.expectOutput.source}/: ${snippet(output)}`,
      };
    }
    return {
      ok: true,
      detail: `exited ${result.exitCode}${output.trim() ? `: ${snippet(output)}` : ''}`,
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Output in one short line, for messages. */
export function snippet(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '(empty)';
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
