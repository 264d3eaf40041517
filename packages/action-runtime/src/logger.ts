import * as core from '@actions/core';
import type { Logger } from '@xplat/core';

/**
 * The Logger every action's main.ts hands to the libraries: warnings become annotations,
 * groups fold in the log, debug lines show only with step debugging on.
 */
export function actionLogger(): Logger {
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    group: (title, fn) => core.group(title, fn),
  };
}
