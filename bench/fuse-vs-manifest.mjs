#!/usr/bin/env node
/* global fetch, AbortSignal, Buffer, setTimeout, clearTimeout */
// xplat fuse against `docker manifest create/annotate/push` (and podman where installed),
// side by side, through a latency-injecting proxy of our own (bench/latency-proxy.mjs)
// in front of the test bed's open registry: 2/4/8 platforms x 1/3 tags at 0 and 50 ms
// round trip, interleaved (each round runs every case once, tools in alternating order),
// medians over the rounds, ratios xplat/docker. Also, per case, the requests xplat sent,
// the connections it opened and the round trips on its critical path (from the proxy),
// and the round-trip floor: xplat's own median at 0 ms plus one round trip per dependent
// step it cannot avoid (below) and one for the first connection's handshake.
//
//   bash scripts/testbed/up.sh && node scripts/bundle.mjs   # test bed and dist/cli
//   node bench/fuse-vs-manifest.mjs [--rounds 3] [--platforms 2,4,8] [--tags 1,3]
//        [--rtts 0,50] [--docker /usr/local/bin/docker] [--copy]
//
// Same repository: the platform images already live in the target repository (a fresh
// one per run, seeded through the API outside the timing), as after per-platform builds
// pushed by digest. The unavoidable steps are 5: ping -> {source manifests, tag checks,
// upload session} -> {configs} -> {tag PUTs} -> {read-backs}.
// --copy adds "8 sources in 8 other repositories" (xplat only, first run into a fresh
// target): 7 steps, ping -> {source manifests, tag checks, upload session} -> {configs}
// -> {blob mounts} -> {image PUTs} -> {tag PUTs} -> {read-backs}. The mounts wait for the
// configs on purpose: they are writes, and no write may happen before every check (a tag
// that may not move is only known once the index, and so every config, is).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLatencyProxy } from './latency-proxy.mjs';
import { testbedEnv } from './testbed-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    platforms: { type: 'string', default: '2,4,8' },
    tags: { type: 'string', default: '1,3' },
    rtts: { type: 'string', default: '0,50' },
    docker: { type: 'string', default: '/usr/local/bin/docker' },
    copy: { type: 'boolean', default: false },
    // Another build of the CLI (e.g. an older one, for a before/after comparison).
    cli: { type: 'string', default: path.join(root, 'dist/cli/index.js') },
    'no-docker': { type: 'boolean', default: false },
    'copy-only': { type: 'boolean', default: false },
  },
});
const rounds = Math.min(Number(values.rounds), 20);
const platformCounts = values.platforms.split(',').map(Number);
const tagCounts = values.tags.split(',').map(Number);
const rtts = values.rtts.split(',').map(Number);
const TIMEOUT_MS = 120_000; // no single run may take longer

const bed = testbedEnv(['XPLAT_REGISTRY_OPEN']);
const registry = bed.XPLAT_REGISTRY_OPEN;
const cli = path.resolve(values.cli);
if (!existsSync(cli)) throw new Error(`${cli} missing: node scripts/bundle.mjs first`);
const dockerBin = !values['no-docker'] && existsSync(values.docker) ? values.docker : undefined;
const podman =
  !values['no-docker'] && spawnSync('podman', ['--version']).status === 0 ? 'podman' : undefined;

// Eight platforms, hybrid first: a 2-platform index is one Linux and one Windows image.
const PLATFORMS = [
  { os: 'linux', architecture: 'amd64', name: 'linux/amd64' },
  {
    os: 'windows',
    architecture: 'amd64',
    'os.version': '10.0.20348.2655',
    name: 'windows/amd64:ltsc2022',
  },
  { os: 'linux', architecture: 'arm64', variant: 'v8', name: 'linux/arm64' },
  {
    os: 'windows',
    architecture: 'amd64',
    'os.version': '10.0.26100.1742',
    name: 'windows/amd64:ltsc2025',
  },
  { os: 'linux', architecture: 'arm', variant: 'v7', name: 'linux/arm/v7' },
  { os: 'linux', architecture: '386', name: 'linux/386' },
  { os: 'linux', architecture: 'ppc64le', name: 'linux/ppc64le' },
  { os: 'linux', architecture: 's390x', name: 'linux/s390x' },
];

// --- seeding, straight to the registry (not through the proxy, not timed) ---------------
const base = `http://${registry}/v2`;
const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
async function api(method, url, body, headers = {}) {
  const res = await fetch(url, { method, body, headers, signal: AbortSignal.timeout(10_000) });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res;
}
async function putBlob(repo, bytes) {
  const digest = sha(bytes);
  const start = await api('POST', `${base}/${repo}/blobs/uploads/`);
  const loc = new URL(start.headers.get('location'), base);
  loc.searchParams.set('digest', digest);
  await api('PUT', loc.href, bytes, { 'content-type': 'application/octet-stream' });
  return { digest, size: bytes.length };
}
async function mount(repo, from, digest) {
  await api('POST', `${base}/${repo}/blobs/uploads/?mount=${digest}&from=${from}`);
}
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
async function putManifest(repo, ref, bytes) {
  await api('PUT', `${base}/${repo}/manifests/${ref}`, bytes, { 'content-type': MANIFEST });
}

