/**
 * XP001–XP005: the base images of each stage. Windows images must pin a release the
 * build host can run with process isolation, and the target's release must be the
 * leg's; no stage may mix a Linux-only image into Windows or the other way round.
 */
import {
  buildNumber,
  formatPlatform,
  releaseForOsVersion,
  releasesRunnableOn,
  runsUnderProcessIsolation,
  WINDOWS_RELEASES,
} from '@xplat/core';
import {
  isLinuxOnlyImageName,
  isWindowsImageName,
  splitImage,
  windowsReleaseOfTag,
} from '../images.js';
import type { Stage } from '../types.js';
import { stageLabel, type LintContext } from './context.js';

/**
 * The host build (10.0.20348) of a GitHub-hosted Windows runner label, or undefined for
 * any other label (Linux runners, self-hosted labels).
 */
export function hostOsVersionForRunner(runner: string): string | undefined {
  const label = runner.trim().toLowerCase();
  // windows-latest has been windows-2025 since GitHub's 2025 migration.
  const name = label === 'windows-latest' ? 'windows-2025' : label;
  return WINDOWS_RELEASES.find((r) => r.hostedRunner === name)?.build;
}

function releaseLabel(osVersion: string): string {
  const release = releaseForOsVersion(osVersion);
  return release ? `${release.name} (${release.build})` : osVersion;
}

export function checkBaseImages(ctx: LintContext): void {
  const { plan, options } = ctx;
  const host =
    options.hostOsVersion ?? (options.runner ? hostOsVersionForRunner(options.runner) : undefined);
  const legRelease = options.platform.os === 'windows' ? options.platform.osVersion : undefined;
  const suggestion = releaseForOsVersion(legRelease ?? host ?? '')?.name ?? 'ltsc2022';

  // The external image the target stage's FROM chain ends in: its release is the image's.
  let targetBase: number | undefined;
  for (let s: Stage | undefined = plan.target; s;) {
    if (!s.isStageRef) {
      targetBase = s.index;
      break;
    }
    const next: number | undefined = s.fromStage;
    s = plan.stages.find((x) => x.index === next);
  }

  for (const base of plan.baseImages) {
    if (base.via === 'FROM' && ctx.missingStages.has(base.line)) continue;
    const ref = splitImage(base.image);
    const os = base.stage.platform.os;
    const where = stageLabel(base.stage);
    if (os === 'windows' && isLinuxOnlyImageName(ref)) {
      ctx.add(
        'XP005',
        base.line,
        `"${base.image}" is a Linux-only image, but ${where} builds for Windows; use a Windows image here (e.g. mcr.microsoft.com/windows/nanoserver:${suggestion}), or move this step into a Linux-only stage that the Windows target does not reach${base.stage.platformFlag ? ' (on a Windows runner $BUILDPLATFORM is Windows too)' : ''}`,
      );
      continue;
    }
    if (os === 'linux' && isWindowsImageName(ref)) {
      ctx.add(
        'XP005',
        base.line,
        `"${base.image}" is a Windows image, but ${where} builds for Linux; move it into a Windows-only stage (e.g. FROM ... AS install-windows, selected with FROM install-\${TARGETOS})`,
      );
      continue;
    }
    if (os !== 'windows') continue;
    if (ref.digest) continue;
    if (!ref.tag || ref.tag.toLowerCase() === 'latest') {
      ctx.add(
        'XP001',
        base.line,
        `Windows base image "${base.image}" ${ref.tag ? 'uses :latest' : 'has no tag'}; Windows images are per release, pin one: ${ref.repository}:${suggestion} (or @sha256:<digest>)`,
      );
      continue;
    }
    const release = windowsReleaseOfTag(ref.tag);
    if (!release) {
      ctx.add(
        'XP002',
        base.line,
        `the tag of Windows base image "${base.image}" names no Windows release, so each host pulls whichever release it matches; pin one in the tag (e.g. a ...-nanoserver-${suggestion} or ...-${suggestion} variant) or a digest`,
      );
      continue;
    }
    if (host && !runsUnderProcessIsolation(host, release)) {
      const runner = releaseForOsVersion(release)?.hostedRunner;
      const runnable = releasesRunnableOn(host)
        .map((r) => r.name)
        .join(', ');
      ctx.add(
        'XP003',
        base.line,
        `"${base.image}" is Windows ${releaseLabel(release)}, which ${options.hostOsVersion || !options.runner ? `a host of build ${host}` : `a ${options.runner} host (${host})`} cannot run with process isolation (hosted runners have no Hyper-V); use a base of a release it runs (${runnable || 'none known'}), or ${runner ? `build this leg on ${runner}` : 'build it on a self-hosted host of that release'}`,
      );
    } else if (!host && !releaseForOsVersion(release)?.hostedRunner) {
      ctx.add(
        'XP003',
        base.line,
        `"${base.image}" is Windows ${releaseLabel(release)}, which no GitHub-hosted runner runs with process isolation (windows-2022 is ltsc2022, windows-2025 is ltsc2025); move to an ltsc2022 or ltsc2025 base, or give the host build (hostOsVersion) of your own runner`,
      );
    }
    if (
      legRelease &&
      base.stage.index === targetBase &&
      base.via === 'FROM' &&
      buildNumber(release) !== buildNumber(legRelease)
    ) {
      ctx.add(
        'XP004',
        base.line,
        `the target's base "${base.image}" is Windows ${releaseLabel(release)}, but this leg is ${formatPlatform(options.platform)}; use the ${releaseForOsVersion(legRelease)?.name ?? legRelease} base for this leg (e.g. select it with a build arg per leg) so the image's os.version matches`,
      );
    }
  }
}
