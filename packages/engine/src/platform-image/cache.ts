/**
 * Build cache per platform: keyed by the platform pair (`linux-arm64`,
 * `windows-amd64-ltsc2022`) so one platform's or Windows release's layers are never
 * offered to another. buildx with a BuildKit container uses the `gha` backend scoped by
 * the pair; builders without it (the docker driver, the BuildKit built into old CLIs,
 * the classic builder on Windows) use a registry image `<image>:buildcache-<pair>`.
 */
import { platformPair, XplatError, type Platform } from '@xplat/core';
import { validateTag } from '@xplat/oci';
import type { BuilderKind } from './builders.js';
import type { Step } from '../docker/steps.js';
import { sanitizeForTag } from './tags.js';

export const CACHE_MODES = ['auto', 'gha', 'registry', 'none'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

export interface CachePlan {
  /** What was chosen: `inline` is a registry cache carried in the image itself. */
  readonly mode: 'gha' | 'registry' | 'inline' | 'none';
  readonly scope: string;
  /** The registry cache image, for registry and inline modes. */
  readonly ref?: string;
  /** Whether this run writes the cache (never on a run that does not push). */
  readonly writes: boolean;
  /** Flags for the build command. */
  readonly buildFlags: readonly string[];
  /** Extra tags for the built image (an inline cache is pushed as a tag of the image). */
  readonly extraTags: readonly string[];
  /** Steps before the build (the classic builder only uses cache images it has locally). */
  readonly before: readonly Step[];
  readonly reason: string;
}

export interface CacheRequest {
  readonly kind: BuilderKind;
  /** buildx only: the builder's driver (docker, docker-container, remote). */
  readonly driver?: string;
  readonly mode: CacheMode;
  /** Prefix that separates caches of different images or Dockerfiles in one repository. */
  readonly scope: string;
  /** `registry/repository` of the image. */
  readonly image: string;
  readonly platform: Platform;
  readonly push: boolean;
  /** To see whether the gha backend is reachable (the runner gives JS actions its URLs). */
  readonly env: NodeJS.ProcessEnv;
}

/** Whether BuildKit's gha cache backend can reach the GitHub cache service from here. */
export function ghaCacheAvailable(env: NodeJS.ProcessEnv): boolean {
  return !!env.ACTIONS_RUNTIME_TOKEN && !!(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL);
}

/** Only BuildKit in its own container (docker-container, remote) exports cache to gha or a registry. */
function exportsCache(kind: BuilderKind, driver?: string): boolean {
  return kind === 'buildx' && driver !== 'docker';
}

export function cacheScope(scope: string, platform: Platform): string {
  const prefix = sanitizeForTag(scope.trim());
  return prefix ? `${prefix}-${platformPair(platform)}` : platformPair(platform);
}

export function planCache(request: CacheRequest): CachePlan {
  const scope = cacheScope(request.scope, request.platform);
  const none = (reason: string): CachePlan => ({
    mode: 'none',
    scope,
    writes: false,
    buildFlags: [],
    extraTags: [],
    before: [],
    reason,
  });
  const { kind, driver, push } = request;
  let mode = request.mode;

  if (mode === 'none') return none('cache: none');
  if (mode === 'gha' && !exportsCache(kind, driver)) {
    throw new XplatError(
      `gha needs buildx with a BuildKit container (docker-container or remote driver); this build uses ${describe(kind, driver)}. Use cache: registry (a cache image per platform) or auto`,
      'cache',
    );
  }
  if (mode === 'auto') {
    if (exportsCache(kind, driver) && ghaCacheAvailable(request.env)) mode = 'gha';
    else if (push) mode = 'registry';
    else return none('auto: no gha cache service here and nothing is pushed, so no cache image');
  }

  if (mode === 'gha') {
    return {
      mode: 'gha',
      scope,
      writes: true,
      buildFlags: [
        '--cache-from',
        `type=gha,scope=${scope}`,
        '--cache-to',
        `type=gha,scope=${scope},mode=max`,
      ],
      extraTags: [],
      before: [],
      reason: `gha, scope ${scope}`,
    };
  }

  const ref = `${request.image}:${validateTag(`buildcache-${scope}`, 'cache-scope')}`;
  const reason = `registry image ${ref}${push ? '' : ' (read only: this run does not push)'}`;
  // Every builder below reads the cache image; they differ in the flags that read and
  // write it, and in whether the image itself is pushed as the cache (inline).
  const image = (
    mode: 'registry' | 'inline',
    readFlags: readonly string[],
    writeFlags: readonly string[],
    pushedAsCache: boolean,
    before: readonly Step[] = [],
  ): CachePlan => ({
    mode,
    scope,
    ref,
    writes: push,
    buildFlags: [...readFlags, ...(push ? writeFlags : [])],
    extraTags: push && pushedAsCache ? [ref] : [],
    before,
    reason,
  });
  if (exportsCache(kind, driver))
    return image(
      'registry',
      ['--cache-from', `type=registry,ref=${ref}`],
      ['--cache-to', `type=registry,ref=${ref},mode=max`],
      false,
    );
  // The docker driver exports only inline cache: the metadata rides in the image config.
  if (kind === 'buildx')
    return image(
      'inline',
      ['--cache-from', `type=registry,ref=${ref}`],
      ['--cache-to', 'type=inline'],
      true,
    );
  if (kind === 'buildkit')
    return image('inline', ['--cache-from', ref], ['--build-arg', 'BUILDKIT_INLINE_CACHE=1'], true);
  // classic: it matches cache against images it has locally, so pull the cache image first.
  return image('registry', ['--cache-from', ref], [], true, [
    { title: `pull cache image ${ref}`, args: ['pull', '--quiet', ref], optional: true },
  ]);
}

function describe(kind: BuilderKind, driver?: string): string {
  if (kind === 'buildx') return `buildx with the ${driver ?? 'docker'} driver`;
  if (kind === 'buildkit') return 'the BuildKit built into the docker CLI';
  return "the engine's classic builder";
}
