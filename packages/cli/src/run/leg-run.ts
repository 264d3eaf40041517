/**
 * One runnable leg of `xplat run`: lint -> build -> smoke, the same library calls the
 * build-platform-image and smoke-test actions make, writing the same xplat.leg/v1 result.
 * A leg never throws: every failure becomes its outcome, with the reason in one line.
 */
import path from 'node:path';
import { errorMessage } from '@xplat/core';
import { formatFinding } from '@xplat/dockerfile';
import {
  checkBuildPaths,
  executeBuild,
  prepareBuild,
  type DockerOptions,
  type SourceContext,
} from '@xplat/engine';
import type { Repository } from '@xplat/registry';
import { smokeTest } from '@xplat/smoke';
import type { ResolvedLeg } from '@xplat/workflow';
import { openRunLog } from './leg-log.js';
import type { Phase, Progress } from './progress.js';
import { smokeOfBuilt, type LegRequests } from './requests.js';
import type { PlannedLeg } from './run-plan.js';

export type LegStatus = 'passed' | 'failed' | 'skipped';

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

export interface LegRunContext {
  /** The folder of xplat.yml: paths in it are relative to this. */
  readonly projectDir: string;
  /** The repository the legs push to (xplat.yml's image, moved to the run's registry). */
  readonly target: Repository;
  readonly logDir: string;
  readonly source: SourceContext;
  readonly signal: AbortSignal;
  readonly progress: Progress;
}

/**
 * The context and Dockerfile exist: checked when the leg starts (not when xplat.yml is
 * read), naming the fields of xplat.yml that give them.
 */
function checkPaths(leg: ResolvedLeg, requests: LegRequests, projectDir: string): void {
  checkBuildPaths(
    requests.build,
    { context: leg.context, file: leg.dockerfile, from: projectDir },
    { context: 'context', file: 'dockerfile' },
  );
}

export async function runLeg(
  planned: PlannedLeg,
  requests: LegRequests,
  docker: DockerOptions & { env: Record<string, string> },
  ctx: LegRunContext,
): Promise<LegOutcome> {
  const { leg } = planned;
  const started = Date.now();
  const log = openRunLog(path.join(ctx.logDir, `${leg.pair}.log`));
  const logPath = path.relative(ctx.projectDir, log.file).split(path.sep).join('/');
  let phase: Phase = 'lint';
  let digest: string | undefined;
  let ref: string | undefined;
  let resultFile: string | undefined;
  const done = (status: LegStatus, reason: string): LegOutcome => ({
    platform: leg.name,
    pair: leg.pair,
    status,
    reason,
    ...(digest ? { digest } : {}),
    ...(ref ? { ref } : {}),
    ...(resultFile ? { resultFile } : {}),
    log: logPath,
    ...(status === 'failed' ? { failedPhase: phase } : {}),
    durationMs: Date.now() - started,
  });
  const interrupted = () => ctx.signal.aborted;
  try {
    log.info(`${leg.name}: ${planned.reason}`);
    const options = {
      logger: log,
      ...(planned.facts ? { facts: planned.facts } : {}),
      ...docker,
      source: ctx.source,
      cwd: ctx.projectDir,
      onFinding: (f: Parameters<typeof formatFinding>[0]) => log.warning(formatFinding(f)),
    };

    ctx.progress.update(leg.name, 'lint', 'running');
    checkPaths(leg, requests, ctx.projectDir);
    const prepared = await prepareBuild({ ...requests.build, image: ctx.target }, options);
    const warnings = prepared.findings.length;
    ctx.progress.update(
      leg.name,
      'lint',
      'done',
      `${prepared.selection.kind}${warnings ? `, ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}`,
    );
    if (interrupted()) return done('failed', 'interrupted');

    phase = 'build';
    ctx.progress.update(leg.name, 'build', 'running');
    const built = await executeBuild(prepared, options);
    digest = built.digest;
    ref = built.ref;
    resultFile = built.resultFile;
    ctx.progress.update(leg.name, 'build', 'done', `${built.digest.slice(0, 19)}`);
    if (interrupted()) return done('failed', 'interrupted');

    phase = 'smoke';
    ctx.progress.update(leg.name, 'smoke', 'running');
    const report = await smokeTest(smokeOfBuilt(requests.smoke, built), {
      logger: log,
      signal: ctx.signal,
      docker,
    });
    if (!report.passed)
      return done('failed', interrupted() ? 'interrupted' : (report.reason ?? 'smoke test failed'));
    ctx.progress.update(
      leg.name,
      'smoke',
      'done',
      report.readyMs !== undefined ? `ready in ${(report.readyMs / 1000).toFixed(1)}s` : '',
    );
    return done('passed', planned.reason);
  } catch (error) {
    const reason = interrupted() ? 'interrupted' : errorMessage(error);
    log.warning(`${phase} failed: ${reason}`);
    return done('failed', reason);
  } finally {
    await log.close();
  }
}

export function skippedOutcome(planned: PlannedLeg): LegOutcome {
  return {
    platform: planned.leg.name,
    pair: planned.leg.pair,
    status: 'skipped',
    reason: planned.reason,
    durationMs: 0,
  };
}
