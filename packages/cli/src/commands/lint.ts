import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BUILDER_KINDS,
  errorMessage,
  formatPlatform,
  releaseForOsVersion,
  parsePlatform,
  parsePlatformList,
  XplatError,
  type Platform,
} from '@xplat/core';
import {
  formatFinding,
  hostOsVersionForRunner,
  lintDockerfile,
  parseDockerfile,
  type Finding,
  type LintOptions,
} from '@xplat/dockerfile';
import type { ResolvedImage, ResolvedLeg } from '@xplat/workflow';
import type { CliIO, Command, CommandContext } from '../command.js';
import {
  asUsage,
  bool,
  flagHelp,
  list,
  nameFlag,
  text,
  toUsage,
  UsageError,
  type FlagTable,
  type ParsedFlags,
} from '../flags.js';
import { pickLeg, projectImage, type Project } from '../project.js';
import { imageFlag, jsonFlag, projectFlags, shown } from './common.js';

/** lint's flags; those that are build-platform-image inputs name them. */
export const lintFlags: FlagTable = [
  {
    flag: 'file',
    input: 'file',
    short: 'f',
    kind: 'string',
    value: 'F',
    help: 'the Dockerfile (default: Dockerfile in --context)',
    fromConfig: 'dockerfile, per platform',
  },
  {
    flag: 'context',
    input: 'context',
    kind: 'string',
    value: 'DIR',
    help: 'build context, read for script and .gitattributes checks (default .)',
    fromConfig: 'context, per platform',
  },
  {
    flag: 'platform',
    input: 'platform',
    kind: 'list',
    value: 'P',
    help: 'linux/amd64, windows/amd64:ltsc2022 (repeat or comma-separate; default linux/amd64)',
    fromConfig: 'every platform',
  },
  {
    flag: 'target',
    input: 'target',
    kind: 'string',
    value: 'T',
    help: 'the stage to build (default: the last one)',
    fromConfig: 'target, per platform',
  },
  {
    flag: 'build-arg',
    input: 'build-args',
    kind: 'list',
    value: 'K=V',
    help: 'build argument (repeat; K alone takes it from the environment)',
    fromConfig: 'build-args, per platform',
  },
  {
    flag: 'runner',
    kind: 'string',
    value: 'R',
    help: 'GitHub runner label (windows-2022, ubuntu-24.04): the build platform and Windows host build',
    fromConfig: 'the runner of each platform',
  },
  {
    flag: 'host-os-version',
    kind: 'string',
    value: 'V',
    help: 'Windows host build, e.g. 10.0.20348.2849 (overrides --runner)',
  },
  {
    flag: 'build-platform',
    kind: 'string',
    value: 'P',
    help: 'the platform the build runs on (default: native, as xplat builds)',
  },
  {
    flag: 'builder',
    input: 'builder',
    kind: 'string',
    value: 'B',
    help: 'buildx, buildkit or classic (default: classic for Windows)',
  },
  {
    flag: 'engine-version',
    kind: 'string',
    value: 'V',
    help: 'Docker Engine version, for flags older engines reject',
  },
  ...projectFlags,
  imageFlag(),
  jsonFlag('print the findings as JSON (also when the file cannot be used: {"error": ...})'),
];

const usage = `usage: xplat lint [options]

Lint a Dockerfile for each platform it is built for (the same check build-platform-image
runs first): only the stages that platform's target reaches, each for its own OS. With
xplat.yml and no --platform, every configured platform is linted with its own
Dockerfile, target and build args: of every image of xplat.yml (each line then names its
image), or of the one --image names. With several images, --platform lints each image
that builds for that OS.

exit codes: 0 no findings or warnings only, 1 errors found, 2 the Dockerfile or the
arguments could not be used (a missing or unparsable file, a bad flag).

${flagHelp(lintFlags)}`;

/** KEY=VALUE pairs; a bare KEY takes its value from the environment, as docker build does. */
export function parseBuildArgs(
  items: readonly string[],
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = (eq >= 0 ? item.slice(0, eq) : item).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new XplatError(`"${item}" is not KEY=VALUE (e.g. VERSION=1.2.3)`, 'build-arg');
    }
    const value = eq >= 0 ? item.slice(eq + 1) : env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The OS of a GitHub runner label, when the label says. */
