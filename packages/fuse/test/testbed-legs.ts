/**
 * Leg results that point at the test bed's fixture images, written as real files, so
 * the fuse is exercised from the same inputs a workflow hands it.
 */
import { writeLegResult, type LegResult } from '@xplat/core';
import { parseReference, parseRepository } from '@xplat/oci';
import { createRegistryClient } from '@xplat/registry';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { testbed } from '../../../test/testbed.js';

export interface Fixture {
  readonly ref: string;
  /** The repository part of ref: registry/path. */
  readonly image: string;
  readonly digest: string;
}

/** A fixture pushed by scripts/testbed/up.sh, by its env name (LINUX_AMD64, WINDOWS_LTSC2022, ...). */
export function fixture(name: string): Fixture {
  const tb = testbed();
  const ref = tb.env(`XPLAT_FIXTURE_${name}_REF`);
  return {
    ref,
    image: ref.slice(0, ref.lastIndexOf(':')),
    digest: tb.env(`XPLAT_FIXTURE_${name}_DIGEST`),
  };
}

export interface LegSpec {
  platform: string;
  fixture: Fixture;
  osVersion?: string;
  smoke?: LegResult['smoke']['status'];
  /** Why a skipped smoke test was skipped. */
  skipReason?: string;
  pushed?: boolean;
  /**
   * The leg result's `source`: the commit the leg was built from, its time when the build
   * was reproducible, and the workflow run that built it.
   */
  source?: { sha?: string; time?: string; runId?: string; runAttempt?: string };
}

export const FOUR_PLATFORMS =
  'linux/amd64,linux/arm64,windows/amd64:ltsc2022,windows/amd64:ltsc2025';

/** The four legs of the hybrid fleet, all passed. */
export function fourLegs(): LegSpec[] {
  return [
    { platform: 'linux/amd64', fixture: fixture('LINUX_AMD64') },
    { platform: 'linux/arm64', fixture: fixture('LINUX_ARM64') },
    {
      platform: 'windows/amd64',
      osVersion: '10.0.20348.2655',
      fixture: fixture('WINDOWS_LTSC2022'),
    },
    {
      platform: 'windows/amd64',
      osVersion: '10.0.26100.1742',
      fixture: fixture('WINDOWS_LTSC2025'),
    },
  ];
}

/**
 * Writes one leg result file per spec into a new folder and returns the folder. The legs
 * are builds of `target` (fuse refuses legs of another repository), so each fixture is
 * first copied there, as the build leg would have pushed it; without a target the legs
 * stay in the fixtures' repositories.
 */
export async function writeLegs(specs: readonly LegSpec[], target?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-legs-'));
  const into = target ? parseRepository(target) : undefined;
  const client = createRegistryClient();
  for (const [i, spec] of specs.entries()) {
    const status = spec.smoke ?? 'passed';
    if (into)
      await client.copyImage(
        parseReference(spec.fixture.ref.replace(/:[^:/]+$/, `@${spec.fixture.digest}`)),
        into,
      );
    await writeLegResult(path.join(dir, `leg-${i}`, 'result.json'), {
      schema: 'xplat.leg/v1',
      platform: spec.platform,
      ...(spec.osVersion ? { osVersion: spec.osVersion } : {}),
      image: target ?? spec.fixture.image,
      digest: spec.fixture.digest,
      pushed: spec.pushed ?? true,
      tags: [spec.fixture.ref],
      builder: spec.platform.startsWith('windows') ? 'classic' : 'buildkit',
      timings: {
        startedAt: '2026-11-26T10:00:00.000Z',
        finishedAt: '2026-11-26T10:02:00.000Z',
        buildMs: 120000,
      },
      ...(spec.source?.sha ? { reproducible: spec.source.time !== undefined } : {}),
      smoke:
        status === 'skipped'
          ? { status, checks: [], ...(spec.skipReason ? { reason: spec.skipReason } : {}) }
          : {
              status,
              checks: [
                { name: 'http', status: status === 'failed' ? 'failed' : 'passed', durationMs: 40 },
              ],
              ...(status === 'failed' ? { reason: 'http probe: GET / answered 500' } : {}),
            },
      ...(spec.source ? { source: spec.source } : {}),
    });
  }
  return dir;
}
