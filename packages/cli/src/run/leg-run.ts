/**
 * One runnable leg of `xplat run`: prepare -> lint -> build -> smoke, the same library
 * calls the build-platform-image and smoke-test actions make, writing the same xplat.leg/v1
 * result. The smoke test runs on the engine the plan names (a Windows image built on Linux
 * is pulled by a Windows engine), is recorded as skipped (`smoke: { skip }`: the leg is
 * `untested` and fused as such), or does not run here (built only: `skipped`, not fused).
 * A leg never throws: every failure becomes its outcome, with the reason in one line.
 */
import path from 'node:path';
import { errorMessage, type Logger } from '@xplat/core';
import { formatFinding } from '@xplat/dockerfile';
import {
  checkBuildPaths,
  executeBuild,
  prepareBuild,
  type DockerOptions,
  type SourceContext,
} from '@xplat/engine';
import type { Repository } from '@xplat/oci';
import { skipSmokeTest, smokeTest } from '@xplat/smoke';
import type { EngineEndpoint } from './endpoints.js';
import { openRunLog, type RunLog } from './leg-log.js';
import type { RunLocks } from './locks.js';
import { hasRunSteps, runPrepareSteps } from './prepare-steps.js';
import type { Phase, Progress } from './progress.js';
import { smokeOfBuilt, type LegRequests } from './requests.js';
import type { PlannedLeg } from './run-plan.js';

/**
 * passed: built and smoke-tested; untested: built, its smoke test skipped on purpose
 * (fused untested); skipped: not in the index (could not run here, or built but not
 * tested here); failed: a phase failed.
 */
export type LegStatus = 'passed' | 'failed' | 'skipped' | 'untested';

export interface LegOutcome {
  readonly platform: string;
  readonly pair: string;
  readonly status: LegStatus;
  /** Why it failed or was skipped; where it ran when it passed. */
  readonly reason: string;
  /** The pushed image's digest (set once the build pushed, even when the smoke test failed). */
  readonly digest?: string;
  readonly ref?: string;
  /** The leg's full log, relative to the project folder. */
  readonly log?: string;
  readonly resultFile?: string;
  /** The phase that failed. */
  readonly failedPhase?: Phase;
  readonly durationMs: number;
}

export type EngineDocker = DockerOptions & { env: Record<string, string> };

export interface LegRunContext {
  /** The folder of xplat.yml: paths in it are relative to this. */
  readonly projectDir: string;
  /** The repository the leg pushes to (xplat.yml's image, moved to the run's registry). */
  readonly target: Repository;
  readonly logDir: string;
  /** The leg's row in the progress display. */
  readonly row: string;
  /** The process environment (prepare steps run with it). */
  readonly env: NodeJS.ProcessEnv;
  readonly docker: (engine: EngineEndpoint) => EngineDocker;
  readonly locks: RunLocks;
  readonly source: SourceContext;
  readonly signal: AbortSignal;
  readonly progress: Progress;
}

interface Built {
  readonly digest: string;
  readonly ref: string;
  readonly resultFile: string;
}

