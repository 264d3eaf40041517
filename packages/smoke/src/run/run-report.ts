/**
 * The smoke report of one run, assembled from what the phases recorded on the run and
 * what finishRun learned about the container before removing it.
 */
import { formatPlatform } from '@xplat/core';
import type { ContainerState } from '@xplat/engine';
import type { SmokePlan } from '../plan.js';
import { SMOKE_REPORT_SCHEMA, type SmokeReport } from '../report.js';
import type { Failure, SmokeRun } from './smoke-run.js';

/**
 * The container as finishRun last saw it. `ref` is its id, or its name when `docker run`
 * failed, and unset when `docker run` was never tried.
 */
export interface LastSeenContainer {
  readonly ref: string | undefined;
  readonly state: ContainerState | undefined;
  readonly logs: string[];
}

export function assembleReport(
  run: SmokeRun,
  plan: SmokePlan | undefined,
  failure: Failure | undefined,
  { ref, state, logs }: LastSeenContainer,
  finished: number,
): SmokeReport {
  return {
    schema: SMOKE_REPORT_SCHEMA,
    image: run.request.image,
    ...(run.imageId ? { imageId: run.imageId } : {}),
    ...(plan?.platform
      ? { platform: formatPlatform(plan.platform) }
      : run.request.platform
        ? { platform: formatPlatform(run.request.platform) }
        : {}),
    mode: run.request.oneShot ? 'one-shot' : 'service',
    host: {
      os: run.host.os,
      architecture: run.host.architecture,
      ...(run.host.osVersion ? { osVersion: run.host.osVersion } : {}),
      network: plan?.network ?? run.request.network,
    },
    passed: !failure,
    ...(failure ? { reason: failure.reason, failedCheck: failure.check } : {}),
    ...(run.readyAt !== undefined ? { readyMs: run.readyAt - run.containerStart } : {}),
    durationMs: finished - run.t0,
    startedAt: new Date(run.t0).toISOString(),
    ...(run.containerStart
      ? { containerStartedAt: new Date(run.containerStart).toISOString() }
      : {}),
    ...(run.readyAt !== undefined ? { readyAt: new Date(run.readyAt).toISOString() } : {}),
    finishedAt: new Date(finished).toISOString(),
    checks: run.checks,
    ...(run.stop ? { stop: run.stop } : {}),
    ...(run.exitCode !== undefined ? { exitCode: run.exitCode } : {}),
    ...(ref && plan
      ? {
          container: {
            id: run.containerId ?? '',
            name: plan.containerName,
            ...(state ? { state } : {}),
          },
        }
      : {}),
    logs,
    notes: plan?.notes ?? [],
    ...(plan ? { command: plan.commands.run } : {}),
  };
}
