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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
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

  if (doc.errors.length) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
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
  const data: unknown = doc.toJS();
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

  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error.issues, [], data, problem);
    throw new ConfigError(file, sortProblems(dedupe(problems)));
  }
  const { config, problems } = resolve(parsed.data, file, problem);
  if (problems.length) throw new ConfigError(file, sortProblems(problems));
  return config;
}

type ProblemAt = (p: ConfigPath, message: string, asKey?: boolean) => ConfigProblem;

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
