/**
 * How far a build is reproducible, per builder, and what it takes:
 *
 * - buildx: SOURCE_DATE_EPOCH as a build arg sets the config's and history's times
 *   (BuildKit 0.11+, moby/buildkit docs/build-repro.md). The image exporter's
 *   `rewrite-timestamp=true` also sets the file times inside the layers (BuildKit 0.13+,
 *   moby/buildkit#4057), so any machine gives the same layers; with push=true it lost
 *   blobs until 0.14.1 (moby/buildkit#5008, backported in #5040). The docker driver
 *   exports into the engine's image store, which unpacks, and rewrite-timestamp conflicts
 *   with unpack (moby/buildkit#4230, docker/buildx#2733): no rewrite there.
 * - buildkit (the engine's own BuildKit, `DOCKER_BUILDKIT=1 docker build`): dockerd
 *   20.10's BuildKit predates SOURCE_DATE_EPOCH; a cached rebuild gives the same image on
 *   the same machine, and xplat sets the pushed config's times from the commit itself
 *   (settle-times.ts) before the smoke test.
 * - classic: no SOURCE_DATE_EPOCH at all; a layer built again has new file times, so the
 *   result is recorded as not reproducible.
 *
 * Without a commit time (uncommitted changes, no git checkout) nothing is reproducible.
 */
import type { BuildxBuilder } from '../docker/buildx.js';
import type { BuilderSelection } from './builders.js';
import type { SourceDate } from './source-date.js';

export interface ReproduciblePlan {
  /** SOURCE_DATE_EPOCH for the build and for the image's times; absent: the clock. */
  readonly epoch?: number;
  readonly reproducible: boolean;
  /** How far (any machine, or this machine with its build cache), or why not; one line. */
  readonly reason: string;
  /** buildx: the exporter rewrites the file times in layers (`rewrite-timestamp=true`). */
  readonly rewriteTimestamp: boolean;
}

type Version = readonly [number, number, number];
const REWRITE_TIMESTAMP: Version = [0, 13, 0];
const REWRITE_TIMESTAMP_PUSH: Version = [0, 14, 1];

/** `v0.14.1` -> [0, 14, 1]; undefined when it is no version. */
export function parseBuildkitVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

function atLeast(version: Version, minimum: Version): boolean {
  for (let i = 0; i < 3; i++) if (version[i] !== minimum[i]) return version[i]! > minimum[i]!;
  return true;
}

const text = (v: Version) => `${v[0]}.${v[1]}.${v[2]}`;

/** The oldest BuildKit among the builder's nodes; undefined when a node has not said. */
function oldestBuildkit(builder: BuildxBuilder): Version | undefined {
  const versions = builder.nodes.map((n) => parseBuildkitVersion(n.buildkit));
  if (!versions.length || versions.some((v) => v === undefined)) return undefined;
  return (versions as Version[]).reduce((a, b) => (atLeast(a, b) ? b : a));
}

/** Why buildx cannot rewrite file times here; undefined when it can. */
function noRewrite(builder: BuildxBuilder | undefined, push: boolean): string | undefined {
  if (!builder) return 'no buildx builder named';
  if (builder.driver === 'docker')
    return "the docker driver exports into the engine's image store, where rewrite-timestamp is refused (moby/buildkit#4230)";
  const version = oldestBuildkit(builder);
  if (!version)
    return `builder "${builder.name}" did not report its BuildKit version (not bootstrapped)`;
  const needed = push ? REWRITE_TIMESTAMP_PUSH : REWRITE_TIMESTAMP;
  if (!atLeast(version, needed))
    return `BuildKit ${text(version)} of builder "${builder.name}" has no rewrite-timestamp${push ? ' for a push' : ''} (needs ${text(needed)})`;
  return undefined;
}

const SAME_MACHINE = 'on this machine with its build cache';

export function planReproducible(
  date: SourceDate,
  selection: BuilderSelection,
  push: boolean,
): ReproduciblePlan {
  if (date.epoch === undefined)
    return {
      reproducible: false,
      reason: `image times come from the clock: ${date.reason ?? 'no commit time'}`,
      rewriteTimestamp: false,
    };
  const epoch = date.epoch;
  if (selection.kind === 'classic')
    return {
      epoch,
      reproducible: false,
      reason:
        'the classic builder has no SOURCE_DATE_EPOCH: a layer it builds again (no cache, another machine) has new file times',
      rewriteTimestamp: false,
    };
  if (selection.kind === 'buildkit')
    return {
      epoch,
      reproducible: true,
      reason: `${SAME_MACHINE}: the engine's BuildKit keeps the file times of each layer as built${
        push
          ? '; xplat sets the image times from the commit after the push'
          : '; not pushed, so the image keeps the times the builder gave it'
      }`,
      rewriteTimestamp: false,
    };
  const why = noRewrite(selection.buildxBuilder, push);
  if (why)
    return {
      epoch,
      reproducible: true,
      reason: `${SAME_MACHINE}: file times in layers stay as built, because ${why}`,
      rewriteTimestamp: false,
    };
  return {
    epoch,
    reproducible: true,
    reason:
      'on any machine: BuildKit sets the image and layer file times from the commit (rewrite-timestamp)',
    rewriteTimestamp: true,
  };
}