const seedRepo = `bench-seed/fuse-${Date.now().toString(36)}`;
const images = [];
for (const p of PLATFORMS) {
  const layer = await putBlob(seedRepo, randomBytes(512));
  const { name: _name, ...platform } = p;
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      config: {},
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }),
  );
  const c = await putBlob(seedRepo, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...c },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...layer }],
    }),
  );
  await putManifest(seedRepo, sha(manifest), manifest);
  images.push({ ...p, manifest, digest: sha(manifest), blobs: [c.digest, layer.digest] });
}
async function seed(repo, list) {
  for (const img of list) {
    await Promise.all(img.blobs.map((d) => mount(repo, seedRepo, d)));
    await putManifest(repo, img.digest, img.manifest);
  }
}

// --- the tools ------------------------------------------------------------------------
function timed(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let err = '';
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(performance.now() - started);
      else
        reject(
          new Error(
            `${path.basename(cmd)} ${args.slice(0, 3).join(' ')} failed (${code}): ${err.slice(-600)}`,
          ),
        );
    });
  });
}

async function xplat(host, repo, list, tags, sourceRepos) {
  const args = [cli, 'fuse', '--image', `${host}/${repo}`];
  for (const t of tags) args.push('--tag', t);
  list.forEach((img, i) =>
    args.push('--source', `${host}/${sourceRepos?.[i] ?? repo}@${img.digest}`),
  );
  args.push('--expected-platforms', list.map((i) => i.name).join(','));
  return timed(process.execPath, args);
}

const dockerConfig = mkdtempSync(path.join(os.tmpdir(), 'xplat-bench-docker-'));
async function manifestTool(bin, host, repo, list, tags) {
  // What a workflow does without xplat: per tag, create the list from the pushed images,
  // set each Windows entry's os.version, push (and forget the local copy).
  const env = { DOCKER_CONFIG: dockerConfig };
  const insecure = bin === 'podman' ? '--tls-verify=false' : '--insecure';
  let total = 0;
  for (const tag of tags) {
    const list_ = `${host}/${repo}:${tag}`;
    const sources = list.map((img) => `${host}/${repo}@${img.digest}`);
    if (bin === 'podman') {
      total += await timed(bin, ['manifest', 'create', list_], env);
      for (const s of sources)
        total += await timed(bin, ['manifest', 'add', insecure, list_, `docker://${s}`], env);
      total += await timed(
        bin,
        ['manifest', 'push', insecure, '--rm', list_, `docker://${list_}`],
        env,
      );
      continue;
    }
    total += await timed(bin, ['manifest', 'create', insecure, '--amend', list_, ...sources], env);
    for (const [i, img] of list.entries()) {
      if (img['os.version'])
        total += await timed(
          bin,
          ['manifest', 'annotate', list_, sources[i], '--os-version', img['os.version']],
          env,
        );
    }
    total += await timed(bin, ['manifest', 'push', insecure, '--purge', list_], env);
  }
  return total;
}

const trace = (proxy) =>
  proxy
    .timeline()
    .map(
      (r) =>
        `  ${String(r.start).padStart(5)} ${String(r.end).padStart(5)} ${r.opened ? 'new' : '   '} c${r.conn} ${r.status} ${r.method} ${r.path}`,
    )
    .join('\n');

// --- the rounds -----------------------------------------------------------------------
const proxies = new Map();
for (const rtt of rtts) {
  proxies.set(
    rtt,
    await startLatencyProxy({ upstream: registry, rttMs: rtt, lifetimeMs: 60 * 60_000 }),
  );
}
const tools = ['xplat', ...(dockerBin ? ['docker'] : []), ...(podman ? ['podman'] : [])];
const cases = values['copy-only']
  ? []
  : platformCounts.flatMap((n) => tagCounts.flatMap((t) => rtts.map((rtt) => ({ n, t, rtt }))));
