/**
 * build-platform-image, the library call behind the action and `xplat build`:
 *
 *   prepareBuild (no docker writes): probe the host, pick the builder, lint the
 *     Dockerfile for the target platform, check Windows releases against the host and
 *     the base images, name the tags and labels, plan the cache and the commands;
 *   executeBuild: run them, push, read the pushed image back from the registry, write
 *     the leg result.
 *
 * prepareBuild with HostFacts of a Windows runner is how the Windows paths are tested.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  formatPlatform,
  parsePlatform,
  silentLogger,
  XplatError,
  type BuiltOn,
  type Logger,
  type Platform,
} from '@xplat/core';
import {
  classicBuilderProblems,
  formatFinding,
  lintDockerfile,
  parseDockerfile,
  planStages,
  platformBuildArgs,
  renderForClassicBuilder,
  type Finding,
  type RenderedDockerfile,
  type StagePlan,
} from '@xplat/dockerfile';
import { formatRepository } from '@xplat/oci';
import { createRegistryClient, type RegistryClient } from '@xplat/registry';
import { checkWindowsBaseImages, type ResolvedBaseImage } from './base-images.js';
import type { BuildRequest } from './build-inputs.js';
import { planBuild, type BuildPlan, type BuildSpec } from './build-plan.js';
import {
  BUILDER_ENV,
  BUILDER_KINDS,
  buildKitMissing,
  selectBuilder,
  type BuilderChoice,
  type BuilderSelection,
} from './builders.js';
import { builtOnOf } from './built-on.js';
import { planCache, type CachePlan } from './cache.js';
import {
  probeHost,
  versionAtLeast,
  type HostFacts,
  type ProbeOptions,
} from '../docker/capabilities.js';
import {
  labelInstruction,
  ociLabels,
  renderTagTemplate,
  sourceFromEnv,
  type SourceContext,
} from './tags.js';
import { hostRelease, windowsReleaseRefusal } from '../docker/windows-host.js';
import { windowsReleaseRequired } from './windows-on-linux.js';
import { planReproducible, type ReproduciblePlan } from './reproducible.js';
import { sourceDateOf, type GitRunner, type SourceDate } from './source-date.js';

export interface BuildOptions extends ProbeOptions {
  readonly logger?: Logger;
  /** Registry client for base images and the read-back; default one from Docker's config.json. */
  readonly client?: RegistryClient;
  /** Facts of the host; probed when absent. Plan tests give a Windows runner's. */
  readonly facts?: HostFacts;
  /**
   * Commit, ref and run (the actions: from @actions/github's context, possibly still
   * loading); default from GITHUB_* in the environment.
   */
  readonly source?: SourceContext | Promise<SourceContext>;
  readonly now?: () => Date;
  /** Where the build's own files go (rendered Dockerfile, iidfile). */
  readonly workDir?: string;
  /** Paths in findings are relative to this (the workspace, for annotations). */
  readonly cwd?: string;
  /** Lint findings, warnings included; default: warnings to the logger. */
  readonly onFinding?: (finding: Finding) => void;
  /** Ask the registry for the Windows release of base images (default true). */
  readonly checkBaseImages?: boolean;
  /** Where image times come from; default: SOURCE_DATE_EPOCH, else the commit (git). */
  readonly sourceDate?: SourceDate;
  /** git, for the commit time and the uncommitted changes (tests give their own). */
  readonly git?: GitRunner;
}

export interface PreparedBuild {
  readonly request: BuildRequest;
  readonly facts: HostFacts;
  readonly selection: BuilderSelection;
  /** The platform built, with its Windows release when it has one. */
  readonly platform: Platform;
  readonly buildPlatform: Platform;
  /** Tag names; the first is the template's. */
  readonly tags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly cache: CachePlan;
  readonly stages: StagePlan;
  readonly findings: readonly Finding[];
  readonly baseImages: readonly ResolvedBaseImage[];
  /** The classic builder's Dockerfile, rendered from the user's. */
  readonly rendered?: RenderedDockerfile;
  readonly workDir: string;
  /** Written before the build: the rendered Dockerfile. */
  readonly files: readonly { path: string; content: string }[];
  readonly spec: BuildSpec;
  readonly plan: BuildPlan;
  readonly source: SourceContext;
  /** Where the build runs, for the leg result (absent for an engine xplat has no name for). */
  readonly builtOn?: BuiltOn;
  /** The image times (SOURCE_DATE_EPOCH) and how far a rebuild gives the same digest. */
  readonly reproducible: ReproduciblePlan;
}

