/**
 * A one-shot image, which runs and exits: wait for the exit (or the timeout, or a
 * cancel), then judge its exit code, output and log lines.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { containerLogs, inspectContainer } from '@xplat/engine';
import type { SmokePlan } from '../plan.js';
import { seconds, snippet } from '../probes.js';
import type { Failure, SmokeRun } from './smoke-run.js';

export async function checkOneShot(run: SmokeRun, plan: SmokePlan): Promise<Failure | undefined> {
  const spec = plan.oneShot!;
  const remaining = Math.max(0, run.containerStart + plan.timeoutMs - Date.now());
  const timer = new AbortController();
  const signal = run.deps.signal ? AbortSignal.any([run.deps.signal, timer.signal]) : timer.signal;
  await Promise.race([run.exited, sleep(remaining, undefined, { signal }).catch(() => undefined)]);
  timer.abort();
  const name = `exit ${spec.expectExitCode}`;
  await run.engineStart;
  // `docker wait` can also end because the cancel signal reached it: only an inspect
  // that shows the container stopped counts as an exit. State and output are asked
  // together: once it has stopped, neither changes any more.
  const [state, fetched] = run.exitedAt
    ? await Promise.all([
        inspectContainer(run.containerId!, run.docker),
        containerLogs(run.containerId!, {}, run.docker).catch(() => undefined),
      ])
    : [undefined, undefined];
  if (state && !state.running) run.final = { state };
  if (!run.exitedAt || run.deps.signal?.aborted || state?.running) {
    const detail = run.deps.signal?.aborted
      ? 'cancelled while waiting for the container to exit'
      : `still running after ${seconds(plan.timeoutMs)}`;
    run.checks.push({
      name,
      kind: 'exit',
      status: 'failed',
      durationMs: Date.now() - run.containerStart,
      detail,
    });
    return { check: name, reason: `one-shot: ${detail}` };
  }
  const code = state?.exitCode ?? run.exitedAt.code ?? -1;
  run.exitCode = code;
  const durationMs = run.exitedAt.at - run.containerStart;
  // Asked again when the first try failed, so the engine's own error is what fails the run.
  const lines = fetched ?? (await containerLogs(run.containerId!, {}, run.docker));
  const output = lines.map((l) => l.text).join('\n');
  const problems: string[] = [];
  if (code !== spec.expectExitCode)
    problems.push(
      `exited ${code}, expected ${spec.expectExitCode}${state?.oomKilled ? ' (OOM killed)' : ''}`,
    );
  if (spec.expectOutput && !spec.expectOutput.test(output))
    problems.push(`output does not match /${spec.expectOutput.source}/: ${snippet(output)}`);
  if (spec.expectLog && !lines.some((l) => spec.expectLog!.test(l.text)))
    problems.push(`no log line matches /${spec.expectLog.source}/`);
  if (problems.length === 0) {
    run.checks.push({
      name,
      kind: 'exit',
      status: 'passed',
      durationMs,
      detail: `exited ${code} after ${durationMs} ms`,
    });
    return undefined;
  }
  const detail = problems.join('; ');
  run.checks.push({ name, kind: 'exit', status: 'failed', durationMs, detail });
  return { check: name, reason: `one-shot: ${detail}` };
}
