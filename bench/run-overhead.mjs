#!/usr/bin/env node
// What `xplat run` adds over doing its work by hand: the example (examples/hello-http,
// linux/amd64 native + linux/arm64 under QEMU) through `xplat run`, against the sum of the
// same steps typed one by one as separate CLI calls (lint, build x2, smoke x2, fuse). Both
// push to the test bed's open registry; `run (embedded)` also starts and stops its own
// registry. Builds are warm after the first round (BuildKit cache), so the figures are the
// orchestration's cost, not the compiler's.
//
//   bash scripts/testbed/up.sh && npm run bundle
//   node bench/run-overhead.mjs [--rounds 5]
//
// Rounds are interleaved (steps, run, run embedded, steps, ...) so load on this shared
// machine hits all three alike; medians and ratios are printed.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { testbedEnv } from './testbed-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli', 'index.js');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const bed = testbedEnv(['XPLAT_REGISTRY_OPEN', 'XPLAT_FIXTURE_BUSYBOX_LIST_REF', 'DOCKER_HOST']);
const env = { ...process.env, ...bed, GITHUB_SHA: '', XPLAT_BUILDER: '' };
const busybox = `BUSYBOX_IMAGE=${bed.XPLAT_FIXTURE_BUSYBOX_LIST_REF}`;

function xplat(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`xplat ${args[0]} exit ${code}: ${err.slice(-600)}`)),
    );
  });
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** The steps as a user types them, outside any project folder (no xplat.yml defaults). */
async function steps(round) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'xplat-bench-steps-'));
  const app = path.join(work, 'hello-http');
  cpSync(path.join(root, 'examples', 'hello-http'), app, { recursive: true });
  const image = `${bed.XPLAT_REGISTRY_OPEN}/bench-steps/hello-http`;
  const legs = path.join(work, 'legs');
  try {
    return await timed(async () => {
      await xplat(
        [
          'lint',
          '--file',
          path.join(app, 'Dockerfile'),
          '--context',
          app,
          '--platform',
          'linux/amd64',
          '--platform',
          'linux/arm64',
          '--build-arg',
          busybox,
        ],
        work,
      );
      const refs = [];
      for (const platform of ['linux/amd64', 'linux/arm64']) {
        const out = await xplat(
          [
            'build',
            app,
            '--image',
            image,
            '--platform',
            platform,
            '--network',
            'host',
            '--build-arg',
            busybox,
            '--tag-template',
            `{platform-pair}-r${round}`,
            '--result-dir',
            legs,
            '--json',
          ],
          work,
        );
        refs.push([platform, JSON.parse(out)]);
      }
      for (const [platform, built] of refs)
        await xplat(
          [
            'smoke',
            built.ref,
            '--platform',
            platform,
            '--port',
            '8080',
            '--expect-body',
            'hello from xplat',
            '--network',
            'host',
            '--result-file',
            built['result-file'],
          ],
          work,
        );
      await xplat(
        [
          'fuse',
          '--image',
          image,
          '--tag',
          'local',
          '--mutable-tag',
          'local',
          '--results',
          legs,
          '--expected-platforms',
          'linux/amd64,linux/arm64',
        ],
        work,
      );
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function run(embedded) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'xplat-bench-run-'));
  cpSync(path.join(root, 'examples', 'hello-http'), work, { recursive: true });
  const registry = embedded ? [] : ['--registry', `${bed.XPLAT_REGISTRY_OPEN}/bench-run`];
  try {
    return await timed(() =>
      xplat(['run', '--network', 'host', '--build-arg', busybox, ...registry], work),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { steps: [], run: [], embedded: [] };
await steps(0); // warm the build cache and the engine's image store
for (let r = 1; r <= rounds; r++) {
  times.steps.push(await steps(r));
  times.run.push(await run(false));
  times.embedded.push(await run(true));
  console.error(
    `round ${r}: steps ${times.steps.at(-1).toFixed(0)} ms, run ${times.run.at(-1).toFixed(0)} ms, run (embedded) ${times.embedded.at(-1).toFixed(0)} ms`,
  );
}
const m = { steps: median(times.steps), run: median(times.run), embedded: median(times.embedded) };
console.log(`rounds: ${rounds} (medians)`);
console.log(`steps one by one (7 CLI calls): ${m.steps.toFixed(0)} ms`);
console.log(
  `xplat run --registry:           ${m.run.toFixed(0)} ms  (${(m.run / m.steps).toFixed(2)}x, ${(m.run - m.steps).toFixed(0)} ms)`,
);
console.log(
  `xplat run (embedded registry):  ${m.embedded.toFixed(0)} ms  (${(m.embedded / m.steps).toFixed(2)}x, ${(m.embedded - m.steps).toFixed(0)} ms)`,
);
