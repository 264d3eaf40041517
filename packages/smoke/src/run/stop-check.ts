/**
 * The stop check of a service: stop the container as the engine would on shutdown and
 * judge whether it exited on its own, in time and with a clean code.
 *
 * From "ready" to the verdict the engine is asked as little as it can be: `docker stop`,
 * then its state and last log lines together (kept for finishRun, which only removes the
 * container). Whether the service was still running when the stop was sent needs no
 * inspect of its own: `docker wait` has been watching since the start, and the stopped
 * container's FinishedAt, read on the engine's clock, tells an exit before the stop.
 */
import { containerLogs, inspectContainer, stopContainer, type ContainerState } from '@xplat/engine';
import type { SmokePlan } from '../plan.js';
import type { Failure, SmokeRun } from './smoke-run.js';

export async function checkStop(run: SmokeRun, plan: SmokePlan): Promise<Failure | undefined> {
  const timeout = plan.stopTimeoutSeconds;
  const id = run.containerId!;
  const stop = async (): Promise<void> => {
    // docker stop blocks for up to the whole timeout: say so, or a slow stop looks like a hang.
    run.logger.info(
      `waiting up to ${timeout} s for ${plan.containerName} to stop after ${plan.stopSignal}`,
    );
    await stopContainer(id, timeout, run.docker);
  };
  // The stopped container's state and last log lines, asked together.
  const look = (): Promise<[ContainerState | undefined, string[] | undefined]> =>
    Promise.all([
      inspectContainer(id, run.docker),
      containerLogs(id, { tail: run.request.logLines, timestamps: true }, run.docker).then(
        (lines) => lines.map((l) => (l.stream === 'stderr' ? `[stderr] ${l.text}` : l.text)),
        () => undefined,
      ),
    ]);

  let before = Date.now();
  // When docker wait has returned, the container stopped on its own: nothing to stop.
  const stopping = !run.exitedAt;
  if (stopping) await stop();
  let [state, logs] = await look();
  // docker wait can end without the container stopping (the CLI failed): stop it after all,
  // and then judge by FinishedAt alone.
  const restopped = !stopping && !!state?.running;
  if (restopped) {
    before = Date.now();
    await stop();
    [state, logs] = await look();
  }
  const durationMs = Date.now() - before;
  run.final = { state, ...(logs ? { logs } : {}) };

  // A service that quits right after answering is broken too.
  const early =
    !state || exitedBeforeStop(restopped ? { ...run, exitedAt: undefined } : run, state, before);
  if (!state || early) {
    const code = state?.exitCode ?? run.exitedAt?.code ?? 'unknown';
    const reason = `the container exited with code ${code} after the probes passed; a service must keep running until stopped`;
    run.checks.push({ name: 'stop', kind: 'stop', status: 'failed', detail: reason });
    return { check: 'stop', reason };
  }
  const exitCode = state.exitCode;
  const windows = run.host.os === 'windows';
  // Linux: 137 is SIGKILL, which `docker stop` sends when the timeout runs out.
  // Windows reports no such code, so there a stop that took the whole timeout was a kill.
  const killed = windows
    ? durationMs >= timeout * 1000 - 250
    : exitCode === 137 && !state.oomKilled;
  const exitedOnOwn = !killed;
  const graceful =
    exitedOnOwn && (windows || exitCode === 0 || (exitCode > 128 && exitCode !== 137));
  const required = run.request.expectGracefulStop;
  run.stop = {
    signal: plan.stopSignal,
    timeoutSeconds: timeout,
    durationMs,
    exitCode,
    exitedOnOwn,
    graceful,
    required,
  };

  const detail = graceful
    ? `exited ${exitCode} ${durationMs} ms after ${plan.stopSignal}`
    : killed
      ? `did not exit within ${timeout} s of ${plan.stopSignal}: killed${windows ? '' : ` (exit ${exitCode})`}`
      : `exited ${exitCode} after ${plan.stopSignal}; a clean stop exits 0 or 128+signal`;
  if (graceful) {
    run.checks.push({ name: 'stop', kind: 'stop', status: 'passed', durationMs, detail });
    return undefined;
  }
  const advice = windows
    ? 'the app must handle the console shutdown event (SetConsoleCtrlHandler; .NET: the generic host) and exit in time'
    : `the app must handle ${plan.stopSignal} (or add --init to run-args so an init forwards it) and exit in time`;
  if (!required) {
    run.logger.warning(
      `stop was not graceful: ${detail}; ${advice} (not required: expect-graceful-stop is false)`,
    );
    run.checks.push({
      name: 'stop',
      kind: 'stop',
      status: 'skipped',
      durationMs,
      detail: `not graceful, not required: ${detail}`,
    });
    return undefined;
  }
  run.checks.push({ name: 'stop', kind: 'stop', status: 'failed', durationMs, detail });
  return { check: 'stop', reason: `stop: ${detail}; ${advice}` };
}

/**
 * Whether the container had stopped before `sentAt` (our clock), when the stop was sent.
 * `docker wait` may have said so already. Otherwise FinishedAt is on the engine's clock;
 * the engine's StartedAt came between our `docker run` and its return, so the engine's
 * clock is at least `StartedAt - runReturned` ahead of ours, and a FinishedAt before
 * `sentAt` plus that is surely before the stop arrived. The bound only errs towards
 * "still running", whatever the two clocks say, so a graceful stop is never mistaken for
 * an early exit.
 */
export function exitedBeforeStop(
  run: Pick<SmokeRun, 'exitedAt' | 'engineStartedAt' | 'runReturned'>,
  state: Pick<ContainerState, 'running' | 'finishedAt'>,
  sentAt: number,
): boolean {
  if (run.exitedAt && run.exitedAt.at <= sentAt) return true;
  if (state.running || run.engineStartedAt === undefined) return false;
  const finished = Date.parse(state.finishedAt);
  if (!Number.isFinite(finished) || finished <= 0) return false;
  return finished < sentAt + (run.engineStartedAt - run.runReturned);
}
