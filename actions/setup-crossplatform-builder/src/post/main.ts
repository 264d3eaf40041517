/**
 * Post step: removes what main created (the buildx builder, a local BuildKit container,
 * TLS files), from the state main saved before it changed anything. Never fails the job.
 */
import * as core from '@actions/core';
import { actionLogger, runPost } from '@xplat/action-runtime';
import { cleanupSetup, parseSetupState } from '@xplat/engine';
import { SETUP_STATE } from '../state.js';

/** The post step: what it throws is a warning, never a failure (see runPost). */
export async function run(): Promise<void> {
  await runPost(
    async () => {
      const state = parseSetupState(core.getState(SETUP_STATE));
      if (!state || (!state.cleanup.length && !state.files.length)) {
        core.info('Nothing to clean up: this job reused or did not create a builder');
        return;
      }
      const problems = await cleanupSetup(state, { logger: actionLogger() });
      for (const p of problems) core.warning(`cleanup: ${p}`);
    },
    (message) => `cleanup: ${message}`,
  );
}
