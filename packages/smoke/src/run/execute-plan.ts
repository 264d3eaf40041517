/**
 * The phases of a smoke run in order: start, then the one-shot or service checks, then
 * finish, which always runs, so the container is removed however the run ended.
 */
import { errorMessage } from '@xplat/core';
import type { ImageInfo } from '@xplat/engine';
import type { SmokePlan } from '../plan.js';
import type { SmokeReport } from '../report.js';
import { finishRun } from './finish-run.js';
import { checkOneShot } from './one-shot.js';
import { checkService } from './service-check.js';
import type { Failure, SmokeRun } from './smoke-run.js';
import { startContainer } from './start-container.js';

export async function executePlan(
  run: SmokeRun,
  plan: SmokePlan,
  image: ImageInfo | undefined,
): Promise<SmokeReport> {
  run.imageId = image?.id;
  for (const note of plan.notes) run.logger.info(`note: ${note}`);
  if (plan.blocked) return finishRun(run, plan, { check: 'start', reason: plan.blocked });

  let failure: Failure | undefined;
  try {
    failure = await startContainer(run, plan);
    if (!failure)
      failure = plan.oneShot ? await checkOneShot(run, plan) : await checkService(run, plan);
    if (!failure && run.deps.signal?.aborted)
      failure = { check: 'cancelled', reason: 'cancelled before the smoke test finished' };
  } catch (error) {
    failure = { check: 'engine', reason: errorMessage(error) };
  }
  return finishRun(run, plan, failure);
}
