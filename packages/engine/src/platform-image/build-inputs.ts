/**
 * build-platform-image's inputs as one typed request, from the same names whether they
 * come from the action or `xplat build`. Checks that need no host run here, before any
 * docker command; each error is one line naming the input and what would be right.
 */
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  keyValueLines,
  echo,
  parseBoolean,
  parsePlatform,
  parseWindowsVersion,
  splitList,
  XplatError,
  type Platform,
  parseChoice,
} from '@xplat/core';
import {
  DEFAULT_LEG_TAG,
  formatRepository,
  parseReference,
  parseRepository,
  type Repository,
  sameRepository,
  validateTag,
} from '@xplat/oci';
import type { DockerfileBuild } from './build-plan.js';
import { BUILDER_KINDS, type BuilderChoice } from './builders.js';
import { CACHE_MODES, type CacheMode } from './cache.js';
import { sourceDateEpochOf } from './source-date.js';
import { renderTagTemplate } from './tags.js';

export const BUILD_INPUTS = [
  'image',
  'platform',
  'windows-version',
  'context',
  'file',
  'target',
  'build-args',
  'labels',
  'tags',
  'tag-template',
  'push',
  'cache',
  'cache-scope',
  'isolation',
  'network',
  'result-dir',
  'builder',
  'lint',
] as const;
export type BuildInputName = (typeof BUILD_INPUTS)[number];
export type BuildInputs = Partial<Record<BuildInputName, string>>;

export interface BuildRequest extends DockerfileBuild {
  readonly image: Repository;
  /** Absent: the engine's own platform (and on Windows, the host's release). */
  readonly platform?: Platform;
  /** Which input gave the Windows release, for messages about it. */
  readonly releaseInput?: 'platform' | 'windows-version';
  /** Extra tag names (of `image`), besides the template's. */
  readonly tags: readonly string[];
  readonly tagTemplate: string;
  readonly push: boolean;
  readonly cache: CacheMode;
  readonly cacheScope: string;
  readonly isolation: 'auto' | 'process' | 'hyperv';
  /** Empty: the builder's default network. */
  readonly network: string;
  readonly resultDir: string;
  readonly builder: BuilderChoice;
  readonly lint: boolean;
}

export interface BuildInputContext {
  /** Relative paths are taken from here (the workspace). */
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * false: check every value but not that context and file exist (the CLI checks its
   * flags this way before it asks the engine which xplat.yml leg, and so which paths).
   */
  readonly checkPaths?: boolean;
}

const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const NETWORK = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** Control characters other than tab: never part of a build arg, label or name. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/**
 * A tag template checked for its form before anything runs: braces, known placeholders,
 * and a tag that a registry accepts once rendered (with stand-in values for the commit,
 * branch and run, which are only known at build time).
 */
export function checkTagTemplate(
  template: string,
  platform: Platform | undefined,
  input = 'tag-template',
): string {
  const value = template.trim() || DEFAULT_LEG_TAG;
  if (CONTROL.test(value) || value.includes('\n'))
    throw new XplatError(
      `"${echo(value)}" holds a line break or control character; a template is one tag, e.g. {platform-pair}-{sha}`,
      input,
    );
  renderTagTemplate(value, platform ?? { os: 'linux', architecture: 'amd64' }, STAND_IN, input);
  return value;
}
const STAND_IN = {
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/heads/main',
  refName: 'main',
  runId: '1',
};

/** `KEY=VALUE`, one per line (a value may hold `=` and commas). */
export function parseKeyValues(
  text: string,
  input: string,
  key: RegExp,
  what: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { line, key: name, value } of keyValueLines(text, { comments: true })) {
    if (!name || !key.test(name))
      throw new XplatError(
        `"${echo(line)}" is not ${what}=value: one per line, e.g. ${input === 'labels' ? 'org.opencontainers.image.title=app' : 'VERSION=1.2.3'}`,
        input,
      );
    if (CONTROL.test(line))
      throw new XplatError(
        `the value of ${name} holds a control character (${JSON.stringify(CONTROL.exec(line)![0])}); one ${what}=value per line, values without control characters`,
        input,
      );
    out[name] = value;
  }
  return out;
}

function parsePlatformInputs(platformText: string, versionText: string): Platform | undefined {
  const text = platformText.trim();
  if (splitList(text).length > 1)
    throw new XplatError(
      `"${echo(text)}" names ${splitList(text).length} platforms; build-platform-image builds one per call (use a matrix)`,
      'platform',
    );
  const platform = text ? parsePlatform(text, 'platform') : undefined;
  const version = versionText.trim();
  if (!version) return platform;
  const osVersion = parseWindowsVersion(version, 'windows-version');
  if (platform && platform.os !== 'windows')
    throw new XplatError(
      `"${version}" applies to Windows platforms only, and platform is ${text}`,
      'windows-version',
    );
  if (platform?.osVersion && platform.osVersion !== osVersion)
    throw new XplatError(
      `"${version}" contradicts the release in platform "${text}"; give it in one place`,
      'windows-version',
    );
  const combined = {
    ...(platform ?? { os: 'windows' as const, architecture: 'amd64' }),
    osVersion,
  };
  // The pair must exist (windows/arm64 only from ltsc2025): parsed as one platform string.
  parsePlatform(`${combined.os}/${combined.architecture}:${version}`, 'windows-version');
  return combined;
}

