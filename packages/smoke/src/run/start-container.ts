/**
 * `docker run` for a smoke run: starts the container, tells the caller its id at once
 * (so a post step can remove it), and sets up the two things the checks wait on: the
 * engine's own start time and the container's exit. A Windows build mismatch fails with
 * the message that names both builds.
 */
import { errorMessage, formatPlatform } from '@xplat/core';
import { docker, DockerError, inspectContainer, waitContainer } from '@xplat/engine';
import { buildSkewMessage, buildsInSkewError, isBuildSkewError } from '../host.js';
import type { SmokePlan } from '../plan.js';
import type { Failure, SmokeRun } from './smoke-run.js';

export async function startContainer(run: SmokeRun, plan: SmokePlan): Promise<Failure | undefined> {
  run.logger.info(`Starting ${run.request.image}: docker ${plan.commands.run.join(' ')}`);
  const before = Date.now();
  run.ran = true;
  try {
    const out = await docker(plan.commands.run, run.docker);
    run.containerId = out.trim().split(/\s+/).pop();
  } catch (error) {
    const stderr = error instanceof DockerError ? error.stderr : errorMessage(error);
    const named = buildsInSkewError(stderr);
    const reason = isBuildSkewError(stderr)
      ? buildSkewMessage(
          named.host ?? run.host.osVersion,
          named.image ?? plan.imageOsVersion,
          run.request.isolation === 'auto'
            ? (run.host.isolation ?? 'process')
            : run.request.isolation,
        )
      : `the container did not start: ${errorMessage(error)}`;
    run.checks.push({ name: 'start', kind: 'start', status: 'failed', detail: reason });
    return { check: 'start', reason };
  }
  run.runReturned = Date.now();
  run.containerStart = run.runReturned;
  await run.deps.onContainer?.(run.containerId!);
  // The engine's own start time is closer to the truth than our clock after `docker run`
  // returned (which includes the CLI's exit); use it when it is plausible (same host).
  // Asked in parallel: the probes must not wait for it.
  run.engineStart = inspectContainer(run.containerId!, run.docker)
    .then((state) => {
      const started = state ? Date.parse(state.startedAt) : NaN;
      if (Number.isFinite(started) && started > 0) run.engineStartedAt = started;
      if (Number.isFinite(started) && started >= before - 1000 && started <= run.runReturned)
        run.containerStart = started;
    })
    .catch(() => undefined);
  run.checks.push({
    name: 'start',
    kind: 'start',
    status: 'passed',
    durationMs: run.runReturned - before,
    detail: `${plan.platform ? formatPlatform(plan.platform) : 'image platform'} on ${run.host.os}/${run.host.architecture}, network ${plan.network}`,
  });
  // Noticing an exit by waiting on the engine, not by polling it: `docker wait` returns
  // the moment the container stops (or is removed), so a crash fails the run at once.
  run.exited = waitContainer(run.containerId!, run.docker)
    .catch(() => undefined)
    .then((code) => (run.exitedAt = { code, at: Date.now() }));
  return undefined;
}
