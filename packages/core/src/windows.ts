/**
 * Windows Server LTSC releases and the process-isolation rules between a host build and
 * an image build. Hosted runners have no Hyper-V, so process isolation is all there is:
 * an image runs only where these rules say it does.
 */

export interface WindowsRelease {
  /** The tag-style name users write: `ltsc2022`. */
  readonly name: string;
  /** Major.minor.build, the prefix of every `os.version` of this release. */
  readonly build: string;
  /** The GitHub-hosted runner label whose host is this release, when there is one. */
  readonly hostedRunner: string | undefined;
}

export const WINDOWS_RELEASES: readonly WindowsRelease[] = [
  { name: 'ltsc2019', build: '10.0.17763', hostedRunner: undefined },
  { name: 'ltsc2022', build: '10.0.20348', hostedRunner: 'windows-2022' },
  { name: 'ltsc2025', build: '10.0.26100', hostedRunner: 'windows-2025' },
];

/**
 * The first Windows build with arm64 container images (Windows Server 2025 / Windows 11
 * 24H2): ltsc2019 and ltsc2022 were never released for arm64.
 */
export const WINDOWS_ARM64_FIRST_BUILD = 26100;

/** `10.0.20348` or `10.0.20348.2655`; the revision is optional. */
export const OS_VERSION_PATTERN = /^10\.0\.(\d{5})(?:\.(\d+))?$/;

export function releaseByName(name: string): WindowsRelease | undefined {
  return WINDOWS_RELEASES.find((r) => r.name === name.toLowerCase());
}

/** The LTSC release an `os.version` belongs to, if it is one of the known ones. */
export function releaseForOsVersion(osVersion: string): WindowsRelease | undefined {
  const build = buildNumber(osVersion);
  return WINDOWS_RELEASES.find((r) => buildNumber(r.build) === build);
}

/** The build number (17763, 20348, 26100) of an `os.version`, or undefined when malformed. */
export function buildNumber(osVersion: string): number | undefined {
  const match = OS_VERSION_PATTERN.exec(osVersion);
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether a host of build `hostOsVersion` runs an image of build `imageOsVersion` with
 * process isolation. Same build always does. Since Windows Server 2022 a newer host also
 * runs images of 2022 or later (Microsoft's "version compatibility" for Server 2022+);
 * an ltsc2019 image needs an ltsc2019 host (or Hyper-V, which hosted runners lack), and
 * no host runs an image newer than itself.
 */
export function runsUnderProcessIsolation(hostOsVersion: string, imageOsVersion: string): boolean {
  const host = buildNumber(hostOsVersion);
  const image = buildNumber(imageOsVersion);
  if (host === undefined || image === undefined) return false;
  if (host === image) return true;
  return image >= 20348 && host > image;
}

/** Releases a host of this build runs under process isolation, oldest first. */
export function releasesRunnableOn(hostOsVersion: string): WindowsRelease[] {
  return WINDOWS_RELEASES.filter((r) => runsUnderProcessIsolation(hostOsVersion, r.build));
}