function runnerOs(runner: string): Platform['os'] | undefined {
  if (/^windows/i.test(runner)) return 'windows';
  if (/^(ubuntu|linux)/i.test(runner)) return 'linux';
  return undefined;
}

/**
 * The platform a build for `platform` runs on: the runner's when the runner is of the
 * same OS, else native (xplat builds every platform on a runner of its own OS).
 */
function buildPlatformFor(platform: Platform, runner: string, explicit: string): Platform {
  if (explicit) return parsePlatform(explicit, 'build-platform');
  // A Windows image built on a Linux runner (build-on: linux): BuildKit on that runner.
  if (runner && platform.os === 'windows' && runnerOs(runner) === 'linux')
    return /arm/i.test(runner)
      ? { os: 'linux', architecture: 'arm64', variant: 'v8' }
      : { os: 'linux', architecture: 'amd64' };
  if (runner && runnerOs(runner) === platform.os) {
    if (platform.os === 'windows') {
      const host = hostOsVersionForRunner(runner);
      return { os: 'windows', architecture: 'amd64', ...(host ? { osVersion: host } : {}) };
    }
    return /arm/i.test(runner)
      ? { os: 'linux', architecture: 'arm64', variant: 'v8' }
      : { os: 'linux', architecture: 'amd64' };
  }
  return platform;
}

/** One Dockerfile to lint for one platform: from flags, or an xplat.yml leg. */
interface LintJob {
  readonly platform: Platform;
  /** As shown in messages: relative to the current folder when it is inside it. */
  readonly shownFile: string;
  readonly filePath: string;
  readonly contextDir: string;
  readonly target: string;
  readonly buildArgs: Record<string, string>;
  readonly runner: string;
  /** A self-hosted Windows build runner: the host build its release label says (ltsc2019). */
  readonly hostOsVersion?: string;
  /** The leg has prepare: run steps, which write files before its build (XP027 warns). */
  readonly prepared: boolean;
  /** The image's name, when several images are linted (each line names its image). */
  readonly image?: string;
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'lint a Dockerfile for every platform it is built for',
  usage,
  flags: lintFlags,
  positionals: {
    max: 0,
    refuse: (given) =>
      new UsageError(
        `unexpected argument "${given[0]}"; pass the Dockerfile with --file and the context with --context`,
      ),
  },
  image: 'name',
  run: lint,
  onError(error, argv, io) {
    // --json is known before anything can fail, so even an unusable file answers in JSON.
    if (!argv.includes('--json') || !(error instanceof XplatError)) return error;
    const named = nameFlag(lintFlags, error);
    io.stdout(
      JSON.stringify(
        {
          ...(error instanceof UnusableDockerfile ? error.where : {}),
          error: errorMessage(named),
          errors: 0,
          warnings: 0,
          platforms: [],
        },
        null,
        2,
      ),
    );
    return toUsage(named);
  },
};

