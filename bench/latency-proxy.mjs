#!/usr/bin/env node
/* global setTimeout, clearTimeout */
// A TCP proxy on 127.0.0.1 that adds network latency in front of a loopback registry, so
// benchmarks can show what round trips cost without leaving the machine:
//
//   - a new connection is held for one round trip before any byte moves (the TCP
//     handshake; a TLS one would add more, which this proxy does not model);
//   - every chunk, either way, is delayed by half a round trip, in order.
//
// It also reads the HTTP/1.1 it carries (request lines one way, status lines the other;
// neither tool pipelines), to count requests and connections, and to find the number of
// round trips on the critical path: the longest chain of requests each of which started
// only after the one before it had its answer (a request that opened a connection
// weighs two round trips, one for the handshake).
//
// Loopback only (it listens on 127.0.0.1 and forwards to 127.0.0.1 only), bounded: at
// most `maxConnections` at once, connections idle for `idleMs` are closed, and the whole
// proxy closes itself after `lifetimeMs`.
//
//   node bench/latency-proxy.mjs --upstream 127.0.0.1:5000 --rtt 50 [--lifetime 600]
//
// prints the port it listens on; Ctrl-C (or the lifetime) stops it and prints its counts.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const REQUEST_LINE = /^(GET|HEAD|PUT|POST|PATCH|DELETE|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/;
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

/**
 * @param {{ upstream: string, rttMs: number, maxConnections?: number, idleMs?: number,
 *           lifetimeMs?: number }} options
 */
export async function startLatencyProxy(options) {
  const [upHost, upPortText] = options.upstream.split(':');
  const upPort = Number(upPortText);
  if (upHost !== '127.0.0.1' || !Number.isInteger(upPort)) {
    throw new Error(`upstream must be 127.0.0.1:PORT (loopback only), not ${options.upstream}`);
  }
  const maxConnections = options.maxConnections ?? 256;
  const idleMs = options.idleMs ?? 30_000;
  const lifetimeMs = options.lifetimeMs ?? 15 * 60_000;
  let rttMs = options.rttMs;
  const sockets = new Set();
  /** @type {{ method: string, path: string, start: number, end?: number, status?: number, opened: boolean, conn: number }[]} */
  let requests = [];
  let connections = 0;
  let maxInFlight = 0;
  let inFlight = 0;
  let bytesSent = 0; // client to registry: request lines, headers and bodies
  const now = () => performance.now();

  const server = net.createServer((client) => {
    if (sockets.size >= maxConnections) {
      client.destroy();
      return;
    }
    const conn = ++connections;
    const rtt = rttMs;
    const half = rtt / 2;
    const upstream = net.connect({ host: '127.0.0.1', port: upPort });
    sockets.add(client);
    sockets.add(upstream);
    for (const s of [client, upstream]) s.setTimeout(idleMs, () => s.destroy());
    // The handshake: nothing moves before one round trip has passed.
    const readyAt = now() + rtt;
    const pending = []; // this connection's requests awaiting their answer, in order
    let first = true;

    const pipe = (from, to, onChunk) => {
      let last = 0;
      const at = (t) => (last = Math.max(last, t));
      from.on('data', (chunk) => {
        onChunk(chunk);
        const due = at(Math.max(now(), readyAt) + half);
        setTimeout(() => to.destroyed || to.write(chunk), Math.max(0, due - now()));
      });
      from.on('end', () => {
        const due = at(Math.max(now(), readyAt) + half);
        setTimeout(() => to.destroyed || to.end(), Math.max(0, due - now()));
      });
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        setTimeout(() => to.destroy(), Math.max(0, last - now()) + 1);
      });
    };
    pipe(client, upstream, (chunk) => {
      bytesSent += chunk.length;
      const m = REQUEST_LINE.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 2048)));
      if (!m) return;
      const request = { method: m[1], path: m[2], start: now(), opened: first, conn };
      first = false;
      requests.push(request);
      pending.push(request);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
    });
    pipe(upstream, client, (chunk) => {
      const m = STATUS_LINE.exec(chunk.toString('latin1', 0, 16));
      if (!m || m[1] === '100') return;
      const request = pending.shift();
      if (!request) return;
      // The answer reaches the client half a round trip from now.
      request.end = Math.max(now(), readyAt) + half;
      request.status = Number(m[1]);
      inFlight--;
    });
  });
  server.maxConnections = maxConnections;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const lifetime = setTimeout(() => close(), lifetimeMs);
  lifetime.unref();

  function close() {
    clearTimeout(lifetime);
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  return {
    port: server.address().port,
    /** Change the round trip for connections opened from now on. */
    setRtt(ms) {
      rttMs = ms;
    },
    /** Forget the counts (between benchmark runs). */
    reset() {
      requests = [];
      connections = 0;
      maxInFlight = 0;
      inFlight = 0;
      bytesSent = 0;
    },
    stats() {
      return { ...summarise(requests, connections, maxInFlight), bytesSent };
    },
    /** Every request: method, path, start and answer (ms from the first), new connection. */
    timeline() {
      const t0 = requests[0]?.start ?? 0;
      return requests.map((r) => ({
        method: r.method,
        path: r.path.replace(/sha256:([0-9a-f]{8})[0-9a-f]{56}/g, 'sha256:$1'),
        conn: r.conn,
        opened: r.opened,
        start: Math.round(r.start - t0),
        end: r.end === undefined ? undefined : Math.round(r.end - t0),
        status: r.status,
      }));
    },
    close,
  };
}

/** Requests, connections, most in flight, and the round trips on the critical path. */
export function summarise(requests, connections, maxInFlight) {
  const done = requests.filter((r) => r.end !== undefined).sort((a, b) => a.start - b.start);
  // depth(r) = weight(r) + max depth of a request answered before r started.
  const depth = new Map();
  let critical = 0;
  for (const r of done) {
    let before = 0;
    for (const q of done) {
      if (q === r || q.end > r.start + 0.5) continue;
      before = Math.max(before, depth.get(q) ?? 0);
    }
    const d = before + (r.opened ? 2 : 1);
    depth.set(r, d);
    critical = Math.max(critical, d);
  }
  const byMethod = {};
  for (const r of requests) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
  return {
    requests: requests.length,
    connections,
    maxInFlight,
    criticalRoundTrips: critical,
    byMethod,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      upstream: { type: 'string' },
      rtt: { type: 'string', default: '50' },
      lifetime: { type: 'string', default: '600' },
    },
  });
  if (!values.upstream) throw new Error('--upstream 127.0.0.1:PORT is required');
  const proxy = await startLatencyProxy({
    upstream: values.upstream,
    rttMs: Number(values.rtt),
    lifetimeMs: Math.min(Number(values.lifetime), 3600) * 1000,
  });
  console.log(`127.0.0.1:${proxy.port} -> ${values.upstream}, ${values.rtt} ms round trip`);
  const stop = async () => {
    console.log(JSON.stringify(proxy.stats()));
    await proxy.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setTimeout(stop, Math.min(Number(values.lifetime), 3600) * 1000).unref();
}
