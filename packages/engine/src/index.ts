/**
 * @xplat/engine: the container engine behind the docker CLI. What other packages and the
 * actions use; the rest stays inside (its tests import it from the folder).
 *
 *   docker/  the CLI adapter (argument arrays, never a shell), host facts, containers,
 *            images, buildx and QEMU probes, the Windows host's releases
 *   build/   build-platform-image: inputs, builder choice, plan, cache, tags, run,
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
export { defaultBuildPlatform, prepareBuild } from './build/build-image.js';
export {
  BUILD_INPUTS,
  type BuildInputs,
  type BuildRequest,
  checkBuildPaths,
  checkTagTemplate,
  parseBuildInputs,
  parseKeyValues,
} from './build/build-inputs.js';
export { buildPlatformImage, executeBuild } from './build/build-run.js';
export { buildOutputs, renderBuildSummary } from './build/build-summary.js';
export { includesPlatform, nativePlatforms } from './build/builders.js';
export { planReproducible, type ReproduciblePlan } from './build/reproducible.js';
export { configWithTimes, settleImageTimes } from './build/settle-times.js';
export { epochTime, type SourceDate, sourceDateOf } from './build/source-date.js';
export type { CacheMode } from './build/cache.js';
export { buildsWindowsOnLinux, WINDOWS_ON_LINUX_DRIVERS } from './build/windows-on-linux.js';
export {
  refNameOf,
  type SourceContext,
  sourceFromEnv,
  sourceFromGit,
  sourceFromGithubContext,
} from './build/tags.js';
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
