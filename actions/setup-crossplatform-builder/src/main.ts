/**
 * setup-crossplatform-builder: inputs -> @xplat/engine setupBuilder -> exported builder
 * choice and outputs. Glue only; the plan (and its tests) live in the library.
 */
import * as core from '@actions/core';
import { actionLogger, readInputs, runAction } from '@xplat/action-runtime';
import { parseSetupInputs, renderSetupSummary, SETUP_INPUTS, setupBuilder } from '@xplat/engine';
import { SETUP_STATE } from './state.js';

/** The step: what it throws fails it with one line (see runAction). */
export async function run(): Promise<void> {
  await runAction(async () => {
    const request = parseSetupInputs(readInputs(SETUP_INPUTS, { secrets: ['tls-key'] }));
    const outcome = await setupBuilder(request, {
      logger: actionLogger(),
      ...(process.env.RUNNER_TEMP ? { tempDir: process.env.RUNNER_TEMP } : {}),
      onState: (state) => core.saveState(SETUP_STATE, JSON.stringify(state)),
    });
    // build-platform-image reads these to use the same builder.
    for (const [key, value] of Object.entries(outcome.plan.env)) core.exportVariable(key, value);
    core.setOutput('name', outcome.plan.name);
    core.setOutput('builder', outcome.plan.kind);
    core.setOutput('platforms', outcome.platforms.join(','));
    core.setOutput('host-platform', outcome.plan.hostPlatform);
    core.setOutput('host-os-version', outcome.plan.hostOsVersion);
    await core.summary.addRaw(renderSetupSummary(outcome)).write();
  });
}
