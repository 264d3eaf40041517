/**
 * Tags from a template and the OCI labels docker/metadata-action would add, both from
 * the commit the workflow runs for. Kept here (not in @xplat/core) because only the
 * build names images this way; fuse takes its tags verbatim.
 */
import { getExecOutput } from '@actions/exec';
import {
  ociPlatformString,
  platformPair,
  releaseForOsVersion,
  XplatError,
  type Platform,
} from '@xplat/core';
import { DEFAULT_LEG_TAG, fillTemplate, unmatchedBrace, validateTag } from '@xplat/oci';

/**
 * Where the build comes from: on a runner, @actions/github's `context` (the actions pass
 * it through sourceFromGithubContext); outside GitHub, git (or nothing).
 */
export interface SourceContext {
  /** The full commit sha. */
  readonly sha?: string;
  /** `refs/heads/main`. */
  readonly ref?: string;
  /** `main`, `feature/x`, `1/merge`. */
  readonly refName?: string;
  readonly runId?: string;
  /** GITHUB_RUN_ATTEMPT: 1, then 2 on a re-run of the same run. */
  readonly runAttempt?: string;
  readonly job?: string;
  /** `org/repo`. */
  readonly repository?: string;
  /** `https://github.com`. */
  readonly serverUrl?: string;
  /** The event that started the run: `push`, `pull_request`, `workflow_dispatch`. */
  readonly event?: string;
  /** The repository's default branch (from the event payload): where `latest` is set. */
  readonly defaultBranch?: string;
}

/**
 * The part of @actions/github's `context` xplat reads, as a structural type so this
 * package does not depend on @actions/github (the CLI never loads it).
 */
export interface GithubContextLike {
  readonly eventName?: string;
  readonly sha?: string;
  readonly ref?: string;
  readonly runId?: number;
  readonly runAttempt?: number;
  readonly job?: string;
  readonly serverUrl?: string;
  readonly payload?: {
    readonly repository?: {
      readonly default_branch?: string;
      readonly full_name?: string;
      readonly name?: string;
      readonly owner?: { readonly login?: string };
    };
  };
  /** `context.repo`: a getter that throws without GITHUB_REPOSITORY or a payload repository. */
  readonly repo?: { readonly owner: string; readonly repo: string };
}

/** `refs/heads/feature/x` -> `feature/x`; `refs/pull/12/merge` -> `12/merge` (as GITHUB_REF_NAME). */
export function refNameOf(ref: string): string {
  return ref.replace(/^refs\/(heads|tags|pull)\//, '');
}

/** The source of a run on GitHub, from @actions/github's `context`. */
export function sourceFromGithubContext(context: GithubContextLike): SourceContext {
  let repository: string | undefined;
  try {
    repository = context.repo ? `${context.repo.owner}/${context.repo.repo}` : undefined;
  } catch {
    repository = context.payload?.repository?.full_name;
  }
  const out: Record<string, string> = {};
  const set = (key: keyof SourceContext, value: string | number | undefined) => {
    if (value !== undefined && value !== '' && !(typeof value === 'number' && Number.isNaN(value)))
      out[key] = String(value);
  };
  set('sha', context.sha);
  set('ref', context.ref);
  set('refName', context.ref ? refNameOf(context.ref) : undefined);
  set('runId', context.runId);
  set('runAttempt', context.runAttempt);
  set('job', context.job);
  set('repository', repository);
  set('serverUrl', context.serverUrl);
  set('event', context.eventName);
  set('defaultBranch', context.payload?.repository?.default_branch);
  return out as SourceContext;
}

/** GITHUB_* variables: for the CLI on a runner (`xplat build` in a run: step). */
export function sourceFromEnv(env: NodeJS.ProcessEnv = process.env): SourceContext {
  const entries: [keyof SourceContext, string][] = [
    ['sha', 'GITHUB_SHA'],
    ['ref', 'GITHUB_REF'],
    ['refName', 'GITHUB_REF_NAME'],
    ['runId', 'GITHUB_RUN_ID'],
    ['runAttempt', 'GITHUB_RUN_ATTEMPT'],
    ['job', 'GITHUB_JOB'],
    ['repository', 'GITHUB_REPOSITORY'],
    ['serverUrl', 'GITHUB_SERVER_URL'],
    ['event', 'GITHUB_EVENT_NAME'],
  ];
  const out: Record<string, string> = {};
  for (const [field, key] of entries) {
    const value = env[key];
    if (value) out[field] = value;
  }
  return out as SourceContext;
}

/**
 * Outside GitHub (`xplat build` on a laptop): the commit and branch of the git checkout
 * the context is in; nothing when it is none, or git is missing.
 */
export async function sourceFromGit(dir: string): Promise<SourceContext> {
  const git = async (args: string[]): Promise<string> => {
    try {
      const out = await getExecOutput('git', ['-C', dir, ...args], {
        silent: true,
        ignoreReturnCode: true,
      });
      return out.exitCode === 0 ? out.stdout.trim() : '';
    } catch {
      return '';
    }
  };
  const sha = await git(['rev-parse', 'HEAD']);
  if (!sha) return {};
  const branch = await git(['rev-parse', '--abbrev-ref', 'HEAD']);
  return {
    sha,
    ...(branch && branch !== 'HEAD' ? { refName: branch, ref: `refs/heads/${branch}` } : {}),
  };
}

/** Placeholders of a leg tag (a platform image's `tag-template` / xplat.yml's `leg-tag`). */
export const LEG_TAG_PLACEHOLDERS = [
  'platform-pair',
  'sha',
  'sha-long',
  'ref-name',
  'os',
  'arch',
  'os-version',
  'run-id',
] as const;

export const SHORT_SHA_LENGTH = 7;

/** A ref name as a tag may hold it: `feature/x` -> `feature-x`. */
export function sanitizeForTag(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '');
}

