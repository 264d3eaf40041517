/**
 * What `xplat run` says at the end: the `--json` report (also `.xplat/runs/<run-id>/
 * report.json`) and the plain-text tables. Other tools read the JSON names: they are added
 * to, never renamed. A file without `images:` keeps the one-image shape
 * `{ref, digest, localImage, registry, legs}`; a file with `images:` gets
 * `{registry, images: [{name, image, ref, digest, localImage, legs}]}`, whichever images
 * ran. `localImage` is the name the run left the local engine's platform under.
 */
import { renderTable } from '@xplat/core';
import type { ResolvedImage } from '@xplat/workflow';
import type { LegOutcome, LegStatus } from './leg-run.js';
import { seconds } from './progress.js';
import type { PlannedLeg } from './run-plan.js';

export interface LegReport {
  readonly platform: string;
  /** `untested`: built and fused, its smoke test skipped on purpose (`smoke: { skip }`). */
  readonly status: LegStatus;
  readonly reason: string;
  readonly digest: string | null;
  readonly log: string | null;
}

/** The report of a file without `images:`. */
export interface RunReport {
  readonly ref: string | null;
  readonly digest: string | null;
  /** The local engine's platform of the index, tagged in that engine; null when none was left. */
  readonly localImage: string | null;
  readonly registry: string;
  readonly legs: readonly LegReport[];
}

export interface ImageReport {
  /** The image's name in xplat.yml. */
  readonly name: string;
  /** Its repository as xplat.yml writes it. */
  readonly image: string;
  /** The fused index in the run's registry; null when nothing was fused for this image. */
  readonly ref: string | null;
  readonly digest: string | null;
  readonly localImage: string | null;
  readonly legs: readonly LegReport[];
}

/** The report of a file with `images:`. */
export interface RunImagesReport {
  readonly registry: string;
  readonly images: readonly ImageReport[];
}

/** One image's end of the run. */
export interface ImageEnd {
  readonly image: ResolvedImage;
  readonly outcomes: readonly LegOutcome[];
  readonly fused?: { readonly ref: string; readonly digest: string };
  /** The name the image was left under in the local engine (`xplat-dev/<name>:<tag>`). */
  readonly localImage?: string;
}

export function legReports(outcomes: readonly LegOutcome[]): LegReport[] {
  return outcomes.map((o) => ({
    platform: o.platform,
    status: o.status,
    reason: o.reason,
    digest: o.digest ?? null,
    log: o.log ?? null,
  }));
}

export function runReport(
  ends: readonly ImageEnd[],
  registry: string,
  several: boolean,
): RunReport | RunImagesReport {
  const images = ends.map((end): ImageReport => ({
    name: end.image.name,
    image: end.image.image,
    ref: end.fused?.ref ?? null,
    digest: end.fused?.digest ?? null,
    localImage: end.localImage ?? null,
    legs: legReports(end.outcomes),
  }));
  if (several) return { registry, images };
  const [only] = images;
  return {
    ref: only!.ref,
    digest: only!.digest,
    localImage: only!.localImage,
    registry,
    legs: only!.legs,
  };
}

/** A leg's name in tables and progress: its platform, after its image's name when several. */
export function legLabel(imageName: string, platform: string, several: boolean): string {
  return several ? `${imageName} ${platform}` : platform;
}

export function planTable(plan: readonly PlannedLeg[], several: boolean): string {
  const how = (p: PlannedLeg) =>
    [p.reason, ...(p.ciOnly.length ? [`runs in CI only: ${p.ciOnly.join(', ')}`] : [])].join('; ');
  return renderTable(
    [...(several ? ['image'] : []), 'platform', 'engine', 'runs', 'how / why not'],
    plan.map((p) => [
      ...(several ? [p.leg.imageName] : []),
      p.leg.name,
      p.engine.name,
      p.status === 'run' ? p.mode! : 'skipped',
      how(p),
    ]),
  );
}

export function legsTable(ends: readonly ImageEnd[], several: boolean): string {
  return renderTable(
    [...(several ? ['image'] : []), 'platform', 'status', 'time', 'digest / reason'],
    ends.flatMap((end) =>
      end.outcomes.map((o) => [
        ...(several ? [end.image.name] : []),
        o.platform,
        o.status,
        o.durationMs ? seconds(o.durationMs) : '',
        o.status === 'passed' ? (o.digest ?? '') : o.reason,
      ]),
    ),
  );
}
