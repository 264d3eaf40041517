/**
 * XP018: FROM lines that resolve to something other than what was meant: a variable
 * declared only inside a stage (empty at FROM), or a per-platform stage name such as
 * install-${TARGETOS} for which this platform has no stage, so it would be pulled.
 */
import { formatPlatform } from '@xplat/core';
import { PLATFORM_ARG_NAMES, referencedVariables } from '../args.js';
import { parsedStage, type LintContext } from './context.js';
import { PLATFORM_ARGS } from './platform-args.js';

export function checkFromResolution(ctx: LintContext): void {
  const { parsed, plan } = ctx;
  const globals = new Set([...parsed.globalArgs.map((a) => a.name), ...PLATFORM_ARG_NAMES]);
  const stageNames = parsed.stages.flatMap((s) => (s.name ? [s.name] : []));
  for (const stage of plan.stages) {
    const ps = parsedStage(ctx, stage);
    const written = [ps.from, ps.platformFlag ?? ''].join(' ');
    for (const name of referencedVariables(written, parsed.escapeChar)) {
      if (globals.has(name)) continue;
      ctx.add(
        'XP018',
        stage.line,
        `FROM uses \${${name}}, which is not declared before the first FROM, so it is empty there; add "ARG ${name}=<default>" at the top of the file`,
      );
    }
    const usesPlatform = referencedVariables(ps.from, parsed.escapeChar).some((n) =>
      PLATFORM_ARGS.has(n),
    );
    if (usesPlatform && !stage.isStageRef) {
      const candidates = stageNames.filter((n) =>
        n.startsWith(stage.resolvedFrom.replace(/(linux|windows|amd64|arm64|arm)$/i, '')),
      );
      if (candidates.length > 0) {
        ctx.missingStages.add(stage.line);
        ctx.add(
          'XP018',
          stage.line,
          `FROM ${ps.from} resolves to "${stage.resolvedFrom}" for ${formatPlatform(ctx.options.platform)}, which is no stage of this file (there are ${candidates.join(', ')}), so it would be pulled as an image; add a stage "AS ${stage.resolvedFrom}"`,
        );
      }
    }
  }
}
