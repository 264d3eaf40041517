/**
 * Which builder builds a platform on this host. Three exist on the runners:
 * - buildx: Linux runners (setup-crossplatform-builder creates one), and a remote
 *   BuildKit node (e.g. on a Windows host) appended to a builder;
 * - buildkit: `DOCKER_BUILDKIT=1 docker build` with a CLI that has BuildKit built in but
 *   no buildx (CLIs 18.09 to 22.x);
 * - classic: the engine's own builder. The only one the Windows engine has on hosted
 *   runners, and what a CLI 23+ without buildx falls back to.
 * Automatic, overridable, and every refusal says which input to change and how.
 */
import {
  BUILDER_KINDS,
  formatPlatform,
  ociPlatformString,
  parsePlatform,
  XplatError,
  type BuilderKind,
  type Platform,
} from '@xplat/core';
import { builderPlatforms, type BuildxBuilder } from '../docker/buildx.js';
import type { HostFacts } from '../docker/capabilities.js';
import { LegFailure } from './leg-failure.js';
import {
  buildsWindowsOnLinux,
  dockerDriverForWindows,
  engineBuilderForWindows,
  isWindowsOnLinux,
  noBuildxForWindows,
} from './windows-on-linux.js';

export { BUILDER_KINDS, type BuilderKind };
/**
 * The environment variable setup-crossplatform-builder exports with the builder it chose;
 * build-platform-image (and `xplat build` in the same job) reads it to use the same one.
 */
export const BUILDER_ENV = 'XPLAT_BUILDER';
export type BuilderChoice = 'auto' | BuilderKind;

export interface BuilderSelection {
  readonly kind: BuilderKind;
  /** Why this builder, for the log. */
  readonly reason: string;
  /** buildx: the builder `--builder` names. */
  readonly buildxBuilder?: BuildxBuilder;
  /** What the CLI needs in its environment to use this builder. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * buildx builds a Windows image on a Linux node (no Windows node): nothing of a Windows
   * stage may run, and the image never goes into the engine.
   */
  readonly windowsOnLinux?: boolean;
}

/** Platforms the engine runs without emulation. */
export function nativePlatforms(facts: HostFacts): string[] {
  const { os, architecture } = facts.engine;
  if (os === 'linux' && architecture === 'amd64') return ['linux/amd64', 'linux/386'];
  return [`${os}/${architecture}`];
}

/** The same platform, whatever the spelling (`linux/arm64` = `linux/arm64/v8`). */
export function samePlatform(a: string | Platform, b: string | Platform): boolean {
  const pa = typeof a === 'string' ? tryParse(a) : a;
  const pb = typeof b === 'string' ? tryParse(b) : b;
  if (!pa || !pb) return false;
  return (
    pa.os === pb.os &&
    pa.architecture === pb.architecture &&
    (pa.variant ?? '') === (pb.variant ?? '')
  );
}

function tryParse(text: string): Platform | undefined {
  try {
    return parsePlatform(text.split(':')[0]!);
  } catch {
    return undefined;
  }
}

export function includesPlatform(list: readonly string[], platform: string | Platform): boolean {
  return list.some((p) => samePlatform(p, platform));
}

/** Linux platforms the local engine builds: native ones, plus those QEMU emulates. */
export function engineLinuxPlatforms(facts: HostFacts): string[] {
  if (facts.engine.os !== 'linux') return [];
  const all = [...nativePlatforms(facts)];
  for (const p of facts.binfmt.emulated) if (!includesPlatform(all, p)) all.push(p);
  return all;
}

function needsEmulation(facts: HostFacts, platform: Platform): boolean {
  return platform.os === 'linux' && !includesPlatform(nativePlatforms(facts), platform);
}

/** The buildx builder in use: the one named (BUILDX_BUILDER), else the current one. */
export function currentBuildxBuilder(facts: HostFacts, name?: string): BuildxBuilder | undefined {
  const builders = facts.buildx?.builders ?? [];
  if (name) return builders.find((b) => b.name === name);
  return builders.find((b) => b.current) ?? builders.find((b) => b.name === 'default');
}

