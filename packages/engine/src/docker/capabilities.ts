/**
 * What the runner really has, probed once: the docker CLI and engine, the engine's OS
 * (and on Windows its build and containers mode), buildx and its builders, the BuildKit
 * client built into older CLIs, and QEMU emulation. Builder selection and every plan
 * take these facts as data, so a Windows host is a HostFacts value in tests.
 */
import { parsePlatform, XplatError } from '@xplat/core';
import { probeBinfmt, type BinfmtFacts } from './binfmt.js';
import { parseBuildxLs, parseBuildxVersion, type BuildxBuilder } from './buildx.js';
import { runDocker, DockerError, lastLine, type DockerOptions } from './docker.js';
import { infoPlan, parseEngineInfo } from './host.js';

export interface CliFacts {
  /** The docker CLI's version, `28.2.2`, `20.10.24+dfsg1`. */
  readonly version: string;
  /**
   * `DOCKER_BUILDKIT=1 docker build` works without buildx: CLIs 18.09 to 22.x carry a
   * BuildKit client of their own; from 23.0 BuildKit needs the buildx plugin.
   */
  readonly buildkitBuiltIn: boolean;
}

export interface EngineFacts {
  readonly version: string;
  /** `linux` or `windows`: the kind of containers the engine runs (its containers mode). */
  readonly os: string;
  /** Normalised as in OCI: amd64, arm64. */
  readonly architecture: string;
  /** `linux/amd64`, `windows/amd64`. */
  readonly platform: string;
  /** Windows: the host build, with its revision when the engine reports it (10.0.20348.2655). */
  readonly osVersion: string;
  /** Windows: the engine's default isolation (process on Server, hyperv on client Windows). */
  readonly isolation: string;
  readonly operatingSystem: string;
}

export interface BuildxFacts {
  readonly version: string;
  readonly builders: readonly BuildxBuilder[];
}

export interface HostFacts {
  /** The OS this process (the runner) runs on: linux, windows, macos. */
  readonly runnerOs: string;
  readonly cli: CliFacts;
  readonly engine: EngineFacts;
  /** Absent when the CLI has no buildx plugin. */
  readonly buildx?: BuildxFacts;
  readonly binfmt: BinfmtFacts;
}

export const versionPlan = (): string[] => ['version', '--format', '{{json .}}'];
export const buildxVersionPlan = (): string[] => ['buildx', 'version'];
export const buildxLsPlan = (): string[] => ['buildx', 'ls'];

/** `20.10.24+dfsg1` -> [20, 10]; unparsable -> [0, 0]. */
export function majorMinor(version: string): [number, number] {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = majorMinor(version);
  return a > major || (a === major && b >= minor);
}

export function hasBuiltInBuildKit(cliVersion: string): boolean {
  return versionAtLeast(cliVersion, 18, 9) && !versionAtLeast(cliVersion, 23, 0);
}

interface RawVersion {
  Client?: { Version?: string };
  Server?: { Version?: string; Os?: string; Arch?: string } | null;
}

/** `docker version --format '{{json .}}'`: client and server versions. */
export function parseDockerVersion(json: string): { client: string; server: string } {
  const raw = JSON.parse(json) as RawVersion;
  return { client: raw.Client?.Version ?? '', server: raw.Server?.Version ?? '' };
}

/** `Microsoft Windows Server Version 21H2 (OS Build 20348.2655)` -> `10.0.20348.2655`. */
export function windowsBuildFromOperatingSystem(text: string): string | undefined {
  const match = /OS Build (\d{5})\.(\d+)/i.exec(text);
  return match ? `10.0.${match[1]}.${match[2]}` : undefined;
}

export function parseEngineFacts(infoJson: string, serverVersion: string): EngineFacts {
  const host = parseEngineInfo(infoJson);
  const raw = JSON.parse(infoJson) as { OperatingSystem?: string };
  const operatingSystem = raw.OperatingSystem ?? '';
  let architecture = host.architecture;
  try {
    architecture = parsePlatform(`linux/${host.architecture}`).architecture;
  } catch {
    // An architecture xplat does not know: keep the engine's word for it.
  }
  const osVersion =
    host.os === 'windows'
      ? (windowsBuildFromOperatingSystem(operatingSystem) ?? host.osVersion)
      : '';
  return {
    version: serverVersion || host.serverVersion,
    os: host.os,
    architecture,
    platform: `${host.os}/${architecture}`,
    osVersion,
    isolation: host.isolation,
    operatingSystem,
  };
}

/** RUNNER_OS (Linux, Windows, macOS) when on a runner, else this process's platform. */
export function runnerOs(env: NodeJS.ProcessEnv = process.env): string {
  const fromRunner = env.RUNNER_OS?.toLowerCase();
  if (fromRunner) return fromRunner;
  return process.platform === 'win32'
    ? 'windows'
    : process.platform === 'darwin'
      ? 'macos'
      : 'linux';
}

export interface ProbeOptions extends DockerOptions {
  readonly runnerOs?: string;
  /** Where binfmt_misc is mounted (tests point it elsewhere). */
  readonly binfmtDir?: string;
}

/** Probes the CLI, engine, buildx and QEMU. Fails in one line when the engine is unreachable. */
export async function probeHost(options: ProbeOptions = {}): Promise<HostFacts> {
  const [version, info, buildxVersion, binfmt] = await Promise.all([
    runDocker(versionPlan(), options),
    runDocker(infoPlan(), options),
    runDocker(buildxVersionPlan(), options),
    probeBinfmt(options.binfmtDir),
  ]);
  if (info.exitCode !== 0 || version.exitCode !== 0) {
    const failed = info.exitCode !== 0 ? info : version;
    throw new XplatError(
      `cannot reach the Docker engine (${lastLine(failed.stderr) || 'no answer'}); is the engine running and DOCKER_HOST right?`,
      'docker',
    );
  }
  let versions: { client: string; server: string };
  try {
    versions = parseDockerVersion(version.stdout);
  } catch {
    throw new DockerError({ ...version, exitCode: 1, stderr: 'docker version printed no JSON' });
  }

  let buildx: BuildxFacts | undefined;
  const buildxVer =
    buildxVersion.exitCode === 0 ? parseBuildxVersion(buildxVersion.stdout) : undefined;
  if (buildxVer) {
    const ls = await runDocker(buildxLsPlan(), options);
    buildx = { version: buildxVer, builders: ls.exitCode === 0 ? parseBuildxLs(ls.stdout) : [] };
  }
  return {
    runnerOs: options.runnerOs ?? runnerOs(options.env ?? process.env),
    cli: { version: versions.client, buildkitBuiltIn: hasBuiltInBuildKit(versions.client) },
    engine: parseEngineFacts(info.stdout, versions.server),
    ...(buildx ? { buildx } : {}),
    binfmt,
  };
}
