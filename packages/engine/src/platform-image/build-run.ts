/**
 * Runs a prepared build: the commands, then the push, then the read-back from the
 * registry that the leg result's digest comes from, then the leg result itself.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  echo,
  formatPlatform,
  LEG_RESULT_SCHEMA,
  platformPair,
  silentLogger,
  writeLegResult,
  XplatError,
  type BuiltOn,
  type LegResult,
  type Logger,
} from '@xplat/core';
import { formatRepository } from '@xplat/oci';
import { createRegistryClient } from '@xplat/registry';
import { prepareBuild, type BuildOptions, type PreparedBuild } from './build-image.js';
import type { BuildRequest } from './build-inputs.js';
import { parseBuildxMetadata, parsePushDigest } from './build-plan.js';
import { buildKitMissing, isPlatformMismatch, type BuilderKind } from './builders.js';
import { builtOnOf } from './built-on.js';
import { probeHost } from '../docker/capabilities.js';
import { runDocker, type DockerOptions } from '../docker/docker.js';
import { LegFailure } from './leg-failure.js';
import { PushedImageMismatch, readBackPushed, type PushedImage } from './readback.js';
import { settleImageTimes } from './settle-times.js';
import { epochTime } from './source-date.js';
import { runRequiredStep, StepError } from '../docker/steps.js';

export interface BuildOutcome {
  /** The pushed digest (manifest, or index when buildx added attestations); else the image ID. */
  readonly digest: string;
  readonly imageId: string;
  /** `repo@digest` when pushed; the first tag's reference when not. */
  readonly ref: string;
  /** The template's tag, as a full reference. */
  readonly tag: string;
  readonly tags: readonly string[];
  readonly platform: string;
  /** Windows: the image's os.version, from its config. */
  readonly osVersion: string;
  readonly builder: BuilderKind;
  readonly pushed: boolean;
  /** Compressed size when pushed, the engine's image size otherwise. */
  readonly size: number;
  readonly buildMs: number;
  readonly pushMs?: number;
  readonly resultFile: string;
  readonly result: LegResult;
  readonly prepared: PreparedBuild;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Local image facts the registry cannot give for an image that was not pushed. */
async function localImage(
  id: string,
  docker: DockerOptions,
): Promise<{ size: number; osVersion: string }> {
  const out = await runDocker(
    ['image', 'inspect', '--format', '{{.Size}} {{.OsVersion}}', id],
    docker,
  );
  if (out.exitCode !== 0) return { size: 0, osVersion: '' };
  const [size, osVersion] = out.stdout.trim().split(' ');
  return { size: Number(size) || 0, osVersion: osVersion ?? '' };
}

export async function executeBuild(
  prepared: PreparedBuild,
  options: BuildOptions = {},
): Promise<BuildOutcome> {
  const logger = options.logger ?? silentLogger;
  const docker: DockerOptions = { ...options, logger };
  const { request } = prepared;
  const startedAt = (options.now ?? (() => new Date()))();

  await mkdir(prepared.workDir, { recursive: true });
  try {
    const buildMs = await runBuild(prepared, docker, logger);
    const built = await builderOutput(prepared);
    const pushed = await pushTags(prepared, docker, logger);
    // A push step's digest replaces the builder's, even when that step printed none.
    const builderDigest = pushed.ms !== undefined ? pushed.digest : built.builderDigest;
    const image = await locateImage(prepared, built.imageId, builderDigest, options, docker);

    const repository = formatRepository(request.image);
    const tagRefs = prepared.tags.map((t) => `${repository}:${t}`);
    const finishedAt = (options.now ?? (() => new Date()))();
    const result = legResultOf(prepared, image, {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      buildMs,
      ...(pushed.ms !== undefined ? { pushMs: pushed.ms } : {}),
    });
    const resultFile = path.join(request.resultDir, `${platformPair(prepared.platform)}.json`);
    await writeLegResult(resultFile, result);

    return {
      digest: image.digest,
      imageId: image.imageId,
      ref: request.push ? `${repository}@${image.digest}` : tagRefs[0]!,
      tag: tagRefs[0]!,
      tags: tagRefs,
      platform: formatPlatform(prepared.platform),
      osVersion: image.osVersion,
      builder: prepared.selection.kind,
      pushed: request.push,
      size: image.size,
      buildMs,
      ...(pushed.ms !== undefined ? { pushMs: pushed.ms } : {}),
      resultFile,
      result,
      prepared,
    };
  } finally {
    await rm(prepared.workDir, { recursive: true, force: true });
  }
}

/**
 * Writes the build's own files and runs the commands up to the build itself; returns how
 * long the build took. A classic builder that meets a base image of another platform is
 * refused as BuildKit missing, since that is what the user can fix.
 */
