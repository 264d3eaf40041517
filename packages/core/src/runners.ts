/**
 * The runner map: which GitHub Actions runner builds a platform natively.
 *
 * The Windows facts come from WINDOWS_RELEASES (`hostedRunner`), so a new hosted
 * Windows image is one line there, not here.
 */
import { XplatError } from './errors.js';
import {
  formatPlatform,
  ociPlatformString,
  type OperatingSystem,
  type Platform,
} from './platform.js';
import { releaseForOsVersion } from './windows.js';

/** GitHub-hosted Linux runners by architecture: the native builders. */
export const HOSTED_LINUX_RUNNERS: Readonly<Record<string, string>> = {
  amd64: 'ubuntu-24.04',
  arm64: 'ubuntu-24.04-arm',
};

/** Where an emulated (QEMU) Linux build runs when the user asks for one. */
export const QEMU_RUNNER = 'ubuntu-24.04';

/** Labels of a runner as `runs-on` takes them: one label or a list (self-hosted). */
export type RunsOn = string | readonly string[];

export interface RunnerOverride {
  /** A self-hosted (or larger hosted) runner: one label or a list of labels. */
  readonly runsOn?: RunsOn;
  /** Build a non-amd64 Linux platform under QEMU (on an amd64 runner unless runsOn says otherwise). */
  readonly qemu?: boolean;
}

export interface RunnerChoice {
  readonly runsOn: RunsOn;
  /** A GitHub-hosted runner from the map (false when the user named the labels). */
  readonly hosted: boolean;
  /** The build is emulated: setup-crossplatform-builder installs QEMU. */
  readonly qemu: boolean;
}

/** Why a platform has no runner: thrown as an XplatError naming `input`. */
export class RunnerError extends XplatError {
  /** Which part of the platform entry the user should change. */
  readonly field: 'platform' | 'runs-on' | 'qemu' | 'build-on';

  constructor(message: string, input: string, field: RunnerError['field']) {
    super(message, input);
    this.name = 'RunnerError';
    this.field = field;
  }
}

/**
 * The runner for one platform leg. linux/amd64 -> ubuntu-24.04, linux/arm64 ->
 * ubuntu-24.04-arm (or QEMU on ubuntu-24.04 when asked), windows ltsc2022 ->
 * windows-2022, ltsc2025 -> windows-2025. Anything without a hosted runner (ltsc2019,
 * other builds, Windows on arm64, exotic Linux arches without qemu) is refused with a
 * message that says to name a self-hosted label.
 */
export function runnerFor(
  platform: Platform,
  override: RunnerOverride = {},
  input = 'platforms',
): RunnerChoice {
  const name = formatPlatform(platform);
  const qemu = override.qemu ?? false;
  if (qemu) {
    if (platform.os !== 'linux')
      throw new RunnerError(
        `qemu emulates Linux architectures only; ${name} builds on a Windows runner of its release (remove qemu)`,
        input,
        'qemu',
      );
    if (platform.architecture === 'amd64')
      throw new RunnerError(
        `${name} builds natively on ${HOSTED_LINUX_RUNNERS.amd64}; qemu is for other architectures (remove qemu)`,
        input,
        'qemu',
      );
  }
  if (override.runsOn !== undefined) return { runsOn: override.runsOn, hosted: false, qemu };

  if (platform.os === 'linux') {
    if (qemu) return { runsOn: QEMU_RUNNER, hosted: true, qemu: true };
    const native =
      ociPlatformString(platform) === `linux/${platform.architecture}`
        ? HOSTED_LINUX_RUNNERS[platform.architecture]
        : undefined;
    if (native) return { runsOn: native, hosted: true, qemu: false };
    throw new RunnerError(
      `no GitHub-hosted runner builds ${name} natively: set qemu: true (emulated on ${QEMU_RUNNER}) or runs-on with a self-hosted runner's labels`,
      input,
      'platform',
    );
  }

  if (!platform.osVersion)
    throw new RunnerError(
      `"${name}" needs a Windows release to pick a runner: write windows/amd64:ltsc2022 or windows/amd64:ltsc2025`,
      input,
      'platform',
    );
  const release = releaseForOsVersion(platform.osVersion);
  if (platform.architecture !== 'amd64')
    throw new RunnerError(
      `no GitHub-hosted runner builds ${name} containers: name a self-hosted runner with runs-on, e.g. runs-on: [self-hosted, windows, arm64]`,
      input,
      'runs-on',
    );
  if (!release?.hostedRunner) {
    const what = release ? release.name : `Windows build ${platform.osVersion}`;
    throw new RunnerError(
      `${what} has no GitHub-hosted runner (process isolation needs a host of the same release): name a self-hosted runner with runs-on, e.g. runs-on: [self-hosted, windows, ${release?.name ?? 'x64'}]`,
      input,
      'runs-on',
    );
  }
  return { runsOn: release.hostedRunner, hosted: true, qemu: false };
}

