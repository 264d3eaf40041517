/**
 * @xplat/dockerfile: parse a Dockerfile (dockerfile-ast), plan the stages one platform
 * needs, render an equivalent file for the classic builder, and lint for the mistakes
 * that break one platform of a cross-platform build.
 */
export {
  argDeclarations,
  expandVariables,
  PLATFORM_ARG_NAMES,
  platformBuildArgs,
  referencedVariables,
} from './args.js';
export { DockerfileError } from './errors.js';
export {
  isLinuxOnlyImageName,
  isWindowsImageName,
  splitImage,
  windowsReleaseOfTag,
} from './images.js';
export { hostOsVersionForRunner } from './lint/base-images.js';
export { formatFinding, lintDockerfile } from './lint/lint-dockerfile.js';
export { parseDockerfile } from './parse.js';
export { planStages } from './plan.js';
export { classicBuilderProblems, renderForClassicBuilder } from './render.js';
export type {
  Finding,
  LintOptions,
  ParsedDockerfile,
  RenderedDockerfile,
  StagePlan,
} from './types.js';
