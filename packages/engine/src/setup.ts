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
 */
import path from 'node:path';
import { formatPlatform, ociPlatformString, XplatError, type Platform } from '@xplat/core';
import { binfmtArchitecture, binfmtInstallStep } from './binfmt.js';
import {
  BUILDER_ENV,
  engineLinuxPlatforms,
  includesPlatform,
  nativePlatforms,
  type BuilderKind,
} from './builders.js';
import type { BuildxBuilder } from './buildx.js';
import type { HostFacts } from './capabilities.js';
import type { RemoteNode, SetupRequest } from './setup-inputs.js';
import type { Step } from './steps.js';
import { hostRelease, runnableReleaseNames, windowsReleaseRefusal } from './windows-host.js';

export const LOCAL_BUILDKIT_IMAGE = 'moby/buildkit:buildx-stable-1';

export interface SetupFile {
  readonly path: string;
  readonly content: string;
}

export interface SetupPlan {
  readonly kind: BuilderKind;
  /** The buildx builder's name; empty for buildkit and classic (they have none). */
  readonly name: string;
  readonly driver?: string;
  /** Whether this run creates the builder (and so the post step removes it). */
  readonly create: boolean;
  readonly steps: readonly Step[];
  /** buildx: starts the nodes and prints the platforms they really have. */
  readonly bootstrap?: Step;
  /** The post step's commands (only what this run created). */
  readonly cleanup: readonly Step[];
  /** TLS material written before the steps, removed by the post step. */
  readonly files: readonly SetupFile[];
  /** What the builder is expected to build, before it is asked (buildx answers for itself). */
  readonly platforms: readonly string[];
  readonly requested: readonly string[];
  readonly hostPlatform: string;
  readonly hostOsVersion: string;
  /** Windows: the LTSC releases the host runs under process isolation. */
  readonly runnableReleases: readonly string[];
  /** Exported for the later steps: which builder build-platform-image should use. */
  readonly env: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

export interface SetupContext {
  /** Where TLS material goes (RUNNER_TEMP on a runner). */
  readonly tempDir: string;
  /** The builder name used when the request names none. */
  readonly generatedName: string;
}

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
  const wantsBuildx =
    request.builder === 'buildx' ||
    (request.builder === 'auto' && !!facts.buildx) ||
    remote ||
    (request.driver !== 'auto' && request.builder === 'auto');
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

