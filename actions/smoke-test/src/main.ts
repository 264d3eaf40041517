/**
 * smoke-test: inputs -> @xplat/smoke -> outputs, job summary, leg result. Glue only.
 * A skip (the skip input) runs nothing: skipSmokeTest records it in the leg result.
 * The container is always removed: by smokeTest's own cleanup when the run ends or a
 * cancel arrives as a signal, and by the post step when this process was killed.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { actionLogger, readInputs, runAction } from '@xplat/action-runtime';
import {
  parseSmokeInputs,
  renderSkipSummary,
  renderSummary,
  SKIP_OUTPUTS,
  skipSmokeTest,
  SMOKE_INPUTS,
  smokeOutputs,
  smokeTest,
} from '@xplat/smoke';
import { CONTAINER_STATE } from './state.js';

/** The step: what it throws fails it with one line (see runAction). */
export async function run(): Promise<void> {
  // The runner cancels a step with SIGINT, then SIGTERM: end the probes and clean up
  // rather than die with the container still running.
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  try {
    await runAction(async () => {
      const raw = readInputs(SMOKE_INPUTS);
      // A report the user did not place still has to exist for the `report` output.
      raw['report-file'] ||= path.join(
        process.env.RUNNER_TEMP || os.tmpdir(),
        `xplat-smoke-${randomBytes(4).toString('hex')}.json`,
      );
      const request = parseSmokeInputs(raw);
      if (request.skip !== undefined) {
        const skipped = await skipSmokeTest(request, { logger: actionLogger() });
        for (const [name, value] of Object.entries(SKIP_OUTPUTS)) core.setOutput(name, value);
        await core.summary.addRaw(renderSkipSummary(skipped)).write();
        return;
      }
      const report = await smokeTest(request, {
        logger: actionLogger(),
        signal: controller.signal,
        onContainer: (id) => core.saveState(CONTAINER_STATE, id),
      });
      for (const [name, value] of Object.entries(smokeOutputs(report, request.reportFile ?? '')))
        core.setOutput(name, value);
      await core.summary.addRaw(renderSummary(report)).write();
      if (!report.passed) core.setFailed(report.reason ?? 'smoke test failed');
    });
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}