/** The platform to build when none was asked for: the engine's, with the host's release. */
export function defaultBuildPlatform(facts: HostFacts): Platform {
  const host = parsePlatform(facts.engine.platform);
  if (host.os !== 'windows' || !facts.engine.osVersion) return host;
  return parsePlatform(`${facts.engine.platform}:${hostRelease(facts.engine.osVersion)}`);
}

/**
 * The machine that runs the build for `platform` (BuildKit's BUILDPLATFORM): a buildx
 * node that builds that OS natively when the builder has one (a Windows BuildKit node
 * appended to a Linux builder), else this engine. It tells lint whether a Windows leg is
 * built on Linux (`build-on: linux`), where no Windows command can run.
 */
function buildMachine(facts: HostFacts, selection: BuilderSelection, platform: Platform): Platform {
  const engine = parsePlatform(facts.engine.platform);
  if (selection.kind !== 'buildx' || platform.os === engine.os) return engine;
  const native = `${platform.os}/${platform.architecture}`;
  const node = selection.buildxBuilder?.nodes.find((n) => n.platforms.includes(native));
  return node ? { os: platform.os, architecture: platform.architecture } : engine;
}

function withHostRelease(platform: Platform, facts: HostFacts): Platform {
  if (platform.os !== 'windows' || platform.osVersion || facts.engine.os !== 'windows')
    return platform;
  if (!facts.engine.osVersion) return platform;
  return { ...platform, osVersion: facts.engine.osVersion.split('.').slice(0, 3).join('.') };
}

/** Where the image times come from and how far the build is reproducible, said in the log. */
async function planTimes(
  request: BuildRequest,
  selection: BuilderSelection,
  source: SourceContext,
  options: BuildOptions,
  logger: Logger,
): Promise<ReproduciblePlan> {
  const env = options.env ?? (process.env as Record<string, string>);
  const date =
    options.sourceDate ??
    (await sourceDateOf(
      { context: request.context, file: request.file, sha: source.sha, env },
      options.git,
    ));
  const plan = planReproducible(date, selection, request.push);
  if (plan.reproducible) logger.info(`reproducible ${plan.reason}`);
  else logger.warning(`not reproducible: ${plan.reason}`);
  return plan;
}

/**
 * What the steps of prepareBuild share once the host is known and the builder picked:
 * the leg's platform, the machine that builds it, and the Windows facts lint and the
 * base-image check need.
 */
interface BuildContext {
  readonly request: BuildRequest;
  readonly facts: HostFacts;
  readonly platform: Platform;
  readonly buildPlatform: Platform;
  readonly choice: BuilderChoice;
  readonly selection: BuilderSelection;
  /** A Windows leg on a Windows engine: its release and isolation matter. */
  readonly windowsEngine: boolean;
  readonly isolation: 'process' | 'hyperv';
  readonly env: Record<string, string>;
  readonly logger: Logger;
}