const samples = new Map(); // key -> { ms: [], stats: [] }
const key = (...parts) => parts.join(' ');
const record = (k, ms, stats) => {
  const s = samples.get(k) ?? { ms: [], stats: [] };
  s.ms.push(ms);
  if (stats) s.stats.push(stats);
  samples.set(k, s);
};
let run = 0;
try {
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const order = (r + run) % 2 === 0 ? tools : [...tools].reverse();
      for (const tool of order) {
        const repo = `bench-fvm/${tool}-${c.n}x${c.t}-${c.rtt}-${Date.now().toString(36)}-${run++}`;
        const list = images.slice(0, c.n);
        await seed(repo, list);
        const proxy = proxies.get(c.rtt);
        const host = `127.0.0.1:${proxy.port}`;
        const tags = Array.from({ length: c.t }, (_, i) => `v${i + 1}`);
        proxy.reset();
        const ms =
          tool === 'xplat'
            ? await xplat(host, repo, list, tags)
            : await manifestTool(tool === 'docker' ? dockerBin : 'podman', host, repo, list, tags);
        record(key(tool, c.n, c.t, c.rtt), ms, proxy.stats());
        if (process.env.BENCH_TRACE && tool === 'xplat' && c.rtt)
          process.stderr.write(`${tool} ${c.n}x${c.t} ${c.rtt} ms:\n${trace(proxy)}\n`);
      }
    }
    if (values.copy || values['copy-only']) {
      for (const rtt of rtts) {
        const list = images.slice(0, 8);
        const stamp = `${Date.now().toString(36)}-${run++}`;
        const sourceRepos = list.map((_, i) => `bench-fvm/src-${stamp}-${i}`);
        for (const [i, img] of list.entries()) await seed(sourceRepos[i], [img]);
        const proxy = proxies.get(rtt);
        proxy.reset();
        const ms = await xplat(
          `127.0.0.1:${proxy.port}`,
          `bench-fvm/copy-${stamp}`,
          list,
          ['v1', 'v2', 'v3'],
          sourceRepos,
        );
        record(key('copy', 8, 3, rtt), ms, proxy.stats());
        if (process.env.BENCH_TRACE && rtt)
          process.stderr.write(`copy ${rtt} ms:\n${trace(proxy)}\n`);
      }
    }
    process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
} finally {
  for (const p of proxies.values()) await p.close();
  rmSync(dockerConfig, { recursive: true, force: true });
}

// --- the tables -----------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (x === undefined ? '-' : String(Math.round(x)));
const STEPS = { same: 5, copy: 7 };
const floorOf = (tool, n, t, rtt, steps) => {
  const at0 = samples.get(key(tool, n, t, 0));
  return at0 ? median(at0.ms) + (steps + 1) * rtt : undefined;
};
console.log(
  `fuse: xplat vs ${tools.slice(1).join(' and ') || '(no docker found)'}; ${rounds} interleaved rounds, medians; ${os.cpus().length} CPUs, node ${process.version}${dockerBin ? `, ${spawnSync(dockerBin, ['version', '--format', '{{.Client.Version}}']).stdout.toString().trim()} client` : ''}; load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const head = [
  'platforms x tags',
  'rtt ms',
  'xplat ms',
  ...tools.slice(1).map((t) => `${t} ms`),
  ...tools.slice(1).map((t) => `xplat/${t}`),
  'xplat requests',
  'connections',
  'max in flight',
  'critical round trips',
  'floor ms',
  'xplat/floor',
];
const rows = [];
for (const c of cases) {
  const x = samples.get(key('xplat', c.n, c.t, c.rtt));
  if (!x) continue;
  const mx = median(x.ms);
  const others = tools.slice(1).map((t) => samples.get(key(t, c.n, c.t, c.rtt)));
  const st = x.stats;
  const floor = c.rtt ? floorOf('xplat', c.n, c.t, c.rtt, STEPS.same) : undefined;
  rows.push([
    `${c.n} x ${c.t}`,
    String(c.rtt),
    ms(mx),
    ...others.map((o) => ms(o && median(o.ms))),
    ...others.map((o) => (o ? (mx / median(o.ms)).toFixed(2) : '-')),
    String(median(st.map((s) => s.requests))),
    String(median(st.map((s) => s.connections))),
    String(median(st.map((s) => s.maxInFlight))),
    c.rtt ? String(median(st.map((s) => s.criticalRoundTrips))) : '-',
    ms(floor),
    floor ? (mx / floor).toFixed(2) : '-',
  ]);
}
for (const rtt of rtts) {
  const x = samples.get(key('copy', 8, 3, rtt));
  if (!x) continue;
  const mx = median(x.ms);
  const at0 = samples.get(key('copy', 8, 3, 0));
  const floor = rtt && at0 ? median(at0.ms) + (STEPS.copy + 1) * rtt : undefined;
  const st = x.stats;
  rows.push([
    '8 x 3, 8 other repos (first run)',
    String(rtt),
    ms(mx),
    ...tools.slice(1).map(() => '-'),
    ...tools.slice(1).map(() => '-'),
    String(median(st.map((s) => s.requests))),
    String(median(st.map((s) => s.connections))),
    String(median(st.map((s) => s.maxInFlight))),
    rtt ? String(median(st.map((s) => s.criticalRoundTrips))) : '-',
    ms(floor),
    floor ? (mx / floor).toFixed(2) : '-',
  ]);
}
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => ' --- ').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
if (process.env.BENCH_RAW) console.log(JSON.stringify([...samples.entries()]));
