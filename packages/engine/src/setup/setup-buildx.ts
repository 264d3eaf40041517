/**
 * The plan for a buildx builder: a docker-container builder, the engine's docker-driver
 * builder (used, never created), or a remote builder (an endpoint, or a local BuildKit
 * container as the Linux node) with appended remote nodes and their TLS material.
 */
import path from 'node:path';
import { ociPlatformString, XplatError } from '@xplat/core';
import { BUILDER_ENV, includesPlatform } from '../platform-image/builders.js';
import { buildsWindowsOnLinux } from '../platform-image/windows-on-linux.js';
import type { BuildxBuilder } from '../docker/buildx.js';
import type { HostFacts } from '../docker/capabilities.js';
import type { Step } from '../docker/steps.js';
import type { RemoteNode, SetupRequest } from './setup-inputs.js';
import type { SetupContext, SetupFile, SetupPlan } from './setup-types.js';

export const LOCAL_BUILDKIT_IMAGE = 'moby/buildkit:buildx-stable-1';

export interface BuildxBase {
  readonly requested: readonly string[];
  readonly hostPlatform: string;
  readonly hostOsVersion: string;
  readonly runnableReleases: readonly string[];
  /** Windows platforms built here by BuildKit on Linux (formatted), without a Windows node. */
  readonly windowsOnLinux: readonly string[];
  readonly notes: string[];
  readonly steps: readonly Step[];
  readonly localPlatforms: readonly string[];
  readonly remote: boolean;
}

/** The plan as planBuildx's steps fill it in: commands, post-step cleanup, TLS files. */
interface BuildxDraft {
  readonly request: SetupRequest;
  readonly rest: Omit<BuildxBase, 'steps' | 'localPlatforms' | 'remote'>;
  readonly steps: Step[];
  readonly cleanup: Step[];
  readonly files: SetupFile[];
}

export function planBuildx(
  facts: HostFacts,
  request: SetupRequest,
  context: SetupContext,
  base: BuildxBase,
): SetupPlan {
  const builders = facts.buildx?.builders ?? [];
  const driver =
    request.driver !== 'auto' ? request.driver : base.remote ? 'remote' : 'docker-container';
  const { steps: qemuSteps, localPlatforms, remote: _remote, ...rest } = base;
  const draft: BuildxDraft = { request, rest, steps: [...qemuSteps], cleanup: [], files: [] };

  if (driver === 'docker')
    return finishBuildx(
      draft,
      dockerDriverBuilder(builders, request),
      false,
      localPlatforms,
      'docker',
    );

  const name = request.name || context.generatedName;
  const existing = builders.find((b) => b.name === name);
  if (existing) refuseExisting(existing, name, driver, draft);
  const tlsOpts = tlsDriverOpts(request, context, name, draft.files);
  let expected: string[];
  if (!existing) {
    expected = planCreate(draft, name, driver, tlsOpts, localPlatforms);
  } else {
    rest.notes.push(
      `reusing buildx builder "${name}" (${existing.driver}); the post step leaves it`,
    );
    expected = existingPlatforms(existing, localPlatforms);
  }

  request.append.forEach((node, i) => {
    draft.steps.push(appendStep(name, node, i, tlsOpts));
    for (const p of node.platforms) {
      if (!includesPlatform(expected, p)) expected.push(ociPlatformString(p));
    }
  });

  return finishBuildx(draft, name, !existing, expected, existing?.driver ?? driver);
}

/**
 * The docker driver is the engine's own BuildKit; buildx has one per docker context and
 * cannot create another, so it is used, never created or removed. Returns its name.
 */
function dockerDriverBuilder(builders: readonly BuildxBuilder[], request: SetupRequest): string {
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
  return existing.name;
}

/** An existing builder of the name is reused only when it is what the request needs. */
function refuseExisting(
  existing: BuildxBuilder,
  name: string,
  driver: string,
  draft: BuildxDraft,
): void {
  if (draft.request.driver !== 'auto' && existing.driver !== driver)
    throw new XplatError(
      `builder "${name}" exists with the ${existing.driver} driver, not ${driver}; choose another name or driver`,
      'name',
    );
  const { windowsOnLinux } = draft.rest;
  if (windowsOnLinux.length && !buildsWindowsOnLinux(existing))
    throw new XplatError(
      `builder "${name}" uses the ${existing.driver} driver, whose image store (the engine's) cannot hold a Windows image (${windowsOnLinux.join(', ')}); choose another name, and a docker-container builder is created`,
      'name',
    );
}

/**
 * The steps that create the builder, and the post step's removal of what they create;
 * returns the platforms the new builder is expected to build.
 */
function planCreate(
  draft: BuildxDraft,
  name: string,
  driver: string,
  tlsOpts: readonly string[],
  localPlatforms: readonly string[],
): string[] {
  const { request, steps, cleanup } = draft;
  let expected = [...localPlatforms];
  if (driver === 'docker-container') {
    steps.push({
      title: `create buildx builder ${name} (docker-container driver)`,
      args: createArgs(
        name,
        'docker-container',
        request.buildkitdFlags ? ['--buildkitd-flags', request.buildkitdFlags] : [],
        request,
      ),
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
        ...createArgs(
          name,
          'remote',
          endpoint.startsWith('tcp://') ? tlsOpts.flatMap((o) => ['--driver-opt', o]) : [],
          request,
        ),
        endpoint,
      ],
    });
  }
  cleanup.unshift({
    title: `remove buildx builder ${name}`,
    args: ['buildx', 'rm', name],
    optional: true,
  });
  return expected;
}

/** `docker buildx create` for a new builder: the driver's own flags, then the user's. */
function createArgs(
  name: string,
  driver: string,
  driverFlags: readonly string[],
  request: SetupRequest,
): string[] {
  return [
    'buildx',
    'create',
    '--name',
    name,
    '--driver',
    driver,
    ...driverFlags,
    ...request.driverOpts.flatMap((o) => ['--driver-opt', o]),
    '--use',
  ];
}

/** The finished plan: the bootstrap, and the cleanup only for a builder this run creates. */
function finishBuildx(
  draft: BuildxDraft,
  builder: string,
  create: boolean,
  platforms: readonly string[],
  builderDriver: string,
): SetupPlan {
  const { rest, request } = draft;
  return {
    ...rest,
    kind: 'buildx',
    name: builder,
    driver: builderDriver,
    create,
    steps: draft.steps,
    bootstrap: {
      title: `bootstrap buildx builder ${builder}`,
      args: ['buildx', 'inspect', '--bootstrap', builder],
      stream: false,
    },
    cleanup: create && request.cleanup ? draft.cleanup : [],
    files: draft.files,
    platforms: [...platforms, ...rest.windowsOnLinux.filter((p) => !platforms.includes(p))],
    env: { [BUILDER_ENV]: 'buildx', BUILDX_BUILDER: builder },
  };
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