const ENV: Record<BuilderKind, Record<string, string>> = {
  buildx: {},
  buildkit: { DOCKER_BUILDKIT: '1' },
  // Set explicitly: an inherited DOCKER_BUILDKIT=1 would send a 20.10 CLI to BuildKit.
  classic: { DOCKER_BUILDKIT: '0' },
};

export interface SelectOptions {
  readonly platform: Platform;
  readonly choice: BuilderChoice;
  /** A buildx builder name (BUILDX_BUILDER, or setup-crossplatform-builder's output). */
  readonly buildxName?: string;
  /** The input the choice came from, for messages. */
  readonly input?: string;
}

function hostDescription(facts: HostFacts): string {
  const e = facts.engine;
  return e.os === 'windows'
    ? `a Windows engine (${e.platform}, ${e.osVersion || 'unknown build'})`
    : `a ${e.platform} engine`;
}

/** What each branch of selectBuilder needs to know: the host, the platform, the buildx builder. */
interface Selecting {
  readonly facts: HostFacts;
  readonly platform: Platform;
  /** The platform, formatted for messages. */
  readonly target: string;
  /** The input the choice came from, for messages. */
  readonly input: string;
  readonly buildxName: string | undefined;
  /** The buildx builder in use, when buildx is installed and one exists. */
  readonly buildx: BuildxBuilder | undefined;
  /** The buildx builder has a node for the platform. */
  readonly buildxCan: boolean;
  /** The engine builds the platform itself (natively or with QEMU). */
  readonly engineCan: boolean;
  /** A Windows platform on a Linux engine with no Windows node. */
  readonly windowsOnLinux: boolean;
}

export function selectBuilder(facts: HostFacts, options: SelectOptions): BuilderSelection {
  const input = options.input ?? 'builder';
  const { platform, choice } = options;
  const buildx = facts.buildx ? currentBuildxBuilder(facts, options.buildxName) : undefined;
  if (options.buildxName && facts.buildx && !buildx) {
    throw new XplatError(
      `buildx builder "${options.buildxName}" does not exist (builders: ${facts.buildx.builders.map((b) => b.name).join(', ') || 'none'}); run setup-crossplatform-builder first or unset BUILDX_BUILDER`,
      input,
    );
  }
  const buildxCan = buildx !== undefined && includesPlatform(builderPlatforms(buildx), platform);
  const selecting: Selecting = {
    facts,
    platform,
    target: formatPlatform(platform),
    input,
    buildxName: options.buildxName,
    buildx,
    buildxCan,
    engineCan:
      platform.os === facts.engine.os &&
      (platform.os === 'windows'
        ? platform.architecture === facts.engine.architecture
        : includesPlatform(engineLinuxPlatforms(facts), platform)),
    // A Windows platform on a Linux engine, no Windows node: BuildKit in a container
    // builds it (see pickWindowsOnLinux).
    windowsOnLinux: isWindowsOnLinux(facts, platform) && !buildxCan,
  };
  switch (choice) {
    case 'buildx':
      return requestedBuildx(selecting);
    case 'buildkit':
      return requestedBuildkit(selecting);
    case 'classic':
      return requestedClassic(selecting);
    default:
      return platform.os === 'windows' ? autoForWindows(selecting) : autoForLinux(selecting);
  }
}

/** The selection of one builder kind, with what its CLI needs in the environment. */
function pick(selecting: Selecting, kind: BuilderKind, reason: string): BuilderSelection {
  return {
    kind,
    reason,
    ...(kind === 'buildx' && selecting.buildx ? { buildxBuilder: selecting.buildx } : {}),
    env: ENV[kind],
  };
}

/**
 * A Windows platform on a Linux engine, no Windows node: BuildKit in a container builds
 * it (its Windows stages only copy files); the builder's nodes list Linux platforms only,
 * which is no reason to refuse it. The docker driver is: the engine's store holds no
 * Windows image.
 */
function pickWindowsOnLinux(
  selecting: Selecting,
  builder: BuildxBuilder,
  why: string,
): BuilderSelection {
  const { facts, platform, target } = selecting;
  if (!buildsWindowsOnLinux(builder)) throw dockerDriverForWindows(facts, platform, builder);
  return {
    ...pick(
      selecting,
      'buildx',
      `${why}; builder "${builder.name}" (${builder.driver} driver) builds ${target} on Linux: its Windows stages only copy files`,
    ),
    windowsOnLinux: true,
  };
}

