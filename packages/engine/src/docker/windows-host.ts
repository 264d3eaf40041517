/**
 * Whether a Windows host can build an image of a given Windows release. A build runs
 * its RUN steps in containers of the base image, so what the host cannot run with
 * process isolation (hosted runners have no Hyper-V) it cannot build either.
 */
import {
  buildNumber,
  releaseForOsVersion,
  releasesRunnableOn,
  runsUnderProcessIsolation,
  WINDOWS_RELEASES,
  XplatError,
} from '@xplat/core';

/** `10.0.20348.2655 (ltsc2022, windows-2022)`: a build the way messages name it. */
export function describeWindowsBuild(osVersion: string): string {
  const release = releaseForOsVersion(osVersion);
  if (!release) return osVersion;
  const runner = release.hostedRunner ? `, ${release.hostedRunner}` : '';
  return `${osVersion} (${release.name}${runner})`;
}

/** The hosted runner label that runs images of this build, if there is one. */
export function runnerForOsVersion(osVersion: string): string | undefined {
  return releaseForOsVersion(osVersion)?.hostedRunner;
}

/**
 * Undefined when `hostOsVersion` can build images of `imageOsVersion`; otherwise the
 * one-line error, naming both builds and what to do instead.
 */
export function windowsReleaseRefusal(
  hostOsVersion: string,
  imageOsVersion: string,
  isolation: 'process' | 'hyperv',
  input: string,
): XplatError | undefined {
  if (isolation === 'hyperv') return undefined;
  if (runsUnderProcessIsolation(hostOsVersion, imageOsVersion)) return undefined;
  const image = describeWindowsBuild(imageOsVersion);
  const host = describeWindowsBuild(hostOsVersion);
  const runner = runnerForOsVersion(imageOsVersion);
  const newer = (buildNumber(imageOsVersion) ?? 0) > (buildNumber(hostOsVersion) ?? 0);
  const fix = runner
    ? `run this leg on ${runner} (runs-on: ${runner})`
    : `GitHub has no hosted runner for it any more; use a self-hosted ${releaseForOsVersion(imageOsVersion)?.name ?? imageOsVersion} runner with process isolation, or isolation: hyperv where Hyper-V exists`;
  const why = newer
    ? 'a host never runs images newer than itself'
    : "process isolation runs only the host's own build, or Windows Server 2022 and later images on a newer host";
  return new XplatError(
    `Windows ${image} cannot be built on this host, Windows ${host}: ${why}; ${fix}`,
    input,
  );
}

/** Release names the host runs, oldest first: `ltsc2022, ltsc2025` on windows-2025. */
export function runnableReleaseNames(hostOsVersion: string): string[] {
  return releasesRunnableOn(hostOsVersion).map((r) => r.name);
}

/** The LTSC release of the host itself, or its build when it is none of the known ones. */
export function hostRelease(hostOsVersion: string): string {
  const build = buildNumber(hostOsVersion);
  const release = WINDOWS_RELEASES.find((r) => buildNumber(r.build) === build);
  return release ? release.name : hostOsVersion;
}