/** Where a Windows image with `build-on: linux` is built: BuildKit on this hosted runner. */
export const BUILD_ON_LINUX_RUNNER = 'ubuntu-24.04';

export interface LegRunnerOptions extends RunnerOverride {
  /** The OS whose runner builds the image: the platform's own (default), or linux for a Windows image built by BuildKit. */
  readonly buildOn?: OperatingSystem;
  /** The smoke test is skipped (xplat.yml's smoke.skip): no runner needs to run the image. */
  readonly smokeSkipped?: boolean;
}

export interface LegRunners {
  readonly build: RunnerChoice;
  /** The same object as build, unless a job of its own smoke-tests the image. */
  readonly smoke: RunnerChoice;
}

/**
 * The runners of one leg: the one that builds it and the one that smoke-tests it. They
 * are one runner, except for a Windows image built on Linux (BuildKit on
 * ubuntu-24.04), which a Windows runner of its release then smoke-tests; `runsOn` names
 * that smoke runner. Such a release without a hosted runner (ltsc2019) needs runs-on or
 * a skipped smoke test.
 */
export function legRunners(
  platform: Platform,
  options: LegRunnerOptions = {},
  input = 'platforms',
): LegRunners {
  const name = formatPlatform(platform);
  const buildOn = options.buildOn ?? platform.os;
  if (buildOn === platform.os) {
    const build = runnerFor(platform, options, input);
    return { build, smoke: build };
  }
  if (platform.os !== 'windows')
    throw new RunnerError(
      `build-on applies to Windows platforms; ${name} builds on a Linux runner already (remove build-on)`,
      input,
      'build-on',
    );
  if (options.qemu)
    throw new RunnerError(
      `qemu emulates Linux architectures only; ${name} is built by BuildKit on ${BUILD_ON_LINUX_RUNNER} without it (remove qemu)`,
      input,
      'qemu',
    );
  const build: RunnerChoice = { runsOn: BUILD_ON_LINUX_RUNNER, hosted: true, qemu: false };
  if (options.smokeSkipped) {
    if (options.runsOn !== undefined)
      throw new RunnerError(
        `runs-on names the runner that smoke-tests ${name} (it is built on ${BUILD_ON_LINUX_RUNNER}), and its smoke test is skipped: remove runs-on or smoke.skip`,
        input,
        'runs-on',
      );
    return { build, smoke: build };
  }
  if (options.runsOn !== undefined)
    return { build, smoke: { runsOn: options.runsOn, hosted: false, qemu: false } };
  const release = platform.osVersion ? releaseForOsVersion(platform.osVersion) : undefined;
  if (!platform.osVersion)
    throw new RunnerError(
      `"${name}" needs a Windows release: write windows/amd64:ltsc2022 or windows/amd64:ltsc2025`,
      input,
      'platform',
    );
  if (platform.architecture === 'amd64' && release?.hostedRunner)
    return { build, smoke: { runsOn: release.hostedRunner, hosted: true, qemu: false } };
  const what = release ? release.name : `Windows build ${platform.osVersion}`;
  throw new RunnerError(
    `${name} is built on ${BUILD_ON_LINUX_RUNNER}, and no GitHub-hosted runner runs ${what} ${platform.architecture} containers to smoke-test it: name a self-hosted one with runs-on (e.g. runs-on: [self-hosted, windows, ${release?.name ?? platform.architecture}]) or skip its smoke test with smoke: { skip: "<reason>" }`,
    input,
    'runs-on',
  );
}

/** `ubuntu-24.04` or `[self-hosted, windows]`, for tables and messages. */
export function formatRunsOn(runsOn: RunsOn): string {
  return typeof runsOn === 'string' ? runsOn : `[${runsOn.join(', ')}]`;
}