/** builder: buildx, refused when buildx or its builder is missing or lacks the platform. */
function requestedBuildx(selecting: Selecting): BuilderSelection {
  const { facts, platform, input, buildx } = selecting;
  if (!facts.buildx)
    throw new XplatError(
      `buildx is not installed with this docker CLI (${facts.cli.version}); use builder: auto, or install the buildx plugin`,
      input,
    );
  if (!buildx)
    throw new XplatError('no buildx builder exists; run setup-crossplatform-builder first', input);
  if (selecting.windowsOnLinux) return pickWindowsOnLinux(selecting, buildx, 'requested');
  checkBuildxPlatform(buildx, platform, facts);
  return pick(selecting, 'buildx', `requested; builder "${buildx.name}" (${buildx.driver})`);
}

/** builder: buildkit, the CLI's own BuildKit: Linux images on a Linux engine only. */
function requestedBuildkit(selecting: Selecting): BuilderSelection {
  const { facts, platform, input } = selecting;
  if (facts.engine.os !== 'linux')
    throw new XplatError(
      `BuildKit does not build on ${hostDescription(facts)}; use builder: auto (the engine's classic builder)`,
      input,
    );
  if (platform.os === 'windows') throw engineBuilderForWindows(facts, platform, 'buildkit', input);
  if (!facts.cli.buildkitBuiltIn)
    throw new XplatError(
      `docker CLI ${facts.cli.version} has no built-in BuildKit (only 18.09 to 22.x do; newer ones need buildx); use builder: auto or buildx`,
      input,
    );
  checkEngineLinuxPlatform(facts, platform);
  return pick(selecting, 'buildkit', 'requested');
}

/** builder: classic, the engine's own builder: its own OS only, Windows its own architecture. */
function requestedClassic(selecting: Selecting): BuilderSelection {
  const { facts, platform, target, input } = selecting;
  if (isWindowsOnLinux(facts, platform))
    throw engineBuilderForWindows(facts, platform, 'classic', input);
  if (platform.os !== facts.engine.os)
    throw new XplatError(
      `the classic builder builds only for its engine's OS, and this is ${hostDescription(facts)}; ${target} cannot be built with it`,
      input,
    );
  if (platform.os === 'windows' && platform.architecture !== facts.engine.architecture)
    throw new XplatError(
      `${target} cannot be built on ${hostDescription(facts)}: Windows does not emulate other architectures; build it on a Windows ${platform.architecture} runner`,
      'platform',
    );
  checkEngineLinuxPlatform(facts, platform);
  return pick(selecting, 'classic', 'requested');
}

/**
 * builder: auto for a Windows platform: the Windows engine's own builder, a buildx
 * Windows node, or BuildKit in a container on Linux; never the CLI's own BuildKit nor the
 * classic builder on Linux, as both end in the engine's store.
 */
function autoForWindows(selecting: Selecting): BuilderSelection {
  const { facts, platform, target, input, buildx } = selecting;
  if (facts.engine.os === 'windows') {
    if (platform.architecture !== facts.engine.architecture)
      throw new XplatError(
        `${target} cannot be built on ${hostDescription(facts)}: Windows does not emulate other architectures; build it on a Windows ${platform.architecture} runner`,
        'platform',
      );
    return pick(
      selecting,
      'classic',
      "the Windows engine's own builder (BuildKit does not build Windows containers on hosted runners)",
    );
  }
  if (selecting.buildxCan)
    return pick(selecting, 'buildx', `buildx builder "${buildx!.name}" has a ${target} node`);
  if (!facts.buildx) throw noBuildxForWindows(facts, platform);
  if (!buildx)
    throw new LegFailure(
      `${target} on this ${facts.engine.platform} engine needs a buildx builder with BuildKit in a container, and none exists; run setup-crossplatform-builder with platforms: ${target}`,
      input,
      platform,
      'buildx',
    );
  return pickWindowsOnLinux(
    selecting,
    buildx,
    selecting.buildxName ? `BUILDX_BUILDER=${buildx.name}` : 'the current buildx builder',
  );
}

/**
 * builder: auto for a Linux platform: buildx when installed, else the CLI's own BuildKit,
 * else the classic builder for the engine's own architecture.
 */
