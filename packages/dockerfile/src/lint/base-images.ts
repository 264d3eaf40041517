/**
 * XP001–XP005: the base images of each stage. Windows images must pin a release the
 * build host can run with process isolation (a leg built on Linux has no Windows host,
 * so only the release matters), and the target's release must be the leg's; no stage
 * may mix a Linux-only image into Windows or the other way round.
 */
import {
  buildNumber,
  formatPlatform,
  releaseByName,
  releaseForOsVersion,
  releasesRunnableOn,
  runsUnderProcessIsolation,
  WINDOWS_RELEASES,
} from '@xplat/core';
import { buildArgAdvice, buildOnLinuxAdvice } from '../advice.js';
import { expandVariables, referencedVariables } from '../args.js';
import {
  isLinuxOnlyImageName,
  isReleaseAgnosticWindowsImage,
  isWindowsImageName,
  splitImage,
  windowsReleaseOfTag,
  type ImageRef,
} from '../images.js';
import {
  isPublishedOrUnknown,
  knowsWindowsTags,
  publishedWindowsTag,
  type ReleaseName,
} from '../windows-tags.js';
import { isWindowsOnLinux } from '../leg.js';
import type { BaseImage, Stage } from '../types.js';
import { parsedStage, stageLabel, type LintContext } from './context.js';

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

/**
 * `repo:tag` of the image like `ref` that its repository publishes for `release` (see
 * windows-tags.ts), or undefined when it publishes none or its tags are not known. The
 * retired Docker Hub names (microsoft/nanoserver) map to their MCR repositories.
 */
export function publishedImage(ref: ImageRef, release: string): string | undefined {
  const retired = /^microsoft\/(windowsservercore|nanoserver)$/.exec(ref.repository);
  const target: ImageRef = retired
    ? {
        repository: `mcr.microsoft.com/windows/${retired[1] === 'nanoserver' ? 'nanoserver' : 'servercore'}`,
      }
    : ref;
  const name = releaseByName(release)?.name as ReleaseName | undefined;
  const tag = name ? publishedWindowsTag(target, name) : undefined;
  return tag ? `${target.repository}:${tag}` : undefined;
}

/**
 * What to suggest for a Windows image of release `release` (e.g. ltsc2022): a tag its
 * repository publishes, else the release without a tag (never a tag that may not exist).
 */
export function suggestedWindowsImage(ref: ImageRef, release: string): string {
  const image = publishedImage(ref, release);
  if (image) return image;
  return knowsWindowsTags(ref)
    ? `an image of ${release} (${ref.repository} has none)`
    : `a tag of ${ref.repository} built for ${release}`;
}

/**
 * The global ARG a FROM takes its Windows release from, and the value that makes it
 * `release`: `WIN_VERSION=2022` for `nanoserver:ltsc${WIN_VERSION}`. Tries the forms a
 * tag writes a release in (ltsc2022, 2022, 10.0.20348, the value with its release
 * replaced) and keeps the first one that yields the wanted release.
 */
export function releaseArg(
  ctx: LintContext,
  base: BaseImage,
  release: string,
): { name: string; value: string; current: string | undefined } | undefined {
  if (base.via !== 'FROM') return undefined;
  const target = releaseForOsVersion(release);
  if (!target) return undefined;
  const ps = parsedStage(ctx, base.stage);
  const values = ctx.plan.globalValues;
  const year = target.name.replace(/^ltsc/, '');
  // ltsc2019 is also written 1809 (the only name Nano Server has for it).
  const names = target.name === 'ltsc2019' ? [target.name, '1809'] : [target.name];
  const replaceRelease = (v: string, releaseName: string): string =>
    v.replace(
      /ltsc20\d\d|10\.0\.\d{5}(\.\d+)?|(?<=^|[-_.:])(1809|2019|2022|2025|unknown)(?=$|[-_.])/i,
      (m) => (/^10\./.test(m) ? target.build : /^20\d\d$/.test(m) ? year : releaseName),
    );
  for (const name of new Set(referencedVariables(ps.from, ctx.parsed.escapeChar))) {
    const current = values[name];
    const whole =
      current && current === base.image
        ? publishedImage(splitImage(current), target.name)
        : undefined;
    // The user's own form first: "2019" -> "2022", a whole image -> its published variant.
    const candidates = [
      ...(current ? names.map((n) => replaceRelease(current, n)) : []),
      ...(whole ? [whole] : []),
      ...names,
      year,
      target.build,
    ];
    for (const value of candidates) {
      let resolved: string;
      try {
        resolved = expandVariables(ps.from, { ...values, [name]: value }, ctx.parsed.escapeChar, {
          quotes: true,
        });
      } catch {
        continue;
      }
      const ref = splitImage(resolved);
      const found = windowsReleaseOfTag(ref.tag);
      if (
        value !== current &&
        found &&
        buildNumber(found) === buildNumber(target.build) &&
        // Never advise a value that names a tag the repository does not publish.
        isPublishedOrUnknown(ref, target.name as ReleaseName)
      ) {
        return { name, value, current };
      }
    }
  }
  return undefined;
}

