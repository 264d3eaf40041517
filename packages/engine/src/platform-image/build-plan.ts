/**
 * The docker commands of one platform build, as data: the build itself for the chosen
 * builder, what runs before it (a cache image pull) and the pushes after it. Everything
 * host-specific (Windows isolation, the classic builder's rendered Dockerfile, platform
 * build args) has already been decided when the spec reaches here.
 */
import { ociPlatformString, type Platform } from '@xplat/core';
import type { BuilderKind } from './builders.js';
import type { CachePlan } from './cache.js';
import type { Step } from '../docker/steps.js';

/**
 * What a build takes from the Dockerfile's side, the same fields in the request and in
 * the spec made from it (where the classic builder's file and args are rendered ones).
 */
export interface DockerfileBuild {
  /** The build context (absolute in a request). */
  readonly context: string;
  /** The Dockerfile to build: the user's (absolute), or the rendered one for the classic builder. */
  readonly file: string;
  readonly target?: string;
  /** In a spec, in order: platform args first (when the builder needs them), then the user's. */
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface BuildSpec extends DockerfileBuild {
  readonly kind: BuilderKind;
  /** buildx: `--builder`. */
  readonly buildxBuilder?: string;
  /** The OS of the engine that runs the classic/BuildKit build (`--platform` is Linux-only there). */
  readonly engineOs: string;
  readonly platform: Platform;
  /** Full references (`registry/repo:tag`); the first is the one reported. */
  readonly tags: readonly string[];
  readonly network?: string;
  /** Windows: process or hyperv. */
  readonly isolation?: string;
  readonly cache: CachePlan;
  readonly push: boolean;
  /** The image ID (config digest) is written here. */
  readonly iidFile: string;
  /** buildx: the build's metadata (containerimage.digest, ...) is written here. */
  readonly metadataFile?: string;
  /** The builder's environment (DOCKER_BUILDKIT=0/1). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * buildx: false adds `--provenance=false`, so the pushed digest is the image manifest
   * itself, not an index with an attestation entry (buildx 0.10+ only; older ones add none).
   */
  readonly provenance?: boolean;
  /**
   * buildx: the exporter sets the file times in layers to SOURCE_DATE_EPOCH
   * (`rewrite-timestamp=true`, BuildKit 0.13+; see reproducible.ts for when).
   */
  readonly rewriteTimestamp?: boolean;
}

export interface BuildPlan {
  readonly before: readonly Step[];
  readonly build: Step;
  /** One push per tag (buildkit and classic; buildx pushes during the build). */
  readonly push: readonly Step[];
}

function flagList(flag: string, values: Readonly<Record<string, string>>): string[] {
  return Object.entries(values).flatMap(([k, v]) => [flag, `${k}=${v}`]);
}

export function planBuild(spec: BuildSpec): BuildPlan {
  const tags = [...spec.tags, ...spec.cache.extraTags.filter((t) => !spec.tags.includes(t))];
  const common = [
    '--file',
    spec.file,
    ...(spec.target ? ['--target', spec.target] : []),
    ...flagList('--build-arg', spec.buildArgs),
    ...flagList('--label', spec.labels),
    ...tags.flatMap((t) => ['--tag', t]),
    ...(spec.network ? ['--network', spec.network] : []),
    ...spec.cache.buildFlags,
    '--iidfile',
    spec.iidFile,
  ];
  const platform = ociPlatformString(spec.platform);

  if (spec.kind === 'buildx') {
    // --push and --load are short for these outputs; the long form takes rewrite-timestamp.
    const rewrite = spec.rewriteTimestamp ? ',rewrite-timestamp=true' : '';
    const output = spec.push
      ? // buildx pushes itself (--push is --output type=image,push=true).
        rewrite
        ? ['--output', `type=image,push=true${rewrite}`]
        : ['--push']
      : spec.platform.os === spec.engineOs
        ? // Loaded into the engine, so the smoke test can run it here.
          rewrite
          ? ['--output', `type=docker${rewrite}`]
          : ['--load']
        : // Never --load an image of another OS: a Linux engine's store cannot hold a
          // Windows image (docker/buildx#750). The image exporter without push keeps it in
          // BuildKit's own store and still answers containerimage.digest in the metadata
          // file, so an unpushed leg has a digest; the cacheonly output answers none.
          ['--output', `type=image,push=false${rewrite}`];
    return {
      before: spec.cache.before,
      build: {
        title: `build ${platform} with buildx${spec.buildxBuilder ? ` (${spec.buildxBuilder})` : ''}`,
        args: [
          'buildx',
          'build',
          ...(spec.buildxBuilder ? ['--builder', spec.buildxBuilder] : []),
          '--platform',
          platform,
          '--progress',
          'plain',
          ...common,
          ...(spec.metadataFile ? ['--metadata-file', spec.metadataFile] : []),
          ...(spec.provenance === false ? ['--provenance=false'] : []),
          ...output,
          spec.context,
        ],
        env: spec.env,
        stream: true,
      },
      push: [],
    };
  }

  const windows = spec.engineOs === 'windows';
  const args = [
    'build',
    // The Windows engine builds its own platform only and rejects a Linux one; on Linux
    // --platform picks the base image variant and, under QEMU, the emulated arch.
    ...(windows ? [] : ['--platform', platform]),
    ...(windows && spec.isolation ? ['--isolation', spec.isolation] : []),
    ...(spec.kind === 'buildkit' ? ['--progress', 'plain'] : []),
    ...common,
    spec.context,
  ];
  return {
    before: spec.cache.before,
    build: {
      title: `build ${platform} with ${spec.kind === 'buildkit' ? 'BuildKit' : 'the classic builder'}`,
      args,
      env: spec.env,
      stream: true,
    },
    push: spec.push
      ? tags.map((tag) => ({
          title: `push ${tag}`,
          args: ['push', tag],
          // A cache image that cannot be pushed must not fail a build that succeeded.
          ...(spec.cache.extraTags.includes(tag) && !spec.tags.includes(tag)
            ? { optional: true }
            : {}),
        }))
      : [],
  };
}

/** `<tag>: digest: sha256:... size: 528`, the line `docker push` ends with. */
export function parsePushDigest(output: string): string | undefined {
  const matches = [...output.matchAll(/digest: (sha256:[a-f0-9]{64})/g)];
  return matches.length ? matches[matches.length - 1]![1] : undefined;
}

/** buildx's --metadata-file: the pushed digest and the image's config digest. */
export function parseBuildxMetadata(json: string): { digest?: string; imageId?: string } {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const digest = str(raw['containerimage.digest']);
  const imageId = str(raw['containerimage.config.digest']);
  return { ...(digest ? { digest } : {}), ...(imageId ? { imageId } : {}) };
}
