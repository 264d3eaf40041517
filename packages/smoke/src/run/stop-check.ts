/**
 * The stop check of a service: stop the container as the engine would on shutdown and
 * judge whether it exited on its own, in time and with a clean code.
 */
import { inspectContainer, stopContainer } from '@xplat/engine';
import type { SmokePlan } from '../plan.js';
import type { Failure, SmokeRun } from './smoke-run.js';

export async function checkStop(run: SmokeRun, plan: SmokePlan): Promise<Failure | undefined> {
  // A service that quits right after answering is broken too.
  const running = await inspectContainer(run.containerId!, run.docker);
  if (!running?.running) {
    const reason = `the container exited with code ${running?.exitCode ?? 'unknown'} after the probes passed; a service must keep running until stopped`;
    run.checks.push({ name: 'stop', kind: 'stop', status: 'failed', detail: reason });
    return { check: 'stop', reason };
  }
  const timeout = plan.stopTimeoutSeconds;
  // docker stop blocks for up to the whole timeout: say so, or a slow stop looks like a hang.
  run.logger.info(
    `waiting up to ${timeout} s for ${plan.containerName} to stop after ${plan.stopSignal}`,
  );
  const before = Date.now();
  await stopContainer(run.containerId!, timeout, run.docker);
  const durationMs = Date.now() - before;
  const state = await inspectContainer(run.containerId!, run.docker);
  const exitCode = state?.exitCode ?? -1;
  const windows = run.host.os === 'windows';
  // Linux: 137 is SIGKILL, which `docker stop` sends when the timeout runs out.
  // Windows reports no such code, so there a stop that took the whole timeout was a kill.
  const killed = windows
    ? durationMs >= timeout * 1000 - 250
    : exitCode === 137 && !state?.oomKilled;
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
