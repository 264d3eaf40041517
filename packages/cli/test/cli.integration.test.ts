/** The bundled CLI (dist/cli/index.js), run as users run it. */
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
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

  it('fuses a skipped leg only with --allow-untested, as "not tested: <reason>"', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('cli-untested')}`;
    const reason = 'no hosted runner of this release';
    const legs = await writeLegs(
      [fourLegs()[0]!, { ...fourLegs()[2]!, smoke: 'skipped', skipReason: reason }],
      image,
    );
    const args = ['fuse', '--image', image, '--tag', 'v1', '--results', legs];
    const expected = ['--expected-platforms', 'linux/amd64,windows/amd64:ltsc2022'];

    const closed = await xplat(...args, ...expected);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(
      /^windows\/amd64:ltsc2022\s+not-tested\s+sha256:[a-f0-9]{12}\s+skipped\s+smoke test skipped \(no hosted runner of this release\); to fuse it untested, .* list it in allow-untested$/m,
    );

    const stray = await xplat(...args, ...expected, '--allow-untested', 'linux/arm64');
    expect(stray.code).toBe(2);
    expect(stray.stderr.trim()).toBe(
      'xplat fuse: --allow-untested: linux/arm64 is not in expected-platforms (linux/amd64, windows/amd64:ltsc2022); list only platforms the index must contain',
    );

    const fused = await xplat(...args, ...expected, '--allow-untested', 'windows/amd64:ltsc2022');
    expect(fused.code).toBe(0);
    expect(fused.stdout).toMatch(
      /^windows\/amd64\s+10\.0\.20348\.2655 \(ltsc2022\)\s+sha256:[a-f0-9]{12}\s+not tested: no hosted runner of this release\s+in place$/m,
    );
    expect(fused.stderr).toContain(
      `windows/amd64:ltsc2022 is fused untested (allow-untested): ${reason}`,
    );
  });

  it("in a project, the platforms xplat.yml's smoke.skip names may go untested", async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('cli-yml-untested')}`;
    const reason = 'no hosted runner of this release';
    const legs = await writeLegs(
      [fourLegs()[0]!, { ...fourLegs()[2]!, smoke: 'skipped', skipReason: reason }],
      image,
    );
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-yml-'));
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    await writeFile(
      path.join(dir, 'xplat.yml'),
      `image: ${image}\nplatforms:\n  - linux/amd64\n  - platform: windows/amd64:ltsc2022\n    smoke: { skip: "${reason}" }\n`,
    );
    const fused = await xplat('fuse', '--dir', dir, '--results', legs, '--tag', 'v1');
    expect(fused.stderr).not.toContain('xplat fuse:');
    expect(fused.code).toBe(0);
    expect(fused.stdout).toMatch(/\snot tested: no hosted runner of this release\s/);
    // Expected platforms given by flag: xplat.yml's skips are not assumed for them.
    const flagged = await xplat(
      'fuse',
      '--dir',
      dir,
      '--results',
      legs,
      '--expected-platforms',
      'linux/amd64,windows/amd64:ltsc2022',
    );
    expect(flagged.code).toBe(1);
    expect(flagged.stderr).toContain('windows/amd64:ltsc2022 not-tested');
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
