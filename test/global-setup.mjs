// Loads the test bed's env file (written by scripts/testbed/up.sh) into process.env so
// every test worker sees the registries, the Docker engine and the fixture digests.
// A missing file is not an error here: unit tests do not need it, and integration
// tests fail through test/testbed.ts with a message that says how to start it.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function globalSetup() {
  const dir = process.env.XPLAT_TESTBED_DIR || path.join(os.tmpdir(), 'xplat-testbed');
  const file = path.join(dir, 'env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
}
