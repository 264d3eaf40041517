/**
 * @xplat/dockerfile: parse a Dockerfile (dockerfile-ast), plan the stages one platform
 * needs, render an equivalent file for the classic builder, and lint for the mistakes
 * that break one platform of a cross-platform build.
 */
export type * from './types.js';
export { DockerfileError } from './errors.js';
export { parseDockerfile } from './parse.js';
export {
  argDeclarations,
  expandVariables,
  type ExpandOptions,
  PLATFORM_ARG_NAMES,
  platformBuildArgs,
  referencedVariables,
} from './args.js';
export { planStages } from './plan.js';
export { classicBuilderProblems, renderForClassicBuilder, userLine } from './render.js';
export { hostOsVersionForRunner } from './lint/base-images.js';
export { formatFinding, lintDockerfile } from './lint/lint-dockerfile.js';
export { LINT_RULES } from './lint/rules.js';
export {
  isLinuxOnlyImageName,
  isReleaseAgnosticWindowsImage,
  isWindowsImageName,
  splitImage,
  windowsReleaseOfTag,
  type ImageRef,
} from './images.js';
