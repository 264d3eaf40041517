/**
 * The end of every smoke run: gather the container's state and last log lines, show
 * them on failure, remove the container, and log and write the report.
 */
import { errorMessage } from '@xplat/core';
import {
  containerLogs,
  inspectContainer,
  removeContainer,
  type ContainerState,
} from '@xplat/engine';
import type { SmokePlan } from '../plan.js';
import {
  describeState,
  recordSmokeResult,
  renderChecks,
  writeReport,
  type SmokeReport,
} from '../report.js';
import { assembleReport } from './run-report.js';
import type { Failure, SmokeRun } from './smoke-run.js';

export async function finishRun(
  run: SmokeRun,
  plan: SmokePlan | undefined,
  failure: Failure | undefined,
): Promise<SmokeReport> {
  await run.engineStart;
  // By name when `docker run` failed: it may have created the container before failing to start it.
  const ref = run.ran ? (run.containerId ?? plan?.containerName) : undefined;
  let state: ContainerState | undefined;
  let logs: string[] = [];
  if (ref && plan) {
    // What a phase saw of the stopped container is still true; what it did not see is
    // asked now, state and logs together (the logs of a container that is gone are none).
    const final = run.final;
    const [seen, lines] = await Promise.all([
      final ? final.state : inspectContainer(ref, run.docker).catch(() => undefined),
      final?.logs ??
        containerLogs(ref, { tail: run.request.logLines, timestamps: true }, run.docker)
          .then((all) => all.map((l) => (l.stream === 'stderr' ? `[stderr] ${l.text}` : l.text)))
          .catch(() => []),
    ]);
    state = seen;
    logs = state ? lines : [];
  }
  if (failure) {
    if (!run.checks.some((c) => c.status === 'failed')) {
      run.checks.push({
        name: failure.check,
        kind: 'start',
        status: 'failed',
        detail: failure.reason,
      });
    }
    // Nothing to show when it failed before any container existed (image, platform, skew).
    if (ref) {
      await run.logger.group(`Container state and last ${logs.length} log lines`, async () => {
        run.logger.info(describeState(state));
        for (const line of logs) run.logger.info(line);
      });
    }
  }
  if (ref && plan) {
    // Never cancelled: removing is the one thing that must happen however the run ended.
    await removeContainer(ref, run.docker).catch((error: unknown) =>
      run.logger.warning(`could not remove container ${ref}: ${errorMessage(error)}`),
    );
  }
  const finished = Date.now();
  const report = assembleReport(run, plan, failure, { ref, state, logs }, finished);
  if (run.deps.logChecks !== false) run.logger.info(renderChecks(report));
  run.logger.info(
    report.passed
      ? `Smoke test passed${report.readyMs !== undefined ? ` (ready in ${report.readyMs} ms)` : ''}`
      : `Smoke test failed: ${report.reason}`,
  );
  if (run.request.reportFile) await writeReport(run.request.reportFile, report);
  if (run.request.resultFile) await recordSmokeResult(run.request.resultFile, report);
  return report;
}
