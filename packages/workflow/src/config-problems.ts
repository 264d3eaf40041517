/**
 * zod's issues as xplat.yml problems: the field, a message that says what is right, a
 * "did you mean" for misspelt keys, and the source position of each.
 */
import type { z } from 'zod';
import type { ConfigPath, ConfigProblem } from './config-types.js';
import { getIn } from './config-positions.js';
import { configSchema } from './schema.js';

export type ProblemAt = (p: ConfigPath, message: string, asKey?: boolean) => ConfigProblem;

type Issue = z.core.$ZodIssue;

export function zodProblems(
  issues: readonly Issue[],
  prefix: ConfigPath,
  data: unknown,
  problem: ProblemAt,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const p: ConfigPath = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(p);
      for (const key of issue.keys) {
        const hint = suggest(key, known);
        out.push(
          problem(
            [...p, key],
            `unknown field${hint ? `; did you mean "${hint}"?` : known.length ? `; known fields: ${known.join(', ')}` : ''}`,
            true,
          ),
        );
      }
      continue;
    }
    if (issue.code === 'invalid_union') {
      // The option whose shape the value has (a string vs a mapping) explains best: the
      // others fail with invalid_type at the value itself.
      const pick = issue.errors.find(
        (branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0),
      );
      if (pick) {
        out.push(...zodProblems(pick, p, data, problem));
        continue;
      }
    }
    const value = getIn(data, p);
    if (value === undefined) {
      out.push(problem(p, requiredMessage(p)));
      continue;
    }
    out.push(problem(p, issue.message));
  }
  return out;
}

function requiredMessage(p: ConfigPath): string {
  const last = p[p.length - 1];
  if (last === 'image') return 'is required: the repository to push to, e.g. ghcr.io/org/app';
  if (last === 'platforms')
    return 'is required: list the platforms, e.g. [linux/amd64, linux/arm64, windows/amd64:ltsc2022]';
  if (last === 'platform')
    return 'is required: the platform of this entry, e.g. windows/amd64:ltsc2022';
  if (last === 'uses') return 'is required: owner/repo@ref or ./actions';
  return 'is required';
}

/** The keys an object of the schema has at `p` (for "did you mean"). */
function knownKeys(p: ConfigPath): string[] {
  let schema: unknown = configSchema;
  for (const segment of [...p, null]) {
    schema = unwrap(schema, segment);
    if (segment === null) break;
    const def = defOf(schema);
    if (def?.type === 'object') schema = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def?.type === 'array') schema = def.element;
    else if (def?.type === 'record') schema = def.valueType;
    else return [];
  }
  const def = defOf(schema);
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

interface Def {
  type: string;
  [key: string]: unknown;
}
function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}
/** Through optional/pipe/default wrappers; a union becomes its object option for a key. */
function unwrap(schema: unknown, segment: string | number | null): unknown {
  for (;;) {
    const def = defOf(schema);
    if (!def) return schema;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable')
      schema = def.innerType;
    else if (def.type === 'pipe') schema = def.in;
    else if (def.type === 'union') {
      const options = def.options as unknown[];
      schema =
        options.find(
          (o) => defOf(o)?.type === (typeof segment === 'number' ? 'array' : 'object'),
        ) ??
        options.find((o) => defOf(o)?.type === 'object') ??
        options[0];
      if (defOf(schema)?.type === 'union') return schema;
    } else return schema;
  }
}

function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3))
    ? best
    : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
