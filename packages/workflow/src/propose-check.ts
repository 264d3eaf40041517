/**
 * `xplat init` never proposes a leg that xplat's own lint refuses: each proposed leg is
 * linted as build-platform-image will lint it on its runner. A leg with errors is fixed
 * by the build args that pick the Windows release (the ltsc2025 leg of a file whose
 * `ARG WINDOWS_VERSION=ltsc2022` feeds the base tag gets WINDOWS_VERSION=ltsc2025);
 * otherwise it is left out, with the first error as the reason. A `build-on: linux` leg
 * is linted as BuildKit on Linux builds it (buildPlatform linux/amd64, builder buildx).
 */
import { parsePlatform, releaseForOsVersion, runnerFor, type Platform } from '@xplat/core';
import {
  argDeclarations,
  formatFinding,
  lintDockerfile,
  type Finding,
  type LintOptions,
  type ParsedDockerfile,
} from '@xplat/dockerfile';
import { ARCH_VALUES, type ProposedPlatform } from './propose.js';
import { releaseAssignments } from './release-args.js';

export interface CheckedLeg {
  readonly leg: ProposedPlatform;
  /** Errors that remain (empty: the leg is proposed). */
  readonly errors: readonly Finding[];
  /** The build arg init added to make the leg lint clean, for the notes. */
  readonly fixedBy?: Readonly<Record<string, string>>;
}

/**
 * Whether a finding keeps init from proposing its leg: any error but XP027. A COPY source
 * missing from the context is about the checkout, not the platform: binaries made before
 * `docker build` are missing in a fresh clone, and a prepare: step makes them for every
 * leg alike.
 */
export function leavesLegOut(f: Finding): boolean {
  return f.severity === 'error' && f.rule !== 'XP027';
}

/** The lint options of one leg, as its runner will lint it. */
export function legLintOptions(
  leg: ProposedPlatform,
  platform: Platform,
  contextDir: string,
): LintOptions {
  const buildArgs = { ...(leg.buildArgs ?? {}) };
  const target = leg.target ? { target: leg.target } : {};
  // build-on: linux: BuildKit on an amd64 Linux runner, as the workflow builds it.
  if (platform.os === 'windows' && leg.buildOn === 'linux')
    return {
      platform,
      buildPlatform: { os: 'linux', architecture: 'amd64' },
      buildArgs,
      contextDir,
      builder: 'buildx',
      ...target,
    };
  if (platform.os !== 'windows')
    return {
      platform,
      // Every Linux leg builds natively (arm64 on an arm64 runner), with buildx.
      buildPlatform: platform,
      buildArgs,
      contextDir,
      builder: 'buildx',
      ...target,
    };
  let runner: string | undefined;
  try {
    const choice = runnerFor(platform, leg.runsOn ? { runsOn: [...leg.runsOn] } : {}, '');
    runner = typeof choice.runsOn === 'string' ? choice.runsOn : undefined;
  } catch {
    runner = undefined;
  }
  // A self-hosted runner labelled with the release runs that release.
  const host = releaseForOsVersion(platform.osVersion ?? '')?.build;
  return {
    platform,
    buildPlatform: { ...platform, ...(host ? { osVersion: host } : {}) },
    buildArgs,
    contextDir,
    // The Windows engine's own builder: what build-platform-image uses on Windows runners.
    builder: 'classic',
    ...target,
    ...(runner ? { runner } : host ? { hostOsVersion: host } : {}),
  };
}

async function errorsOf(
  parsed: ParsedDockerfile,
  leg: ProposedPlatform,
  platform: Platform,
  contextDir: string,
): Promise<Finding[]> {
  try {
    const findings = await lintDockerfile(parsed, legLintOptions(leg, platform, contextDir));
    return findings.filter(leavesLegOut);
  } catch (error) {
    // planStages' own refusals (a FROM that resolves to nothing) are errors of the leg too.
    return [
      {
        rule: 'plan',
        severity: 'error',
        message: (error as Error).message,
        file: parsed.file,
        line: 1,
      },
    ];
  }
}

