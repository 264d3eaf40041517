/**
 * setup-crossplatform-builder: inputs -> @xplat/engine setupBuilder -> exported builder
 * choice and outputs. Glue only; the plan (and its tests) live in the library.
 */
import * as core from '@actions/core';
import { actionLogger, runAction } from '@xplat/action-runtime';
import { renderSetupSummary, setupBuilder } from '@xplat/engine';
import { getInputs } from './inputs.js';
import { SETUP_STATE } from './state.js';

await runAction(async () => {
  const request = getInputs();
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
