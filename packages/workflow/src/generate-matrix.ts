/**
 * Matrix keys of the generated jobs: a value every entry shares becomes a literal input;
 * one that differs becomes a matrix key (present in every entry, so every leg reads a
 * defined value) and the input reads `${{ matrix.<key> }}`.
 */
import { multiline, type Input } from './generate-steps.js';

export interface Varying {
  readonly key: string;
  readonly values: readonly string[];
}

export function vary<T>(items: readonly T[], key: string, of: (item: T) => string): Varying {
  return { key, values: items.map(of) };
}

export function isUniform(v: Varying): boolean {
  return v.values.every((x) => x === v.values[0]);
}

/** The literal when every entry has it, else the matrix expression. */
export function inputFor(v: Varying): Input {
  return isUniform(v) ? (v.values[0] ?? '') : `\${{ matrix.${v.key} }}`;
}

/**
 * The matrix `include` list: the fixed keys of each entry, then every key that varies
 * (and the `always` ones, which the job's own expressions read whatever their values).
 */
export function matrixInclude<T>(
  items: readonly T[],
  fixed: (item: T) => Record<string, unknown>,
  keys: readonly Varying[],
  always: readonly Varying[] = [],
): Record<string, unknown>[] {
  const varying = [...always, ...keys.filter((v) => !isUniform(v) && !always.includes(v))];
  return items.map((item, i) => {
    const entry = fixed(item);
    for (const v of varying) entry[v.key] = multiline(v.values[i]!);
    return entry;
  });
}
