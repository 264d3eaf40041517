/**
 * XP023: a flag given twice where Docker takes it once (`FROM --platform=a --platform=b`).
 * Docker's flag parser refuses the whole file ("Duplicate flag specified"), whichever
 * stage it is in, so every instruction of the file is checked, reachable or not.
 */
import type { ParsedInstruction } from '../types.js';
import type { LintContext } from './context.js';

/** Flags Docker collects into a list (each use adds one). */
const REPEATABLE: Record<string, readonly string[]> = {
  RUN: ['mount'],
  COPY: ['exclude'],
  ADD: ['exclude'],
};

export function checkDuplicateFlags(ctx: LintContext): void {
  const all: ParsedInstruction[] = [
    ...ctx.parsed.preamble,
    ...ctx.parsed.stages.flatMap((s) => s.instructions),
  ];
  for (const ins of all) {
    const seen = new Map<string, number>();
    for (const flag of ins.flags) {
      const first = seen.get(flag.name);
      if (first === undefined) {
        seen.set(flag.name, flag.line);
        continue;
      }
      if (REPEATABLE[ins.keyword]?.includes(flag.name)) continue;
      ctx.add(
        'XP023',
        flag.line,
        `${ins.keyword} has --${flag.name} twice (line ${first} and here); Docker refuses the file ("Duplicate flag specified: ${flag.name}"): keep one --${flag.name}`,
      );
    }
  }
}
