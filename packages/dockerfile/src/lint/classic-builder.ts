/**
 * XP017: BuildKit-only syntax on a leg the classic builder builds, which every Windows
 * leg does unless `builder` says otherwise. render.ts owns the list of what the classic
 * builder rejects (it must know it to render the file), so this only decides when it applies.
 */
import { classicBuilderProblems } from '../render.js';
import type { LintContext } from './context.js';

export function checkClassicBuilder(ctx: LintContext): void {
  const { parsed, plan, options } = ctx;
  const classic =
    options.builder === 'classic' ||
    (options.builder === undefined && options.platform.os === 'windows');
  if (classic) {
    for (const f of classicBuilderProblems(parsed, plan, options)) ctx.findings.push(f);
  }
}
