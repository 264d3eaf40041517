/**
 * XP010–XP011: platform ARGs and ENV. A stage sees TARGETOS and friends only after its
 * own ARG line, and ENV set twice with per-OS values does not switch on the platform.
 */
import type { Property as AstProperty } from 'dockerfile-ast';
import {
  argDeclarations,
  expandVariables,
  PLATFORM_ARG_NAMES,
  referencedVariables,
} from '../args.js';
import { isLinuxOnlyImageName, isWindowsImageName, splitImage } from '../images.js';
import type { ParsedInstruction, ParsedStage, Stage } from '../types.js';
import { stageLabel, type LintContext } from './context.js';

export const PLATFORM_ARGS = new Set<string>(PLATFORM_ARG_NAMES);

export function checkPlatformArgs(ctx: LintContext, stage: Stage, ps: ParsedStage): void {
  const declared = new Set<string>();
  for (const ins of ps.instructions.slice(1)) {
    if (ins.keyword === 'ARG' || ins.keyword === 'ENV') {
      const props = propertiesOf(ins, ctx.parsed.escapeChar);
      // ENV X=${TARGETOS}: the value is read before X is declared.
      if (ins.keyword === 'ENV')
        reportUndeclared(ctx, stage, ins, props.map((p) => p.value ?? '').join(' '), declared);
      for (const p of props) declared.add(p.name);
      continue;
    }
    // --from (and --mount from=) are resolved in the global scope, where platform ARGs exist.
    const flags = ins.flags.filter((f) => f.name !== 'from' && !(f.value ?? '').includes('from='));
    const text = [ins.args, ...flags.map((f) => f.value ?? '')].join(' ');
    reportUndeclared(ctx, stage, ins, text, declared);
  }
}

function reportUndeclared(
  ctx: LintContext,
  stage: Stage,
  ins: ParsedInstruction,
  text: string,
  declared: Set<string>,
): void {
  const names = new Set(referencedVariables(text, ctx.parsed.escapeChar));
  if (stage.platform.os === 'windows') {
    for (const m of text.matchAll(/%([A-Za-z_][A-Za-z0-9_]*)%|\$env:([A-Za-z_][A-Za-z0-9_]*)/gi))
      names.add((m[1] ?? m[2]) as string);
  }
  for (const name of names) {
    if (!PLATFORM_ARGS.has(name) || declared.has(name)) continue;
    ctx.add(
      'XP010',
      ins.line,
      `${ins.keyword} uses ${name}, but ${stageLabel(stage)} does not declare it, so it is empty here (platform ARGs reach a stage only through ARG); add "ARG ${name}" after this stage's FROM`,
    );
    declared.add(name);
  }
}

interface Prop {
  name: string;
  value: string | null;
}

function propertiesOf(ins: ParsedInstruction, escapeChar = '\\'): Prop[] {
  if (ins.keyword === 'ARG') return argDeclarations(ins.args, escapeChar);
  const node = ins.node as unknown as { getProperties?: () => AstProperty[] };
  return (node.getProperties?.() ?? []).map((p) => ({ name: p.getName(), value: p.getValue() }));
}

const OS_WORDS =
  /linux|windows|\bwin(32|64)?\b|\.exe\b|amd64|arm64|x86_64|aarch64|[A-Za-z]:\\|\/usr\//i;

type OsFamily = 'linux' | 'windows';

/** A stage's OS as its name or its image says, when they say (install-windows, alpine). */
function stageOs(ctx: LintContext, index: number): OsFamily | undefined {
  const ps = ctx.parsed.stages[index];
  if (!ps) return undefined;
  const name = ps.name ?? '';
  if (/(^|[-_.])(windows|win|nanoserver|servercore)($|[-_.])/.test(name)) return 'windows';
  if (/(^|[-_.])linux($|[-_.])/.test(name)) return 'linux';
  let image: string;
  try {
    image = expandVariables(ps.from, ctx.plan.globalValues, ctx.parsed.escapeChar, {
      quotes: true,
    });
  } catch {
    return undefined;
  }
  const ref = splitImage(image);
  if (isWindowsImageName(ref)) return 'windows';
  if (isLinuxOnlyImageName(ref)) return 'linux';
  const from = ctx.parsed.stages.find((s) => s.name === image.toLowerCase() && s.index < index);
  return from ? stageOs(ctx, from.index) : undefined;
}

/**
 * Whether the file builds for both OS families: a FROM picks its stage or image by
 * TARGETOS/TARGETPLATFORM, or it has stages of both. A file for one OS has no per-OS ENV
 * to get wrong, whatever its values look like.
 */
function buildsForBothOs(ctx: LintContext): boolean {
  const { parsed } = ctx;
  const byTarget = parsed.stages.some((ps) =>
    referencedVariables(ps.from, parsed.escapeChar).some(
      (n) => n === 'TARGETOS' || n === 'TARGETPLATFORM',
    ),
  );
  if (byTarget) return true;
  const families = new Set(parsed.stages.map((ps) => stageOs(ctx, ps.index)));
  return families.has('linux') && families.has('windows');
}

/** The file's own per-OS stages, for the fix: `build-linux (linux), build-windows (windows)`. */
function perOsStages(ctx: LintContext): string {
  return ctx.parsed.stages
    .flatMap((ps) => {
      const os = stageOs(ctx, ps.index);
      return ps.name && os ? [`${ps.name} (${os})`] : [];
    })
    .join(', ');
}

export function checkTwoEnv(ctx: LintContext, stage: Stage, ps: ParsedStage): void {
  if (!buildsForBothOs(ctx)) return;
  const seen = new Map<string, { line: number; value: string }>();
  for (const ins of ps.instructions) {
    if (ins.keyword !== 'ENV') continue;
    for (const p of propertiesOf(ins)) {
      const value = p.value ?? '';
      const before = seen.get(p.name);
      seen.set(p.name, { line: ins.line, value });
      if (!before || before.value === value) continue;
      if (referencedVariables(value, ctx.parsed.escapeChar).includes(p.name)) continue;
      if (!OS_WORDS.test(before.value) && !OS_WORDS.test(value)) continue;
      ctx.add(
        'XP011',
        ins.line,
        `ENV ${p.name} is set on line ${before.line} and again here; ENV does not switch on TARGETOS, every platform runs both and gets "${value}" in ${stageLabel(stage)}; set it once in each OS's own stage${
          perOsStages(ctx)
            ? ` (this file has ${perOsStages(ctx)})`
            : ', a stage per OS selected with FROM <name>-${TARGETOS}'
        }`,
      );
    }
  }
}
