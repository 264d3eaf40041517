/**
 * @xplat/smoke: smoke-test one platform image: inputs, probes (HTTP, TCP, exec, log,
 * exit), the run and its report. What other packages and the actions use; the rest stays
 * inside (its tests import it from the module).
 */
export {
  checkProbePath,
  checkRunArgs,
  DEFAULT_LOG_LINES,
  parseSmokeInputs,
  requirePortForHttp,
  requireProbe,
  SMOKE_INPUTS,
  type SmokeInputs,
  type SmokeRequest,
  smokeTimeout,
} from './options.js';
export { parseRegex, parseStatus, parseWords } from './parse.js';
export { renderChecks, renderSummary, smokeOutputs } from './report.js';
export { smokeTest } from './run/smoke-test.js';
export { renderSkipSummary, SKIP_OUTPUTS, skipSmokeTest } from './skip.js';
