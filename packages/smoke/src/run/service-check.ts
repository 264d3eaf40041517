/**
 * The verdict on a service image: a check for each probe (passed, the first to fail, or
 * skipped because something else ended the run), a crash before all passed, and when
 * all passed, the stop check.
 */
import type { SmokePlan } from '../plan.js';
import { seconds } from '../probes.js';
import { pollProbes } from './poll-probes.js';
import type { Failure, SmokeRun } from './smoke-run.js';
import { checkStop } from './stop-check.js';

export async function checkService(run: SmokeRun, plan: SmokePlan): Promise<Failure | undefined> {
  const outcomes = await pollProbes(run, plan);
  await run.engineStart;

  // A cancel wins over what it caused: the runner signals the whole process tree, so
  // `docker wait` may have ended too, which would otherwise read as a crash.
  const cancelled = !!run.deps.signal?.aborted;
  const crashed = cancelled ? undefined : run.exitedAt;
  let failure: Failure | undefined;
  const firstFailed = cancelled
    ? -1
    : plan.probes.findIndex((_, i) => !outcomes[i]!.ok && !outcomes[i]!.aborted);
  plan.probes.forEach((probe, i) => {
    const r = outcomes[i]!;
    const durationMs = r.at - run.containerStart;
    if (r.ok) {
      run.checks.push({
        name: probe.name,
        kind: probe.kind,
        status: 'passed',
        durationMs,
        attempts: r.attempts,
        detail: r.detail,
      });
    } else if (i === firstFailed && !crashed) {
      const within = seconds(Math.min(plan.probeTimeoutMs, plan.timeoutMs));
      const detail = `no success within ${within} (${r.attempts} attempts); last: ${r.detail}`;
      run.checks.push({
        name: probe.name,
        kind: probe.kind,
        status: 'failed',
        durationMs,
        attempts: r.attempts,
        detail,
      });
      failure = { check: probe.name, reason: `${probe.name}: ${detail}` };
    } else {
      const why = crashed
        ? 'the container exited first'
        : firstFailed >= 0
          ? `${plan.probes[firstFailed]!.name} failed first`
          : 'cancelled';
      run.checks.push({
        name: probe.name,
        kind: probe.kind,
        status: 'skipped',
        durationMs,
        attempts: r.attempts,
        detail: `not passed: ${why}; last: ${r.detail}`,
      });
    }
  });
  if (crashed && !outcomes.every((r) => r.ok)) {
    const pending = plan.probes.filter((_, i) => !outcomes[i]!.ok).map((p) => p.name);
    const reason = `the container exited with code ${crashed.code ?? 'unknown'} ${crashed.at - run.containerStart} ms after start, before ${pending.join(', ')} passed`;
    run.checks.push({
      name: 'running',
      kind: 'start',
      status: 'failed',
      durationMs: crashed.at - run.containerStart,
      detail: reason,
    });
    return { check: 'running', reason };
  }
  if (failure || !outcomes.every((r) => r.ok))
    return failure ?? { check: 'cancelled', reason: 'cancelled before every probe passed' };

  run.readyAt = Math.max(run.containerStart, ...outcomes.map((r) => r.at));
  run.logger.info(`Ready ${run.readyAt - run.containerStart} ms after start`);
  return checkStop(run, plan);
}
