/**
 * @xplat/fuse: fuse-manifest's logic: inputs, sources, the index document, tag policy,
 * read-back, summary, inspect and promote. What other packages and the actions use; the
 * rest stays inside (its tests import it from the module).
 */
export { fuse, GateClosedError } from './fuse.js';
export { inspectReference, renderInspect } from './inspect.js';
export type { PromoteSpec } from './promote-request.js';
export { promoteOutputs, renderPromoteSummary, renderPromoteText } from './promote-summary.js';
export { promote } from './promote.js';
export {
  checkLegRepository,
  FUSE_INPUTS,
  type FuseInputName,
  type FuseInputs,
  type FuseRequest,
  parseFuseRequest,
} from './request.js';
export { currentRun } from './run-check.js';
export { fuseOutputs, renderFuseSummary, renderGateSummary } from './summary.js';
export { renderFuseText } from './text.js';
