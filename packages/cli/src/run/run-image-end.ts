/**
 * The end of one image in `xplat run`: its own gate over its own legs, then its own fuse.
 * One image's failure never holds back another's index:
 *
 *   a leg failed                 nothing fused for this image (its failures are shown)
 *   no leg can go in the index   nothing fused, not a failure (all skipped, or built but
 *                                not tested here)
 *   otherwise                    the passed and untested legs fused into one index, read back,
 *                                and its leg for the local engine left there to run
 *                                (local-image.ts)
 */
import path from 'node:path';
import { errorMessage } from '@xplat/core';
import type { HostFacts } from '@xplat/engine';
import type { Repository } from '@xplat/oci';
import type { ResolvedImage, ResolvedLeg } from '@xplat/workflow';
import type { LegOutcome } from './leg-run.js';
import { leaveImage, localLeg, localName, runCommandLine, type DockerRun } from './local-image.js';
import type { Progress } from './progress.js';
import { failureLines, fuseRun } from './run-fuse.js';
import type { PlannedLeg } from './run-plan.js';
import type { ImageEnd } from './run-report.js';

export interface ImageResult extends ImageEnd {
  /** fused: an index was written; failed: a leg or the fuse failed; empty: nothing to fuse. */
  readonly state: 'fused' | 'failed' | 'empty';
  /** The image's part of the summary. */
  readonly lines: readonly string[];
}

export interface ImageEndOptions {
  readonly target: Repository;
  readonly tags: readonly string[];
  readonly projectDir: string;
  readonly logDir: string;
  readonly progress: Progress;
  /** The image's `index` row in the progress display. */
  readonly row: string;
  /** The file has several images: lines name this one. */
  readonly several: boolean;
  /** The local engine, where the image is left to run; absent when it did not answer. */
  readonly local?: { readonly facts: HostFacts; readonly run: DockerRun };
  /** The run's --network, for the printed docker run. */
  readonly network: string;
  /** The registry serves the index after the run (--keep-registry, --registry). */
  readonly registryStays: boolean;
}

/** The port the smoke test probed, for the "run it" hint. */
function servicePort(image: ResolvedImage): number | undefined {
  return image.legs.find((l) => l.smoke.port !== undefined)?.smoke.port;
}

/**
 * How to run what was fused: the local engine's platform under its local name, which
 * outlives the embedded registry; the index itself while its registry keeps serving it.
 */
async function runItLines(
  image: ResolvedImage,
  legs: readonly { leg: ResolvedLeg; ref: string }[],
  fused: { ref: string; tag: string },
  options: ImageEndOptions,
): Promise<{ lines: string[]; localImage?: string }> {
  const command = (ref: string) => runCommandLine(ref, servicePort(image), options.network);
  // An embedded registry that stops with the run is not printed: its port goes with it.
  const fromRegistry = options.registryStays
    ? [`every platform, from the registry: ${command(fused.ref)}`]
    : [];
  const { local } = options;
  if (!local)
    return { lines: [`nothing left in the local engine: it did not answer`, ...fromRegistry] };
  const leg = localLeg(
    local.facts,
    legs.map((l) => ({ name: l.leg.name, platform: l.leg.platform, ref: l.ref })),
  );
  const own = local.facts.engine.platform;
  if (!leg)
    return {
      lines: [
        `nothing left in the local engine: no platform of the index is its own (${own})`,
        ...fromRegistry,
      ],
    };
  const left = await leaveImage(leg.ref, localName(image.image, fused.tag), local.run);
  if (!left.ok)
    return {
      lines: [`${leg.name} was not left in the local engine: ${left.why}`, ...fromRegistry],
    };
  return {
    lines: [
      `${leg.name} left in the local engine as ${left.name} (${left.pulled ? 'pulled by its digest' : 'built there'})`,
      `run it: ${command(left.name)}`,
      ...fromRegistry,
    ],
    localImage: left.name,
  };
}

export async function endImage(
  image: ResolvedImage,
  planned: readonly PlannedLeg[],
  outcomes: readonly LegOutcome[],
  options: ImageEndOptions,
): Promise<ImageResult> {
  const { progress, row } = options;
  const of = options.several ? ` for ${image.name}` : '';
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length) {
    progress.update(row, 'fuse', 'skipped', 'a leg failed: nothing fused');
    const ran = planned.filter((p) => p.status === 'run').length;
    return {
      image,
      outcomes,
      state: 'failed',
      lines: [
        ...(await failureLines(failed, options.projectDir, options.several ? image.name : '')),
        `nothing was fused${of}: ${failed.length} of ${ran} platform(s) that ran here failed`,
      ],
    };
  }
  const legs = planned.flatMap((p, i) => {
    const o = outcomes[i]!;
    return o.status === 'passed' || o.status === 'untested'
      ? [{ leg: p.leg, resultFile: o.resultFile!, ref: o.ref!, untested: o.status === 'untested' }]
      : [];
  });
  if (!legs.length) {
    progress.update(row, 'fuse', 'skipped', 'no platform tested here');
    return {
      image,
      outcomes,
      state: 'empty',
      lines: [`nothing was fused${of}: no platform was built and tested here`],
    };
  }

  progress.update(row, 'fuse', 'running');
  const logFile = path.join(options.logDir, 'fuse.log');
  try {
    const fused = await fuseRun({ target: options.target, tags: options.tags, legs, logFile });
    progress.update(row, 'fuse', 'done', fused.digest);
    const runIt = await runItLines(image, legs, fused, options);
    return {
      image,
      outcomes,
      fused,
      ...(runIt.localImage ? { localImage: runIt.localImage } : {}),
      state: 'fused',
      lines: [...fused.lines, '', ...runIt.lines],
    };
  } catch (error) {
    progress.update(row, 'fuse', 'failed', errorMessage(error));
    const log = path.relative(options.projectDir, logFile).split(path.sep).join('/');
    return {
      image,
      outcomes,
      state: 'failed',
      lines: [`fuse${of} failed: ${errorMessage(error)} (log: ${log})`],
    };
  }
}
