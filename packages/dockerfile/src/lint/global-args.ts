/**
 * XP022: a global ARG (declared before the first FROM) used inside a stage that does not
 * declare it again. Global ARGs reach FROM lines only; inside a stage the name expands
 * to empty (or to the base image's variable of that name), which is BuildKit's
 * UndefinedVar build check. Platform ARGs are XP010's.
 */
import { argDeclarations, PLATFORM_ARG_NAMES, referencedVariables } from '../args.js';
import type { ParsedArg, ParsedInstruction, ParsedStage, Stage } from '../types.js';
import { fromChain, parsedStage, stageLabel, type LintContext } from './context.js';

/** Instructions whose arguments Docker itself expands with the stage's ARG and ENV. */
const EXPANDED = new Set([
  'ADD',
  'ARG',
  'COPY',
  'ENV',
  'EXPOSE',
  'LABEL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

const PLATFORM = new Set<string>(PLATFORM_ARG_NAMES);

function envNames(ins: ParsedInstruction): string[] {
  const node = ins.node as unknown as { getProperties?: () => { getName(): string }[] };
  return (node.getProperties?.() ?? []).map((p) => p.getName());
}

/** The names an instruction uses that Docker or the stage's shell expands. */
function usedNames(ins: ParsedInstruction, windows: boolean, escapeChar: string): string[] {
  if (EXPANDED.has(ins.keyword)) {
    // --from and --mount from= are resolved in the global scope, where the ARG exists.
    const flags = ins.flags.filter((f) => f.name !== 'from' && f.name !== 'mount');
    const text =
      ins.keyword === 'ARG'
        ? argDeclarations(ins.args, escapeChar)
            .map((d) => d.value ?? '')
            .join(' ')
        : ins.keyword === 'ENV'
          ? envValues(ins)
          : ins.args;
    return referencedVariables([text, ...flags.map((f) => f.value ?? '')].join(' '), escapeChar);
  }
  if (ins.keyword !== 'RUN') return [];
  const text = ins.json ? ins.json.join(' ') : ins.args;
  if (!windows) return referencedVariables(text, escapeChar);
  // cmd reads %NAME%, PowerShell $env:NAME; a bare $name is a PowerShell variable.
  return [...text.matchAll(/%([A-Za-z_]\w*)%|\$env:([A-Za-z_]\w*)/gi)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
}

function envValues(ins: ParsedInstruction): string {
  const node = ins.node as unknown as { getProperties?: () => { getValue(): string | null }[] };
  return (node.getProperties?.() ?? []).map((p) => p.getValue() ?? '').join(' ');
}

export function checkGlobalArgs(ctx: LintContext, stage: Stage, ps: ParsedStage): void {
  const windows = stage.platform.os === 'windows';
  // Windows variables are case-insensitive; Docker's ARG names are not, but RUN sees env.
  const key = (n: string): string => (windows ? n.toUpperCase() : n);
  const globals = new Map<string, ParsedArg>();
  for (const arg of ctx.parsed.globalArgs) {
    if (!PLATFORM.has(arg.name)) globals.set(key(arg.name), arg);
  }
  if (globals.size === 0) return;
  const known = new Set<string>();
  // ENV of the stages this one is FROM is in its image config.
  for (const parent of fromChain(ctx, stage).slice(1)) {
    for (const ins of parsedStage(ctx, parent).instructions) {
      if (ins.keyword === 'ENV') for (const n of envNames(ins)) known.add(key(n));
    }
  }
  const reported = new Set<string>();
  for (const ins of ps.instructions.slice(1)) {
    if (ins.keyword === 'ONBUILD') continue;
    for (const name of usedNames(ins, windows, ctx.parsed.escapeChar)) {
      const arg = globals.get(key(name));
      if (!arg || known.has(key(name)) || reported.has(key(name))) continue;
      reported.add(key(name));
      ctx.add(
        'XP022',
        ins.line,
        `${ins.keyword} uses ${name}, the global ARG of line ${arg.line}, but ${stageLabel(stage)} does not declare it again, so it is empty here${ins.keyword === 'RUN' ? " (not in RUN's environment)" : ''} unless the base image sets it (a global ARG reaches only FROM lines; BuildKit calls this UndefinedVar); add "ARG ${arg.name}" after this stage's FROM`,
      );
    }
    if (ins.keyword === 'ARG') {
      for (const d of argDeclarations(ins.args, ctx.parsed.escapeChar)) known.add(key(d.name));
    }
    if (ins.keyword === 'ENV') for (const n of envNames(ins)) known.add(key(n));
  }
}
