/**
 * What `xplat generate` writes and checks, with the paths relative to a repository root:
 * the workflow from xplat.yml, the reusable workflow, the starter workflow and the
 * editor schema. Each is rendered in memory first, so `--check` compares the same bytes
 * a write would produce.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, XplatError } from '@xplat/core';
import {
  CONFIG_FILE,
  ConfigError,
  loadConfig,
  MAX_CONFIG_BYTES,
  tooLarge,
  type ResolvedConfig,
} from './config.js';
import { keepNewerActions, type KeptAction } from './dependabot.js';
import { keepNewerXplatPins } from './keep-newer-xplat.js';
import { unifiedDiff } from './diff.js';
import { generateWorkflow } from './generate.js';
import { formatJson } from './json.js';
import { generateReusableWorkflow, parseUses, REUSABLE_WORKFLOW_FILE } from './reusable.js';
import { generateStarterWorkflow, STARTER_WORKFLOW_FILE } from './starter.js';
import { configJsonSchema } from './schema.js';
import type { XplatRelease } from './xplat-release.js';

export const WORKFLOW_FILE = '.github/workflows/xplat.yml';
export const SCHEMA_FILE = 'xplat.schema.json';

export type GenerateKind = 'workflow' | 'reusable' | 'starter' | 'schema';

export interface GenerateRequest {
  readonly kind: GenerateKind;
  /** The repository root; relative paths are taken from here. */
  readonly dir: string;
  /** xplat.yml (kind workflow). */
  readonly config?: string;
  readonly output?: string;
  /**
   * Where xplat's actions come from (owner/xplat@ref, or ./actions): for the reusable and
   * starter workflows; for the workflow it overrides xplat.yml's `xplat: { uses: }` (forks, mirrors).
   */
  readonly uses?: string;
  readonly pinActions?: boolean;
  /** xplat's own release for `pin-actions: true` (default: the one this build is stamped with). */
  readonly release?: XplatRelease | undefined;
}

export interface Rendered {
  /** As given or defaulted, relative to dir (for messages). */
  readonly file: string;
  readonly absolute: string;
  readonly text: string;
  /** Kind workflow: the config it came from. */
  readonly config?: ResolvedConfig;
  /** Newer versions of third-party actions kept from the committed file (Dependabot's bumps). */
  readonly kept: readonly KeptAction[];
}

const DEFAULT_OUTPUT: Record<GenerateKind, string> = {
  workflow: WORKFLOW_FILE,
  reusable: REUSABLE_WORKFLOW_FILE,
  starter: STARTER_WORKFLOW_FILE,
  schema: SCHEMA_FILE,
};

/** Reads and validates xplat.yml (errors name the file as given, with field and line). */
export async function readConfig(dir: string, config = CONFIG_FILE): Promise<ResolvedConfig> {
  const file = path.resolve(dir, config);
  if (!existsSync(file))
    throw new UsageError(
      `${config} does not exist in ${dir}: write one with \`xplat init\` (image: and platforms: are enough)`,
      'config',
    );
  const whole = (message: string): ConfigError =>
    new ConfigError(config, [{ field: '(file)', path: [], message, line: 1, column: 1 }]);
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw whole(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (info.isDirectory())
    throw whole(`is a folder; give the xplat.yml file (e.g. ${path.join(config, CONFIG_FILE)})`);
  if (!info.isFile()) throw whole('is not a regular file; give the xplat.yml file');
  if (info.size > MAX_CONFIG_BYTES) throw whole(tooLarge(info.size));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw whole(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return loadConfig(text, config);
}

export async function renderTarget(request: GenerateRequest): Promise<Rendered> {
  const file = request.output ?? DEFAULT_OUTPUT[request.kind];
  const absolute = path.resolve(request.dir, file);
  const options = {
    ...(request.uses ? { uses: request.uses } : {}),
    ...(request.pinActions ? { pinActions: true } : {}),
  };
  // A newer version of an action in the committed file (Dependabot's bump) is kept.
  const keepNewer = async (
    text: string,
  ): Promise<{ text: string; kept: readonly KeptAction[] }> => {
    if (!existsSync(absolute)) return { text, kept: [] };
    const committed = await readFile(absolute, 'utf8');
    const thirdParty = keepNewerActions(text, committed);
    const own = keepNewerXplatPins(thirdParty.text, committed);
    return { text: own.text, kept: [...thirdParty.kept, ...own.kept] };
  };
  switch (request.kind) {
    case 'workflow': {
      const configFile = request.config ?? CONFIG_FILE;
      const loaded = await readConfig(request.dir, configFile);
      const config: ResolvedConfig = request.uses
        ? { ...loaded, actions: wrapUses(() => parseUses(request.uses!)) }
        : loaded;
      const text = generateWorkflow(config, {
        configPath: configFile,
        ...('release' in request ? { release: request.release } : {}),
      });
      return { file, absolute, ...(await keepNewer(text)), config };
    }
    case 'reusable':
      return {
        file,
        absolute,
        ...(await keepNewer(wrapUses(() => generateReusableWorkflow(options)))),
      };
    case 'starter':
      return {
        file,
        absolute,
        ...(await keepNewer(wrapUses(() => generateStarterWorkflow(options)))),
      };
    case 'schema':
      return { file, absolute, text: formatJson(configJsonSchema()), kept: [] };
  }
}

/** Errors of --uses as an input that cannot be used. */
function wrapUses<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof XplatError) throw error;
    throw new UsageError((error as Error).message, 'uses');
  }
}

export async function writeRendered(rendered: Rendered): Promise<void> {
  await mkdir(path.dirname(rendered.absolute), { recursive: true });
  await writeFile(rendered.absolute, rendered.text);
}

export interface CheckResult {
  readonly upToDate: boolean;
  readonly missing: boolean;
  /** Unified diff from the committed file to what generate would write. */
  readonly diff: string;
}

export async function checkRendered(rendered: Rendered): Promise<CheckResult> {
  if (!existsSync(rendered.absolute)) return { upToDate: false, missing: true, diff: '' };
  // Compare with LF line endings: a Windows checkout (autocrlf) is not a stale file.
  const committed = (await readFile(rendered.absolute, 'utf8')).replace(/\r\n/g, '\n');
  const diff = unifiedDiff(
    committed,
    rendered.text,
    `${rendered.file} (committed)`,
    `${rendered.file} (generated)`,
  );
  return { upToDate: diff === '', missing: false, diff };
}