async function lint(parsed: ParsedFlags, ctx: CommandContext): Promise<number> {
  const builder = text(parsed, 'builder').trim();
  if (builder && !(BUILDER_KINDS as readonly string[]).includes(builder)) {
    throw new UsageError(
      `"${builder}" is not a builder; use ${BUILDER_KINDS.join(', ')}`,
      'builder',
    );
  }
  const jobs = asUsage(() => lintJobs(parsed, ctx));

  const results: { image?: string; platform: string; file: string; findings: Finding[] }[] = [];
  const parsedFiles = new Map<string, ReturnType<typeof parseDockerfile>>();
  for (const job of jobs) {
    const dockerfile = await asUsage(async () => {
      const cached = parsedFiles.get(job.filePath);
      if (cached) return cached;
      const fileText = await readFile(job.filePath, 'utf8').catch(
        (error: NodeJS.ErrnoException) => {
          throw new XplatError(
            error.code === 'ENOENT'
              ? `${job.shownFile} does not exist; pass the Dockerfile with --file`
              : `cannot read ${job.shownFile}: ${error.message}`,
            'file',
          );
        },
      );
      const parsedFile = parseOrRefuse(job.shownFile, fileText);
      parsedFiles.set(job.filePath, parsedFile);
      return parsedFile;
    });
    const { platform } = job;
    const buildPlatform = buildPlatformFor(platform, job.runner, text(parsed, 'build-platform'));
    // A Windows image built on Linux is BuildKit's (buildx), whatever the Windows default is.
    const crossOs = platform.os === 'windows' && buildPlatform.os === 'linux';
    const options: LintOptions = {
      platform,
      buildPlatform,
      buildArgs: job.buildArgs,
      contextDir: job.contextDir,
      ...(job.target ? { target: job.target } : {}),
      ...(job.runner && platform.os === 'windows' ? { runner: job.runner } : {}),
      ...(text(parsed, 'host-os-version') && platform.os === 'windows'
        ? { hostOsVersion: text(parsed, 'host-os-version') }
        : job.hostOsVersion && !text(parsed, 'runner')
          ? { hostOsVersion: job.hostOsVersion }
          : {}),
      ...(job.prepared ? { prepared: true } : {}),
      ...(builder
        ? { builder: builder as LintOptions['builder'] & string }
        : crossOs
          ? { builder: 'buildx' as const }
          : {}),
      ...(text(parsed, 'engine-version') ? { engineVersion: text(parsed, 'engine-version') } : {}),
    };
    results.push({
      ...(job.image ? { image: job.image } : {}),
      platform: formatPlatform(platform),
      file: job.shownFile,
      findings: await asUsage(() => lintDockerfile(dockerfile, options)),
    });
  }

  const all = results.flatMap((r) => r.findings);
  const errors = all.filter((f) => f.severity === 'error').length;
  const warnings = all.length - errors;
  if (bool(parsed, 'json')) {
    ctx.stdout(
      JSON.stringify(
        { file: results[0]?.file ?? '', errors, warnings, platforms: results },
        null,
        2,
      ),
    );
  } else {
    const lines: string[] = [];
    const files = new Set(results.map((r) => r.file));
    for (const r of results) {
      const e = r.findings.filter((f) => f.severity === 'error').length;
      const w = r.findings.length - e;
      // Name the file only when the platforms lint different ones.
      const where = r.image ? `${r.image} ${r.platform}` : r.platform;
      const name = files.size > 1 ? `${where} (${r.file})` : where;
      lines.push(
        r.findings.length === 0
          ? `${name}: no findings`
          : `${name}: ${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`,
      );
      for (const f of r.findings) lines.push(`  ${formatFinding(f)}`);
    }
    ctx.stdout(lines.join('\n'));
  }
  return errors > 0 ? 1 : 0;
}

/**
 * What to lint: each --platform (or, with xplat.yml, each configured platform) with the
 * Dockerfile, context, target and build args of its xplat.yml entry; flags override. For
 * every image --image leaves (none without xplat.yml).
 */
function lintJobs(parsed: ParsedFlags, ctx: CommandContext): LintJob[] {
  const { project } = ctx;
  if (!project.config) return imageLintJobs(parsed, ctx, project, undefined, false);
  const jobs = ctx.images.flatMap((image) =>
    imageLintJobs(parsed, ctx, project, image, ctx.several),
  );
  if (!jobs.length)
    throw new XplatError(
      `no image of ${project.configFile} builds for the OS of ${list(parsed, 'platform').join(', ')} (${ctx.images.map((i) => `${i.name}: ${i.legs.map((l) => l.name).join(', ')}`).join('; ')}); name one with --image NAME to lint it with that image's top-level values`,
      'platform',
    );
  return jobs;
}

