/**
 * The typed requests of `xplat run`, made once from the resolved xplat.yml: a BuildRequest
 * (engine), a SmokeRequest (smoke) and a FuseRequest (fuse) per leg or image. Nothing is
 * written as an action-input string to be parsed back: platforms are the leg's own
 * objects, paths are absolute, the repository is a Repository, maps stay maps. What only
 * the string parsers checked is checked here by the packages' own exported checks, with
 * xplat.yml's field names in the errors (the actions and CLI commands keep their parsers:
 * strings come in there).
 */
import path from 'node:path';
import { checkAllowUntested, parseDuration, type LoadedLegResult } from '@xplat/core';
import { checkTagTemplate, type BuildRequest, type CacheMode } from '@xplat/engine';
import { checkLegRepository, type FuseRequest } from '@xplat/fuse';
import { DEFAULT_RUN_LEG_TAG, parseRepository, type Repository } from '@xplat/oci';
import {
  checkProbePath,
  checkRunArgs,
  DEFAULT_LOG_LINES,
  parseRegex,
  parseStatus,
  parseWords,
  requirePortForHttp,
  requireProbe,
  smokeTimeout,
  type SmokeRequest,
} from '@xplat/smoke';
import type { ResolvedImage, ResolvedLeg } from '@xplat/workflow';

/** The index tag when no --tag is given. */
export const DEFAULT_RUN_TAGS: readonly string[] = ['local'];
/** Tags a local run may move: every run re-points them. */
export const RUN_MUTABLE_TAGS: readonly string[] = ['local', 'latest'];

export interface BuildRun {
  /** The folder of xplat.yml: its paths are relative to this. */
  readonly projectDir: string;
  readonly resultDir: string;
  /** '' = the engine's default. */
  readonly network: string;
  /** --build-arg, over xplat.yml's. */
  readonly buildArgs: Readonly<Record<string, string>>;
}

/**
 * The leg's build. Its image is xplat.yml's repository: the run moves it to its registry
 * (`{ ...request, image: target }`) once that is up, so every setting is checked before
 * anything starts.
 */
export function buildRequest(image: ResolvedImage, leg: ResolvedLeg, run: BuildRun): BuildRequest {
  return {
    image: parseRepository(image.image, 'image'),
    platform: leg.platform,
    ...(leg.platform.osVersion ? { releaseInput: 'platform' as const } : {}),
    context: path.resolve(run.projectDir, leg.context),
    file: path.resolve(run.projectDir, leg.dockerfile),
    ...(leg.target ? { target: leg.target } : {}),
    buildArgs: { ...leg.buildArgs, ...run.buildArgs },
    labels: { ...image.labels },
    tags: [],
    tagTemplate: checkTagTemplate(image.legTag ?? DEFAULT_RUN_LEG_TAG, leg.platform, 'leg-tag'),
    push: true,
    // The schema admits only the cache modes.
    cache: (image.cache ?? 'auto') as CacheMode,
    cacheScope: '',
    isolation: 'auto',
    network: run.network,
    resultDir: run.resultDir,
    builder: 'auto',
    lint: true,
  };
}

/** A leg's smoke test before its build: the image and leg result come from the build. */
export type LegSmoke = Omit<SmokeRequest, 'image' | 'resultFile'>;

/** The smoke test of what the build pushed, recorded in the leg result it wrote. */
export function smokeOfBuilt(
  smoke: LegSmoke,
  built: { readonly ref: string; readonly resultFile: string },
): SmokeRequest {
  return { ...smoke, image: built.ref, resultFile: built.resultFile };
}

/**
 * The leg's smoke settings (xplat.yml's, the platform entry's on top) as a request.
 * `label` names the leg in errors: `smoke.port of linux/amd64`.
 */
