/**
 * The probing loop of a service: every probe polled in parallel, with its own backoff,
 * until it passes or the shared deadline, a crash, a failed probe or a cancel ends it.
 */
import { DOCKER_BACKOFF, FAST_BACKOFF, poll, type PollResult } from '../backoff.js';
import type { SmokePlan } from '../plan.js';
import { attemptProbe } from '../probes.js';
import type { SmokeRun } from './smoke-run.js';

/** One result per probe of the plan, in the plan's order. */
export async function pollProbes(run: SmokeRun, plan: SmokePlan): Promise<PollResult[]> {
  // Ends every probe: a crash, a probe out of time, or the caller's cancel (which may
  // have come already, while the container was starting).
  const controller = new AbortController();
  const signal = run.deps.signal
    ? AbortSignal.any([run.deps.signal, controller.signal])
    : controller.signal;
  const overallDeadline = run.containerStart + plan.timeoutMs;
  const probeDeadline = Math.min(overallDeadline, run.containerStart + plan.probeTimeoutMs);

  let polling = true;
  void run.exited.then(() => polling && controller.abort());

  const outcomes = await Promise.all(
    plan.probes.map(async (probe): Promise<PollResult> => {
      const result = await poll({
        deadline: probeDeadline,
        backoff: probe.kind === 'http' || probe.kind === 'tcp' ? FAST_BACKOFF : DOCKER_BACKOFF,
        signal,
        attempt: (remaining) =>
          attemptProbe(probe, {
            containerId: run.containerId!,
            docker: run.docker,
            timeoutMs: Math.min(plan.attemptTimeoutMs, remaining),
            signal,
          }),
      });
      if (result.ok)
        run.logger.info(
          `${probe.name} passed ${result.at - run.containerStart} ms after start (${result.detail})`,
        );
      // One probe out of time decides the verdict; the others need not keep going.
      else if (!result.aborted) controller.abort();
      return result;
    }),
  );
  polling = false;
  return outcomes;
}