/** One image's lint jobs; with several images, a --platform of an OS it does not build is left out. */
function imageLintJobs(
  parsed: ParsedFlags,
  io: CliIO,
  project: Project,
  config: ResolvedImage | undefined,
  several: boolean,
): LintJob[] {
  const platformFlags = list(parsed, 'platform');
  const flagArgs = parseBuildArgs(list(parsed, 'build-arg'), io.env);
  const wanted: { platform: Platform; leg: ResolvedLeg | undefined }[] = platformFlags.length
    ? parsePlatformList(platformFlags.join(','), 'platform').flatMap((platform) => {
        const leg = config
          ? (pickLeg(project, formatPlatform(platform), undefined, '--platform', config) ??
            sameOsLeg(project, platform, config))
          : undefined;
        return several && !leg ? [] : [{ platform, leg }];
      })
    : config
      ? config.legs.map((leg) => ({ platform: leg.platform, leg }))
      : [{ platform: parsePlatformList('linux/amd64')[0]!, leg: undefined }];

  return wanted.map(({ platform, leg }) => {
    const fromProject = (p: string | undefined) => (p ? path.resolve(project.dir, p) : undefined);
    const contextDir =
      (text(parsed, 'context') && path.resolve(io.cwd, text(parsed, 'context'))) ||
      fromProject(leg?.context ?? config?.context) ||
      io.cwd;
    const filePath =
      (text(parsed, 'file') && path.resolve(io.cwd, text(parsed, 'file'))) ||
      (!text(parsed, 'context') && fromProject(leg?.dockerfile ?? config?.dockerfile)) ||
      path.join(contextDir, 'Dockerfile');
    const runner = text(parsed, 'runner') || (leg ? hostedRunner(leg) : '');
    const selfHosted = leg ? selfHostedRelease(leg) : undefined;
    return {
      platform,
      shownFile: shown(io, filePath),
      filePath,
      contextDir,
      target: text(parsed, 'target') || leg?.target || config?.target || '',
      buildArgs: { ...(leg?.buildArgs ?? {}), ...flagArgs },
      runner,
      ...(selfHosted ? { hostOsVersion: selfHosted } : {}),
      prepared: !!leg?.prepare.some((step) => step.run !== undefined),
      ...(several && config ? { image: config.name } : {}),
    };
  });
}

/**
 * For a platform xplat.yml does not list (windows/amd64:ltsc2019 next to ltsc2022): its
 * OS family's file, context and target when every leg of that OS shares them, with the
 * build args they all share. Never the other OS's Dockerfile.
 */
export function sameOsLeg(
  project: Project,
  platform: Platform,
  image: ResolvedImage | undefined = projectImage(project),
): ResolvedLeg | undefined {
  const legs = (image?.legs ?? []).filter((l) => l.platform.os === platform.os);
  const first = legs[0];
  if (
    !first ||
    legs.some(
      (l) =>
        l.dockerfile !== first.dockerfile ||
        l.context !== first.context ||
        l.target !== first.target,
    )
  )
    return undefined;
  const buildArgs = Object.fromEntries(
    Object.entries(first.buildArgs).filter(([k, v]) => legs.every((l) => l.buildArgs[k] === v)),
  );
  return { ...first, platform, name: formatPlatform(platform), buildArgs };
}

/** The label of the runner that builds a leg when it is one label (windows-2022), for host checks. */
function hostedRunner(leg: ResolvedLeg): string {
  return typeof leg.buildRunner.runsOn === 'string' ? leg.buildRunner.runsOn : '';
}

/**
 * A Windows leg built on a self-hosted runner (runs-on: [self-hosted, windows, ltsc2019]):
 * the host is taken to run the leg's release, as the runner map assumes for its labels.
 */
function selfHostedRelease(leg: ResolvedLeg): string | undefined {
  if (leg.buildRunner.hosted || leg.platform.os !== 'windows' || leg.buildOn !== 'windows')
    return undefined;
  return leg.platform.osVersion
    ? (releaseForOsVersion(leg.platform.osVersion)?.build ?? leg.platform.osVersion)
    : undefined;
}

/** An unusable Dockerfile: exit 2, and `--json` says where (file, line). */
class UnusableDockerfile extends UsageError {
  constructor(
    error: XplatError,
    readonly where: { file?: string; line?: number },
  ) {
    super(error.reason, error.input);
    this.name = 'UnusableDockerfile';
  }
}

/** Parses a Dockerfile; what Docker would reject while parsing is an UnusableDockerfile. */
function parseOrRefuse(file: string, text: string): ReturnType<typeof parseDockerfile> {
  try {
    return parseDockerfile({ file, text });
  } catch (error) {
    if (error instanceof XplatError) throw new UnusableDockerfile(error, dockerfileWhere(error));
    throw error;
  }
}

/** A DockerfileError's file and line (the class is not exported; its fields are). */
function dockerfileWhere(error: XplatError): { file?: string; line?: number } {
  const e = error as XplatError & { file?: unknown; line?: unknown };
  if (error.name !== 'DockerfileError' || typeof e.file !== 'string') return {};
  return { file: e.file, ...(typeof e.line === 'number' ? { line: e.line } : {}) };
}
