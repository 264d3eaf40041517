/**
 * Loading xplat.yml: YAML with source positions, the strict schema, then the checks that
 * span fields (platforms and their runners, duplicates, the registry). Every problem is
 * reported at once, each as `file:line:column: field: what is wrong and what is right`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { dedupe, sortProblems, zodProblems, type ProblemAt } from './config-problems.js';
import { formatField, offsetOf, pathAt } from './config-positions.js';
import { resolve } from './config-resolve.js';
import {
  ConfigError,
  type ConfigPath,
  type ConfigProblem,
  type ResolvedConfig,
} from './config-types.js';
import { configSchema } from './schema.js';

export const CONFIG_FILE = 'xplat.yml';
/** The largest xplat.yml read: a real one is a few KiB; past this it is not a config. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** YAML aliases expanded at most (a larger count is an alias bomb). */
const MAX_ALIAS_COUNT = 100;

// The types, defaults and position helpers are part of this module's public face.
export * from './config-types.js';
export {
  DEFAULT_BRANCHES,
  DEFAULT_FUSE_RUNNER,
  DEFAULT_GIT_TAGS,
  DEFAULT_TIMEOUT_MINUTES,
  GHCR,
  imageNameOf,
} from './config-resolve.js';
export { formatField } from './config-positions.js';

/** Parse, validate and resolve the text of an xplat.yml. Throws ConfigError. */
export function loadConfig(text: string, file = CONFIG_FILE): ResolvedConfig {
  const whole = (message: string): ConfigError =>
    new ConfigError(file, [{ field: '(file)', path: [], message, line: 1, column: 1 }]);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) throw whole(tooLarge(bytes));
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in one pass: the parser's own check is quadratic.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const problem = (p: ConfigPath, message: string, asKey = false): ConfigProblem => ({
    field: formatField(p),
    path: p,
    message,
    ...at(offsetOf(doc, p, asKey)),
  });

  const errors: readonly { message: string; pos: [number, number] }[] = doc.errors.length
    ? doc.errors
    : duplicateKeys(doc);
  if (errors.length) {
    throw new ConfigError(
      file,
      errors.map((e) => {
        const p = pathAt(doc, e.pos[0]);
        return {
          field: formatField(p),
          path: p,
          message: `YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
          ...at(e.pos[0]),
        };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // An alias bomb ("Excessive alias count indicates a resource exhaustion attack").
    throw whole(`YAML: ${(error as Error).message.split('\n')[0]}; expand fewer aliases`);
  }
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(file, [
      {
        field: '(file)',
        path: [],
        message:
          'must be a mapping with at least image: and platforms: (e.g. image: ghcr.io/org/app)',
        line: 1,
        column: 1,
      },
    ]);
  }

  const control = controlCharacters(data, [], problem);
  const parsed = configSchema.safeParse(data);
  if (!parsed.success || control.length) {
    // A field with a control character is reported for that alone (its other complaints,
    // "not a valid tag", follow from it).
    const fields = new Set(control.map((p) => p.field));
    const problems = (
      parsed.success ? [] : zodProblems(parsed.error.issues, [], data, problem)
    ).filter((p) => !fields.has(p.field));
    throw new ConfigError(file, sortProblems(dedupe([...control, ...problems])));
  }
  const { config, problems } = resolve(parsed.data, file, problem);
  if (problems.length) throw new ConfigError(file, sortProblems(problems));
  return config;
}

export function tooLarge(bytes: number): string {
  return `is ${bytes} bytes; an xplat.yml is at most ${MAX_CONFIG_BYTES} bytes (1 MiB): is this the right file?`;
}

/** Control characters other than tab, and line breaks inside a value (not at its ends). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/;
const CONTROL_NAMES: Record<string, string> = { '\n': 'a line break', '\r': 'a carriage return' };

/**
 * Every string of the document (keys and values) with a control character inside it: a
 * value becomes one line of an action input (`build-args: A=1`), so a line break would
 * split it into two entries (`A=1` and `INJECTED=evil`). Leading and trailing line
 * breaks (a YAML block scalar's) are not inside the value and pass.
 */
function controlCharacters(data: unknown, at: ConfigPath, problem: ProblemAt): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const say = (value: string) => {
    const c = CONTROL.exec(value.trim())![0];
    return `holds ${CONTROL_NAMES[c] ?? `the control character U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`}; a value must be one line (a line break would split it into two entries)`;
  };
  const visit = (value: unknown, p: ConfigPath, depth: number): void => {
    if (out.length >= 20 || depth > 50) return;
    if (typeof value === 'string') {
      // A prepare step's run: is a script: line breaks (not other control characters) are its own.
      const script = p[p.length - 1] === 'run' && p[p.length - 3] === 'prepare';
      const text = script ? value.replace(/\r?\n/g, ' ') : value;
      if (CONTROL.test(text.trim())) out.push(problem(p, say(text)));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...p, i], depth + 1));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (CONTROL.test(key)) out.push(problem([...p, key], `the key ${say(key)}`, true));
        else visit(item, [...p, key], depth + 1);
      }
    }
  };
  visit(data, at, 0);
  return out;
}

/** "Map keys must be unique", in one pass over every mapping (the parser's is quadratic). */
function duplicateKeys(doc: Document): { message: string; pos: [number, number] }[] {
  const out: { message: string; pos: [number, number] }[] = [];
  const stack: unknown[] = [doc.contents];
  for (let budget = 10_000_000; stack.length && budget > 0; budget--) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? `s:${String(pair.key.value)}` : undefined;
        if (key !== undefined) {
          if (seen.has(key)) {
            const start = (pair.key as Node).range?.[0] ?? 0;
            out.push({ message: 'Map keys must be unique', pos: [start, start + 1] });
          }
          seen.add(key);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return out.sort((a, b) => a.pos[0] - b.pos[0]);
}
