/**
 * `xplat plan`: what the generated workflow will do, without generating it: one row per
 * matrix leg (platform, runner, emulation, smoke) and the gate's expected platforms.
 */
import { releaseForOsVersion, renderTable, formatRunsOn, type RunsOn } from '@xplat/core';
import path from 'node:path';
import type { ResolvedConfig, ResolvedImage, ResolvedLeg } from './config.js';
import { legArtifactName } from './generate-steps.js';

export interface PlanLeg {
  readonly platform: string;
  readonly pair: string;
  /** The runner that smoke-tests the image (the build runner, unless it is built on Linux). */
  readonly runsOn: RunsOn;
  /** The runner that builds the image. */
  readonly buildRunsOn: RunsOn;
  /** The OS the image is built on: the platform's own, or linux (`build-on: linux`). */
  readonly buildOn: string;
  /** A GitHub-hosted runner from the runner map (false: labels from xplat.yml). */
  readonly hosted: boolean;
  readonly qemu: boolean;
  /** Windows: ltsc2022, ltsc2025, or the os.version given. */
  readonly windowsRelease?: string;
  readonly artifact: string;
  /** What the leg builds: build-platform-image's context, file and target. */
  readonly context: string;
  readonly dockerfile: string;
  readonly target?: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly smoke: Readonly<Record<string, unknown>>;
  /** xplat.yml's smoke.skip: not smoke-tested, for this reason (the gate accepts it). */
  readonly smokeSkip?: string;
  /** The prepare: steps before the build, each as `run: <first line>` or `uses: <action>`. */
  readonly prepare: readonly string[];
}

export interface Plan {
  /** The image's name (job names, artifact names). */
  readonly name: string;
  readonly image: string;
  readonly registry: string;
  readonly legs: readonly PlanLeg[];
  /** The gate: fuse-manifest's expected-platforms. */
  readonly expectedPlatforms: readonly string[];
  /** The platforms whose smoke test xplat.yml skips (fuse-manifest's allow-untested). */
  readonly allowUntested: readonly string[];
  readonly tags: readonly { template: string; when: string; mutable: boolean }[];
}

function planLeg(leg: ResolvedLeg): PlanLeg {
  const release = leg.platform.osVersion ? releaseForOsVersion(leg.platform.osVersion) : undefined;
  return {
    platform: leg.name,
    pair: leg.pair,
    runsOn: leg.smokeRunner.runsOn,
    buildRunsOn: leg.buildRunner.runsOn,
    buildOn: leg.buildOn,
    hosted: leg.smokeRunner.hosted,
    qemu: leg.buildRunner.qemu,
    ...(leg.platform.osVersion
      ? {
          windowsRelease:
            release && release.build === leg.platform.osVersion
              ? release.name
              : leg.platform.osVersion,
        }
      : {}),
    artifact: legArtifactName(leg.imageName, leg.pair),
    context: leg.context,
    dockerfile: leg.dockerfile,
    ...(leg.target !== undefined ? { target: leg.target } : {}),
    buildArgs: leg.buildArgs,
    smoke: leg.smoke,
    ...(leg.smokeSkip !== undefined ? { smokeSkip: leg.smokeSkip } : {}),
    prepare: leg.prepare.map((p) =>
      p.uses ? `uses: ${p.uses}` : `run: ${p.run!.trim().split(/\r?\n/)[0]}`,
    ),
  };
}

export function planImage(image: ResolvedImage): Plan {
  return {
    name: image.name,
    image: image.image,
    registry: image.registry,
    legs: image.legs.map(planLeg),
    expectedPlatforms: image.legs.map((l) => l.name),
    allowUntested: image.legs.filter((l) => l.smokeSkip !== undefined).map((l) => l.name),
    tags: image.tags.map(({ template, when, mutable }) => ({ template, when, mutable })),
  };
}