export function smokeRequest(leg: ResolvedLeg, network: string, label = leg.name): LegSmoke {
  const s = leg.smoke;
  const field = (key: string) => `smoke.${key} of ${label}`;
  const text = (key: keyof typeof s): string => (s[key] === undefined ? '' : String(s[key]));
  const command = s.command !== undefined ? parseWords(s.command, field('command')) : undefined;
  const port = s.port;
  requirePortForHttp(
    (['path', 'expect-status', 'expect-body'] as const)
      .filter((k) => s[k] !== undefined)
      .map(field),
    port,
  );
  requireProbe(
    {
      skip: leg.smokeSkip,
      port,
      tcpPort: s['tcp-port'],
      expectLog: s['expect-log'] !== undefined,
      command,
    },
    { port: field('port'), command: field('command') },
  );
  const expectBody = parseRegex(text('expect-body'), field('expect-body'));
  const expectLog = parseRegex(text('expect-log'), field('expect-log'));
  const timeoutMs = smokeTimeout(text('timeout'), field('timeout'));
  const stopMs =
    s['stop-timeout'] !== undefined
      ? parseDuration(s['stop-timeout'], field('stop-timeout'), 0)
      : undefined;
  return {
    platform: leg.platform,
    ...(port !== undefined
      ? {
          http: {
            port,
            path: checkProbePath(text('path'), field('path')),
            method: 'GET',
            headers: {},
            expectStatus: parseStatus(text('expect-status'), field('expect-status')),
            ...(expectBody ? { expectBody } : {}),
          },
        }
      : {}),
    ...(s['tcp-port'] !== undefined ? { tcpPort: s['tcp-port'] } : {}),
    ...(expectLog ? { expectLog } : {}),
    ...(command ? { command } : {}),
    expectExitCode: 0,
    oneShot: false,
    env: Object.entries(s.env ?? {}).map(([k, v]) => `${k}=${v}`),
    runArgs: checkRunArgs(parseWords(text('run-args'), field('run-args')), field('run-args')),
    network: network || 'auto',
    isolation: 'auto',
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    // docker stop takes whole seconds; rounded up as smoke-test's stop-timeout is.
    ...(stopMs !== undefined ? { stopTimeoutSeconds: Math.ceil(stopMs / 1000) } : {}),
    expectGracefulStop: s['expect-graceful-stop'] ?? false,
    ...(leg.smokeSkip !== undefined ? { skip: leg.smokeSkip } : {}),
    logLines: DEFAULT_LOG_LINES,
  };
}

/** A leg that goes into the index: its leg result, and whether it was smoke-tested. */
export interface FusedLeg {
  readonly leg: ResolvedLeg;
  readonly result: LoadedLegResult;
  /** Its smoke test was skipped (`smoke: { skip }`): the gate admits it untested. */
  readonly untested: boolean;
}

/**
 * One image's fuse: exactly the legs given (their platforms are the gate's expected ones;
 * the untested among them are allow-untested), from the leg results the run wrote.
 */
export function fuseRequest(
  target: Repository,
  tags: readonly string[],
  legs: readonly FusedLeg[],
): FuseRequest {
  const expected = legs.map((l) => l.leg.platform);
  const allowUntested = legs.filter((l) => l.untested).map((l) => l.leg.platform);
  checkAllowUntested(expected, allowUntested);
  for (const l of legs) checkLegRepository(l.result, target);
  return {
    target,
    tags: [...new Set(tags.length ? tags : DEFAULT_RUN_TAGS)],
    legs: legs.map((l) => l.result),
    sources: undefined,
    expected,
    allowUntested,
    annotations: {},
    mediaType: 'auto',
    mutableTags: RUN_MUTABLE_TAGS,
    dryRun: false,
  };
}

/** What one leg asks of the engine and of the smoke test. */
export interface LegRequests {
  readonly build: BuildRequest;
  readonly smoke: LegSmoke;
}

/** Both requests of a leg; `label` names it in errors about its smoke settings. */
export function legRequests(
  image: ResolvedImage,
  leg: ResolvedLeg,
  run: BuildRun,
  label = leg.name,
): LegRequests {
  return { build: buildRequest(image, leg, run), smoke: smokeRequest(leg, run.network, label) };
}