async function runBuild(
  prepared: PreparedBuild,
  docker: DockerOptions,
  logger: Logger,
): Promise<number> {
  const { plan } = prepared;
  for (const file of prepared.files) await writeFile(file.path, file.content, 'utf8');
  for (const step of plan.before) await runRequiredStep(step, docker);

  const buildStart = Date.now();
  await logger.group(plan.build.title, async () => {
    try {
      await runRequiredStep(plan.build, docker);
    } catch (error) {
      // The classic builder met a base image of another platform: BuildKit was needed.
      if (
        error instanceof StepError &&
        prepared.selection.kind === 'classic' &&
        isPlatformMismatch(error.output)
      )
        throw buildKitMissing(
          prepared.facts,
          prepared.platform,
          `the classic builder cannot build ${formatPlatform(prepared.platform)} ("does not match the specified platform")`,
          'platform',
        );
      throw error;
    }
  });
  return Date.now() - buildStart;
}

/** What the builder wrote about the image: the iidfile, and buildx's metadata file. */
async function builderOutput(
  prepared: PreparedBuild,
): Promise<{ imageId: string; builderDigest: string | undefined }> {
  const { spec } = prepared;
  let imageId = (await readOptional(spec.iidFile)) ?? '';
  let builderDigest: string | undefined;
  if (spec.metadataFile) {
    const meta = await readOptional(spec.metadataFile);
    if (meta) {
      const parsed = parseBuildxMetadata(meta);
      builderDigest = parsed.digest;
      imageId ||= parsed.imageId ?? '';
    }
  }
  return { imageId, builderDigest };
}

/**
 * The plan's push commands (the builders that do not push while building); the first
 * push's digest, when there is a push, is the one the read-back must find.
 */
async function pushTags(
  prepared: PreparedBuild,
  docker: DockerOptions,
  logger: Logger,
): Promise<{ ms: number | undefined; digest: string | undefined }> {
  const { plan } = prepared;
  if (!plan.push.length) return { ms: undefined, digest: undefined };
  const pushStart = Date.now();
  let first: string | undefined;
  for (const step of plan.push) {
    const out = await runRequiredStep(step, docker);
    const digest = parsePushDigest(out.stdout);
    if (step === plan.push[0]) first = digest;
    if (out.exitCode === 0) logger.info(`pushed ${step.args[1]}${digest ? ` (${digest})` : ''}`);
  }
  return { ms: Date.now() - pushStart, digest: first };
}

/** The built image as the leg result records it. */
interface LocatedImage {
  readonly digest: string;
  readonly imageId: string;
  readonly size: number;
  readonly osVersion: string;
  /** The plan's, or not reproducible when the read-back found why. */
  readonly reproducible: PreparedBuild['reproducible'];
}

/**
 * Where the leg's image is and its digest: in the registry when pushed, in BuildKit's
 * own store for a buildx image of another OS, else in the engine.
 */
async function locateImage(
  prepared: PreparedBuild,
  imageId: string,
  builderDigest: string | undefined,
  options: BuildOptions,
  docker: DockerOptions,
): Promise<LocatedImage> {
  const { spec, request } = prepared;
  const logger = docker.logger!;
  const reproducible = prepared.reproducible;
  if (request.push) {
    const pushed = await readBackLeg(prepared, builderDigest, options, logger);
    if (pushed.problem) logger.warning(`not reproducible: ${pushed.problem}`);
    return {
      digest: pushed.digest,
      size: pushed.size,
      osVersion: pushed.osVersion,
      // buildx does not always write an image ID for a pushed image; the config digest is it.
      imageId: pushed.rewritten ? pushed.configDigest : imageId || pushed.configDigest,
      reproducible: pushed.problem
        ? { ...reproducible, reproducible: false, reason: pushed.problem }
        : reproducible,
    };
  }
  if (spec.kind === 'buildx' && spec.platform.os !== spec.engineOs) {
    // Kept in BuildKit's own store (--output type=image,push=false): the digest buildx
    // reports is the leg's. Its config is in no registry and no engine, so os.version
    // stays unknown until a run pushes it.
    if (!builderDigest)
      throw new XplatError(
        `buildx reported no containerimage.digest for this ${prepared.platform.os} image, which cannot be loaded into this ${prepared.facts.engine.os} engine; set push: true`,
        'push',
      );
    return { digest: builderDigest, imageId, size: 0, osVersion: '', reproducible };
  }
  if (!/^sha256:[a-f0-9]{64}$/.test(imageId))
    throw new XplatError(
      `the build left no image in the engine (a ${prepared.platform.os} image cannot be loaded into this ${prepared.facts.engine.os} engine); set push: true`,
      'push',
    );
  const local = await localImage(imageId, docker);
  return { digest: imageId, imageId, size: local.size, osVersion: local.osVersion, reproducible };
}