function autoForLinux(selecting: Selecting): BuilderSelection {
  const { facts, platform, target, buildx } = selecting;
  if (facts.engine.os === 'windows') {
    if (selecting.buildxCan)
      return pick(selecting, 'buildx', `buildx builder "${buildx!.name}" has a ${target} node`);
    throw new XplatError(
      `${target} cannot be built on ${hostDescription(facts)}: Linux containers need a Linux runner (ubuntu-24.04 for linux/amd64, ubuntu-24.04-arm for linux/arm64)`,
      'platform',
    );
  }
  if (buildx) {
    checkBuildxPlatform(buildx, platform, facts);
    return pick(selecting, 'buildx', `buildx builder "${buildx.name}" (${buildx.driver} driver)`);
  }
  if (facts.cli.buildkitBuiltIn) {
    if (!selecting.engineCan) checkEngineLinuxPlatform(facts, platform);
    return pick(
      selecting,
      'buildkit',
      `docker CLI ${facts.cli.version} has BuildKit built in; no buildx`,
    );
  }
  // The classic builder cannot build another architecture: refuse before building, with
  // what to install, rather than let it fail on "does not match the specified platform".
  if (needsEmulation(facts, platform))
    throw buildKitMissing(
      facts,
      platform,
      `${target} is another architecture than this ${facts.engine.platform} engine`,
      'platform',
    );
  return pick(
    selecting,
    'classic',
    `docker CLI ${facts.cli.version} has neither buildx nor built-in BuildKit; the engine's classic builder`,
  );
}

/**
 * A build that needs BuildKit (another architecture, BuildKit-only syntax) on a docker CLI
 * that has none. Carries the platform so the caller can write the leg's failed result.
 */
export class BuildKitMissingError extends LegFailure {
  constructor(message: string, input: string, platform: Platform) {
    // The classic builder is what this CLI has; the failed leg result records it.
    super(message, input, platform, 'classic');
    this.name = 'BuildKitMissingError';
  }
}

/** What to install for BuildKit here: the buildx plugin, and QEMU when the platform needs it. */
export function buildKitMissing(
  facts: HostFacts,
  platform: Platform,
  why: string,
  input: string,
): BuildKitMissingError {
  const qemu =
    needsEmulation(facts, platform) && !includesPlatform(engineLinuxPlatforms(facts), platform)
      ? `; and register QEMU for it: docker run --privileged --rm tonistiigi/binfmt --install ${platform.architecture}`
      : '';
  return new BuildKitMissingError(
    `${why}: that needs BuildKit, and docker CLI ${facts.cli.version} has none (no buildx plugin; CLIs from 23.0 have no built-in BuildKit); install the buildx plugin (apt-get install docker-buildx-plugin, or docker-buildx from github.com/docker/buildx/releases in ~/.docker/cli-plugins/)${qemu}`,
    input,
    platform,
  );
}

/** Docker's classic builder refusing a base image of another platform than it builds. */
export function isPlatformMismatch(output: string): boolean {
  return /does not match the specified platform/i.test(output);
}

function checkEngineLinuxPlatform(facts: HostFacts, platform: Platform): void {
  if (platform.os !== 'linux' || includesPlatform(engineLinuxPlatforms(facts), platform)) return;
  throw new XplatError(
    `${ociPlatformString(platform)} needs QEMU emulation on this ${facts.engine.platform} host and none is registered; run setup-crossplatform-builder with platforms: ${ociPlatformString(platform)} (it registers QEMU), or build on a native runner`,
    'platform',
  );
}

function checkBuildxPlatform(buildx: BuildxBuilder, platform: Platform, facts: HostFacts): void {
  const platforms = builderPlatforms(buildx);
  // A builder that was never bootstrapped lists nothing yet; it reports what it can on first use.
  if (!platforms.length || includesPlatform(platforms, platform)) return;
  if (platform.os === 'linux' && includesPlatform(engineLinuxPlatforms(facts), platform)) return;
  throw new XplatError(
    `${formatPlatform(platform)} is not among the platforms of buildx builder "${buildx.name}" (${platforms.join(', ')}); run setup-crossplatform-builder with platforms: ${formatPlatform(platform)}`,
    'platform',
  );
}
