/**
 * What kind of build a leg is, as the checks and the classic-builder rendering need to
 * know it. A Windows image is built either by the Windows engine's classic builder on a
 * Windows host (the default), or by BuildKit on a Linux machine (`build-on: linux` in
 * xplat.yml): then there is no Windows host whose release matters, no classic builder,
 * and nothing can execute a Windows command.
 */
import type { LintOptions, ParsedDockerfile, ParsedInstruction, StagePlan } from './types.js';

/** A Windows leg built by BuildKit on a Linux machine (`build-on: linux`). */
export function isWindowsOnLinux(
  options: Pick<LintOptions, 'platform' | 'buildPlatform'>,
): boolean {
  return options.platform.os === 'windows' && options.buildPlatform.os === 'linux';
}

/**
 * Whether the classic builder builds this leg: when `builder` says so, and for every
 * Windows leg built on Windows when it says nothing (hosted Windows runners have no
 * BuildKit). A Windows leg built on Linux is BuildKit's.
 */
export function isClassicLeg(options: LintOptions): boolean {
  if (options.builder !== undefined) return options.builder === 'classic';
  return options.platform.os === 'windows' && !isWindowsOnLinux(options);
}

/** The RUN instructions of the Windows stages the plan reaches, in file order. */
export function windowsRuns(parsed: ParsedDockerfile, plan: StagePlan): ParsedInstruction[] {
  return plan.stages
    .filter((s) => s.platform.os === 'windows')
    .flatMap((s) => parsed.stages[s.index]?.instructions ?? [])
    .filter((i) => i.keyword === 'RUN');
}
