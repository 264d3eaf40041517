/**
 * XP017: BuildKit-only syntax on a leg the classic builder builds, which every Windows
 * leg built on Windows does unless `builder` says otherwise (see isClassicLeg). render.ts owns the list of what the classic
 * builder rejects (it must know it to render the file), so this only decides when it applies.
 *
 * XP024: `FROM --platform=$BUILDPLATFORM` says "run this stage on the build machine",
 * which authors write for a Linux build machine cross-compiling for the target. The
 * classic builder on Windows has only its own host: BUILDPLATFORM is Windows there, so
 * the stage's RUN steps run in a Windows container. An error when one of them is
 * written for a POSIX shell (GOOS=... go build, export, chmod, /usr/...); a stage whose
 * RUN steps also work on Windows is fine (the repository's multi-os example is one).
 */
import { buildOnLinuxAdvice } from '../advice.js';
import { referencedVariables } from '../args.js';
import { isLinuxOnlyImageName, isWindowsImageName, splitImage } from '../images.js';
import { isClassicLeg } from '../leg.js';
import { classicBuilderProblems } from '../render.js';
import type { LintContext } from './context.js';
import { parsedStage, rootImage, stageLabel } from './context.js';
import { POSIX_COMMANDS, POSIX_PATH } from './os-content.js';
import { posixForAnyWindowsShell } from './windows-shell.js';

/** What in a RUN is written for a POSIX shell, whatever the Windows shell is. */
function posixRun(text: string): string | undefined {
  const syntax = posixForAnyWindowsShell(text);
  if (syntax) return syntax;
  const cmd = POSIX_COMMANDS.exec(text)?.[2];
  if (cmd) return `"${cmd}"`;
  const p = POSIX_PATH.exec(text)?.[2];
  return p ? `"${p}"` : undefined;
}

export function checkClassicBuilder(ctx: LintContext): void {
  const { parsed, plan, options } = ctx;
  if (!isClassicLeg(options)) return;
  for (const f of classicBuilderProblems(parsed, plan, options)) ctx.findings.push(f);
  checkBuildPlatformStages(ctx);
}

function checkBuildPlatformStages(ctx: LintContext): void {
  if (ctx.options.platform.os !== 'windows') return;
  for (const stage of ctx.plan.stages) {
    const ps = parsedStage(ctx, stage);
    if (stage.platform.os !== 'windows' || !ps.platformFlag) continue;
    const names = referencedVariables(ps.platformFlag, ctx.parsed.escapeChar);
    if (!names.some((n) => n === 'BUILDPLATFORM' || n === 'BUILDOS')) continue;
    let what: string | undefined;
    const run = ps.instructions.find(
      (i) => i.keyword === 'RUN' && (what = posixRun(i.json ? i.json.join(' ') : i.args)),
    );
    if (!run || !what) continue;
    // A Windows-tagged base says the author meant Windows; a Linux-only one is XP005's.
    const ref = splitImage(rootImage(ctx, stage));
    if (isWindowsImageName(ref) || isLinuxOnlyImageName(ref)) continue;
    ctx.add(
      'XP024',
      stage.line,
      `FROM --platform=${ps.platformFlag} runs ${stageLabel(stage)} on the build machine, and the classic builder of this Windows leg has only the Windows host, so RUN on line ${run.line} (${what}, written for a POSIX shell) runs in a Windows ${ref.repository} container, not on Linux; make the stage Windows-native (a Windows-tagged base and Windows commands)${buildOnLinuxAdvice(ctx.parsed, ctx.options, 'where $BUILDPLATFORM is Linux')}`,
    );
  }
}