export async function prepareBuild(
  request: BuildRequest,
  options: BuildOptions = {},
): Promise<PreparedBuild> {
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? (process.env as Record<string, string>);
  const facts = options.facts ?? (await probeHost(options));
  const platform = withHostRelease(request.platform ?? defaultBuildPlatform(facts), facts);
  const { choice, selection } = chooseBuilder(request, facts, platform, env);
  logger.info(`builder: ${selection.kind}, ${selection.reason}`);
  const context: BuildContext = {
    request,
    facts,
    platform,
    buildPlatform: buildMachine(facts, selection, platform),
    choice,
    selection,
    windowsEngine: platform.os === 'windows' && facts.engine.os === 'windows',
    isolation: request.isolation === 'hyperv' ? 'hyperv' : 'process',
    env,
    logger,
  };
  refuseUnbuildableRelease(context);
  const dockerfile = await checkDockerfile(context, options);
  const baseImages = await checkBaseImages(context, dockerfile, options);
  const naming = await nameImage(context, options);
  const cache = planCache({
    kind: selection.kind,
    ...(selection.buildxBuilder ? { driver: selection.buildxBuilder.driver } : {}),
    mode: request.cache,
    scope: request.cacheScope,
    image: naming.repository,
    platform,
    push: request.push,
    env,
  });
  const workDir =
    options.workDir ??
    path.join(env.RUNNER_TEMP || os.tmpdir(), `xplat-build-${randomBytes(4).toString('hex')}`);
  const input = builderInput(context, dockerfile, naming, workDir);
  const spec = buildSpecOf(context, naming, input, cache, workDir);
  const builtOn = builtOnOf(facts, env);
  return {
    request,
    facts,
    selection,
    platform,
    buildPlatform: context.buildPlatform,
    tags: naming.tags,
    labels: naming.labels,
    cache,
    stages: dockerfile.stages,
    findings: dockerfile.findings,
    baseImages,
    ...(input.rendered ? { rendered: input.rendered } : {}),
    workDir,
    files: input.files,
    spec,
    plan: planBuild(spec),
    source: naming.source,
    ...(builtOn ? { builtOn } : {}),
    reproducible: naming.reproducible,
  };
}

/**
 * The builder for this leg. setup-crossplatform-builder exported its choice; an explicit
 * builder input wins over it, and an error names whichever of the two chose.
 */
function chooseBuilder(
  request: BuildRequest,
  facts: HostFacts,
  platform: Platform,
  env: Record<string, string>,
): { choice: BuilderChoice; selection: BuilderSelection } {
  const fromSetup = env[BUILDER_ENV] as BuilderChoice | undefined;
  const choice: BuilderChoice =
    request.builder !== 'auto'
      ? request.builder
      : fromSetup && (BUILDER_KINDS as readonly string[]).includes(fromSetup)
        ? fromSetup
        : 'auto';
  const selection = selectBuilder(facts, {
    platform,
    choice,
    ...(env.BUILDX_BUILDER ? { buildxName: env.BUILDX_BUILDER } : {}),
    input:
      request.builder !== 'auto' || !fromSetup
        ? 'builder'
        : `builder (${BUILDER_ENV} from setup-crossplatform-builder)`,
  });
  return { choice, selection };
}

/**
 * Refuses a Windows leg that nothing here can build, before the Dockerfile is read: one
 * built on Linux needs its release named, and one on a Windows engine needs a release
 * that engine runs.
 */
function refuseUnbuildableRelease(context: BuildContext): void {
  const { request, facts, platform, selection } = context;
  if (selection.windowsOnLinux) {
    const refusal = windowsReleaseRequired(platform);
    if (refusal) throw refusal;
  }
  if (context.windowsEngine && platform.osVersion && facts.engine.osVersion) {
    const refusal = windowsReleaseRefusal(
      facts.engine.osVersion,
      platform.osVersion,
      context.isolation,
      request.releaseInput ?? 'platform',
    );
    if (refusal) throw refusal;
  }
}

/** The user's Dockerfile, parsed, planned for the leg's platform and linted. */
interface CheckedDockerfile {
  readonly parsed: ReturnType<typeof parseDockerfile>;
  readonly stages: StagePlan;
  readonly stageOptions: Parameters<typeof planStages>[1];
  readonly findings: readonly Finding[];
  /** The file as findings name it: relative to the workspace. */
  readonly displayFile: string;
}

/**
 * Reads, plans and lints the Dockerfile for the leg's platform, so a Dockerfile that
 * cannot build here is refused before any docker command runs.
 */