/** Lint `leg`; when it has errors, try the build args that pick its Windows release. */
export async function checkLeg(
  parsed: ParsedDockerfile,
  leg: ProposedPlatform,
  contextDir: string,
): Promise<CheckedLeg> {
  const platform = parsePlatform(leg.platform);
  const errors = await errorsOf(parsed, leg, platform, contextDir);
  if (!errors.length) return { leg, errors };
  if (platform.os !== 'windows') return fixArchitecture(parsed, leg, platform, contextDir, errors);
  const release = releaseForOsVersion(platform.osVersion ?? '');
  if (!release) return { leg, errors };
  // Every release-naming ARG at once first (BASE_IMAGE and ADDON_IMAGE), then each alone;
  // never one that overrides a build arg the leg already has.
  const assignments = releaseAssignments(parsed, release).filter(
    (assignment) =>
      !Object.keys(assignment).some((k) => leg.buildArgs && Object.hasOwn(leg.buildArgs, k)),
  );
  return firstLintClean(parsed, { leg, errors }, platform, contextDir, assignments);
}

/**
 * The first of `assignments` (build args added to the leg) with which the leg lints
 * without errors, tried in order; the leg as it was when none does.
 */
async function firstLintClean(
  parsed: ParsedDockerfile,
  checked: { readonly leg: ProposedPlatform; readonly errors: Finding[] },
  platform: Platform,
  contextDir: string,
  assignments: readonly Record<string, string>[],
): Promise<CheckedLeg> {
  const { leg, errors } = checked;
  for (const assignment of assignments) {
    const fixed: ProposedPlatform = {
      ...leg,
      buildArgs: { ...(leg.buildArgs ?? {}), ...assignment },
    };
    if (!(await errorsOf(parsed, fixed, platform, contextDir)).length)
      return { leg: fixed, errors: [], fixedBy: assignment };
  }
  return { leg, errors };
}

/**
 * A Linux leg that XP026 refuses because an ARG pins another architecture
 * (azurefile-csi-driver's builder stage: `ARG TARGETARCH=amd64`, then
 * `azcopy_linux_${TARGETARCH}.tar.gz`): the build arg that gives it the leg's own value,
 * in the default's spelling (x86_64 -> aarch64); every such ARG at once, then each alone.
 */
async function fixArchitecture(
  parsed: ParsedDockerfile,
  leg: ProposedPlatform,
  platform: Platform,
  contextDir: string,
  errors: Finding[],
): Promise<CheckedLeg> {
  if (!errors.some((f) => f.rule === 'XP026')) return { leg, errors };
  const pinned = new Map<string, string>();
  const declarations = [
    ...parsed.globalArgs.map((a) => ({ name: a.name, value: a.defaultValue })),
    ...parsed.stages.flatMap((s) =>
      s.instructions
        .filter((i) => i.keyword === 'ARG')
        .flatMap((i) => argDeclarations(i.args, parsed.escapeChar)),
    ),
  ];
  for (const d of declarations) {
    const style = d.value ? ARCH_VALUES[d.value.replace(/^["']|["']$/g, '')] : undefined;
    const value = style?.[platform.architecture];
    if (value && value !== d.value && !Object.hasOwn(leg.buildArgs ?? {}, d.name))
      pinned.set(d.name, value);
  }
  const all = Object.fromEntries(pinned);
  const tries = [all, ...[...pinned].map(([k, v]) => ({ [k]: v }))];
  const assignments = (pinned.size > 1 ? tries : tries.slice(0, 1)).filter(
    (assignment) => Object.keys(assignment).length,
  );
  return firstLintClean(parsed, { leg, errors }, platform, contextDir, assignments);
}

/** One line: why a leg was left out. */
export function leftOutReason(checked: CheckedLeg): string {
  const first = checked.errors[0]!;
  const more = checked.errors.length > 1 ? ` (and ${checked.errors.length - 1} more)` : '';
  return `lints with errors: ${formatFinding(first)}${more}`;
}
