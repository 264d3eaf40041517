/**
 * Loading xplat.yml: YAML with source positions, the strict schema, then the checks that
 * span fields (platforms and their runners, duplicates, the registry). Every problem is
 * reported at once, each as `file:line:column: field: what is wrong and what is right`.
 */
import path from 'node:path';
import {
  formatPlatform,
  parsePlatform,
  platformPair,
  XplatError,
  type Platform,
  RunnerError,
  runnerFor,
  type RunnerChoice,
  type RunsOn,
} from '@xplat/core';
import { parseRepository } from '@xplat/registry';
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { z } from 'zod';
import { DEFAULT_XPLAT_USES } from './pins.js';
import { configSchema, type SmokeSettings, type XplatConfigData } from './schema.js';
import { DEFAULT_TAGS, parseTagTemplate, type TagTemplate } from './tags.js';

export const CONFIG_FILE = 'xplat.yml';
/** The largest xplat.yml read: a real one is a few KiB; past this it is not a config. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** YAML aliases expanded at most (a larger count is an alias bomb). */
const MAX_ALIAS_COUNT = 100;
export const DEFAULT_BRANCHES: readonly string[] = ['main'];
export const DEFAULT_GIT_TAGS: readonly string[] = ['v*'];
export const DEFAULT_TIMEOUT_MINUTES = 60;
export const DEFAULT_FUSE_RUNNER = 'ubuntu-24.04';
export const GHCR = 'ghcr.io';

export type ConfigPath = readonly (string | number)[];

export interface ConfigProblem {
  /** `platforms[1].runs-on`; `(file)` when the problem is the whole document. */
  readonly field: string;
  readonly path: ConfigPath;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Every problem of an xplat.yml, one line each: `xplat.yml:4:5: platforms[0]: ...`. */
export class ConfigError extends XplatError {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}

export function formatProblem(file: string, p: ConfigProblem): string {
  return `${file}:${p.line}:${p.column}: ${p.field}: ${p.message}`;
}

export interface ResolvedLeg {
  readonly platform: Platform;
  /** `windows/amd64:ltsc2022`: the matrix key and the gate's expected platform. */
  readonly name: string;
  /** `windows-amd64-ltsc2022`: artifact names. */
  readonly pair: string;
  readonly runner: RunnerChoice;
  /** Build context folder from the repository root (this platform's, else the top-level). */
  readonly context: string;
  /** Dockerfile path from the repository root (this platform's, else the top-level). */
  readonly dockerfile: string;
  /** Stage to build (this platform's, else the top-level); undefined: the last stage. */
  readonly target: string | undefined;
  /** Top-level build args with this platform's on top. */
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Top-level smoke settings with this platform's on top. */
  readonly smoke: SmokeSettings;
}

export interface RegistryLogin {
  readonly host: string;
  /** A literal or an expression (`${{ github.actor }}`, `${{ secrets.X }}`). */
  readonly username: string;
  /** Always an expression: `${{ secrets.X }}`. */
  readonly password: string;
  /** The password is GITHUB_TOKEN: jobs that push need `packages: write`. */
  readonly githubToken: boolean;
}

export type ActionSource =
  | { readonly kind: 'remote'; readonly repository: string; readonly ref: string }
  | { readonly kind: 'local'; readonly dir: string };

export interface ResolvedConfig {
  readonly file: string;
  readonly image: string;
  readonly registry: string;
  readonly login: RegistryLogin | undefined;
  readonly context: string;
  readonly dockerfile: string;
  readonly target: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly cache: string | undefined;
  readonly legTag: string | undefined;
  readonly legs: readonly ResolvedLeg[];
  /**
   * Where `xplat run` builds a platform that this machine's engine cannot: platform name
   * (`windows/amd64:ltsc2022`) -> a docker context name or a DOCKER_HOST URL
   * (`ssh://builder@winhost`, `tcp://…`, `npipe://…`, `unix://…`). Not used by the workflow.
   */
  readonly engines: Readonly<Record<string, string>>;
  readonly tags: readonly TagTemplate[];
  readonly triggers: {
    readonly branches: readonly string[];
    readonly tags: readonly string[];
    readonly pullRequests: boolean;
    readonly workflowDispatch: boolean;
    readonly schedule: readonly string[];
  };
  readonly actions: ActionSource;
  readonly pinActions: boolean;
  /** Attest the fused index (actions/attest-build-provenance) when the fuse job runs. */
  readonly attest: boolean;
  readonly workflow: {
    readonly name: string;
    readonly timeoutMinutes: number;
    readonly fuseRunsOn: RunsOn;
  };
}

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

type ProblemAt = (p: ConfigPath, message: string, asKey?: boolean) => ConfigProblem;

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
      if (CONTROL.test(value.trim())) out.push(problem(p, say(value)));
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

function resolve(
  data: XplatConfigData,
  file: string,
  problem: ProblemAt,
): { config: ResolvedConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];

