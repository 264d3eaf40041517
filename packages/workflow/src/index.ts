/**
 * @xplat/workflow: the xplat.yml schema and loader, the runner map, workflow generation
 * (a repository's workflow, the reusable and the starter workflow), plans, `xplat init`'s
 * proposal, and the checks that keep committed workflows in sync.
 */
export {
  allLegs,
  ConfigError,
  type ResolvedConfig,
  type ResolvedImage,
  type ResolvedLeg,
  type ResolvedPrepareStep,
} from './config-types.js';
export { CONFIG_FILE, loadConfig } from './config.js';
export { dependabotSuggestion } from './dependabot.js';
export {
  checkRendered,
  type GenerateKind,
  readConfig,
  renderTarget,
  WORKFLOW_FILE,
  writeRendered,
} from './files.js';
export { initRepository } from './init.js';
export { legBuildInputs, legSmokeInputs, pickImage, selectImages } from './leg-inputs.js';
export { CONFIG_SCHEMA_URL, XPLAT_NPM_PACKAGE, XPLAT_NPX } from './npm.js';
export { XPLAT_REPOSITORY } from './pins.js';
export { planFromConfig, planImage, planMatrix, renderPlan } from './plan.js';
export { formatLeftOut } from './propose.js';
export { PREPARE_SHELLS } from './schema.js';