function placeholderValue(
  name: string,
  platform: Platform,
  source: SourceContext,
  input: string,
): string {
  const need = (value: string | undefined, what: string): string => {
    if (value) return value;
    throw new XplatError(`{${name}} needs ${what}, which is not set`, input);
  };
  switch (name) {
    case 'platform-pair':
      return platformPair(platform);
    case 'sha':
      return need(source.sha, 'the commit (GITHUB_SHA, or a git checkout)').slice(
        0,
        SHORT_SHA_LENGTH,
      );
    case 'sha-long':
      return need(source.sha, 'the commit (GITHUB_SHA, or a git checkout)');
    case 'ref-name':
      return sanitizeForTag(need(source.refName, 'the branch or tag name (GITHUB_REF_NAME)'));
    case 'os':
      return platform.os;
    case 'arch':
      // As in the platform pair: a default variant (arm64/v8, arm/v7) is left out.
      return ociPlatformString(platform).split('/').slice(1).join('-');
    case 'os-version': {
      if (!platform.osVersion) return '';
      const release = releaseForOsVersion(platform.osVersion);
      return release && release.build === platform.osVersion ? release.name : platform.osVersion;
    }
    case 'run-id':
      return need(source.runId, 'the workflow run (GITHUB_RUN_ID)');
    default:
      throw new XplatError(
        `{${name}} is not a placeholder; use ${LEG_TAG_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        input,
      );
  }
}

/**
 * Renders a tag template. A placeholder that is empty for this platform ({os-version} on
 * Linux) takes one `-` next to it along, so `{os}-{os-version}-{sha}` stays well formed.
 */
export function renderTagTemplate(
  template: string,
  platform: Platform,
  source: SourceContext,
  input = 'tag-template',
): string {
  const EMPTY = '\u0000';
  const raw = template.trim() || DEFAULT_LEG_TAG;
  const brace = unmatchedBrace(raw, 'sha');
  if (brace) throw new XplatError(brace, input);
  const rendered = fillTemplate(
    raw,
    (name) => placeholderValue(name.trim(), platform, source, input) || EMPTY,
  ).replace(new RegExp(`-${EMPTY}|${EMPTY}-|${EMPTY}`, 'g'), '');
  return validateTag(rendered, input);
}

export const LABEL_CREATED = 'org.opencontainers.image.created';
export const LABEL_SOURCE = 'org.opencontainers.image.source';
export const LABEL_REVISION = 'org.opencontainers.image.revision';

/** The labels docker/metadata-action sets that xplat can know without the GitHub API. */
export function ociLabels(source: SourceContext, created: Date): Record<string, string> {
  const labels: Record<string, string> = { [LABEL_CREATED]: created.toISOString() };
  if (source.repository) {
    const server = (source.serverUrl || 'https://github.com').replace(/\/+$/, '');
    labels[LABEL_SOURCE] = `${server}/${source.repository}`;
  }
  if (source.sha) labels[LABEL_REVISION] = source.sha;
  return labels;
}

/**
 * The labels as one LABEL instruction, for the classic builder: it turns each `--label`
 * into a LABEL step of its own, each a container to create and commit (seconds apiece
 * on Windows), and the `created` one never caches. One instruction is one step. Values
 * are quoted for the Dockerfile's escape character, `$` included (LABEL expands it).
 */
export function labelInstruction(
  labels: Readonly<Record<string, string>>,
  escapeChar = '\\',
): string {
  const special = new Set([escapeChar, '"', '$']);
  const quote = (text: string): string =>
    `"${[...text.replace(/[\r\n]+/g, ' ')].map((c) => (special.has(c) ? `${escapeChar}${c}` : c)).join('')}"`;
  const pairs = Object.entries(labels).map(([k, v]) => `${quote(k)}=${quote(v)}`);
  return pairs.length ? `LABEL ${pairs.join(' ')}\n` : '';
}
