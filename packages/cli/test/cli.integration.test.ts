/** The bundled CLI (dist/cli/index.js), run as users run it. */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { exec } from '../../../test/exec.js';
import { repoRoot } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import { fixture, FOUR_PLATFORMS, fourLegs, writeLegs } from '../../fuse/test/testbed-legs.js';

const tb = testbed();
const xplat = (...args: string[]) =>
  exec(process.execPath, [path.join(repoRoot, 'dist', 'cli', 'index.js'), ...args]);

describe('xplat CLI', () => {
  it('lists its commands, and says so for an unknown one', async () => {
    const help = await xplat('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/fuse\s+gate on leg results/);
    expect(help.stdout).toMatch(/inspect\s+show the platforms/);
    const unknown = await xplat('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('xplat: unknown command "frobnicate"');
  });

  it('fuses leg results and inspects the index with os.version', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('cli')}`;
    const legs = await writeLegs(fourLegs(), image);
    const fused = await xplat(
      'fuse',
      '--image',
      image,
      '--tag',
      '2.0.0',
      '--results',
      legs,
      '--expected-platforms',
      FOUR_PLATFORMS,
      '--json',
    );
    expect(fused.stderr).toContain('read back and verified');
    expect(fused.code).toBe(0);
    const result = JSON.parse(fused.stdout) as { digest: string };

    const inspected = await xplat('inspect', `${image}:2.0.0`);
    expect(inspected.code).toBe(0);
    expect(inspected.stdout).toContain(`Digest:    ${result.digest}`);
    expect(inspected.stdout).toMatch(/windows\/amd64\s+10\.0\.20348\.2655\s+sha256:/);
    expect(inspected.stdout).toMatch(/windows\/amd64\s+10\.0\.26100\.1742\s+sha256:/);
    expect(inspected.stdout).toMatch(/linux\/arm64\s+sha256:/);
  });

  it('warns when a reference is a single-platform image', async () => {
    const inspected = await xplat('inspect', fixture('WINDOWS_LTSC2022').ref);
    expect(inspected.code).toBe(0);
    expect(inspected.stdout).toMatch(/windows\/amd64\s+10\.0\.20348\.2655/);
    expect(inspected.stderr).toContain('is a single-platform image (windows/amd64), not an index');
  });

  it('fails in one line on a closed gate, with the table on stderr', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('cli')}`;
    const legs = await writeLegs(fourLegs().slice(0, 2), image);
    const run = await xplat(
      'fuse',
      '--image',
      image,
      '--results',
      legs,
      '--expected-platforms',
      FOUR_PLATFORMS,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/windows\/amd64:ltsc2022\s+missing/);
    expect(run.stderr).toContain('xplat fuse: --expected-platforms: gate closed: 2 of 4');
  });
});