/**
 * The build context is a folder and the Dockerfile a file, both there. Checked where the
 * paths become known: the action and `xplat build` when they parse their inputs, `xplat
 * run` after a leg's prepare steps (which may write them). `shown` are the paths as the
 * user wrote them, for the messages; `inputs` the names of the inputs or fields.
 */
export function checkBuildPaths(
  paths: { readonly context: string; readonly file: string },
  shown: { readonly context: string; readonly file?: string; readonly from: string },
  inputs: { readonly context: string; readonly file: string } = {
    context: 'context',
    file: 'file',
  },
): void {
  if (!existsSync(paths.context))
    throw new XplatError(
      `"${echo(shown.context)}" does not exist (from ${shown.from})`,
      inputs.context,
    );
  if (!statSync(paths.context).isDirectory())
    throw new XplatError(
      `"${echo(shown.context)}" is a file; the build context is a folder`,
      inputs.context,
    );
  if (!existsSync(paths.file) || !statSync(paths.file).isFile())
    throw new XplatError(
      `${shown.file ? `"${echo(shown.file)}"` : `no Dockerfile in ${shown.context}`} does not exist; give the Dockerfile's path`,
      inputs.file,
    );
}

export function parseBuildInputs(raw: BuildInputs, context: BuildInputContext): BuildRequest {
  const get = (name: BuildInputName): string => raw[name] ?? '';
  const env = context.env ?? process.env;
  // The image times the build will use: a bad value is refused with the inputs.
  sourceDateEpochOf(env);

  const imageText = get('image').trim();
  if (!imageText)
    throw new XplatError('is required: the repository to build, e.g. ghcr.io/org/app', 'image');
  const image = parseRepository(imageText, 'image');
  const platform = parsePlatformInputs(get('platform'), get('windows-version'));

  const contextText = get('context').trim() || '.';
  const contextDir = path.resolve(context.cwd, contextText);
  const fileText = get('file').trim();
  const file = fileText ? path.resolve(context.cwd, fileText) : path.join(contextDir, 'Dockerfile');
  if (context.checkPaths !== false)
    checkBuildPaths(
      { context: contextDir, file },
      { context: contextText, ...(fileText ? { file: fileText } : {}), from: context.cwd },
    );

  const tags = splitList(get('tags')).map((t) => {
    if (CONTROL.test(t)) throw new XplatError(`"${echo(t)}" holds a control character`, 'tags');
    if (!t.includes(':') && !t.includes('/')) return validateTag(t, 'tags');
    const ref = parseReference(t, 'tags');
    if (ref.digest || ref.tag === undefined)
      throw new XplatError(`"${t}" must be a tag name or repo:tag`, 'tags');
    if (!sameRepository(ref, image))
      throw new XplatError(
        `"${echo(t)}" is in another repository than image ${formatRepository(image)}; a leg pushes to one repository`,
        'tags',
      );
    return ref.tag;
  });

  const isolation = parseChoice(
    get('isolation'),
    'isolation',
    ['auto', 'process', 'hyperv'] as const,
    'auto',
  );
  if (isolation !== 'auto' && platform && platform.os !== 'windows')
    throw new XplatError(
      `isolation applies to Windows builds only; ${get('platform').trim()} is Linux`,
      'isolation',
    );
  const network = get('network').trim();
  if (network && !NETWORK.test(network))
    throw new XplatError(
      `"${echo(network)}" is not a network name (host, none, default, nat, or a network)`,
      'network',
    );
  if (network === 'host' && platform?.os === 'windows')
    throw new XplatError(
      'host networking does not exist for Windows builds; leave it empty or use nat',
      'network',
    );

  const target = get('target').trim();
  if (target && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(target))
    throw new XplatError(`"${echo(target)}" is not a stage name`, 'target');
  const cacheScope = get('cache-scope').trim();
  if (cacheScope && !/^[\w.-]+$/.test(cacheScope))
    throw new XplatError(
      `"${echo(cacheScope)}" may hold letters, digits, _ . - only (it becomes part of a tag)`,
      'cache-scope',
    );

  const resultDir = get('result-dir').trim()
    ? path.resolve(context.cwd, get('result-dir').trim())
    : path.join(env.RUNNER_TEMP || os.tmpdir(), 'xplat-legs');
  // Found now, not after the build: the leg result could not be written there.
  if (get('result-dir').trim() && existsSync(resultDir) && !statSync(resultDir).isDirectory())
    throw new XplatError(
      `"${echo(get('result-dir').trim())}" is a file; the leg result goes into a folder`,
      'result-dir',
    );

  return {
    image,
    ...(platform ? { platform } : {}),
    ...(platform?.osVersion
      ? { releaseInput: get('windows-version').trim() ? 'windows-version' : 'platform' }
      : {}),
    context: contextDir,
    file,
    ...(target ? { target } : {}),
    buildArgs: parseKeyValues(get('build-args'), 'build-args', ARG_NAME, 'NAME'),
    labels: parseKeyValues(get('labels'), 'labels', LABEL_KEY, 'key'),
    tags,
    tagTemplate: checkTagTemplate(get('tag-template'), platform),
    push: parseBoolean(get('push'), 'push', true),
    cache: parseChoice(get('cache'), 'cache', CACHE_MODES, 'auto'),
    cacheScope,
    isolation,
    network,
    resultDir,
    builder: parseChoice(get('builder'), 'builder', ['auto', ...BUILDER_KINDS] as const, 'auto'),
    lint: parseBoolean(get('lint'), 'lint', true),
  };
}
