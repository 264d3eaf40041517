#!/usr/bin/env node
// How long the smoke test takes to notice a service is ready: the overhead the probe
// adds between the service's first possible answer and the verdict.
//
//   bash scripts/testbed/up.sh && node scripts/bundle.mjs   # test bed and dist/smoke-test
//   node bench/smoke-overhead.mjs [--runs 3] [--delays 0,0.25,0.5,1,2,5]
//
// Each run starts the bundled action (dist/smoke-test/index.js, as the runner does) on
// the test bed's busybox image. The container logs `listening <epoch>` ($EPOCHREALTIME)
// right before it execs httpd after sleeping <delay> s; the report's readyAt is when the
// probe saw a 200. Detection = readyAt - listening (it includes httpd's own bind, a few
// ms). To verdict = finishedAt - listening: detection plus the stop check and removal.
// Same host, same clock: host networking, everything on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { testbedEnv } from './testbed-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    delays: { type: 'string', default: '0,0.25,0.5,1,2,5' },
    dist: { type: 'string', default: path.join(root, 'dist') },
    docker: { type: 'string' },
    // Another build of the action (e.g. an older one), run alternately with this one.
    compare: { type: 'string' },
  },
});
const runs = Number(values.runs);
const delays = values.delays.split(',').map(Number);

const bed = testbedEnv(['DOCKER_HOST', 'XPLAT_LOCAL_IMAGE_LINUX_AMD64']);
const action = path.join(path.resolve(values.dist), 'smoke-test/index.js');
if (!existsSync(action))
  throw new Error('dist/smoke-test/index.js missing: bundle first (node scripts/bundle.mjs)');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function once(delay, bundle = action) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-bench-smoke-'));
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'].map((k) => [k, path.join(dir, k)]),
  );
  for (const f of Object.values(files)) writeFileSync(f, '');
  const port = await freePort();
  const script = `echo "start $EPOCHREALTIME"; sleep ${delay}; echo "listening $EPOCHREALTIME"; trap 'exit 0' TERM; httpd -f -p 127.0.0.1:${port} -h /www & wait`;
  const report = path.join(dir, 'report.json');
  const env = {
    PATH: process.env.PATH,
    DOCKER_HOST: bed.DOCKER_HOST,
    DOCKER_CONFIG: bed.DOCKER_CONFIG,
    XPLAT_DOCKER: values.docker ?? bed.XPLAT_DOCKER,
    RUNNER_TEMP: dir,
    ...files,
    INPUT_IMAGE: bed.XPLAT_LOCAL_IMAGE_LINUX_AMD64,
    INPUT_PORT: String(port),
    INPUT_ARGS: JSON.stringify(['sh', '-c', script]),
    'INPUT_STOP-TIMEOUT': '2',
    INPUT_TIMEOUT: '30s',
    'INPUT_REPORT-FILE': report,
  };
  let exitedAt = 0;
  const code = await new Promise((resolve) =>
    spawn(process.execPath, [bundle], { env, stdio: 'ignore' }).on('close', (c) => {
      exitedAt = Date.now();
      resolve(c);
    }),
  );
  const r = JSON.parse(readFileSync(report, 'utf8'));
  if (code !== 0 || !r.passed) throw new Error(`smoke test failed (exit ${code}): ${r.reason}`);
  const stamp = (word) =>
    Math.round(Number(r.logs.find((l) => l.startsWith(`${word} `)).split(' ')[1]) * 1000);
  const listening = stamp('listening');
  return {
    trueDelay: listening - stamp('start'),
    readyMs: r.readyMs,
    detect: Date.parse(r.readyAt) - listening,
    verdict: Date.parse(r.finishedAt) - listening,
    readyToVerdict: Date.parse(r.finishedAt) - Date.parse(r.readyAt),
    readyToExit: exitedAt - Date.parse(r.readyAt),
    attempts: r.checks.find((c) => c.kind === 'http').attempts,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const compareAction = values.compare
  ? path.join(path.resolve(values.compare), 'smoke-test/index.js')
  : undefined;
const compared = [];
const rows = [];
for (const delay of delays) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    samples.push(await once(delay));
    if (compareAction) compared.push({ delay, ...(await once(delay, compareAction)) });
  }
  const col = (k) => samples.map((s) => s[k]);
  rows.push([
    `${delay}`,
    `${median(col('trueDelay'))}`,
    `${median(col('readyMs'))}`,
    `${median(col('detect'))}`,
    `${Math.max(...col('detect'))}`,
    `${median(col('attempts'))}`,
    `${median(col('verdict'))}`,
    `${median(col('readyToVerdict'))}`,
    `${median(col('readyToExit'))}`,
  ]);
  process.stderr.write(`delay ${delay} s done\n`);
}
const header = [
  'delay s',
  'true delay ms',
  'ready-ms',
  'detect ms (median)',
  'detect ms (max)',
  'attempts',
  'to verdict ms',
  'ready to verdict ms',
  'ready to exit ms',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
console.log(
  `smoke-test overhead, ${runs} runs per delay (node ${process.version}, ${os.cpus().length} CPUs, docker ${bed.XPLAT_DOCKER_SERVER_VERSION ?? '?'})`,
);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
if (compareAction) {
  console.log(`\nready to verdict, this build against ${compareAction}, alternating runs:`);
  console.log('| delay s | this build ms | other build ms |');
  console.log('| --- | --- | --- |');
  for (const [i, delay] of delays.entries()) {
    const other = compared.filter((c) => c.delay === delay).map((c) => c.readyToVerdict);
    console.log(`| ${delay} | ${rows[i][7]} | ${median(other)} |`);
  }
}
