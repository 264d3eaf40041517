import * as core from '@actions/core';
import { errorMessage } from '@xplat/core';

export interface ActionHooks {
  /**
   * Runs before the step is marked failed, with what main threw: e.g. fuse-manifest's
   * gate table in the job summary. Its own failure is a warning; the step still fails
   * with main's error.
   */
  onFailure?(error: unknown): Promise<void> | void;
}

/**
 * Runs an action's main step: what `main` throws fails the step with one line (the
 * message of an XplatError names the input), after the `onFailure` hook. The exit code
 * is set, not forced: the process ends when its work has.
 */
export async function runAction(main: () => Promise<void>, hooks: ActionHooks = {}): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (hooks.onFailure) {
      try {
        await hooks.onFailure(error);
      } catch (hookError) {
        core.warning(errorMessage(hookError));
      }
    }
    core.setFailed(errorMessage(error));
  }
}

/**
 * Runs a post step, which cleans up and must never fail the job: what `post` throws
 * becomes a warning, worded by `describe` so a person knows what is left behind.
 */
export async function runPost(
  post: () => Promise<void>,
  describe: (message: string) => string,
): Promise<void> {
  try {
    await post();
  } catch (error) {
    core.warning(describe(errorMessage(error)));
  }
}
