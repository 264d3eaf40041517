/**
 * The one seam between xplat and the GitHub Actions runner: the inputs each action's
 * parser takes (readInputs), the Logger the libraries get on a runner, and the wrappers
 * that turn what a step's main or post function throws into the runner's terms. The only package under packages/ that imports @actions/core; the
 * actions import it, the libraries and the CLI never do (so the CLI bundle carries none
 * of @actions/core and its HTTP client).
 */
export { actionLogger } from './logger.js';
export { readInputs, type ReadInputsOptions } from './inputs.js';
export { runAction, runPost, type ActionHooks } from './run.js';
