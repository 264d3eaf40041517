/**
 * XP025: a RUN in a Windows stage of a Windows leg built on Linux (`build-on: linux`).
 * BuildKit on a Linux machine assembles Windows images from files (it pulls the Windows
 * base, copies into it and writes the layers), but it has no Windows to execute a
 * command in, so every RUN of a Windows stage the leg reaches fails the build. Stages on
 * $BUILDPLATFORM (Linux there) and other Linux stages may RUN: that is where the binaries
 * of such images are built.
 */
import { isWindowsOnLinux } from '../leg.js';
import type { ParsedStage, Stage } from '../types.js';
import { stageLabel, type LintContext } from './context.js';

export function checkWindowsRunOnLinux(ctx: LintContext, stage: Stage, ps: ParsedStage): void {
  if (!isWindowsOnLinux(ctx.options) || stage.platform.os !== 'windows') return;
  for (const ins of ps.instructions) {
    if (ins.keyword !== 'RUN') continue;
    ctx.add(
      'XP025',
      ins.line,
      `RUN in ${stageLabel(stage)} cannot run: this leg is built by BuildKit on Linux (build-on: linux), which cannot execute Windows commands; move the step to a Linux stage (FROM --platform=$BUILDPLATFORM ...) and COPY --from its output, or build this leg on Windows (drop build-on: linux in xplat.yml)`,
    );
  }
}
