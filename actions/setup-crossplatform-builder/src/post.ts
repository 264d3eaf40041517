/**
 * Post step: removes what main created (the buildx builder, a local BuildKit container,
 * TLS files), from the state main saved before it changed anything. Never fails the job.
 */
import * as core from '@actions/core';
import { actionLogger, errorMessage } from '@xplat/core';
import { cleanupSetup, parseSetupState } from '@xplat/engine';
import { SETUP_STATE } from './state.js';

async function post(): Promise<void> {
  try {
    const state = parseSetupState(core.getState(SETUP_STATE));
    if (!state || (!state.cleanup.length && !state.files.length)) {
      core.info('Nothing to clean up: this job reused or did not create a builder');
      return;
    }
    const problems = await cleanupSetup(state, { logger: actionLogger() });
    for (const p of problems) core.warning(`cleanup: ${p}`);
  } catch (error) {
    core.warning(`cleanup: ${errorMessage(error)}`);
  }
}

await post();
