#!/usr/bin/env node
// Assembles the npm package of the CLI (`npx xplat@1 init`) from what `npm run bundle`
// wrote, in a folder of its own that `npm pack` / `npm publish` run in:
//
//   package.json       npm/package.json (its version and repository as given below)
//   README.md          npm/README.md
//   LICENSE            the repository's
//   xplat.schema.json  the schema of xplat.yml, written by the bundled CLI itself
//   dist/              dist/cli/ as bundled: index.js (the bin), its chunks, licenses.txt
//
// The bundle is self-contained, so the package has no dependencies. npm/ holds only the
// package's own sources; it is not a workspace (nothing imports it, and `npm ci` must not
// link a bin that exists only after this script ran).
//
//   node scripts/pack-cli.mjs [--out DIR] [--version X.Y.Z] [--repository OWNER/NAME]
//                             [--commit SHA]
//
//   --out DIR            where to assemble it: a new or empty folder (default: a new
//                        temporary folder); printed on stdout
//   --version X.Y.Z      the package version (a release tag vX.Y.Z is accepted); its
//                        major must be the one users run (npx xplat@1)
//   --repository O/N     the GitHub repository it is published from: npm checks the
//                        provenance against package.json's repository
//   --commit SHA         the commit of the release (with --version and --repository): the
//                        bundle is stamped with all three (scripts/release-stamp.mjs), so
//                        `pin-actions: true` pins xplat's own actions to that commit
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { releaseStamp, stampDir } from './release-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    version: { type: 'string' },
    repository: { type: 'string' },
    commit: { type: 'string' },
  },
});

function fail(message) {
  console.error(`pack-cli: ${message}`);
  process.exit(2);
}

const bundle = path.join(root, 'dist', 'cli');
if (!existsSync(path.join(bundle, 'index.js')))
  fail('dist/cli/index.js does not exist: run "npm run bundle" first');

const version = values.version?.replace(/^v/, '');
if (version !== undefined && !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version))
  fail(`--version "${values.version}" is not a version like 1.2.3 or 1.3.0-rc.1`);
// The major users are told to run (`npx xplat@1`, from XPLAT_MAJOR in
// packages/workflow/src/pins.ts; a test keeps npm/README.md saying it) must be the
// major published, or the quickstart would run another release than this one.
const told = /npx xplat@(\d+) /.exec(
  readFileSync(path.join(root, 'npm', 'README.md'), 'utf8'),
)?.[1];
if (version !== undefined && version.split('.')[0] !== told)
  fail(
    `--version ${version} is not major ${told}, the one users run (npx xplat@${told}): ` +
      'change XPLAT_MAJOR in packages/workflow/src/pins.ts and npm/README.md first',
  );
if (values.repository !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(values.repository))
  fail(`--repository "${values.repository}" is not OWNER/NAME`);
let stamp;
if (values.commit !== undefined) {
  if (version === undefined || values.repository === undefined)
    fail(
      '--commit needs --version and --repository: the stamp names the release, its commit and repository',
    );
  try {
    stamp = releaseStamp({ version, commit: values.commit, repository: values.repository });
  } catch (error) {
    fail(error.message);
  }
}

const out = values.out
  ? path.resolve(values.out)
  : mkdtempSync(path.join(os.tmpdir(), 'xplat-npm-'));
if (existsSync(out) && readdirSync(out).length)
  fail(`${out} is not empty: give a new or empty folder with --out`);
mkdirSync(path.join(out, 'dist'), { recursive: true });

const manifest = JSON.parse(readFileSync(path.join(root, 'npm', 'package.json'), 'utf8'));
if (version) manifest.version = version;
if (values.repository) {
  const url = `https://github.com/${values.repository}`;
  manifest.repository = { ...manifest.repository, url: `git+${url}.git` };
  manifest.homepage = `${url}#readme`;
  manifest.bugs = `${url}/issues`;
}
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(path.join(root, 'npm', 'README.md'), path.join(out, 'README.md'));
copyFileSync(path.join(root, 'LICENSE'), path.join(out, 'LICENSE'));

for (const entry of readdirSync(bundle, { withFileTypes: true })) {
  if (!entry.isFile()) fail(`dist/cli/${entry.name} is not a file: the bundle is flat`);
  copyFileSync(path.join(bundle, entry.name), path.join(out, 'dist', entry.name));
}
// The release this package is, for pin-actions (the committed dist/ is never stamped).
if (stamp) stampDir(path.join(out, 'dist'), stamp);
const bin = path.join(out, manifest.bin.xplat);
chmodSync(bin, 0o755);

// The schema from the bundle being packed, so the two always agree (and the bin runs).
execFileSync(process.execPath, [bin, 'generate', '--schema', '--dir', out], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

console.log(out);
