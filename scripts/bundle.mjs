#!/usr/bin/env node
// Bundles every action (actions/<name>/src/index.ts -> dist/<name>/index.js, and a post
// step's src/post/index.ts -> dist/<name>/post/index.js; each index.ts only calls the
// run() its main.ts exports) and the CLI
// (packages/cli/src/main.ts -> dist/cli/index.js) with @vercel/ncc. With --check it
// bundles into a temporary folder and fails when dist/ differs: dist/ is committed
// because action.yml runs it, so a stale bundle would ship old code.
//
// Start-up is what every step pays before its first line of work, so bundles are
// minified, and what only some paths need is loaded by those paths: dynamic import()s
// become chunks of their own (NNN.index.js) that are read when first needed, and undici,
// which @actions/http-client imports at load for a proxy dispatcher no action uses at
// start, is bundled on its own (undici.cjs) behind a small module that requires it on
// first use (undici-lazy.mjs).
import ncc from '@vercel/ncc';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseStamp, stampDir } from './release-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
// A release build of the CLI (never committed; see release-stamp.mjs): --release vX.Y.Z
// --commit SHA --repository OWNER/NAME stamp dist/cli with the release it is.
const flag = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const release = flag('--release');
let stamp;
if (release !== undefined || flag('--commit') !== undefined) {
  if (check) {
    console.error(
      'bundle: --release stamps a bundle; --check compares the committed, unstamped one',
    );
    process.exit(2);
  }
  try {
    stamp = releaseStamp({
      version: release ?? '',
      commit: flag('--commit') ?? '',
      repository: flag('--repository') ?? '',
    });
  } catch (error) {
    console.error(`bundle: ${error.message.replace(/^--version/, '--release')}`);
    process.exit(2);
  }
}
const onlyArg = process.argv.indexOf('--only');
// A subset while iterating (`--only fuse-manifest,cli`); never with --check.
const only = onlyArg > 0 && !check ? process.argv[onlyArg + 1]?.split(',') : undefined;

function entries() {
  const list = [];
  for (const name of readdirSync(path.join(root, 'actions'))) {
    const src = path.join(root, 'actions', name, 'src');
    if (existsSync(path.join(src, 'index.ts')))
      list.push({ name, entry: path.join(src, 'index.ts') });
    if (existsSync(path.join(src, 'post', 'index.ts')))
      list.push({ name: `${name}/post`, entry: path.join(src, 'post', 'index.ts') });
  }
  list.push({ name: 'cli', entry: path.join(root, 'packages', 'cli', 'src', 'main.ts') });
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

// What the bundled code imports from undici (@actions/http-client: ProxyAgent;
// @actions/github: ProxyAgent, fetch), each loading the real thing on first use.
const UNDICI_LAZY = `// Loads undici (undici.cjs next to this file) on first use: it is ~0.4 MB that
// @actions/http-client imports at load for a proxy dispatcher most steps never use.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
let undici;
const load = () => (undici ??= require('./undici.cjs'));
export class ProxyAgent {
  constructor(...args) {
    return new (load().ProxyAgent)(...args);
  }
}
export function fetch(...args) {
  return load().fetch(...args);
}
`;

let undiciCode;
async function undiciBundle() {
  undiciCode ??= (
    await ncc(path.join(root, 'node_modules', 'undici', 'index.js'), {
      minify: true,
      sourceMap: false,
      quiet: true,
      target: 'es2022',
    })
  ).code;
  return undiciCode;
}

/** The package (name, license, its LICENSE text) a bundled file belongs to. */
const packages = new Map();
function packageOf(file) {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (packages.has(dir)) return packages.get(dir);
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8'));
    if (!json.name) continue; // a nested package.json that only sets "type"
    const licenseFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const pkg = {
      name: json.name,
      license: typeof json.license === 'string' ? json.license : '',
      text: licenseFile ? readFileSync(path.join(dir, licenseFile), 'utf8').trim() : '',
    };
    packages.set(dir, pkg);
    return pkg;
  }
  return undefined;
}

/**
 * licenses.txt for every package with a file in the bundle, its chunks included (ncc's
 * own licenses.txt is written per chunk, so with chunks the last one would win).
 */
function licenses(modules, extra = []) {
  const found = new Map();
  for (const m of modules) {
    const pkg = m.resource && packageOf(m.resource);
    if (pkg) found.set(pkg.name, pkg);
  }
  for (const pkg of extra) found.set(pkg.name, pkg);
  return [...found.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => [p.name, p.license, p.text].filter(Boolean).join('\n'))
    .join('\n\n')
    .concat('\n');
}

async function bundle(entry) {
  const { code, assets, stats } = await ncc(entry, {
    minify: true,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    externals: { undici: './undici-lazy.mjs' },
  });
  const files = { 'index.js': code };
  for (const [name, asset] of Object.entries(assets)) {
    files[name] = asset.source.toString();
  }
  const extra = [];
  if (Object.values(files).some((text) => text.includes('./undici-lazy.mjs'))) {
    files['undici-lazy.mjs'] = UNDICI_LAZY;
    files['undici.cjs'] = await undiciBundle();
    extra.push(packageOf(path.join(root, 'node_modules', 'undici', 'index.js')));
  }
  files['licenses.txt'] = licenses(stats.compilation.modules, extra);
  return files;
}

const outRoot = check
  ? mkdtempSync(path.join(os.tmpdir(), 'xplat-dist-'))
  : path.join(root, 'dist');
const stale = [];
for (const { name, entry } of entries().filter((e) => !only || only.includes(e.name))) {
  const files = await bundle(entry);
  const outDir = path.join(outRoot, name);
  // Files only: a folder inside is another entry's (smoke-test/post).
  if (existsSync(outDir))
    for (const f of readdirSync(outDir, { withFileTypes: true }))
      if (f.isFile()) rmSync(path.join(outDir, f.name));
  mkdirSync(outDir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    // The CLI is the package's bin: executable, so `./dist/cli/index.js` runs as well.
    writeFileSync(path.join(outDir, file), content, {
      mode: name === 'cli' && file === 'index.js' ? 0o755 : 0o644,
    });
    if (check) {
      const committed = path.join(root, 'dist', name, file);
      if (!existsSync(committed) || readFileSync(committed, 'utf8') !== content)
        stale.push(`dist/${name}/${file}`);
    }
  }
  if (check) {
    const committedDir = path.join(root, 'dist', name);
    const extra = existsSync(committedDir)
      ? readdirSync(committedDir, { withFileTypes: true })
          .filter((f) => f.isFile() && !(f.name in files))
          .map((f) => f.name)
      : [];
    stale.push(...extra.map((f) => `dist/${name}/${f} (no longer produced)`));
  }
  if (stamp && name === 'cli') stampDir(outDir, stamp);
  console.log(
    `${check ? 'checked' : 'bundled'} ${name}${stamp && name === 'cli' ? ` (${stamp})` : ''}`,
  );
}
if (check) {
  rmSync(outRoot, { recursive: true, force: true });
  if (stale.length) {
    console.error(
      `dist/ is stale; run "npm run bundle" and commit the result:\n  ${stale.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log('dist/ is up to date');
}
