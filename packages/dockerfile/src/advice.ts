/**
 * The fixes lint messages advise, in the words a user acts on: the xplat.yml field
 * (`build-args`, `build-on: linux`, `runs-on`) or the `xplat lint` flag (`--build-arg`,
 * `--builder`, `--host-os-version`, `--runner`), never an option name of this package.
 * One place, so every message says it the same way.
 */
import type { Platform } from '@xplat/core';
import { windowsRuns } from './leg.js';
import { planStages } from './plan.js';
import type { ParsedDockerfile, StagePlanOptions } from './types.js';

const LINUX_AMD64: Platform = { os: 'linux', architecture: 'amd64' };

/** A YAML flow value: quoted when it holds more than a plain word (`golang:1.23`, spaces). */
function yamlValue(value: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(value) ? value : JSON.stringify(value);
}

/** `build-args: { NAME: value } on this platform in xplat.yml (--build-arg NAME=value)`. */
export function buildArgAdvice(name: string, value: string): string {
  return `build-args: { ${name}: ${yamlValue(value)} } on this platform in xplat.yml (--build-arg ${name}=${value})`;
}

/**
 * Whether `build-on: linux` would build this Windows leg: planned with a Linux build
 * machine, none of the Windows stages it reaches has a RUN (BuildKit on Linux cannot
 * execute one; see XP025). False for a Linux leg, and when the file cannot be planned so.
 */
export function buildOnLinuxWorks(parsed: ParsedDockerfile, options: StagePlanOptions): boolean {
  if (options.platform.os !== 'windows') return false;
  try {
    const plan = planStages(parsed, { ...options, buildPlatform: LINUX_AMD64 });
    return windowsRuns(parsed, plan).length === 0;
  } catch {
    return false;
  }
}

/**
 * `; or build this leg on Linux with BuildKit (build-on: linux in xplat.yml)` when that
 * would build this Windows leg (see buildOnLinuxWorks), else ''. `why` says what it
 * changes, e.g. `where $BUILDPLATFORM is Linux`.
 */
export function buildOnLinuxAdvice(
  parsed: ParsedDockerfile,
  options: StagePlanOptions,
  why = 'its Windows stages only copy files',
): string {
  return buildOnLinuxWorks(parsed, options)
    ? `; or build this leg on Linux with BuildKit (build-on: linux in xplat.yml; ${why})`
    : '';
}