/** The leg result of a built image: smoke still pending. */
function legResultOf(
  prepared: PreparedBuild,
  image: LocatedImage,
  timings: LegResult['timings'],
): LegResult {
  const { request } = prepared;
  const { reproducible } = image;
  const source = sourceOf(prepared);
  return {
    schema: LEG_RESULT_SCHEMA,
    platform: formatPlatform(prepared.platform),
    ...(image.osVersion ? { osVersion: image.osVersion } : {}),
    image: formatRepository(request.image),
    digest: image.digest,
    pushed: request.push,
    tags: [...prepared.tags],
    builder: prepared.selection.kind,
    ...(prepared.builtOn ? { builtOn: prepared.builtOn } : {}),
    timings,
    smoke: { status: 'pending', checks: [] },
    reproducible: reproducible.reproducible,
    reproducibleReason: echo(reproducible.reason, 480),
    ...(source ? { source } : {}),
  };
}

/**
 * The pushed image as the registry holds it (readback.ts), with its times then set from
 * the commit (settle-times.ts) when the build is reproducible: the digest the smoke test
 * pulls and the gate fuses.
 */
async function readBackLeg(
  prepared: PreparedBuild,
  builderDigest: string | undefined,
  options: BuildOptions,
  logger: Logger,
): Promise<{
  digest: string;
  size: number;
  osVersion: string;
  configDigest: string;
  rewritten: boolean;
  problem?: string;
}> {
  const { request } = prepared;
  const client = options.client ?? createRegistryClient({ logger });
  let pushed: PushedImage;
  try {
    pushed = await readBackPushed(client, request.image, prepared.tags[0]!, prepared.platform);
  } catch (error) {
    // Pushed, but not what the leg asked for: a failed leg, so the gate says why.
    if (error instanceof PushedImageMismatch)
      throw new LegFailure(
        error.reason,
        error.input!,
        prepared.platform,
        prepared.selection.kind,
        error.digest,
      );
    throw error;
  }
  if (builderDigest && builderDigest !== pushed.digest)
    throw new XplatError(
      `${formatRepository(request.image)}:${prepared.tags[0]} points at ${pushed.digest}, but the build pushed ${builderDigest}: another job moved the tag; use a tag-template unique to this build`,
      'tag-template',
    );
  const osVersion = pushed.config['os.version'] ?? '';
  const { epoch } = prepared.reproducible;
  if (epoch === undefined) return { ...pushed, osVersion, rewritten: false };
  const settled = await settleImageTimes(client, request.image, pushed, prepared.tags, epoch);
  return { ...settled, osVersion };
}

function sourceOf(prepared: PreparedBuild): LegResult['source'] | undefined {
  const s = prepared.source;
  const { epoch } = prepared.reproducible;
  const source = {
    ...(s.sha ? { sha: s.sha } : {}),
    ...(s.ref ? { ref: s.ref } : {}),
    ...(s.runId ? { runId: s.runId } : {}),
    ...(s.runAttempt ? { runAttempt: s.runAttempt } : {}),
    ...(s.job ? { job: s.job } : {}),
    ...(epoch !== undefined ? { time: epochTime(epoch) } : {}),
  };
  return Object.keys(source).length ? source : undefined;
}

/**
 * Prepare and execute: the whole build-platform-image step. A leg that cannot give a
 * usable image for a reason the user can fix (a builder this runner lacks, a pushed image
 * that is not what the leg asked for) still leaves a failed leg result, so the gate says
 * why the leg is not there.
 */
export async function buildPlatformImage(
  request: BuildRequest,
  options: BuildOptions = {},
): Promise<BuildOutcome> {
  const startedAt = (options.now ?? (() => new Date()))();
  // Probed once, here: a refusal before building still records where it happened.
  const facts = options.facts ?? (await probeHost(options));
  try {
    const prepared = await prepareBuild(request, { ...options, facts });
    return await executeBuild(prepared, options);
  } catch (error) {
    if (error instanceof LegFailure) {
      const builtOn = builtOnOf(facts, options.env ?? process.env);
      await writeFailedLegResult(request, error, startedAt, {
        ...options,
        ...(builtOn ? { builtOn } : {}),
      });
    }
    throw error;
  }
}

/**
 * The leg result of a build that gave no usable image: failed, with the reason. When an
 * image was pushed before the problem was found, its digest is kept (for whoever looks
 * into it); the gate refuses any leg with a failure.
 */
export async function writeFailedLegResult(
  request: BuildRequest,
  failure: LegFailure,
  startedAt: Date,
  options: Pick<BuildOptions, 'now'> & { readonly builtOn?: BuiltOn } = {},
): Promise<string> {
  const finishedAt = (options.now ?? (() => new Date()))();
  const result: LegResult = {
    schema: LEG_RESULT_SCHEMA,
    platform: formatPlatform(failure.platform),
    image: formatRepository(request.image),
    digest: failure.pushedDigest ?? '',
    pushed: failure.pushedDigest !== undefined,
    tags: [],
    builder: failure.builder,
    ...(options.builtOn ? { builtOn: options.builtOn } : {}),
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      buildMs: 0,
    },
    smoke: { status: 'skipped', checks: [] },
    failure: { step: 'build', reason: failure.reason },
  };
  const file = path.join(request.resultDir, `${platformPair(failure.platform)}.json`);
  await writeLegResult(file, result);
  return file;
}
