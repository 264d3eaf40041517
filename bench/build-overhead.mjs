#!/usr/bin/env node
// What build-platform-image costs over the raw docker commands, on the same context:
//
//   bash scripts/testbed/up.sh && node scripts/bundle.mjs   # test bed and dist/build-platform-image
//   node bench/build-overhead.mjs [--runs 3] [--builders buildkit,classic] [--mb 16]
//
// For each builder (buildkit: docker 20.10 with DOCKER_BUILDKIT=1; classic: docker 28
// without buildx) and each way to build:
//   raw       `docker build` + `docker push` of the one tag, what a workflow runs by hand;
//   action    the bundled action (node dist/build-platform-image/index.js, INPUT_* as the
//             runner sets them), cache: none, so the same work plus what xplat adds:
//             probe, lint, (classic: rendering), labels, registry read-back, leg result;
//   action+cache  the same with cache: registry (pulls/pushes <image>:buildcache-<pair>).
// Each run is cold (a fresh nonce in the first RUN: nothing cached, a new layer pushed)
// then warm (the same context again, unchanged). Wall-clock per step, median of --runs.
// The action's leg result gives its own build and push times; the rest is its overhead.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { testbedEnv } from './testbed-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    builders: { type: 'string', default: 'buildkit,classic' },
    mb: { type: 'string', default: '16' },
  },
});
const runs = Number(values.runs);
const builders = values.builders.split(',');

const bed = testbedEnv(['DOCKER_HOST', 'XPLAT_REGISTRY_OPEN']);
const action = path.join(root, 'dist/build-platform-image/index.js');
if (!existsSync(action))
  throw new Error(
    'dist/build-platform-image/index.js missing: bundle first (node scripts/bundle.mjs)',
  );

const DOCKER = { buildkit: bed.XPLAT_DOCKER, classic: '/usr/local/bin/docker' };
const baseEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME ?? os.tmpdir(),
  DOCKER_HOST: bed.DOCKER_HOST,
  DOCKER_CONFIG: bed.DOCKER_CONFIG,
};

function run(file, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let err = '';
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0)
        reject(new Error(`${path.basename(file)} ${args[0]} failed (${code}): ${err.slice(-500)}`));
      else resolve(performance.now() - started);
    });
  });
}

/** A context whose first RUN carries `nonce`: a new nonce means nothing is cached. */
function context(nonce) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-bench-build-'));
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [
      `FROM ${bed.XPLAT_LOCAL_IMAGE_LINUX_AMD64}`,
      `RUN echo ${nonce} > /nonce && dd if=/dev/urandom of=/blob bs=1M count=${values.mb} 2>/dev/null && sha256sum /blob > /blob.sha`,
      'COPY app.txt /app.txt',
      'CMD ["cat", "/app.txt"]',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'app.txt'), 'bench\n');
  return dir;
}

async function raw(builder, ctx, image) {
  const env = { ...baseEnv, DOCKER_BUILDKIT: builder === 'buildkit' ? '1' : '0' };
  const tag = `${image}:linux-amd64-raw`;
  const build = await run(
    DOCKER[builder],
    ['build', '--platform', 'linux/amd64', '--network', 'host', '--tag', tag, ctx],
    env,
  );
  const push = await run(DOCKER[builder], ['push', tag], env);
  return { total: build + push, build, push };
}

async function viaAction(builder, ctx, image, cache) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-bench-action-'));
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV'].map((k) => [
      k,
      path.join(dir, k),
    ]),
  );
  for (const f of Object.values(files)) writeFileSync(f, '');
  const env = {
    ...baseEnv,
    ...files,
    XPLAT_DOCKER: DOCKER[builder],
    RUNNER_TEMP: dir,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REPOSITORY: 'org/app',
    INPUT_IMAGE: image,
    INPUT_PLATFORM: 'linux/amd64',
    INPUT_CONTEXT: ctx,
    INPUT_NETWORK: 'host',
    INPUT_CACHE: cache,
    'INPUT_TAG-TEMPLATE': 'linux-amd64-action',
    'INPUT_RESULT-DIR': dir,
    INPUT_BUILDER: builder,
  };
  const total = await run(process.execPath, [action], env);
  const leg = JSON.parse(readFileSync(path.join(dir, 'linux-amd64.json'), 'utf8'));
  return { total, build: leg.timings.buildMs, push: leg.timings.pushMs ?? 0 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ways = [
  ['raw docker build + push', raw],
  ['action (cache: none)', (b, c, i) => viaAction(b, c, i, 'none')],
  ['action (cache: registry)', (b, c, i) => viaAction(b, c, i, 'registry')],
];
const rows = [];
for (const builder of builders) {
  for (const [name, fn] of ways) {
    const cold = [];
    const warm = [];
    for (let i = 0; i < runs; i++) {
      // A fresh repository and nonce per run: cold really is cold, in the engine and registry.
      const image = `${bed.XPLAT_REGISTRY_OPEN}/bench-${builder}-${Date.now().toString(36)}${i}`;
      const ctx = context(`${Date.now()}-${Math.random()}`);
      cold.push(await fn(builder, ctx, image));
      warm.push(await fn(builder, ctx, image));
    }
    const cell = (samples, key) => `${Math.round(median(samples.map((s) => s[key])))}`;
    rows.push([
      builder,
      name,
      cell(cold, 'total'),
      cell(cold, 'build'),
      cell(cold, 'push'),
      cell(warm, 'total'),
      cell(warm, 'build'),
      cell(warm, 'push'),
    ]);
    process.stderr.write(`${builder} / ${name} done\n`);
  }
}

const header = [
  'builder',
  'how',
  'cold total ms',
  'cold build',
  'cold push',
  'warm total ms',
  'warm build',
  'warm push',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) =>
  `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log(
  `build-platform-image overhead, ${values.mb} MiB layer, median of ${runs} (node ${process.version}, ${os.cpus().length} CPUs, engine ${bed.XPLAT_DOCKER_SERVER_VERSION ?? '?'})`,
);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
