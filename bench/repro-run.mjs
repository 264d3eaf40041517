#!/usr/bin/env node
// What a second `xplat run` of an unchanged commit costs, now that digests are
// reproducible: the example (examples/hello-http, linux/amd64 native + linux/arm64 under
// QEMU) committed to a git repository, run once to fill the registry, then again and
// again. Each run pushes to the test bed's open registry through a counting proxy
// (bench/latency-proxy.mjs at 0 ms), which counts the requests and the bytes sent to the
// registry; the registry's own storage says how many manifests the run added.
//
//   bash scripts/testbed/up.sh && npm run bundle
//   node bench/repro-run.mjs [--rounds 5] [--compare OTHER/dist/cli/index.js]
//
// --compare runs another build of the CLI (e.g. main's committed dist/cli/index.js, before
// reproducible digests) on its own copy of the project, interleaved round by round with
// this one, so load on this shared machine hits both alike; medians and ratios printed.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
    rounds: { type: 'string', default: '5' },
    compare: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const bed = testbedEnv(['XPLAT_REGISTRY_OPEN', 'XPLAT_FIXTURE_BUSYBOX_LIST_REF', 'DOCKER_HOST']);
const env = { ...process.env, ...bed, GITHUB_SHA: '', XPLAT_BUILDER: '', SOURCE_DATE_EPOCH: '' };
const EPOCH = 1764151200;

function git(dir, args, at) {
  const date =
    at === undefined ? {} : { GIT_AUTHOR_DATE: `@${at} +0000`, GIT_COMMITTER_DATE: `@${at} +0000` };
  execFileSync('git', ['-C', dir, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'bench',
      GIT_AUTHOR_EMAIL: 'bench@xplat.invalid',
      GIT_COMMITTER_NAME: 'bench',
      GIT_COMMITTER_EMAIL: 'bench@xplat.invalid',
      ...date,
    },
    stdio: 'ignore',
  });
}

/** The example as a committed git repository of its own. */
function project() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-bench-repro-'));
  cpSync(path.join(root, 'examples', 'hello-http'), dir, {
    recursive: true,
    filter: (src) => path.basename(src) !== '.xplat',
  });
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  git(dir, ['add', '--all']);
  git(dir, ['commit', '--quiet', '--no-gpg-sign', '-m', 'example'], EPOCH);
  return dir;
}

function manifests(repository) {
  const dir = path.join(
    bed.XPLAT_TESTBED_DIR,
    'registry/open/data/docker/registry/v2/repositories',
    repository,
    '_manifests/revisions/sha256',
  );
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}

function xplatRun(cli, dir, registry) {
  return new Promise((resolve, reject) => {
    const args = [cli, 'run', '--dir', dir, '--registry', registry, '--network', 'host'];
    args.push('--build-arg', `BUSYBOX_IMAGE=${bed.XPLAT_FIXTURE_BUSYBOX_LIST_REF}`, '--json');
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`xplat run exit ${code}: ${err.slice(-800)}`)),
    );
  });
}

const proxy = await startLatencyProxy({ upstream: bed.XPLAT_REGISTRY_OPEN, rttMs: 0 });
const contenders = [
  { name: 'this build', cli: path.join(root, 'dist', 'cli', 'index.js') },
  ...(values.compare ? [{ name: 'compare', cli: path.resolve(values.compare) }] : []),
].map((c, i) => {
  const prefix = `bench-repro-${Date.now().toString(36)}-${i}`;
  return {
    ...c,
    dir: project(),
    prefix,
    registry: `127.0.0.1:${proxy.port}/${prefix}`,
    repository: `${prefix}/xplat-dev/hello-http`,
    samples: [],
  };
});

try {
  // The first run of each fills the registry (and BuildKit's cache): not measured.
  for (const c of contenders) c.first = await xplatRun(c.cli, c.dir, c.registry);
  for (let round = 0; round < rounds; round++) {
    for (const c of round % 2 ? [...contenders].reverse() : contenders) {
      const before = manifests(c.repository);
      proxy.reset();
      const t0 = performance.now();
      const report = await xplatRun(c.cli, c.dir, c.registry);
      const ms = performance.now() - t0;
      const stats = proxy.stats();
      const puts = proxy
        .timeline()
        .filter((r) => r.method === 'PUT' && r.path.includes('/manifests/'));
      c.samples.push({
        ms,
        requests: stats.requests,
        manifestPuts: puts.length,
        newManifests: manifests(c.repository) - before,
        bytes: stats.bytesSent,
        sameIndex: report.digest === c.first.digest,
        sameLegs:
          JSON.stringify(report.legs.map((l) => l.digest)) ===
          JSON.stringify(c.first.legs.map((l) => l.digest)),
      });
    }
  }
} finally {
  await proxy.close();
  for (const c of contenders) rmSync(c.dir, { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rows = contenders.map((c) => {
  const m = (k) => median(c.samples.map((s) => s[k]));
  return {
    name: c.name,
    ms: m('ms'),
    requests: m('requests'),
    manifestPuts: m('manifestPuts'),
    newManifests: m('newManifests'),
    bytes: m('bytes'),
    same: `${c.samples.filter((s) => s.sameLegs && s.sameIndex).length}/${c.samples.length}`,
  };
});
console.log(
  `# second xplat run of an unchanged commit: ${rounds} rounds, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`,
);
console.log(
  '| cli | median ms | requests | manifest PUTs | new manifests | bytes sent | same leg and index digests |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.name} | ${Math.round(r.ms)} | ${r.requests} | ${r.manifestPuts} | ${r.newManifests} | ${r.bytes} | ${r.same} |`,
  );
if (rows.length === 2) {
  const [a, b] = rows;
  const ratio = (k) => (b[k] ? (a[k] / b[k]).toFixed(2) : '-');
  console.log(
    `\nthis build / compare: time ${ratio('ms')}, requests ${ratio('requests')}, bytes ${ratio('bytes')}`,
  );
}
