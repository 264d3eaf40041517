// The test bed's env file (scripts/testbed/up.sh writes it), read the way
// test/global-setup.mjs reads it: variables already set in the environment win.
// Throws, naming the file, when the test bed is not up or lacks a key a benchmark needs.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function testbedEnv(required = []) {
  const file = path.join(
    process.env.XPLAT_TESTBED_DIR || path.join(os.tmpdir(), 'xplat-testbed'),
    'env',
  );
  const bed = existsSync(file)
    ? Object.fromEntries(
        readFileSync(file, 'utf8')
          .split('\n')
          .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim()))
          .filter(Boolean)
          .map((m) => [m[1], process.env[m[1]] || m[2]]),
      )
    : {};
  const missing = required.filter((key) => !bed[key]);
  if (missing.length) {
    throw new Error(
      `test bed not up (${file} lacks ${missing.join(', ')}): run bash scripts/testbed/up.sh`,
    );
  }
  return bed;
}
