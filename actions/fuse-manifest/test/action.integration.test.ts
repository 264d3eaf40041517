/**
 * The bundled action, run as the runner runs it: `node dist/fuse-manifest/index.js` with
 * INPUT_* variables (hyphens kept), and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
 */
import { describe, expect, it } from '@jest/globals';
import { parseRepository } from '@xplat/oci';
import { createRegistryClient } from '@xplat/registry';
import { runAction } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import { FOUR_PLATFORMS, fourLegs, writeLegs } from '../../../packages/fuse/test/testbed-legs.js';

const tb = testbed();

describe('fuse-manifest as the runner runs it', () => {
  it('fuses from leg results and sets every output and the job summary', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('action')}`;
    const legs = await writeLegs(fourLegs(), image);
    const run = await runAction(
      'fuse-manifest',
      {
        image,
        tags: '1.0.0\nlatest',
        results: legs,
        'expected-platforms': FOUR_PLATFORMS,
        'mutable-tags': 'latest',
      },
      { cwd: legs },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(run.outputs.ref).toBe(`${image}@${run.outputs.digest}`);
    expect(JSON.parse(run.outputs.platforms!)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'windows/amd64:10.0.20348.2655',
      'windows/amd64:10.0.26100.1742',
    ]);
    expect((JSON.parse(run.outputs.index!) as { manifests: unknown[] }).manifests).toHaveLength(4);
    expect(run.summary).toContain('### xplat fuse');
    expect(run.summary).toMatch(
      /\| `windows\/amd64` \| 10\.0\.20348\.2655 \(ltsc2022\) \| `sha256:[a-f0-9]{12}` \| ✅ passed \| in place \|/,
    );
    expect(run.stdout).toContain('read back and verified');
  });

  it('fails with one error line and a gate table when a platform is missing', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('action')}`;
    const legs = await writeLegs(fourLegs().slice(1), image);
    const run = await runAction(
      'fuse-manifest',
      {
        image,
        results: legs,
        'expected-platforms': FOUR_PLATFORMS,
      },
      { cwd: legs },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'expected-platforms: gate closed: 1 of 4 expected platforms did not pass: linux/amd64 missing (no leg result for this platform)',
    ]);
    expect(run.summary).toContain('gate closed, nothing written');
    expect(run.summary).toContain('| `linux/amd64` | ⛔ missing |');
  });

  // One run's legs, one index: in a workflow run (GITHUB_RUN_ID), a leg result of another
  // run is refused naming both runs, and a leg of another repository naming both
  // repositories; allow-foreign-runs lets another run's legs in on purpose.
  describe('leg results of another run or another image', () => {
    const fuseIn = (image: string, legs: string, extra: Record<string, string> = {}) =>
      runAction(
        'fuse-manifest',
        { image, tags: 'v1', results: legs, 'expected-platforms': 'linux/amd64', ...extra },
        { cwd: legs, env: { GITHUB_RUN_ID: '555', GITHUB_RUN_ATTEMPT: '1' } },
      );
    const amd64 = (source?: { runId: string; runAttempt?: string }) => [
      { ...fourLegs()[0]!, ...(source ? { source } : {}) },
    ];

    it('refuses a leg of another run, naming both, and writes nothing', async () => {
      const image = `${tb.openRegistry}/${uniqueRepository('action-foreign')}`;
      const legs = await writeLegs(amd64({ runId: '554', runAttempt: '1' }), image);
      const run = await fuseIn(image, legs);
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([
        `${legs}/leg-0/result.json: the leg result is from workflow run 554 (attempt 1), not this run 555 (attempt 1); fuse the legs built in this run, or set allow-foreign-runs: true to fuse legs of another run on purpose`,
      ]);
      const client = createRegistryClient();
      expect(await client.headManifest(parseRepository(image), 'v1')).toBeUndefined();
    });

    it('fuses it with allow-foreign-runs: true, and a leg of this run without it', async () => {
      const image = `${tb.openRegistry}/${uniqueRepository('action-foreign')}`;
      const foreign = await fuseIn(
        image,
        await writeLegs(amd64({ runId: '554', runAttempt: '1' }), image),
        { 'allow-foreign-runs': 'true' },
      );
      expect({ code: foreign.exitCode, errors: foreign.errors }).toEqual({ code: 0, errors: [] });
      const own = await fuseIn(
        image,
        await writeLegs(amd64({ runId: '555', runAttempt: '1' }), image),
      );
      expect({ code: own.exitCode, errors: own.errors }).toEqual({ code: 0, errors: [] });
    });

    it('refuses a leg of another repository, naming both', async () => {
      const image = `${tb.openRegistry}/${uniqueRepository('action-foreign')}`;
      const other = `${tb.openRegistry}/${uniqueRepository('action-other')}`;
      const legs = await writeLegs(amd64({ runId: '555', runAttempt: '1' }), other);
      const run = await fuseIn(image, legs);
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([
        `${legs}/leg-0/result.json: the leg result is for ${other}, not the target repository ${image}; fuse legs built for ${image} (or give sources to copy images from elsewhere)`,
      ]);
    });
  });

  describe('a platform with no runner to smoke-test it', () => {
    const REASON = 'no hosted runner of this release';
    const legs = (image: string): Promise<string> =>
      writeLegs(
        [fourLegs()[0]!, { ...fourLegs()[2]!, smoke: 'skipped', skipReason: REASON }],
        image,
      );
    const expected = 'linux/amd64,windows/amd64:ltsc2022';

    it('allowed: fused, warned about, "not tested: <reason>" in the summary', async () => {
      const image = `${tb.openRegistry}/${uniqueRepository('action-untested')}`;
      const dir = await legs(image);
      const run = await runAction(
        'fuse-manifest',
        {
          image,
          tags: 'v1',
          results: dir,
          'expected-platforms': expected,
          'allow-untested': 'windows/amd64:ltsc2022',
        },
        { cwd: dir },
      );
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.outputs.platforms!)).toEqual([
        'linux/amd64',
        'windows/amd64:10.0.20348.2655',
      ]);
      expect(run.stdout).toMatch(
        /^windows\/amd64:ltsc2022\s+allowed-untested\s+sha256:[a-f0-9]{12}\s+skipped\s+not tested: no hosted runner of this release$/m,
      );
      expect(run.stdout).toContain(
        `::warning::windows/amd64:ltsc2022 is fused untested (allow-untested): ${REASON}`,
      );
      expect(run.summary).toMatch(
        /\| `windows\/amd64` \| 10\.0\.20348\.2655 \(ltsc2022\) \| `sha256:[a-f0-9]{12}` \| ⏭️ not tested: no hosted runner of this release \| in place \|/,
      );
      expect(run.summary).toMatch(
        /\| `linux\/amd64` \| {2}\| `sha256:[a-f0-9]{12}` \| ✅ passed \|/,
      );
      const head = await createRegistryClient().headManifest(parseRepository(image), 'v1');
      expect(head?.digest).toBe(run.outputs.digest);
    });

    it('not allowed: the gate stays closed, nothing is written, the table says how to allow it', async () => {
      const image = `${tb.openRegistry}/${uniqueRepository('action-untested')}`;
      const dir = await legs(image);
      const run = await runAction(
        'fuse-manifest',
        { image, tags: 'v1', results: dir, 'expected-platforms': expected },
        { cwd: dir },
      );
      expect(run.exitCode).toBe(1);
      const why = `smoke test skipped (${REASON}); to fuse it untested, give this platform smoke: { skip: "<reason>" } in xplat.yml or list it in allow-untested`;
      expect(run.errors).toEqual([
        `expected-platforms: gate closed: 1 of 2 expected platforms did not pass: windows/amd64:ltsc2022 not-tested (${why})`,
      ]);
      expect(run.summary).toContain('### xplat fuse: gate closed, nothing written');
      const row = run.summary.split('\n').find((l) => l.startsWith('| `windows/amd64:ltsc2022` |'));
      expect(row?.replace(/sha256:[a-f0-9]{12}/, 'sha256:…')).toBe(
        `| \`windows/amd64:ltsc2022\` | ⚠️ not-tested | \`sha256:…\` | skipped | ${why.replace('<', '&lt;')} |`,
      );
      expect(
        await createRegistryClient().headManifest(parseRepository(image), 'v1'),
      ).toBeUndefined();
    });

    it('refuses an allowed platform that is not expected, naming both, before reading a leg', async () => {
      const run = await runAction('fuse-manifest', {
        image: '127.0.0.1:9/app',
        results: 'nowhere',
        'expected-platforms': expected,
        'allow-untested': 'windows/amd64:ltsc2019',
      });
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([
        'allow-untested: windows/amd64:ltsc2019 is not in expected-platforms (linux/amd64, windows/amd64:ltsc2022); list only platforms the index must contain',
      ]);
    });
  });

  describe('promote-from: the index that passed, new tags', () => {
    const SHA = 'c0ffee0000000000000000000000000000000001';
    async function main(): Promise<{ image: string; digest: string }> {
      const image = `${tb.openRegistry}/${uniqueRepository('action-main')}`;
      const legs = await writeLegs(
        fourLegs().map((l) => ({ ...l, source: { sha: SHA } })),
        image,
      );
      const run = await runAction(
        'fuse-manifest',
        { image, tags: 'sha-c0ffee0', results: legs, 'expected-platforms': FOUR_PLATFORMS },
        { cwd: legs },
      );
      expect(run.outputs.promoted).toBe('false');
      return { image, digest: run.outputs.digest! };
    }

    it("gives the commit tag's index the release tags: outputs and the summary", async () => {
      const { image, digest } = await main();
      const run = await runAction('fuse-manifest', {
        image,
        tags: 'v1.0.0\n1.0',
        'mutable-tags': '1.0',
        'promote-from': 'sha-c0ffee0',
        'promote-revision': SHA,
        'expected-platforms': FOUR_PLATFORMS,
      });
      expect(run.errors).toEqual([]);
      expect(run.outputs).toMatchObject({ promoted: 'true', digest, ref: `${image}@${digest}` });
      expect(JSON.parse(run.outputs.platforms!)).toHaveLength(4);
      expect(run.summary).toContain('### xplat promote from `');
      expect(run.summary).toContain('(commit `c0ffee000000`)');
      expect(run.summary).toContain('`v1.0.0` (new), `1.0` (new)');
    });

    it('promote-missing: skip: nothing written, promoted false; fail: one error line', async () => {
      const { image } = await main();
      const skipped = await runAction('fuse-manifest', {
        image,
        tags: 'v1.0.0',
        'promote-from': 'sha-0000000',
        'promote-missing': 'skip',
      });
      expect(skipped.errors).toEqual([]);
      expect(skipped.outputs.promoted).toBe('false');
      expect(skipped.outputs.digest).toBeUndefined();
      expect(skipped.summary).toContain('nothing promoted');
      const failed = await runAction('fuse-manifest', {
        image,
        tags: 'v1.0.0',
        'promote-from': 'sha-0000000',
      });
      expect(failed.exitCode).toBe(1);
      expect(failed.errors).toEqual([
        `promote-from: ${image}:sha-0000000 does not exist; promote an index fused by xplat (its commit tag, e.g. sha-1a2b3c4)`,
      ]);
    });
  });

  it('masks the password and fails in one line naming the input when it is wrong', async () => {
    const run = await runAction('fuse-manifest', {
      image: `${tb.authRegistry}/${uniqueRepository('action')}`,
      sources: `${tb.authRegistry}/fixtures/busybox:linux-amd64`,
      username: tb.user,
      password: 'not-the-password',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/password/);
    expect(run.stdout).toContain('::add-mask::not-the-password');
    const unmasked = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(unmasked.join('\n')).not.toContain('not-the-password');
  });

  it('rejects a bad input before touching a registry', async () => {
    const run = await runAction('fuse-manifest', {
      image: '127.0.0.1:9/app',
      sources: 'x',
      'media-type': 'v3',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'media-type: "v3" is not a media type choice: use auto, oci or docker',
    ]);
  });
});