async function checkDockerfile(
  context: BuildContext,
  options: BuildOptions,
): Promise<CheckedDockerfile> {
  const { request, facts, platform, selection, logger } = context;
  const cwd = options.cwd ?? process.cwd();
  const displayFile = path.relative(cwd, request.file).split(path.sep).join('/') || request.file;
  const text = await readFile(request.file, 'utf8');
  const parsed = parseDockerfile({ file: displayFile, text });
  const stageOptions = {
    platform,
    buildPlatform: context.buildPlatform,
    ...(request.target ? { target: request.target } : {}),
    buildArgs: { ...request.buildArgs },
  };
  // A RUN in a Windows stage of a Windows image built on Linux is lint's XP025.
  const stages = planStages(parsed, stageOptions);

  // Picked the classic builder only because the CLI has no BuildKit: a Dockerfile that
  // needs BuildKit is refused before building, saying what to install (not as a lint error,
  // which would suggest changing the Dockerfile).
  if (selection.kind === 'classic' && context.choice === 'auto' && facts.engine.os === 'linux') {
    const needs = classicBuilderProblems(parsed, stages, stageOptions)[0];
    if (needs)
      throw buildKitMissing(
        facts,
        platform,
        `${needs.file}:${needs.line} uses BuildKit-only syntax (${needs.message})`,
        'file',
      );
  }

  const findings = request.lint
    ? await lintDockerfile(parsed, {
        ...stageOptions,
        contextDir: request.context,
        ...(context.windowsEngine ? { hostOsVersion: facts.engine.osVersion } : {}),
        builder: selection.kind,
        engineVersion: facts.engine.version,
      })
    : [];
  const report = options.onFinding ?? ((f: Finding) => logger.warning(formatFinding(f)));
  for (const f of findings) report(f);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length)
    throw new XplatError(
      `${errors.length} lint error${errors.length > 1 ? 's' : ''} for ${formatPlatform(platform)}, first: ${formatFinding(errors[0]!)}`,
      'file',
    );
  return { parsed, stages, stageOptions, findings, displayFile };
}

/** A Windows leg's base images, asked of the registry: their release must run here. */
async function checkBaseImages(
  context: BuildContext,
  dockerfile: CheckedDockerfile,
  options: BuildOptions,
): Promise<readonly ResolvedBaseImage[]> {
  const { facts, platform, logger } = context;
  if (platform.os !== 'windows' || options.checkBaseImages === false) return [];
  const client = options.client ?? createRegistryClient({ logger });
  return checkWindowsBaseImages(
    dockerfile.stages.baseImages.map((b) => ({ image: b.image, line: b.line })),
    {
      platform,
      ...(context.windowsEngine ? { hostOsVersion: facts.engine.osVersion } : {}),
      isolation: context.isolation,
      file: dockerfile.displayFile,
      client,
      logger,
    },
  );
}

/** What the image is called and carries: its tags, labels, source and image times. */
interface ImageNaming {
  readonly repository: string;
  /** Tag names; the first is the template's. */
  readonly tags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly source: SourceContext;
  readonly reproducible: ReproduciblePlan;
}

/**
 * Names the image from the run's source: the template's tag and the extra ones, the OCI
 * labels (created from the image times when the build is reproducible).
 */
async function nameImage(context: BuildContext, options: BuildOptions): Promise<ImageNaming> {
  const { request, platform, selection, env, logger } = context;
  const source = await (options.source ?? sourceFromEnv(env));
  const templateTag = renderTagTemplate(request.tagTemplate, platform, source);
  const tags = [...new Set([templateTag, ...request.tags])];
  const repository = formatRepository(request.image);
  const reproducible = await planTimes(request, selection, source, options, logger);
  const { epoch } = reproducible;
  const created =
    epoch !== undefined ? new Date(epoch * 1000) : (options.now ?? (() => new Date()))();
  const labels = { ...ociLabels(source, created), ...request.labels };
  return { repository, tags, labels, source, reproducible };
}

/** The Dockerfile, target and build args the chosen builder is given. */
interface BuilderInput {
  readonly file: string;
  readonly target: string | undefined;
  readonly buildArgs: Record<string, string>;
  /** The classic builder's Dockerfile, rendered from the user's. */
  readonly rendered: RenderedDockerfile | undefined;
  /** Written before the build: the rendered Dockerfile. */
  readonly files: readonly { path: string; content: string }[];
}

/**
 * Adapts the user's Dockerfile and build args to what the chosen builder lacks: each
 * builder gets the platform ARGs and image times it would not set itself.
 */
