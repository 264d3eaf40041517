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
  type Platform,
  RunnerError,
  runnerFor,
  type RunnerChoice,
} from '@xplat/core';
import { parseRepository } from '@xplat/registry';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { dedupe, sortProblems, zodProblems, type ProblemAt } from './config-problems.js';
import { formatField, offsetOf, pathAt } from './config-positions.js';
import {
  ConfigError,
  type ActionSource,
  type ConfigPath,
  type ConfigProblem,
  type RegistryLogin,
  type ResolvedConfig,
  type ResolvedLeg,
} from './config-types.js';
import { DEFAULT_XPLAT_USES } from './pins.js';
import { configSchema, type XplatConfigData } from './schema.js';
import { DEFAULT_TAGS, parseTagTemplate } from './tags.js';

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

// The types and the position helpers are part of this module's public face.
export * from './config-types.js';
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
