/**
 * The build args that pick a Windows release. A file may need several set together:
 * kubernetes-csi's Dockerfile.Windows has `ARG ADDON_IMAGE=servercore:1809` and
 * `ARG BASE_IMAGE=nanoserver:1809`, and only both at ltsc2022 make an ltsc2022 image. So
 * every global ARG that feeds a FROM line of the leg's stages and names a release gets the
 * release's value at once; single ARGs are tried after that.
 */
import { WINDOWS_RELEASES, type WindowsRelease } from '@xplat/core';
import { isWindowsImageName, splitImage, type ParsedDockerfile } from '@xplat/dockerfile';

/**
 * Values of a global ARG that make a base image name `release`: the default with its
 * release replaced (ltsc2022 -> ltsc2025, 2019 -> 2022 in `ltsc${WIN_VERSION}`, a build
 * number), or the release's name when the ARG has no default (`nanoserver:${BASE_TAG}`).
 */
export function releaseArgValues(defaultValue: string | null, release: WindowsRelease): string[] {
  // Nano Server and the full Windows image of 2019 are tagged 1809 only; Server Core has
  // 1809 too, so 1809 suits an ARG that names both (csi-driver-smb's OSVERSION).
  if (defaultValue === null || defaultValue === '')
    return release.name === 'ltsc2019'
      ? ['1809', release.name, release.build]
      : [release.name, release.build];
  const out = new Set<string>();
  for (const other of WINDOWS_RELEASES) {
    if (defaultValue.includes(other.name)) out.add(defaultValue.replace(other.name, release.name));
    if (defaultValue.includes(other.build))
      out.add(defaultValue.replace(other.build, release.build));
  }
  const year = (r: WindowsRelease) => r.name.replace(/^ltsc/, '');
  for (const other of WINDOWS_RELEASES)
    if (new RegExp(`(^|[^0-9])${year(other)}([^0-9]|$)`).test(defaultValue))
      out.add(defaultValue.replace(year(other), year(release)));
  if (/(^|[-_.:])1809($|[-_.])/.test(defaultValue))
    out.add(defaultValue.replace('1809', release.name));
  out.delete(defaultValue);
  return [...out];
}

/** Whether a global ARG reaches a FROM line, directly or through another global ARG. */
export function feedsFrom(
  parsed: ParsedDockerfile,
  name: string,
  stages: readonly number[] = parsed.stages.map((s) => s.index),
  seen = new Set<string>(),
): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const uses = new RegExp(`\\$\\{?${name}\\b`);
  if (
    stages.some((i) => {
      const s = parsed.stages[i]!;
      return uses.test(s.from) || uses.test(s.platformFlag ?? '');
    })
  )
    return true;
  return parsed.globalArgs.some(
    (a) =>
      a.defaultValue !== null &&
      uses.test(a.defaultValue) &&
      feedsFrom(parsed, a.name, stages, seen),
  );
}

/** ARG names that say they hold a Windows release: OSVERSION, WINDOWS_VERSION, NANOSERVER_TAG. */
export const RELEASE_ARG_NAME =
  /^(OS_?VERSION|OS_?VER|WIN(DOWS)?_?(OS_?)?(VERSION|VER|RELEASE|TAG|BUILD)|(NANO(SERVER)?|SERVERCORE|LTSC)(_?(VERSION|VER|TAG|RELEASE))?|SERVER_?VERSION)$/i;

/**
 * Whether an ARG without a default picks the Windows release: its name says so, or it is
 * the tag of a Windows base (`mcr.microsoft.com/windows/nanoserver:${TAG}`). Any other
 * ARG without a default (antrea's GO_VERSION in `golang:${GO_VERSION}`, OVS_VERSION) holds
 * something else, and a release number there would only silence lint.
 */
function namesWindowsRelease(parsed: ParsedDockerfile, name: string): boolean {
  if (RELEASE_ARG_NAME.test(name)) return true;
  const uses = new RegExp(`\\$\\{?${name}\\b`);
  return parsed.stages.some((s) => {
    const at = s.from.search(uses);
    if (at < 0) return false;
    const repository = s.from.slice(0, at).replace(/[:@]$/, '');
    return s.from[at - 1] === ':' && isWindowsImageName(splitImage(repository));
  });
}

/**
 * Build-arg sets to try for `release`, best first: every release-naming ARG that feeds a
 * FROM line of `stages` at once (with the release's name, then its build number, for ARGs
 * without a default), then each ARG alone.
 */
export function releaseAssignments(
  parsed: ParsedDockerfile,
  release: WindowsRelease,
  stages?: readonly number[],
): Record<string, string>[] {
  const feeding = parsed.globalArgs.filter((a) => feedsFrom(parsed, a.name, stages));
  const byName: Record<string, string> = {};
  const byBuild: Record<string, string> = {};
  const singles: Record<string, string>[] = [];
  for (const arg of feeding) {
    if (!arg.defaultValue && !namesWindowsRelease(parsed, arg.name)) continue;
    const values = releaseArgValues(arg.defaultValue, release);
    if (!values.length) continue;
    byName[arg.name] = values[0]!;
    byBuild[arg.name] = arg.defaultValue ? values[0]! : release.build;
    for (const v of values) singles.push({ [arg.name]: v });
  }
  const out: Record<string, string>[] = [];
  const seen = new Set<string>();
  for (const a of [byName, byBuild, ...singles]) {
    const key = JSON.stringify(a);
    if (!Object.keys(a).length || seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}