  // Which requested platforms a remote node serves, and which the local engine must.
  const nodePlatforms = request.append.flatMap((n) => n.platforms);
  const local: Platform[] = [];
  for (const p of requested) {
    if (includesPlatform(nodePlatforms.map(ociPlatformString), p)) continue;
    // An endpoint is the builder's Linux node: it, not this runner, builds (or emulates) Linux.
    if (p.os === 'linux' && request.endpoint) continue;
    if (p.os === 'windows') {
      throw new XplatError(
        facts.runnerOs === 'windows'
          ? `${formatPlatform(p)} needs the engine in Windows containers mode, but it runs Linux containers; switch it ("DockerCli.exe -SwitchWindowsEngine") or use a runner where it is`
          : `${formatPlatform(p)} cannot be built on a Linux runner without a Windows node: run this leg on windows-2022/windows-2025, or append a remote Windows BuildKit node (append: tcp://host:port platforms=windows/amd64)`,
        'platforms',
      );
    }
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
    notes,
  };

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

function planWindows(
  facts: HostFacts,
  request: SetupRequest,
  requested: readonly Platform[],
  notes: string[],
): SetupPlan {
  const host = facts.engine.osVersion;
  for (const p of requested) {
    if (p.os === 'linux')
      throw new XplatError(
        `${formatPlatform(p)}: Linux containers requested on a Windows runner; hosted Windows runners run Windows containers only (no Linux VM, no Hyper-V). Build it on ubuntu-24.04 (linux/amd64) or ubuntu-24.04-arm (linux/arm64)`,
        'platforms',
      );
    if (p.architecture !== facts.engine.architecture)
      throw new XplatError(
        `${formatPlatform(p)} cannot be built on this ${facts.engine.platform} host: Windows does not emulate other architectures`,
        'platforms',
      );
    // An engine that does not say its build leaves the check to the build itself.
    if (p.osVersion && host) {
      const refusal = windowsReleaseRefusal(host, p.osVersion, 'process', 'platforms');
      if (refusal) throw refusal;
    }
  }
  if (request.driver === 'docker-container' || request.driver === 'docker')
    throw new XplatError(
      `the ${request.driver} driver runs BuildKit through the engine, and the Windows engine has none; leave driver: auto (the engine's own builder)`,
      'driver',
    );
  if (request.append.length || request.endpoint || request.builder === 'buildx')
    throw new XplatError(
      'a Windows runner builds with its engine; run buildx with remote nodes from a Linux runner',
      request.append.length ? 'append' : request.endpoint ? 'endpoint' : 'builder',
    );
  if (request.builder === 'buildkit')
    throw new XplatError(
      "BuildKit does not build Windows containers on hosted runners; use builder: auto (the engine's classic builder)",
      'builder',
    );
  if (request.qemu === 'true')
    notes.push('qemu: QEMU emulation is for Linux platforms; ignored on Windows');
  const releases = runnableReleaseNames(host);
  const arch = facts.engine.architecture;
  return {
    kind: 'classic',
    name: '',
    create: false,
    steps: [],
    cleanup: [],
    files: [],
    platforms: releases.length
      ? releases.map((r) => `windows/${arch}:${r}`)
      : [`windows/${arch}:${hostRelease(host)}`],
    requested: requested.map(formatPlatform),
    hostPlatform: facts.engine.platform,
    hostOsVersion: host,
    runnableReleases: releases,
    env: { [BUILDER_ENV]: 'classic' },
    notes,
  };
}

interface BuildxBase {
  readonly requested: readonly string[];
  readonly hostPlatform: string;
  readonly hostOsVersion: string;
  readonly runnableReleases: readonly string[];
  readonly notes: string[];
  readonly steps: readonly Step[];
  readonly localPlatforms: readonly string[];
  readonly remote: boolean;
}

function planBuildx(
  facts: HostFacts,
  request: SetupRequest,
  context: SetupContext,
  base: BuildxBase,
): SetupPlan {
  const builders = facts.buildx?.builders ?? [];
  const driver =
    request.driver !== 'auto' ? request.driver : base.remote ? 'remote' : 'docker-container';
  const { steps: qemuSteps, localPlatforms, remote: _remote, ...rest } = base;
  const steps: Step[] = [...qemuSteps];
  const cleanup: Step[] = [];
  const files: SetupFile[] = [];

  if (driver === 'docker') {
    // The docker driver is the engine's own BuildKit; buildx has one per docker context
    // and cannot create another, so it is used, never created or removed.
    const existing = request.name
      ? builders.find((b) => b.name === request.name)
      : builders.find((b) => b.driver === 'docker');
    if (!existing || existing.driver !== 'docker')
      throw new XplatError(
        request.name
          ? `builder "${request.name}" ${existing ? `uses the ${existing.driver} driver` : 'does not exist'}; the docker driver is the builder named after the docker context (default)`
          : 'no docker-driver builder exists in this docker context',
        'name',
      );
    return finish(existing.name, false, localPlatforms, 'docker');
  }

  const name = request.name || context.generatedName;
  const existing = builders.find((b) => b.name === name);
  if (existing && request.driver !== 'auto' && existing.driver !== driver)
    throw new XplatError(
      `builder "${name}" exists with the ${existing.driver} driver, not ${driver}; choose another name or driver`,
      'name',
    );
  const tlsOpts = tlsDriverOpts(request, context, name, files);
  let expected = [...localPlatforms];

  if (!existing) {
    if (driver === 'docker-container') {
      steps.push({
        title: `create buildx builder ${name} (docker-container driver)`,
        args: [
          'buildx',
          'create',
          '--name',
          name,
          '--driver',
          'docker-container',
          ...(request.buildkitdFlags ? ['--buildkitd-flags', request.buildkitdFlags] : []),
          ...request.driverOpts.flatMap((o) => ['--driver-opt', o]),
          '--use',
        ],
      });
    } else {
      // remote: the first node is the endpoint, or a BuildKit container on this engine
      // for the Linux platforms the remote nodes do not serve.
      let endpoint = request.endpoint;
      if (!endpoint) {
        const container = `${name}-buildkitd`;
        steps.push({
          title: `start a local BuildKit container ${container} for the Linux node`,
          args: [
            'run',
            '--detach',
            '--privileged',
            '--name',
            container,
            LOCAL_BUILDKIT_IMAGE,
            ...request.buildkitdFlags.split(/\s+/).filter(Boolean),
          ],
        });
        cleanup.push({
          title: `remove BuildKit container ${container}`,
          args: ['rm', '--force', '--volumes', container],
          optional: true,
        });
        endpoint = `docker-container://${container}`;
      } else {
        expected = [];
      }
      steps.push({
        title: `create buildx builder ${name} (remote driver, ${endpoint})`,
        args: [
          'buildx',
          'create',
          '--name',
          name,
          '--driver',
          'remote',
          ...(endpoint.startsWith('tcp://') ? tlsOpts.flatMap((o) => ['--driver-opt', o]) : []),
          ...request.driverOpts.flatMap((o) => ['--driver-opt', o]),
          '--use',
          endpoint,
        ],
      });
    }
    cleanup.unshift({
      title: `remove buildx builder ${name}`,
      args: ['buildx', 'rm', name],
      optional: true,
    });
  } else {
    rest.notes.push(
      `reusing buildx builder "${name}" (${existing.driver}); the post step leaves it`,
    );
    expected = existingPlatforms(existing, localPlatforms);
  }

  request.append.forEach((node, i) => {
    steps.push(appendStep(name, node, i, tlsOpts));
    for (const p of node.platforms) {
      if (!includesPlatform(expected, p)) expected.push(ociPlatformString(p));
    }
  });

  return finish(name, !existing, expected, existing?.driver ?? driver);

  function finish(
    builder: string,
    create: boolean,
    platforms: readonly string[],
    builderDriver: string,
  ): SetupPlan {
    return {
      ...rest,
      kind: 'buildx',
      name: builder,
      driver: builderDriver,
      create,
      steps,
      bootstrap: {
        title: `bootstrap buildx builder ${builder}`,
        args: ['buildx', 'inspect', '--bootstrap', builder],
        stream: false,
      },
      cleanup: create && request.cleanup ? cleanup : [],
      files,
      platforms,
      env: { [BUILDER_ENV]: 'buildx', BUILDX_BUILDER: builder },
    };
  }
}

function existingPlatforms(builder: BuildxBuilder, local: readonly string[]): string[] {
  const listed = builder.nodes.flatMap((n) => n.platforms);
  return listed.length ? [...new Set(listed)] : [...local];
}

/** TLS files for tcp:// nodes, written under the temp dir; returns the driver options. */
function tlsDriverOpts(
  request: SetupRequest,
  context: SetupContext,
  name: string,
  files: SetupFile[],
): string[] {
  const dir = path.join(context.tempDir, `xplat-buildx-${name}`);
  const opts: string[] = [];
  const add = (key: string, file: string, content: string | undefined): void => {
    if (!content) return;
    const full = path.join(dir, file);
    files.push({ path: full, content });
    opts.push(`${key}=${full}`);
  };
  add('cacert', 'ca.pem', request.tls.caCert);
  add('cert', 'cert.pem', request.tls.cert);
  add('key', 'key.pem', request.tls.key);
  return opts;
}

function appendStep(
  name: string,
  node: RemoteNode,
  index: number,
  tlsOpts: readonly string[],
): Step {
  const nodeName = node.name ?? `${name}-node${index + 1}`;
  const opts = [
    ...(node.endpoint.startsWith('tcp://') ? tlsOpts : []),
    ...(node.servername ? [`servername=${node.servername}`] : []),
  ];
  return {
    title: `append node ${nodeName} (${node.endpoint}, ${node.platforms.map(ociPlatformString).join(', ')})`,
    args: [
      'buildx',
      'create',
      '--name',
      name,
      '--append',
      '--node',
      nodeName,
      '--driver',
      'remote',
      ...opts.flatMap((o) => ['--driver-opt', o]),
      '--platform',
      node.platforms.map(ociPlatformString).join(','),
      node.endpoint,
    ],
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
    if (!includesPlatform(actual, p))
      throw new XplatError(
        `${formatPlatform(p)} cannot be built by ${plan.name ? `builder "${plan.name}"` : 'this engine'}: it builds ${actual.join(', ') || 'nothing'}`,
        'platforms',
      );
  }
}
