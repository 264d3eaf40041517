/**
 * @xplat/core: what every package shares: platforms and Windows releases, errors, input
 * parsing, the gate and leg results, runners, loggers, tables. `@xplat/core/free-port`
 * (a free host port) is exported on its own, so bundles that need no port skip node:net.
 */
export { BUILDER_KINDS, type BuilderKind } from './builders.js';
export { echo, errorMessage, UsageError, XplatError } from './errors.js';
export {
  checkAllowUntested,
  evaluateGate,
  type GateReport,
  renderGateTable,
  shortDigest,
  skipReason,
  summariseGateFailure,
} from './gate.js';
export { keyValueLines, parseBoolean, parseChoice, parseDuration } from './inputs.js';
export type { BuiltOn, LegResult, SmokeCheck, SmokeResult } from './leg-result-schema.js';
export {
  LEG_RESULT_SCHEMA,
  type LoadedLegResult,
  readLegResult,
  updateLegResult,
  writeLegResult,
} from './leg-result.js';
export { Limiter, mapLimit } from './limit.js';
export { type Logger, recordingLogger, silentLogger } from './logger.js';
export {
  formatPlatform,
  fromOciPlatform,
  type OciPlatform,
  ociPlatformString,
  type OperatingSystem,
  parsePlatform,
  parsePlatformList,
  parseWindowsVersion,
  type Platform,
  platformMatches,
  platformPair,
  splitList,
} from './platform.js';
export {
  BUILD_ON_LINUX_RUNNER,
  formatRunsOn,
  HOSTED_LINUX_RUNNERS,
  legRunners,
  type LegRunners,
  QEMU_RUNNER,
  type RunnerChoice,
  RunnerError,
  runnerFor,
  type RunsOn,
} from './runners.js';
export { parseSkipReason } from './skip-reason.js';
export { renderTable } from './table.js';
export {
  buildNumber,
  releaseByName,
  releaseForOsVersion,
  releasesRunnableOn,
  runsUnderProcessIsolation,
  WINDOWS_RELEASES,
  type WindowsRelease,
} from './windows.js';