  // Checked by the schema already: this cannot throw here.
  const registry = parseRepository(data.image, '').registry;

  const context = data.context ?? '.';
  const dockerfile = data.dockerfile ?? path.posix.join(context, 'Dockerfile');
  const topArgs = data['build-args'] ?? {};
  const topSmoke = data.smoke ?? {};

  const legs: ResolvedLeg[] = [];
  const seen = new Map<string, number>();
  data.platforms.forEach((entry, i) => {
    const object = typeof entry === 'string' ? undefined : entry;
    const platformPath: ConfigPath = object ? ['platforms', i, 'platform'] : ['platforms', i];
    const platformText = object ? object.platform : (entry as string);
    let platform: Platform;
    try {
      platform = parsePlatform(platformText, '');
    } catch (error) {
      problems.push(problem(platformPath, (error as Error).message));
      return;
    }
    const name = formatPlatform(platform);
    const first = seen.get(name);
    if (first !== undefined) {
      problems.push(problem(platformPath, `${name} is listed twice (also platforms[${first}])`));
      return;
    }
    seen.set(name, i);
    let runner: RunnerChoice;
    try {
      runner = runnerFor(
        platform,
        {
          ...(object?.['runs-on'] !== undefined ? { runsOn: object['runs-on'] } : {}),
          ...(object?.qemu !== undefined ? { qemu: object.qemu } : {}),
        },
        '',
      );
    } catch (error) {
      if (!(error instanceof RunnerError)) throw error;
      const fieldPath: ConfigPath =
        error.field === 'qemu' && object?.qemu !== undefined
          ? ['platforms', i, 'qemu']
          : error.field === 'runs-on' && object?.['runs-on'] !== undefined
            ? ['platforms', i, 'runs-on']
            : platformPath;
      problems.push(problem(fieldPath, error.message));
      return;
    }
    // The platform's own entry, then its OS family's shorthand, then the top level.
    const family = platform.os === 'windows' ? data.windows : data.linux;
    const legContext = object?.context ?? family?.context ?? context;
    legs.push({
      platform,
      name,
      pair: platformPair(platform),
      runner,
      context: legContext,
      dockerfile:
        object?.dockerfile ??
        family?.dockerfile ??
        data.dockerfile ??
        path.posix.join(legContext, 'Dockerfile'),
      target: object?.target ?? family?.target ?? data.target,
      buildArgs: {
        ...topArgs,
        ...(family?.['build-args'] ?? {}),
        ...(object?.['build-args'] ?? {}),
      },
      smoke: { ...topSmoke, ...(object?.smoke ?? {}) },
    });
  });

  // A shorthand for an OS that no platform has is a leftover or a typo, never intended.
  for (const os of ['linux', 'windows'] as const) {
    if (data[os] === undefined || legs.some((l) => l.platform.os === os)) continue;
    if (problems.length) continue; // a platform that failed to parse may be the one
    problems.push(
      problem(
        [os],
        `applies to no platform: platforms: lists no ${os}/… platform; remove ${os}: or add a ${os === 'linux' ? 'Linux' : 'Windows'} platform`,
        true,
      ),
    );
  }

  // engines: keys are platforms; each must be one of the configured platforms.
  const engines: Record<string, string> = {};
  for (const [key, endpoint] of Object.entries(data.engines ?? {})) {
    let name: string;
    try {
      name = formatPlatform(parsePlatform(key, ''));
    } catch (error) {
      problems.push(problem(['engines', key], (error as Error).message, true));
      continue;
    }
    if (!seen.has(name)) {
      problems.push(
        problem(
          ['engines', key],
          `${name} is not in platforms: (${[...seen.keys()].join(', ')}); name one of those`,
          true,
        ),
      );
      continue;
    }
    engines[name] = endpoint;
  }

