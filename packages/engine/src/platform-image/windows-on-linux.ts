/**
 * Windows images built on a Linux engine by BuildKit (`build-on: linux`). The Windows
 * stages of such a Dockerfile only copy files onto a nanoserver/servercore base, so a
 * BuildKit container on ubuntu-24.04 builds every Windows release with no Windows host:
 * nothing of a Windows stage executes ("you can build Windows images from Linux (for
 * dockerfiles without RUN commands)", moby/buildkit#5758).
 *
 * What cannot: an image store of the engine itself. The docker driver, the BuildKit built
 * into CLIs before 23.0 and the classic builder all end in the Linux engine's store, which
 * holds no Windows image ("operating system is not supported"; a windows/amd64 `--load`
 * never shows up, docker/buildx#750). A RUN in a Windows stage, which would need a
 * Windows container, is refused by lint (XP025) before the build.
 */
import { formatPlatform, XplatError, type BuilderKind, type Platform } from '@xplat/core';
import type { BuildxBuilder } from '../docker/buildx.js';
import type { HostFacts } from '../docker/capabilities.js';
import { LegFailure } from './leg-failure.js';

/** buildx drivers whose BuildKit keeps its own image store, so it can export a Windows image. */
export const WINDOWS_ON_LINUX_DRIVERS: readonly string[] = [
  'docker-container',
  'remote',
  'kubernetes',
];

export function buildsWindowsOnLinux(builder: BuildxBuilder): boolean {
  return WINDOWS_ON_LINUX_DRIVERS.includes(builder.driver);
}

/** A Windows platform on a Linux engine: only BuildKit in a container builds it here. */
export function isWindowsOnLinux(facts: HostFacts, platform: Platform): boolean {
  return platform.os === 'windows' && facts.engine.os === 'linux';
}

const INSTALL_BUILDX =
  'install the buildx plugin (apt-get install docker-buildx-plugin, or docker-buildx from github.com/docker/buildx/releases in ~/.docker/cli-plugins/)';

function setupFix(platform: Platform): string {
  return `run setup-crossplatform-builder with platforms: ${formatPlatform(platform)} (it creates a docker-container builder)`;
}

/** No buildx at all: the CLI's own BuildKit and the classic builder end in the engine's store. */
export function noBuildxForWindows(facts: HostFacts, platform: Platform): LegFailure {
  return new LegFailure(
    `${formatPlatform(platform)} on this ${facts.engine.platform} engine is built only by BuildKit in a container (buildx, docker-container driver), and docker CLI ${facts.cli.version} has no buildx plugin (its built-in BuildKit and the classic builder store images in the engine, which cannot hold a Windows image); ${INSTALL_BUILDX}, then ${setupFix(platform)}`,
    'platform',
    platform,
    'buildx',
  );
}

/** A docker-driver builder: the engine's store again. Names a usable builder when there is one. */
export function dockerDriverForWindows(
  facts: HostFacts,
  platform: Platform,
  builder: BuildxBuilder,
): LegFailure {
  const other = facts.buildx?.builders.find(buildsWindowsOnLinux);
  const alternative = other
    ? `, or use builder "${other.name}" (${other.driver} driver) with BUILDX_BUILDER=${other.name}`
    : '';
  return new LegFailure(
    `${formatPlatform(platform)} on this ${facts.engine.platform} engine needs BuildKit in a container, and buildx builder "${builder.name}" uses the docker driver, whose image store (the engine's) cannot hold a Windows image ("operating system is not supported"); ${setupFix(platform)}${alternative}`,
    'builder',
    platform,
    'buildx',
  );
}

/** builder: buildkit or classic asked for a Windows image on Linux. */
export function engineBuilderForWindows(
  facts: HostFacts,
  platform: Platform,
  kind: BuilderKind,
  input: string,
): XplatError {
  const what =
    kind === 'classic' ? 'the classic builder' : 'the BuildKit built into the docker CLI';
  return new XplatError(
    `${what} stores images in this ${facts.engine.platform} engine, which cannot hold a Windows image, so it never builds ${formatPlatform(platform)}; use builder: buildx (or auto) after setup-crossplatform-builder with platforms: ${formatPlatform(platform)}`,
    input,
  );
}

/**
 * The Windows release is part of what a Windows leg is (tags, cache scope, the leg
 * result's file). A Windows engine lends its own; a Linux one has none to lend.
 */
export function windowsReleaseRequired(platform: Platform): XplatError | undefined {
  if (platform.osVersion) return undefined;
  return new XplatError(
    `${formatPlatform(platform)} built on a Linux engine needs its Windows release: write ${formatPlatform(platform)}:ltsc2022 (or ltsc2019, ltsc2025) or set windows-version`,
    'platform',
  );
}