/** `; the release comes from ARG X (now "2019"): set it for this leg, build-args: ...`, or ''. */
function releaseArgHint(ctx: LintContext, base: BaseImage, release: string): string {
  const arg = releaseArg(ctx, base, release);
  if (!arg) return '';
  return `; the release comes from ARG ${arg.name}${arg.current !== undefined ? ` (now "${arg.current}")` : ''}: set it for this leg, ${buildArgAdvice(arg.name, arg.value)}`;
}

function releaseLabel(osVersion: string): string {
  const release = releaseForOsVersion(osVersion);
  return release ? `${release.name} (${release.build})` : osVersion;
}

export function checkBaseImages(ctx: LintContext): void {
  const { plan, options } = ctx;
  // Built by BuildKit on Linux, the leg has no Windows host: no release to run it on.
  const onLinux = isWindowsOnLinux(options);
  const host = onLinux
    ? undefined
    : (options.hostOsVersion ??
      (options.runner ? hostOsVersionForRunner(options.runner) : undefined));
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
        `"${base.image}" is a Linux-only image, but ${where} builds for Windows; use a Windows image here (e.g. ${suggestedWindowsImage({ repository: 'mcr.microsoft.com/windows/nanoserver' }, suggestion)}), or move this step into a Linux-only stage that the Windows target does not reach${base.stage.platformFlag && !onLinux ? ` (on a Windows runner $BUILDPLATFORM is Windows too)${buildOnLinuxAdvice(ctx.parsed, options, 'where $BUILDPLATFORM is Linux')}` : ''}`,
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
    // Release-agnostic by design (HostProcess): any host runs it, nothing to pin.
    if (isReleaseAgnosticWindowsImage(ref)) continue;
    // A digest pins the image; a tag next to it still says which release it is.
    if (ref.digest && !windowsReleaseOfTag(ref.tag)) continue;
    if (!ref.tag || ref.tag.toLowerCase() === 'latest') {
      const empty =
        base.via === 'FROM'
          ? referencedVariables(parsedStage(ctx, base.stage).from, ctx.parsed.escapeChar).filter(
              (n) => !ctx.plan.globalValues[n],
            )
          : [];
      ctx.add(
        'XP001',
        base.line,
        `Windows base image "${base.image}" ${ref.tag ? 'uses :latest' : 'has no tag'}${empty.length ? ` because ${empty.map((n) => `ARG ${n}`).join(', ')} ${empty.length > 1 ? 'are' : 'is'} empty` : ''}; Windows images are per release, pin one: ${suggestedWindowsImage(ref, suggestion)} (or @sha256:<digest>)${empty.length ? `, e.g. with ${buildArgAdvice(empty[0] as string, suggestion)} or a default in the ARG` : ''}`,
      );
      continue;
    }
    const release = windowsReleaseOfTag(ref.tag);
    if (!release) {
      ctx.add(
        'XP002',
        base.line,
        `the tag of Windows base image "${base.image}" names no Windows release, so each host pulls whichever release it matches; pin one in the tag, e.g. ${suggestedWindowsImage(ref, suggestion)}, or a digest${releaseArgHint(ctx, base, releaseByName(suggestion)?.build ?? '')}`,
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
        `"${base.image}" is Windows ${releaseLabel(release)}, which ${options.hostOsVersion || !options.runner ? `a host of build ${host}` : `a ${options.runner} host (${host})`} cannot run with process isolation (hosted runners have no Hyper-V); use a base of a release it runs (${runnable || 'none known'}), or ${runner ? `build this leg on ${runner} (runs-on: ${runner} in xplat.yml, --runner ${runner} for xplat lint)` : 'build it on your own runner of that release (runs-on: its label in xplat.yml, --host-os-version for xplat lint)'}${buildOnLinuxAdvice(ctx.parsed, options)}${legRelease && runsUnderProcessIsolation(host, legRelease) && buildNumber(legRelease) !== buildNumber(release) ? releaseArgHint(ctx, base, legRelease) : ''}`,
      );
    } else if (!host && !onLinux && !releaseForOsVersion(release)?.hostedRunner) {
      ctx.add(
        'XP003',
        base.line,
        `"${base.image}" is Windows ${releaseLabel(release)}, which no GitHub-hosted runner runs with process isolation (windows-2022 is ltsc2022, windows-2025 is ltsc2025); move to an ltsc2022 or ltsc2025 base, or build it on your own runner of that release (runs-on: its label in xplat.yml, --host-os-version for xplat lint)${buildOnLinuxAdvice(ctx.parsed, options)}${legRelease && buildNumber(legRelease) !== buildNumber(release) ? releaseArgHint(ctx, base, legRelease) : ''}`,
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
        `the target's base "${base.image}" is Windows ${releaseLabel(release)}, but this leg is ${formatPlatform(options.platform)}; ${
          releaseArg(ctx, base, legRelease)
            ? `use the ${releaseForOsVersion(legRelease)?.name ?? legRelease} base for this leg so the image's os.version matches${releaseArgHint(ctx, base, legRelease)}`
            : `use the ${releaseForOsVersion(legRelease)?.name ?? legRelease} base for this leg (e.g. ${suggestedWindowsImage(ref, releaseForOsVersion(legRelease)?.name ?? 'ltsc2022')}, selected with a build arg per leg) so the image's os.version matches`
        }`,
      );
    }
  }
}
