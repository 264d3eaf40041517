/**
 * @xplat/engine: the container engine behind the docker CLI. What other packages and the
 * actions use; the rest stays inside (its tests import it from the folder).
 *
 *   docker/  the CLI adapter (argument arrays, never a shell), host facts, containers,
 *            images, buildx and QEMU probes, the Windows host's releases
 *   platform-image/  build-platform-image: inputs, builder choice, plan, cache, tags, run,
 *            read-back, summary
 *   setup/   setup-crossplatform-builder: inputs, plan, run, cleanup
 */
export { type HostFacts, probeHost } from './docker/capabilities.js';
export {
  containerLogs,
  type ContainerState,
  execInContainer,
  inspectContainer,
  inspectPlan,
  logsPlan,
  type PortMapping,
  removeContainer,
  removePlan,
  runContainer,
  runPlan,
  type RunSpec,
  stopContainer,
  stopPlan,
  waitContainer,
} from './docker/containers.js';
export { docker, DockerError, type DockerOptions, runDocker } from './docker/docker.js';
export { engineHost } from './docker/host.js';
export { type ImageInfo, inspectImage, pullImage } from './docker/images.js';
export { describeWindowsBuild, windowsReleaseRefusal } from './docker/windows-host.js';
export { defaultBuildPlatform, prepareBuild } from './platform-image/build-image.js';
export {
  BUILD_INPUTS,
  type BuildInputs,
  type BuildRequest,
  checkBuildPaths,
  checkTagTemplate,
  parseBuildInputs,
  parseKeyValues,
} from './platform-image/build-inputs.js';
export { buildPlatformImage, executeBuild } from './platform-image/build-run.js';
export { buildOutputs, renderBuildSummary } from './platform-image/build-summary.js';
export { includesPlatform, nativePlatforms } from './platform-image/builders.js';
export type { CacheMode } from './platform-image/cache.js';
export {
  refNameOf,
  type SourceContext,
  sourceFromEnv,
  sourceFromGit,
  sourceFromGithubContext,
} from './platform-image/tags.js';
export { buildsWindowsOnLinux } from './platform-image/windows-on-linux.js';
export {
  parseSetupInputs,
  SETUP_INPUTS,
  type SetupInputs,
  type SetupRequest,
} from './setup/setup-inputs.js';
export {
  cleanupSetup,
  parseSetupState,
  renderSetupSummary,
  setupBuilder,
} from './setup/setup-run.js';
