/**
 * XP012–XP015: RUN --network=host and HEALTHCHECK. Windows has no host network and
 * runs a shell-form HEALTHCHECK with cmd; --start-interval needs Docker Engine 25.
 */
import type { ParsedStage, Stage } from '../types.js';
import { stageLabel, type LintContext } from './context.js';
import { words } from './instruction-words.js';

const POSIX_SHELL_SYNTAX: [RegExp, string][] = [
  [/\$\(/, '$('],
  [/`/, '`'],
  [/(^|\s)\[\s/, '[ ... ]'],
  [/;/, ';'],
  [/'/, "'"],
  [/\/dev\/null/, '/dev/null'],
  [/(^|\s)(wget|test|sh|bash)(\s|$)/, 'a POSIX command'],
  [/(^|\s)\/(bin|usr)\//, 'a POSIX path'],
];

export function checkRunAndHealthcheck(ctx: LintContext, stage: Stage, ps: ParsedStage): void {
  const windows = stage.platform.os === 'windows';
  for (const ins of ps.instructions) {
    if (ins.keyword === 'RUN') {
      const net = ins.flags.find((f) => f.name === 'network' && f.value === 'host');
      if (net) {
        if (windows) {
          ctx.add(
            'XP012',
            net.line,
            `RUN --network=host cannot work in ${stageLabel(stage)}: Windows containers have no host network; drop the flag (the default nat network reaches the internet)`,
          );
        } else {
          ctx.add(
            'XP013',
            net.line,
            'RUN --network=host needs the network.host entitlement (buildx build --allow network.host) and the classic builder rejects it; drop it and give the whole build a network instead (the build-platform-image input network: host, xplat build --network host)',
          );
        }
      }
    }
    if (ins.keyword !== 'HEALTHCHECK') continue;
    const start = ins.flags.find((f) => f.name === 'start-interval');
    if (start) {
      const major = ctx.options.engineVersion
        ? Number(/^(\d+)/.exec(ctx.options.engineVersion)?.[1])
        : undefined;
      if (major === undefined || major < 25) {
        ctx.add(
          'XP015',
          start.line,
          `HEALTHCHECK --start-interval needs Docker Engine 25 or later${major !== undefined ? ` (this engine is ${ctx.options.engineVersion})` : ''}; older engines fail with "Unknown flag: start-interval": drop it (use --start-period) or require a newer engine`,
          major !== undefined ? 'error' : undefined,
        );
      }
    }
    if (!windows) continue;
    const [sub, ...rest] = words(ins);
    if (sub?.toUpperCase() !== 'CMD') continue;
    const body = ins.args.replace(/^\s*CMD\s+/i, '');
    let shellText: string | undefined;
    let execProgram: string | undefined;
    if (body.trim().startsWith('[')) {
      try {
        const list: unknown = JSON.parse(body);
        if (Array.isArray(list)) {
          if (String(list[0]).toUpperCase() === 'CMD-SHELL') shellText = list.slice(1).join(' ');
          else execProgram = String(list[0] ?? '');
        }
      } catch {
        shellText = rest.join(' ');
      }
    } else {
      shellText = body;
    }
    if (
      execProgram !== undefined &&
      (/^\/(bin|usr|sbin)\//.test(execProgram) || /\.sh$/.test(execProgram))
    ) {
      ctx.add(
        'XP014',
        ins.line,
        `HEALTHCHECK runs "${execProgram}", which does not exist in ${stageLabel(stage)}; use e.g. HEALTHCHECK CMD ["powershell", "-Command", "try { Invoke-WebRequest -UseBasicParsing http://localhost/ } catch { exit 1 }"]`,
      );
    }
    // A command handed to PowerShell (or cmd itself) is parsed by that program, not here.
    if (shellText !== undefined && !/^\s*(powershell|pwsh|cmd)(\.exe)?\s/i.test(shellText)) {
      const hit = POSIX_SHELL_SYNTAX.find(([re]) => re.test(shellText as string));
      if (hit) {
        ctx.add(
          'XP014',
          ins.line,
          `HEALTHCHECK's shell form runs with cmd /S /C in ${stageLabel(stage)}, which does not understand ${hit[1]}; use the exec form, e.g. HEALTHCHECK CMD ["curl.exe", "-f", "http://localhost/"], or CMD ["powershell", "-Command", "..."]`,
        );
      }
    }
  }
}
