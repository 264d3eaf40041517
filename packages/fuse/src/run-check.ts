/**
 * One run's legs, one index: a leg result of another workflow run (a stale artifact, the
 * results of another call of the reusable workflow, a folder shared between runs) never
 * joins this run's index unless allow-foreign-runs says so. The run is GitHub's
 * (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT); outside a run there is nothing to compare.
 *
 * Attempts: "re-run failed jobs" re-runs only the failed legs, and the fuse uses the legs
 * that passed in an earlier attempt of the same run, so an earlier attempt is this run's.
 * A later attempt than this fuse's cannot be: it did not exist when this attempt started.
 */
import { echo, XplatError, type LoadedLegResult } from '@xplat/core';

export interface WorkflowRun {
  readonly id: string;
  /** Unknown when GITHUB_RUN_ATTEMPT is not set. */
  readonly attempt: number | undefined;
}

/** This workflow run, from the runner's environment; undefined outside GitHub Actions. */
export function currentRun(env: NodeJS.ProcessEnv = process.env): WorkflowRun | undefined {
  const id = env.GITHUB_RUN_ID?.trim();
  if (!id || !/^\d+$/.test(id)) return undefined;
  const attempt = Number(env.GITHUB_RUN_ATTEMPT);
  return { id, attempt: Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : undefined };
}

function describeRun(id: string, attempt: number | string | undefined): string {
  return `run ${echo(id)}${attempt !== undefined ? ` (attempt ${echo(String(attempt))})` : ''}`;
}

const ALLOW = 'or set allow-foreign-runs: true to fuse legs of another run on purpose';

/** Refuses a leg result of another run than `run`, naming both. */
export function checkLegRun(leg: LoadedLegResult, run: WorkflowRun): void {
  const source = leg.result.source;
  const here = describeRun(run.id, run.attempt);
  if (!source?.runId)
    throw new XplatError(
      `the leg result names no workflow run (built outside GitHub Actions?), and this fuse is ${here}; fuse the legs built in this run, ${ALLOW}`,
      leg.file,
    );
  const attempt = source.runAttempt !== undefined ? Number(source.runAttempt) : undefined;
  const from = describeRun(source.runId, source.runAttempt);
  if (source.runId !== run.id)
    throw new XplatError(
      `the leg result is from workflow ${from}, not this ${here}; fuse the legs built in this run, ${ALLOW}`,
      leg.file,
    );
  if (attempt !== undefined && run.attempt !== undefined && attempt > run.attempt)
    throw new XplatError(
      `the leg result is from workflow ${from}, a later attempt than this ${here}; fuse the legs of this attempt or an earlier one, ${ALLOW}`,
      leg.file,
    );
}
