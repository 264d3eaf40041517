/**
 * Host realities. Linux and Windows engines differ in ways a smoke test must plan for:
 * Windows has no host networking (containers sit behind the engine's NAT, so a port is
 * reached through a published host port), its containers start slower, `docker stop`
 * sends a console shutdown event instead of SIGTERM, and under process isolation an
 * image runs only on a host of a compatible build.
 */
import {
  buildNumber,
  parsePlatform,
  releaseForOsVersion,
  runsUnderProcessIsolation,
  XplatError,
  type OperatingSystem,
} from '@xplat/core';

/**
 * The host a smoke test runs its container on, as far as the plan needs it (not the
 * engine's HostFacts, the full probe that picks a builder).
 */
export interface SmokeHost {
  readonly os: OperatingSystem;
  /** Normalised (amd64, arm64). */
  readonly architecture: string;
  /** Windows: `10.0.<build>[.<rev>]`. */
  readonly osVersion?: string;
  /** Windows: the engine's default isolation, `process` or `hyperv`. */
  readonly isolation?: string;
}

export interface HostDefaults {
  readonly timeoutMs: number;
  readonly stopTimeoutSeconds: number;
  /** How long one probe attempt (one HTTP request, one connect) may take. */
  readonly attemptTimeoutMs: number;
  readonly network: string;
  /** What `docker stop` sends, for the report. */
  readonly stopSignal: string;
}

// Windows containers take seconds, not milliseconds, to start (a VM-like silo, a
// registry hive, services), and servercore apps are slower still to answer first.
const DEFAULTS: Record<OperatingSystem, HostDefaults> = {
  linux: {
    timeoutMs: 60_000,
    stopTimeoutSeconds: 10,
    attemptTimeoutMs: 5_000,
    network: 'host',
    stopSignal: 'SIGTERM',
  },
  windows: {
    timeoutMs: 180_000,
    stopTimeoutSeconds: 30,
    attemptTimeoutMs: 15_000,
    network: 'nat',
    stopSignal: 'CTRL_SHUTDOWN_EVENT',
  },
};

export function hostDefaults(os: OperatingSystem): HostDefaults {
  return DEFAULTS[os];
}

/** Host facts from what the engine reports (`docker info`). */
export function hostFromEngine(info: {
  os: string;
  architecture: string;
  osVersion: string;
  isolation: string;
}): SmokeHost {
  const os = info.os === 'windows' ? 'windows' : info.os === 'linux' ? 'linux' : undefined;
  if (!os)
    throw new Error(
      `the docker engine runs "${info.os || 'unknown'}" containers; xplat smoke-tests linux and windows`,
    );
  let architecture = info.architecture;
  try {
    architecture = parsePlatform(`${os}/${info.architecture}`).architecture;
  } catch {
    // Keep the engine's word; it only feeds messages and the emulation note.
  }
  return {
    os,
    architecture,
    ...(info.osVersion ? { osVersion: info.osVersion } : {}),
    ...(info.isolation ? { isolation: info.isolation.toLowerCase() } : {}),
  };
}

function describeBuild(osVersion: string): string {
  const release = releaseForOsVersion(osVersion);
  return release ? `${osVersion} (${release.name})` : osVersion;
}

/**
 * Why a Windows image cannot run on this host, with the fix, or undefined when it can.
 * Hyper-V isolation runs any image not newer than the host; process isolation (all that
 * hosted runners offer) needs the same build, or a newer host for ltsc2022+ images.
 */
export function windowsSkewProblem(
  hostOsVersion: string,
  imageOsVersion: string,
  isolation: string,
): string | undefined {
  const host = buildNumber(hostOsVersion);
  const image = buildNumber(imageOsVersion);
  if (host === undefined || image === undefined) return undefined;
  const runs =
    isolation === 'hyperv'
      ? image <= host
      : runsUnderProcessIsolation(hostOsVersion, imageOsVersion);
  if (runs) return undefined;
  return buildSkewMessage(hostOsVersion, imageOsVersion, isolation);
}

/** The message for a Windows image/host build mismatch: both builds, and the fix. */
export function buildSkewMessage(
  hostOsVersion: string | undefined,
  imageOsVersion: string | undefined,
  isolation: string,
): string {
  const host = hostOsVersion ? describeBuild(hostOsVersion) : 'unknown';
  const image = imageOsVersion ? describeBuild(imageOsVersion) : 'unknown';
  const hostRelease = hostOsVersion ? releaseForOsVersion(hostOsVersion) : undefined;
  const imageRelease = imageOsVersion ? releaseForOsVersion(imageOsVersion) : undefined;
  const mode = isolation === 'hyperv' ? 'Hyper-V' : 'process';
  const pin = hostRelease
    ? `pin the base image by digest to a ${hostRelease.name} build (FROM mcr.microsoft.com/windows/servercore:${hostRelease.name}@sha256:...)`
    : "pin the base image by digest to a build matching the host's";
  const runner = imageRelease
    ? imageRelease.hostedRunner
      ? `run this leg on a ${imageRelease.hostedRunner} runner`
      : `run this leg on a self-hosted ${imageRelease.name} runner (no hosted runner has that build)`
    : 'run this leg on a runner whose Windows build matches the image';
  return (
    `Windows build skew: the image is build ${image} but this host is build ${host}; ` +
    `under ${mode} isolation the container operating system must match the host's. ` +
    `Fix: ${pin}, or ${runner}`
  );
}

/**
 * The engine's words for a Windows build mismatch: HCS's "container operating system
 * does not match the host operating system" (0xc0370101), the start failure it often
 * surfaces as (0xc0370106), and newer engines' "a Windows version X-based image is
 * incompatible with a Y host".
 */
export function isBuildSkewError(text: string): boolean {
  return /0xc037010[16]|container operating system does not match the host operating system|based image is incompatible with a [\d.]+ host/i.test(
    text,
  );
}

/** The builds named in an engine error, when it names them. */
export function buildsInSkewError(text: string): { image?: string; host?: string } {
  const m = /Windows version ([\d.]+)-based image is incompatible with a ([\d.]+) host/i.exec(text);
  return m ? { image: m[1]!, host: m[2]! } : {};
}

/** Refuses an image the host cannot run at all, before anything is started. */
export function checkPlatformForHost(
  imageOs: OperatingSystem,
  host: SmokeHost,
  input = 'platform',
): void {
  if (imageOs !== host.os) {
    const needs =
      imageOs === 'windows'
        ? 'a Windows runner (e.g. windows-2022)'
        : 'a Linux runner (e.g. ubuntu-24.04)';
    throw new XplatError(
      `${imageOs} images need ${needs}; this docker engine runs ${host.os} containers`,
      input,
    );
  }
}
