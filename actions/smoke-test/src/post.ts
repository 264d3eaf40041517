/**
 * Post step: removes the container when the main step did not get to (it was killed
 * after a cancel, or the runner stopped it). A no-op when main already removed it.
 */
import * as core from '@actions/core';
import { errorMessage } from '@xplat/core';
import { inspectContainer, removeContainer } from '@xplat/engine';
import { CONTAINER_STATE } from './state.js';

async function post(): Promise<void> {
  const id = core.getState(CONTAINER_STATE);
  if (!id) return;
  try {
    if (!(await inspectContainer(id))) {
      core.debug(`container ${id} was already removed`);
      return;
    }
    await removeContainer(id);
    core.info(`Removed container ${id.slice(0, 12)}, left behind by an interrupted smoke test`);
  } catch (error) {
    // Cleanup must never fail the job; say what is left so a person can remove it.
    core.warning(`could not remove smoke-test container ${id}: ${errorMessage(error)}`);
  }
}

await post();