function builderInput(
  context: BuildContext,
  dockerfile: CheckedDockerfile,
  naming: ImageNaming,
  workDir: string,
): BuilderInput {
  const { request, platform, selection } = context;
  const { parsed, stages, stageOptions } = dockerfile;
  const files: { path: string; content: string }[] = [];
  let rendered: RenderedDockerfile | undefined;
  let file = request.file;
  let buildArgs: Record<string, string> = { ...request.buildArgs };
  let target = request.target;
  if (selection.kind === 'classic') {
    // The classic builder sets no platform ARGs and runs every stage before the target:
    // it gets a copy with unreachable stages pruned and the platform ARGs declared.
    rendered = renderForClassicBuilder(parsed, stages, stageOptions);
    file = path.join(workDir, 'Dockerfile');
    const body = rendered.text.endsWith('\n') ? rendered.text : `${rendered.text}\n`;
    files.push({
      path: file,
      content: `${body}${labelInstruction(naming.labels, parsed.escapeChar)}`,
    });
    buildArgs = { ...rendered.buildArgs };
    target = rendered.target;
  } else if (selection.kind === 'buildkit') {
    // The BuildKit inside engines before 23.0 shadows its platform ARGs with an empty
    // value when the Dockerfile declares them globally (`ARG TARGETOS` then
    // `FROM install-${TARGETOS}`); passing them makes both forms work.
    buildArgs = { ...platformBuildArgs(platform, context.buildPlatform), ...request.buildArgs };
  }
  // BuildKit 0.11+ takes the image times from this build arg (a user's own value wins).
  const { epoch } = naming.reproducible;
  if (selection.kind !== 'classic' && epoch !== undefined && !('SOURCE_DATE_EPOCH' in buildArgs))
    buildArgs = { ...buildArgs, SOURCE_DATE_EPOCH: String(epoch) };
  return { file, target, buildArgs, rendered, files };
}

/** The build as plain data, for planBuild to turn into commands. */
function buildSpecOf(
  context: BuildContext,
  naming: ImageNaming,
  input: BuilderInput,
  cache: CachePlan,
  workDir: string,
): BuildSpec {
  const { request, facts, platform, selection } = context;
  const { epoch } = naming.reproducible;
  return {
    kind: selection.kind,
    ...(selection.buildxBuilder ? { buildxBuilder: selection.buildxBuilder.name } : {}),
    engineOs: facts.engine.os,
    platform,
    context: request.context,
    file: input.file,
    ...(input.target ? { target: input.target } : {}),
    buildArgs: input.buildArgs,
    // The classic builder gets them in the rendered file, as one step (see labelInstruction).
    labels: selection.kind === 'classic' ? {} : naming.labels,
    tags: naming.tags.map((t) => `${naming.repository}:${t}`),
    ...(request.network ? { network: request.network } : {}),
    ...(context.windowsEngine ? { isolation: context.isolation } : {}),
    cache,
    push: request.push,
    iidFile: path.join(workDir, 'iid'),
    ...(selection.kind === 'buildx' ? { metadataFile: path.join(workDir, 'metadata.json') } : {}),
    env: selection.env,
    // The leg's digest is what the Windows smoke job pulls: the image manifest itself.
    // buildx 0.10+ otherwise wraps it in an index whose entry has no os.version, which
    // containerd on Windows did not match (containerd/containerd#8070; SIG Windows builds
    // with --provenance=false, kubernetes-sigs/sig-windows-tools#287).
    // A reproducible leg too: BuildKit's provenance records when the build ran, so its
    // attestation manifest, and the index holding it, is new on every build ("there is no
    // such thing as reproducible provenance", moby/buildkit#3421). The fused index is
    // attested instead (attest-build-provenance in the fuse job).
    ...((selection.windowsOnLinux || epoch !== undefined) &&
    versionAtLeast(facts.buildx?.version ?? '', 0, 10)
      ? { provenance: false }
      : {}),
    ...(naming.reproducible.rewriteTimestamp ? { rewriteTimestamp: true } : {}),
  };
}
