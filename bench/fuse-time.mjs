#!/usr/bin/env node
/* global fetch, AbortSignal, Buffer */
// How long fuse takes for the four-platform hybrid index (linux/amd64, linux/arm64,
// windows ltsc2022 and ltsc2025): first (a new repository holding the four legs' images,
// as build-platform-image pushes them: the gate, every manifest and config read, the
// index pushed and read back) and re-run (same inputs: every tag is already there,
// nothing moves). Copying from other repositories, and round trips, are measured by
// bench/fuse-vs-manifest.mjs --copy.
//
//   bash scripts/testbed/up.sh && node scripts/bundle.mjs   # test bed and dist/cli
//   node bench/fuse-time.mjs [--runs 5]
//
// Runs the bundled CLI (`node dist/cli/index.js fuse`) against the test bed's open
// registry on 127.0.0.1, from leg results that point at the target repository.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { testbedEnv } from './testbed-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const LEGS = [
  ['linux/amd64', 'LINUX_AMD64'],
  ['linux/arm64', 'LINUX_ARM64'],
  ['windows/amd64', 'WINDOWS_LTSC2022', '10.0.20348.2655'],
  ['windows/amd64', 'WINDOWS_LTSC2025', '10.0.26100.1742'],
];
const bed = testbedEnv([
  'XPLAT_REGISTRY_OPEN',
  ...LEGS.map(([, name]) => `XPLAT_FIXTURE_${name}_DIGEST`),
]);

// The legs' images as build-platform-image leaves them: pushed by digest into the
// target repository (a leg result of another repository is refused). Seeded through the
// API before each cold run, outside the timing: blob mounts from the fixtures, then the
// manifest (foreign Windows layers are not distributable and stay where they are).
const FOREIGN = /foreign|nondistributable/;
const MANIFESTS = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
async function api(method, url, init = {}) {
  const res = await fetch(url, { method, ...init, signal: AbortSignal.timeout(10_000) });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status}`);
  return res;
}
async function seed(image) {
  const [host, ...rest] = image.split('/');
  const repo = rest.join('/');
  for (const [, name] of LEGS) {
    const ref = bed[`XPLAT_FIXTURE_${name}_REF`];
    const from = ref.slice(host.length + 1, ref.lastIndexOf(':'));
    const digest = bed[`XPLAT_FIXTURE_${name}_DIGEST`];
    const res = await api('GET', `http://${host}/v2/${from}/manifests/${digest}`, {
      headers: { accept: MANIFESTS },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const manifest = JSON.parse(bytes.toString('utf8'));
    for (const blob of [manifest.config, ...manifest.layers]) {
      if (FOREIGN.test(blob.mediaType)) continue;
      await api(
        'POST',
        `http://${host}/v2/${repo}/blobs/uploads/?mount=${blob.digest}&from=${from}`,
      );
    }
    await api('PUT', `http://${host}/v2/${repo}/manifests/${digest}`, {
      body: bytes,
      headers: { 'content-type': res.headers.get('content-type') },
    });
  }
}

function writeLegs(image) {
  const legs = mkdtempSync(path.join(os.tmpdir(), 'xplat-bench-legs-'));
  for (const [platform, name, osVersion] of LEGS) {
    mkdirSync(path.join(legs, name));
    writeFileSync(
      path.join(legs, name, 'result.json'),
      JSON.stringify({
        schema: 'xplat.leg/v1',
        platform,
        ...(osVersion ? { osVersion } : {}),
        image,
        digest: bed[`XPLAT_FIXTURE_${name}_DIGEST`],
        pushed: true,
        tags: [`${image}:${name.toLowerCase()}`],
        builder: 'buildkit',
        timings: {
          startedAt: new Date().toISOString(),
          finishedAt: new Date().toISOString(),
          buildMs: 0,
        },
        smoke: { status: 'passed', checks: [] },
      }),
    );
  }
  return legs;
}

function fuse(image, legs) {
  const args = [
    path.join(root, 'dist/cli/index.js'),
    'fuse',
    '--image',
    image,
    '--tag',
    'v1',
    '--results',
    legs,
    '--expected-platforms',
    'linux/amd64,linux/arm64,windows/amd64:ltsc2022,windows/amd64:ltsc2025',
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let err = '';
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`fuse failed (${code}): ${err.slice(-500)}`)),
    );
  });
}

const cold = [];
const rerun = [];
for (let i = 0; i < runs; i++) {
  const image = `${bed.XPLAT_REGISTRY_OPEN}/bench-fuse-${Date.now().toString(36)}-${i}`;
  await seed(image);
  const legs = writeLegs(image);
  cold.push(await fuse(image, legs));
  rerun.push(await fuse(image, legs));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (name, xs) =>
  `| ${name} | ${Math.round(median(xs))} | ${Math.round(Math.min(...xs))} | ${Math.round(Math.max(...xs))} |`;
console.log(
  `fuse of a 4-platform index, ${runs} runs, ${os.cpus().length} CPUs, node ${process.version}`,
);
console.log('| run | median ms | min ms | max ms |\n| --- | --- | --- | --- |');
console.log(row('first (legs in the repository: push the index, read back)', cold));
console.log(row('re-run (tags unchanged)', rerun));
