#!/usr/bin/env node
// Bundles every action (actions/<name>/src/main.ts -> dist/<name>/index.js, and a post
// step's src/post.ts -> dist/<name>/post/index.js) and the CLI
// (packages/cli/src/main.ts -> dist/cli/index.js) with @vercel/ncc. With --check it
// bundles into a temporary folder and fails when dist/ differs: dist/ is committed
// because action.yml runs it, so a stale bundle would ship old code.
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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

function entries() {
  const list = [];
  for (const name of readdirSync(path.join(root, 'actions'))) {
    const src = path.join(root, 'actions', name, 'src');
    if (existsSync(path.join(src, 'main.ts')))
      list.push({ name, entry: path.join(src, 'main.ts') });
    if (existsSync(path.join(src, 'post.ts')))
      list.push({ name: `${name}/post`, entry: path.join(src, 'post.ts') });
  }
  list.push({ name: 'cli', entry: path.join(root, 'packages', 'cli', 'src', 'main.ts') });
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

async function bundle(entry) {
  const { code, assets } = await ncc(entry, {
    minify: false,
    sourceMap: false,
    license: 'licenses.txt',
    quiet: true,
    target: 'es2022',
  });
  const files = { 'index.js': code };
  for (const [name, asset] of Object.entries(assets)) {
    files[name] = asset.source.toString();
  }
  return files;
}

const outRoot = check
  ? mkdtempSync(path.join(os.tmpdir(), 'xplat-dist-'))
  : path.join(root, 'dist');
const stale = [];
for (const { name, entry } of entries()) {
  const files = await bundle(entry);
  const outDir = path.join(outRoot, name);
  rmSync(outDir, { recursive: true, force: true });
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
  console.log(`${check ? 'checked' : 'bundled'} ${name}`);
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
