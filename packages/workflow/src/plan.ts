/**
 * `xplat plan`: what the generated workflow will do, without generating it: one row per
 * matrix leg (platform, runner, emulation, smoke) and the gate's expected platforms.
 */
import { releaseForOsVersion, renderTable, formatRunsOn, type RunsOn } from '@xplat/core';
import path from 'node:path';
import type { ResolvedConfig } from './config.js';
import { LEG_ARTIFACT_PREFIX } from './generate.js';

export interface PlanLeg {
  readonly platform: string;
  readonly pair: string;
  readonly runsOn: RunsOn;
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
}

export interface Plan {
  readonly image: string;
  readonly registry: string;
  readonly legs: readonly PlanLeg[];
  /** The gate: fuse-manifest's expected-platforms. */
  readonly expectedPlatforms: readonly string[];
  readonly tags: readonly { template: string; when: string; mutable: boolean }[];
}

export function planFromConfig(config: ResolvedConfig): Plan {
  return {
    image: config.image,
    registry: config.registry,
    legs: config.legs.map((leg) => {
      const release = leg.platform.osVersion
        ? releaseForOsVersion(leg.platform.osVersion)
        : undefined;
      return {
        platform: leg.name,
        pair: leg.pair,
        runsOn: leg.runner.runsOn,
        hosted: leg.runner.hosted,
        qemu: leg.runner.qemu,
        ...(leg.platform.osVersion
          ? {
              windowsRelease:
                release && release.build === leg.platform.osVersion
                  ? release.name
                  : leg.platform.osVersion,
            }
          : {}),
        artifact: `${LEG_ARTIFACT_PREFIX}${leg.pair}`,
        context: leg.context,
        dockerfile: leg.dockerfile,
        ...(leg.target !== undefined ? { target: leg.target } : {}),
        buildArgs: leg.buildArgs,
        smoke: leg.smoke,
      };
    }),
    expectedPlatforms: config.legs.map((l) => l.name),
    tags: config.tags.map(({ template, when, mutable }) => ({ template, when, mutable })),
  };
}

/** The matrix as a table, then the gate and the tags. */
export function renderPlan(plan: Plan): string {
  const legs = renderTable(
    ['PLATFORM', 'RUNNER', 'BUILD', 'DOCKERFILE', 'SMOKE', 'ARTIFACT'],
    plan.legs.map((l) => [
      l.platform,
      `${formatRunsOn(l.runsOn)}${l.hosted ? '' : ' (self-hosted)'}`,
      l.qemu ? 'QEMU (emulated)' : 'native',
      dockerfileSummary(l),
      smokeSummary(l.smoke),
      l.artifact,
    ]),
  );
  const tags = renderTable(
    ['TAG', 'WHEN', 'MAY MOVE'],
    plan.tags.map((t) => [t.template, t.when, t.mutable ? 'yes' : 'no']),
  );
  return [
    `image: ${plan.image}`,
    '',
    legs,
    '',
    `gate: fuse ${plan.image} only when all ${plan.expectedPlatforms.length} platforms passed: ${plan.expectedPlatforms.join(', ')}`,
    '',
    tags,
  ].join('\n');
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
      'runs-on': l.runsOn,
      qemu: l.qemu ? 'true' : 'auto',
      context: l.context,
      file: l.dockerfile,
      target: l.target ?? '',
    })),
  };
}
