/**
 * Post step: removes the container when the main step did not get to (it was killed
 * after a cancel, or the runner stopped it). A no-op when main already removed it.
 */
import * as core from '@actions/core';
import { runPost } from '@xplat/action-runtime';
import { inspectContainer, removeContainer } from '@xplat/engine';
import { CONTAINER_STATE } from '../state.js';

/** The post step: what it throws is a warning, never a failure (see runPost). */
export async function run(): Promise<void> {
  const id = core.getState(CONTAINER_STATE);
  await runPost(
    async () => {
      if (!id) return;
      if (!(await inspectContainer(id))) {
        core.debug(`container ${id} was already removed`);
        return;
      }
      await removeContainer(id);
      core.info(`Removed container ${id.slice(0, 12)}, left behind by an interrupted smoke test`);
    },
    // Cleanup must never fail the job; say what is left so a person can remove it.
    (message) => `could not remove smoke-test container ${id}: ${message}`,
  );
}