/** prepare (when it has run: steps) -> lint -> build, on the leg's engine. */
async function build(
  planned: PlannedLeg,
  requests: LegRequests,
  ctx: LegRunContext,
  log: Logger,
  at: (phase: Phase) => void,
): Promise<Built> {
  const { leg } = planned;
  const docker = ctx.docker(planned.engine);
  const options = {
    logger: log,
    ...(planned.facts ? { facts: planned.facts } : {}),
    ...docker,
    env: { ...docker.env, ...planned.buildEnv },
    source: ctx.source,
    cwd: ctx.projectDir,
    onFinding: (f: Parameters<typeof formatFinding>[0]) => log.warning(formatFinding(f)),
  };
  if (hasRunSteps(leg)) {
    at('prepare');
    ctx.progress.update(ctx.row, 'prepare', 'running');
    await runPrepareSteps(leg, { projectDir: ctx.projectDir, env: ctx.env, log });
    const steps = leg.prepare.length - planned.ciOnly.length;
    ctx.progress.update(
      ctx.row,
      'prepare',
      'done',
      `${steps} step${steps > 1 ? 's' : ''}${planned.ciOnly.length ? `, ${planned.ciOnly.length} in CI only` : ''}`,
    );
  } else {
    for (const uses of planned.ciOnly) log.info(`prepare: runs in CI only: ${uses}`);
  }
  at('lint');
  ctx.progress.update(ctx.row, 'lint', 'running');
  // Checked now, after the prepare steps, which may write them.
  checkBuildPaths(
    requests.build,
    { context: leg.context, file: leg.dockerfile, from: ctx.projectDir },
    { context: 'context', file: 'dockerfile' },
  );
  const prepared = await prepareBuild({ ...requests.build, image: ctx.target }, options);
  const warnings = prepared.findings.length;
  ctx.progress.update(
    ctx.row,
    'lint',
    'done',
    `${prepared.selection.kind}${warnings ? `, ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}`,
  );
  if (ctx.signal.aborted) throw new Error('interrupted');
  at('build');
  ctx.progress.update(ctx.row, 'build', 'running');
  const built = await executeBuild(prepared, options);
  ctx.progress.update(ctx.row, 'build', 'done', built.digest.slice(0, 19));
  return built;
}

/** The smoke phase: tested here, recorded as skipped, or not tested here. */
async function smoke(
  planned: PlannedLeg,
  requests: LegRequests,
  built: Built,
  ctx: LegRunContext,
  log: Logger,
): Promise<{ status: LegStatus; reason: string }> {
  const plan = planned.smoke!;
  const request = smokeOfBuilt(requests.smoke, built);
  if (plan.kind === 'none') {
    log.info(plan.reason);
    ctx.progress.update(ctx.row, 'smoke', 'skipped', 'not tested here');
    return { status: 'skipped', reason: plan.reason };
  }
  if (plan.kind === 'skip') {
    await skipSmokeTest(request, { logger: log });
    ctx.progress.update(ctx.row, 'smoke', 'skipped', 'untested');
    return { status: 'untested', reason: `not smoke-tested: ${plan.reason}` };
  }
  ctx.progress.update(ctx.row, 'smoke', 'running');
  const report = await smokeTest(request, {
    logger: log,
    signal: ctx.signal,
    docker: ctx.docker(plan.engine),
  });
  if (!report.passed)
    return {
      status: 'failed',
      reason: ctx.signal.aborted ? 'interrupted' : (report.reason ?? 'smoke test failed'),
    };
  const ready =
    report.readyMs !== undefined ? `ready in ${(report.readyMs / 1000).toFixed(1)}s` : '';
  ctx.progress.update(ctx.row, 'smoke', 'done', ready);
  return { status: 'passed', reason: planned.reason };
}

export async function runLeg(
  planned: PlannedLeg,
  requests: LegRequests,
  ctx: LegRunContext,
): Promise<LegOutcome> {
  const { leg } = planned;
  const started = Date.now();
  // Set once the leg has its engine: a leg interrupted while it waited has no log.
  const state: { log?: RunLog; phase: Phase; built?: Built } = { phase: 'prepare' };
  const done = (status: LegStatus, reason: string): LegOutcome => {
    const { built, log, phase } = state;
    if (status === 'failed') ctx.progress.update(ctx.row, phase, 'failed', reason);
    return {
      platform: leg.name,
      pair: leg.pair,
      status,
      reason,
      ...(built ? { digest: built.digest, ref: built.ref, resultFile: built.resultFile } : {}),
      ...(log ? { log: path.relative(ctx.projectDir, log.file).split(path.sep).join('/') } : {}),
      ...(status === 'failed' ? { failedPhase: phase } : {}),
      durationMs: Date.now() - started,
    };
  };
  const { locks } = ctx;
  // A smoke test on another engine (a Windows image built on Linux) waits for that engine;
  // on the build's own engine it follows the build, as the legs of one engine do.
  const elsewhere =
    planned.smoke?.kind === 'here' && planned.smoke.engine.name !== planned.engine.name
      ? planned.smoke.engine
      : undefined;
  try {
    const verdict = await locks.engine(planned.engine.name, async () => {
      if (ctx.signal.aborted) return undefined;
      const log = (state.log = openRunLog(path.join(ctx.logDir, `${leg.pair}.log`)));
      log.info(`${leg.name}: ${planned.reason}`);
      const work = () =>
        locks.job(() => build(planned, requests, ctx, log, (p) => (state.phase = p)));
      // Prepare steps write into the project, which every leg's build reads.
      const built = (state.built = await (hasRunSteps(leg) ? locks.project(work) : work()));
      if (elsewhere || ctx.signal.aborted) return null;
      state.phase = 'smoke';
      return locks.job(() => smoke(planned, requests, built, ctx, log));
    });
    if (verdict === undefined) return skippedOutcome(planned, 'interrupted before it started');
    if (verdict) return done(verdict.status, verdict.reason);
    if (ctx.signal.aborted || !state.built || !state.log) return done('failed', 'interrupted');
    state.phase = 'smoke';
    const { built, log } = state;
    const later = await locks.engine(elsewhere!.name, () =>
      locks.job(() => smoke(planned, requests, built, ctx, log)),
    );
    return done(later.status, later.reason);
  } catch (error) {
    const reason = ctx.signal.aborted ? 'interrupted' : errorMessage(error);
    state.log?.warning(`${state.phase} failed: ${reason}`);
    return done('failed', reason);
  } finally {
    await state.log?.close();
  }
}

export function skippedOutcome(planned: PlannedLeg, reason = planned.reason): LegOutcome {
  return {
    platform: planned.leg.name,
    pair: planned.leg.pair,
    status: 'skipped',
    reason,
    durationMs: 0,
  };
}
