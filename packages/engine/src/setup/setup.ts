/**
 * setup-crossplatform-builder as a plan: given the host's facts and the request, exactly
 * the docker commands to run (QEMU registration, buildx create/append, bootstrap), the
 * files to write (TLS material), what the post step removes, and what to report.
 *
 * Linux runners get a buildx builder (docker-container driver by default); remote
 * BuildKit nodes (a Windows buildkitd, say) make it a `remote` builder, because buildx
 * refuses to mix drivers in one builder, with a local BuildKit container as its Linux
 * node. Without buildx: the CLI's built-in BuildKit, else the classic builder. Windows
 * runners get the Windows engine's own (classic) builder after the containers mode and
 * every requested release have been checked against the host build.
 *
 * Here: which builder, and QEMU for foreign Linux platforms; setup-windows.ts plans a
 * Windows runner, setup-buildx.ts a buildx builder and its nodes.
 */
import { formatPlatform, ociPlatformString, XplatError, type Platform } from '@xplat/core';
import {
  BUILDER_ENV,
  engineLinuxPlatforms,
  includesPlatform,
  nativePlatforms,
  type BuilderKind,
} from '../platform-image/builders.js';
import { binfmtArchitecture, binfmtInstallStep } from '../docker/binfmt.js';
import type { HostFacts } from '../docker/capabilities.js';
import type { Step } from '../docker/steps.js';
import { planBuildx } from './setup-buildx.js';
import type { SetupRequest } from './setup-inputs.js';
import type { SetupContext, SetupPlan } from './setup-types.js';
import { planWindows } from './setup-windows.js';

export { LOCAL_BUILDKIT_IMAGE } from './setup-buildx.js';
export type { SetupContext, SetupFile, SetupPlan } from './setup-types.js';

export function planSetup(
  facts: HostFacts,
  request: SetupRequest,
  context: SetupContext,
): SetupPlan {
  const notes: string[] = [];
  const hostPlatform = facts.engine.platform;
  const requested = request.platforms.length ? request.platforms : [defaultPlatform(facts)];

  if (facts.engine.os === 'windows') return planWindows(facts, request, requested, notes);

  const remote =
    request.endpoint !== '' || request.append.length > 0 || request.driver === 'remote';
  // Which requested platforms a remote node serves, and which the local engine must.
  const nodePlatforms = request.append.flatMap((n) => n.platforms).map(ociPlatformString);
  // Windows platforms no appended node serves: on a Linux runner, BuildKit in a container
  // builds them (their Windows stages only copy files; nothing runs, so no QEMU either).
  const windowsOnLinux = requested.filter(
    (p) => p.os === 'windows' && !includesPlatform(nodePlatforms, p),
  );
  if (windowsOnLinux.length) checkWindowsOnLinux(facts, request, windowsOnLinux);
  const wantsBuildx =
    request.builder === 'buildx' ||
    (request.builder === 'auto' && !!facts.buildx) ||
    remote ||
    (request.driver !== 'auto' && request.builder === 'auto') ||
    windowsOnLinux.length > 0;
  checkBuilderRequest(facts, request, remote, wantsBuildx);

  const { foreign, install } = planQemu(facts, request, requested, nodePlatforms, notes);
  const steps: Step[] = install.length
    ? [binfmtInstallStep(install.map(ociPlatformString), request.qemuImage)]
    : [];
  if (foreign.length && !install.length)
    notes.push(`QEMU already emulates ${foreign.map(ociPlatformString).join(', ')}`);

  const localPlatforms = [
    ...engineLinuxPlatforms(facts),
    ...install
      .map(ociPlatformString)
      .filter((p) => !includesPlatform(engineLinuxPlatforms(facts), p)),
  ];
  const base = {
    requested: requested.map(formatPlatform),
    hostPlatform,
    hostOsVersion: '',
    runnableReleases: [],
    windowsOnLinux: windowsOnLinux.map(formatPlatform),
    notes,
  };
  if (windowsOnLinux.length)
    notes.push(
      `${base.windowsOnLinux.join(', ')}: built on this Linux runner by BuildKit in a container; nothing of the Windows stages runs (they may only copy files, no RUN), so no QEMU for them`,
    );

  if (!wantsBuildx) {
    const kind: BuilderKind =
      request.builder === 'classic' || !facts.cli.buildkitBuiltIn ? 'classic' : 'buildkit';
    return {
      ...base,
      kind,
      name: '',
      create: false,
      steps,
      cleanup: [],
      files: [],
      platforms: localPlatforms,
      env: { [BUILDER_ENV]: kind },
    };
  }
  return planBuildx(facts, request, context, { ...base, steps, localPlatforms, remote });
}

/**
 * Refuses a builder request this runner cannot meet (buildx needed but missing, a
 * BuildKit the CLI lacks, remote nodes with a builder other than buildx), naming the
 * input that asked for it.
 */
function checkBuilderRequest(
  facts: HostFacts,
  request: SetupRequest,
  remote: boolean,
  wantsBuildx: boolean,
): void {
  if (wantsBuildx && !facts.buildx) {
    const input = remote
      ? request.append.length
        ? 'append'
        : 'endpoint'
      : request.driver !== 'auto'
        ? 'driver'
        : 'builder';
    throw new XplatError(
      `needs docker buildx, which this runner's docker CLI (${facts.cli.version}) does not have; install the buildx plugin or leave driver, endpoint and append empty`,
      input,
    );
  }
  if (!wantsBuildx && request.builder !== 'auto') {
    if (request.builder === 'buildkit' && !facts.cli.buildkitBuiltIn)
      throw new XplatError(
        `docker CLI ${facts.cli.version} has no built-in BuildKit (only 18.09 to 22.x do); use builder: auto`,
        'builder',
      );
  }
  if (remote && request.builder !== 'auto' && request.builder !== 'buildx')
    throw new XplatError(
      `remote nodes are buildx nodes; builder: ${request.builder} cannot use them`,
      'builder',
    );
}