  const reg = data.registry ?? {};
  if (reg.username !== undefined && reg['username-secret'] !== undefined)
    problems.push(
      problem(['registry', 'username-secret'], 'give username or username-secret, not both', true),
    );
  const ghcr = registry === GHCR;
  const passwordSecret = reg['password-secret'] ?? (ghcr ? 'GITHUB_TOKEN' : 'REGISTRY_PASSWORD');
  const username =
    reg.username ??
    (reg['username-secret']
      ? `\${{ secrets.${reg['username-secret']} }}`
      : ghcr
        ? '${{ github.actor }}'
        : '${{ secrets.REGISTRY_USERNAME }}');
  const login: RegistryLogin | undefined =
    reg.login === false
      ? undefined
      : {
          host: registry,
          username,
          password: `\${{ secrets.${passwordSecret} }}`,
          githubToken: passwordSecret === 'GITHUB_TOKEN',
        };

  const uses = data.xplat?.uses ?? DEFAULT_XPLAT_USES;
  const actions: ActionSource = uses.startsWith('./')
    ? { kind: 'local', dir: uses.replace(/\/+$/, '') }
    : {
        kind: 'remote',
        repository: uses.slice(0, uses.indexOf('@')),
        ref: uses.slice(uses.indexOf('@') + 1),
      };

  const config: ResolvedConfig = {
    file,
    image: data.image,
    registry,
    login,
    context,
    dockerfile,
    target: data.target,
    labels: data.labels ?? {},
    cache: data.cache,
    legTag: data['leg-tag'],
    legs,
    engines,
    tags: (data.tags ?? DEFAULT_TAGS).map(parseTagTemplate),
    triggers: {
      branches: data.triggers?.branches ?? DEFAULT_BRANCHES,
      tags: data.triggers?.tags ?? DEFAULT_GIT_TAGS,
      pullRequests: data.triggers?.['pull-requests'] ?? true,
      workflowDispatch: data.triggers?.['workflow-dispatch'] ?? true,
      schedule: data.triggers?.schedule ?? [],
    },
    actions,
    pinActions: data['pin-actions'] ?? false,
    attest: data.attest ?? true,
    workflow: {
      name: data.workflow?.name ?? 'xplat',
      timeoutMinutes: data.workflow?.['timeout-minutes'] ?? DEFAULT_TIMEOUT_MINUTES,
      fuseRunsOn: data.workflow?.['fuse-runs-on'] ?? DEFAULT_FUSE_RUNNER,
    },
  };
  return { config, problems };
}

// ---- zod issues -> problems -------------------------------------------------------------

type Issue = z.core.$ZodIssue;

function zodProblems(
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

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

// ---- positions --------------------------------------------------------------------------

/** `platforms[1].runs-on`. */
export function formatField(p: ConfigPath): string {
  if (p.length === 0) return '(file)';
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function getIn(data: unknown, p: ConfigPath): unknown {
  let value = data;
  for (const segment of p) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function keyText(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

/**
 * The source offset of the node at `p` (its key with asKey). A path that does not exist
 * (a missing field) points at the deepest part that does.
 */
function offsetOf(doc: Document, p: ConfigPath, asKey: boolean): number {
  let node: unknown = doc.contents;
  let best: Node | null | undefined = doc.contents;
  for (let i = 0; i < p.length; i++) {
    const segment = p[i]!;
    const last = i === p.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      if (last && asKey) {
        best = key;
        break;
      }
      node = value;
      best = value && !(isScalar(value) && value.value === null) ? value : key;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      node = item;
      best = item;
    } else break;
  }
  return best?.range?.[0] ?? 0;
}

/**
 * The field a YAML error is about: the last key or list item that starts at or before
 * `offset` (a syntax error leaves no node that holds it).
 */
function pathAt(doc: Document, offset: number): ConfigPath {
  let best: { start: number; path: ConfigPath } = { start: -1, path: [] };
  const visit = (node: unknown, at: ConfigPath): void => {
    const consider = (start: number | undefined, p: ConfigPath) => {
      if (start !== undefined && start <= offset && start >= best.start) best = { start, path: p };
    };
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const p = [...at, keyText(pair.key) ?? '?'];
        consider((pair.key as Node | null)?.range?.[0], p);
        visit(pair.value, p);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        consider((item as Node | null)?.range?.[0], [...at, i]);
        visit(item, [...at, i]);
      });
    }
  };
  visit(doc.contents, []);
  return best.path;
}