/** One plan per image of xplat.yml. */
export function planFromConfig(config: ResolvedConfig): Plan[] {
  return config.images.map(planImage);
}

/** Where a leg is built: its runner, and how when it is not the native builder. */
function buildWhere(l: PlanLeg): string {
  const how = l.qemu ? 'QEMU' : l.buildOn !== l.platform.split('/')[0] ? 'BuildKit' : 'native';
  return `${formatRunsOn(l.buildRunsOn)} (${how})`;
}

/** Where a leg is smoke-tested, or why it is not. */
function smokeWhere(l: PlanLeg): string {
  if (l.smokeSkip !== undefined) return `not tested: ${l.smokeSkip}`;
  return `${formatRunsOn(l.runsOn)}${l.hosted ? '' : ' (self-hosted)'}`;
}

/** Each image's matrix as a table, then its gate and its tags. */
export function renderPlan(plans: readonly Plan[]): string {
  return plans
    .map((plan) => {
      const legs = renderTable(
        ['PLATFORM', 'BUILD', 'SMOKE', 'DOCKERFILE', 'PROBES', 'ARTIFACT'],
        plan.legs.map((l) => [
          l.platform,
          buildWhere(l),
          smokeWhere(l),
          dockerfileSummary(l),
          l.smokeSkip !== undefined ? '-' : smokeSummary(l.smoke),
          l.artifact,
        ]),
      );
      const prepare = [...new Set(plan.legs.flatMap((l) => l.prepare))];
      const tags = renderTable(
        ['TAG', 'WHEN', 'MAY MOVE'],
        plan.tags.map((t) => [t.template, t.when, t.mutable ? 'yes' : 'no']),
      );
      const untested = plan.allowUntested.length
        ? ` (${plan.allowUntested.join(', ')} not smoke-tested, as xplat.yml says)`
        : '';
      return [
        plans.length > 1 ? `image ${plan.name}: ${plan.image}` : `image: ${plan.image}`,
        '',
        legs,
        ...(prepare.length ? ['', `prepare: ${prepare.join('; ')}`] : []),
        '',
        `gate: fuse ${plan.image} only when all ${plan.expectedPlatforms.length} platforms passed: ${plan.expectedPlatforms.join(', ')}${untested}`,
        '',
        tags,
      ].join('\n');
    })
    .join('\n\n');
}

function smokeSummary(smoke: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  if (smoke.port !== undefined)
    parts.push(`http :${String(smoke.port)}${String(smoke.path ?? '/')}`);
  if (smoke['tcp-port'] !== undefined) parts.push(`tcp :${String(smoke['tcp-port'])}`);
  if (smoke['expect-log'] !== undefined) parts.push('log');
  if (smoke.command !== undefined) parts.push('command');
  return parts.length ? parts.join(', ') : 'starts and stays up';
}

/** `Dockerfile.windows`, with the stage and a context that is not the file's own folder. */
function dockerfileSummary(leg: PlanLeg): string {
  const own = path.posix.dirname(leg.dockerfile);
  const context =
    path.posix.normalize(leg.context) === path.posix.normalize(own) ? '' : ` in ${leg.context}`;
  return `${leg.dockerfile}${leg.target ? ` (target ${leg.target})` : ''}${context}`;
}

/**
 * The matrix as GitHub's strategy.matrix takes it: what `xplat plan --json` prints and
 * what the reusable workflow's plan job computes from its inputs (the tests compare them).
 */
export function planMatrix(plan: Plan): { include: Record<string, unknown>[] } {
  return {
    include: plan.legs.map((l) => ({
      platform: l.platform,
      pair: l.pair,
      'runs-on': l.buildRunsOn,
      qemu: l.qemu ? 'true' : 'auto',
      context: l.context,
      file: l.dockerfile,
      target: l.target ?? '',
      'smoke-apart': String(l.runsOn !== l.buildRunsOn),
      'smoke-skip': l.smokeSkip ?? '',
    })),
  };
}