/**
 * QEMU for the requested Linux platforms this runner builds itself and does not run
 * natively: which are foreign, and which of them to register (qemu: auto registers the
 * missing ones, true all, false none and refuses when one is missing).
 */
function planQemu(
  facts: HostFacts,
  request: SetupRequest,
  requested: readonly Platform[],
  nodePlatforms: readonly string[],
  notes: string[],
): { foreign: Platform[]; install: Platform[] } {
  const hostPlatform = facts.engine.platform;
  const local: Platform[] = [];
  for (const p of requested) {
    if (includesPlatform(nodePlatforms, p) || p.os === 'windows') continue;
    // An endpoint is the builder's Linux node: it, not this runner, builds (or emulates) Linux.
    if (p.os === 'linux' && request.endpoint) continue;
    local.push(p);
  }

  // QEMU: platforms the engine does not run natively need a registered handler.
  const foreign = local.filter((p) => !includesPlatform(nativePlatforms(facts), p));
  for (const p of foreign) {
    if (!binfmtArchitecture(ociPlatformString(p)))
      throw new XplatError(
        `${ociPlatformString(p)} cannot be built here: it is not native to this ${hostPlatform} host and QEMU has no emulator for it`,
        'platforms',
      );
  }
  const missing = foreign.filter((p) => !includesPlatform(facts.binfmt.emulated, p));
  const install = request.qemu === 'true' ? foreign : request.qemu === 'auto' ? missing : [];
  if (request.qemu === 'false' && missing.length)
    throw new XplatError(
      `${missing.map(ociPlatformString).join(', ')} needs QEMU emulation on this ${hostPlatform} host and qemu is false; set qemu: auto, or build on a native runner (ubuntu-24.04-arm for linux/arm64)`,
      'qemu',
    );
  if (install.length && !facts.binfmt.available && facts.runnerOs === 'linux')
    notes.push('binfmt_misc is not mounted here; the binfmt container mounts it itself');
  return { foreign, install };
}

/**
 * Windows platforms on a Linux engine: only a buildx builder whose BuildKit has its own
 * image store (docker-container, remote) builds them; the engine's store cannot hold a
 * Windows image ("operating system is not supported"). Refused before anything changes.
 */
function checkWindowsOnLinux(
  facts: HostFacts,
  request: SetupRequest,
  platforms: readonly Platform[],
): void {
  const names = platforms.map(formatPlatform).join(', ');
  if (facts.runnerOs === 'windows')
    throw new XplatError(
      `${formatPlatform(platforms[0]!)} needs the engine in Windows containers mode, but it runs Linux containers; switch it ("DockerCli.exe -SwitchWindowsEngine") or use a runner where it is`,
      'platforms',
    );
  if (!facts.buildx)
    throw new XplatError(
      `${names} on a Linux runner is built by BuildKit in a container (buildx, docker-container driver), and this runner's docker CLI (${facts.cli.version}) has no buildx plugin; install it (apt-get install docker-buildx-plugin), or build on a Windows runner (windows-2022, windows-2025)`,
      'platforms',
    );
  if (request.builder === 'buildkit' || request.builder === 'classic')
    throw new XplatError(
      `${request.builder === 'classic' ? 'the classic builder' : 'the BuildKit built into the docker CLI'} stores images in the engine, which on Linux cannot hold a Windows image (${names}); use builder: auto or buildx`,
      'builder',
    );
  if (request.driver === 'docker')
    throw new XplatError(
      `the docker driver stores images in the engine, which on Linux cannot hold a Windows image (${names}: "operating system is not supported"); use driver: auto or docker-container`,
      'driver',
    );
}

function defaultPlatform(facts: HostFacts): Platform {
  const { os, architecture, osVersion } = facts.engine;
  return {
    os: os === 'windows' ? 'windows' : 'linux',
    architecture,
    ...(architecture === 'arm64' ? { variant: 'v8' } : {}),
    ...(os === 'windows' && osVersion
      ? { osVersion: osVersion.split('.').slice(0, 3).join('.') }
      : {}),
  };
}

/**
 * Checks that every requested platform is among what the builder really reports (buildx
 * after bootstrap, or the engine's list after QEMU registration).
 */
export function checkBuilderPlatforms(
  plan: SetupPlan,
  requested: readonly Platform[],
  actual: readonly string[],
): void {
  for (const p of requested) {
    if (p.os === 'windows' && plan.kind === 'classic') continue; // checked against the host build
    // BuildKit on Linux reports Linux platforms only, and builds these all the same.
    if (plan.windowsOnLinux.includes(formatPlatform(p))) continue;
    if (!includesPlatform(actual, p))
      throw new XplatError(
        `${formatPlatform(p)} cannot be built by ${plan.name ? `builder "${plan.name}"` : 'this engine'}: it builds ${actual.join(', ') || 'nothing'}`,
        'platforms',
      );
  }
}

/**
 * What the builder builds, as the outputs say it: what it reported (BuildKit on Linux
 * reports Linux platforms only), then the Windows platforms it builds on Linux.
 */
export function reportedPlatforms(plan: SetupPlan, actual: readonly string[]): string[] {
  return [...actual, ...plan.windowsOnLinux.filter((p) => !actual.includes(p))];
}
