#!/usr/bin/env node
/* global setTimeout, clearTimeout */
// What each bundle costs before its first line of work: `node dist/<x>/index.js` with
// inputs that fail at once (a missing or invalid input, checked before anything is
// asked of docker or a registry), against `node -e 0`, interleaved, medians.
//
//   node scripts/bundle.mjs && node bench/startup.mjs [--rounds 15]
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    dist: { type: 'string', default: path.join(root, 'dist') },
    // Another dist/ (e.g. the last commit's), run in the same rounds for a ratio.
    compare: { type: 'string' },
  },
});
const rounds = Math.min(Number(values.rounds), 100);
const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-bench-start-'));
const runner = Object.fromEntries(
  ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV'].map((k) => {
    const f = path.join(dir, k);
    writeFileSync(f, '');
    return [k, f];
  }),
);
const base = { PATH: process.env.PATH, HOME: process.env.HOME ?? dir, RUNNER_TEMP: dir, ...runner };
const bundle = (name, dist = values.dist) => path.join(path.resolve(dist), name, 'index.js');

// Each fails on its first input check (exit 1 or 2), before any docker or registry call.
const TARGETS = [
  { name: 'node -e 0', args: ['-e', '0'], env: {}, code: 0 },
  { name: 'fuse-manifest', args: [bundle('fuse-manifest')], env: {}, code: 1 },
  { name: 'smoke-test', args: [bundle('smoke-test')], env: {}, code: 1 },
  { name: 'build-platform-image', args: [bundle('build-platform-image')], env: {}, code: 1 },
  {
    name: 'setup-crossplatform-builder',
    args: [bundle('setup-crossplatform-builder')],
    env: { INPUT_DRIVER: 'no-such-driver' },
    code: 1,
  },
  { name: 'smoke-test post', args: [bundle('smoke-test/post')], env: {}, code: 0 },
  {
    name: 'setup-crossplatform-builder post',
    args: [bundle('setup-crossplatform-builder/post')],
    env: {},
    code: 0,
  },
  {
    name: 'cli (xplat fuse, no image)',
    args: [bundle('cli'), 'fuse', '--dir', dir],
    env: {},
    code: 2,
  },
];

function once(t) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let out = '';
    const child = spawn(process.execPath, t.args, {
      env: { ...base, ...t.env },
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (code !== t.code && !(t.code !== 0 && code !== 0))
        reject(new Error(`${t.name}: exit ${code}, expected ${t.code}: ${out.slice(-400)}`));
      else resolve({ ms, out });
    });
  });
}

const { existsSync, statSync } = await import('node:fs');
if (values.compare) {
  for (const t of TARGETS.slice(1)) {
    const other = { ...t, name: `${t.name} [compare]`, args: [...t.args] };
    other.args[0] = t.args[0].replace(path.resolve(values.dist), path.resolve(values.compare));
    TARGETS.push(other);
  }
}
for (let i = TARGETS.length - 1; i >= 0; i--)
  if (TARGETS[i].args[0].endsWith('.js') && !existsSync(TARGETS[i].args[0])) TARGETS.splice(i, 1);
const times = new Map(TARGETS.map((t) => [t.name, []]));
const firstLine = new Map();
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...TARGETS].reverse() : TARGETS;
  for (const t of order) {
    const { ms, out } = await once(t);
    times.get(t.name).push(ms);
    if (!firstLine.has(t.name))
      firstLine.set(t.name, out.trim().split('\n')[0]?.slice(0, 90) ?? '');
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const bare = median(times.get('node -e 0'));
console.log(
  `start-up, ${rounds} interleaved rounds, medians; ${os.cpus().length} CPUs, node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const cmp = (name) => times.get(`${name} [compare]`);
console.log(
  `| bundle | size KB | median ms | above node -e 0 ms | first line |${values.compare ? ' compare: above node -e 0 ms | ratio |' : ''}`,
);
console.log(`| --- | --- | --- | --- | --- |${values.compare ? ' --- | --- |' : ''}`);
for (const t of TARGETS.filter((x) => !x.name.endsWith('[compare]'))) {
  const m = median(times.get(t.name));
  const size = t.args[0].endsWith('.js') ? Math.round(statSync(t.args[0]).size / 1024) : '-';
  const above = m - bare;
  const other = cmp(t.name) && median(cmp(t.name)) - bare;
  console.log(
    `| ${t.name} | ${size} | ${Math.round(m)} | ${t.name === 'node -e 0' ? '-' : Math.round(above)} | ${firstLine.get(t.name).replace(/\|/g, '\\|')} |${values.compare ? ` ${other === undefined ? '-' : Math.round(other)} | ${other ? (above / other).toFixed(2) : '-'} |` : ''}`,
  );
}
