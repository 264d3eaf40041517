/**
 * The fuse request: every input of fuse-manifest (and every flag of `xplat fuse`) parsed
 * and checked before anything talks to a registry, so a typo fails in one line with
 * nothing written.
 */
import {
  checkAllowUntested,
  parseBoolean,
  parsePlatformList,
  splitList,
  XplatError,
  type LoadedLegResult,
  type Platform,
} from '@xplat/core';
import {
  formatRepository,
  type ImageReference,
  parseReference,
  parseRepository,
  type Repository,
  sameRepository,
} from '@xplat/oci';
import { checkUserAnnotations } from './gate-mark.js';
import { parseAnnotations, parseMediaTypeChoice, parseTags } from './inputs-parsing.js';
import type { MediaTypeChoice } from './index-document.js';
import { checkPromoteConflicts, parsePromote, type PromoteSpec } from './promote-request.js';
import { loadLegResults } from './results.js';
import { checkLegRun, type WorkflowRun } from './run-check.js';

/** The inputs as the action receives them: strings, empty when not given. */
export interface RawFuseInputs {
  image: string;
  tags: string;
  results: string;
  sources: string;
  expectedPlatforms: string;
  annotations: string;
  mediaType: string;
  mutableTags: string;
  dryRun: string;
  /** Optional so that callers written before it keep compiling; absent = ''. */
  allowUntested?: string;
  /** Leg results of another workflow run may join the index (absent = ''). */
  allowForeignRuns?: string;
  /** Promote mode (promote-request.ts); optional like allowUntested. */
  promoteFrom?: string;
  promoteRevision?: string;
  promoteForce?: string;
  promoteMissing?: string;
}

/** fuse-manifest's input names (action.yml) -> the RawFuseInputs field each fills. */
export const FUSE_INPUTS = {
  image: 'image',
  tags: 'tags',
  results: 'results',
  sources: 'sources',
  'expected-platforms': 'expectedPlatforms',
  annotations: 'annotations',
  'media-type': 'mediaType',
  'mutable-tags': 'mutableTags',
  'dry-run': 'dryRun',
  'allow-untested': 'allowUntested',
  'allow-foreign-runs': 'allowForeignRuns',
  'promote-from': 'promoteFrom',
  'promote-revision': 'promoteRevision',
  'promote-force': 'promoteForce',
  'promote-missing': 'promoteMissing',
} as const satisfies Record<string, keyof RawFuseInputs>;
export type FuseInputName = keyof typeof FUSE_INPUTS;

/** RawFuseInputs from values keyed by input name (absent = ''), as `xplat fuse` has them. */
export function rawFuseInputs(byName: Partial<Record<FuseInputName, string>>): RawFuseInputs {
  const raw = {} as RawFuseInputs;
  for (const [name, field] of Object.entries(FUSE_INPUTS))
    raw[field] = byName[name as FuseInputName] ?? '';
  return raw;
}

export interface FuseRequest {
  readonly target: Repository;
  readonly tags: readonly string[];
  /** Leg results to gate on; undefined when explicit sources are given instead. */
  readonly legs: readonly LoadedLegResult[] | undefined;
  readonly sources: readonly ImageReference[] | undefined;
  readonly expected: readonly Platform[];
  /** Expected platforms whose leg may have skipped its smoke test (the gate admits them untested). */
  readonly allowUntested: readonly Platform[];
  readonly annotations: Record<string, string>;
  readonly mediaType: MediaTypeChoice;
  readonly mutableTags: readonly string[];
  readonly dryRun: boolean;
  /** Set in promote mode: the existing index to give `tags` (then legs and sources are undefined). */
  readonly promote?: PromoteSpec;
}

export interface FuseRequestOptions {
  /**
   * The workflow run this fuse is part of (currentRun(): the runner's GITHUB_RUN_ID and
   * GITHUB_RUN_ATTEMPT); leg results of another run are refused. Undefined: no run to
   * compare with (outside GitHub Actions, `xplat run`'s own legs).
   */
  readonly run?: WorkflowRun | undefined;
}

export async function parseFuseRequest(
  raw: RawFuseInputs,
  cwd: string,
  options: FuseRequestOptions = {},
): Promise<FuseRequest> {
  if (!raw.image.trim())
    throw new XplatError(
      'is required: the repository the index goes to, e.g. ghcr.io/org/app',
      'image',
    );
  const target = parseRepository(raw.image, 'image');
  const reference = `${target.registry}/${target.repository}`;
  const tags = parseTags(raw.tags, reference);
  const mutableTags = parseTags(raw.mutableTags, reference, 'mutable-tags');
  const expected = parsePlatformList(raw.expectedPlatforms, 'expected-platforms');
  const allowUntested = parsePlatformList(raw.allowUntested ?? '', 'allow-untested');
  const annotations = parseAnnotations(raw.annotations);
  checkUserAnnotations(annotations);
  const mediaType = parseMediaTypeChoice(raw.mediaType);
  const dryRun = parseBoolean(raw.dryRun, 'dry-run', false);
  const allowForeignRuns = parseBoolean(raw.allowForeignRuns ?? '', 'allow-foreign-runs', false);
  const promote = parsePromote(
    {
      promoteFrom: raw.promoteFrom ?? '',
      promoteRevision: raw.promoteRevision ?? '',
      promoteForce: raw.promoteForce ?? '',
      promoteMissing: raw.promoteMissing ?? '',
    },
    target,
  );
  if (promote) {
    checkPromoteConflicts({ ...raw, tags });
    return {
      target,
      tags,
      legs: undefined,
      sources: undefined,
      expected,
      allowUntested: [],
      annotations: {},
      mediaType: 'auto',
      mutableTags,
      dryRun,
      promote,
    };
  }

  const resultPatterns = splitLines(raw.results);
  const sourceTexts = splitList(raw.sources);
  if (resultPatterns.length && sourceTexts.length) {
    throw new XplatError('give leg results or sources, not both', 'sources');
  }
  if (!resultPatterns.length && !sourceTexts.length) {
    throw new XplatError(
      'nothing to fuse: give results (leg result files from the build legs) or sources (repo@digest)',
      'results',
    );
  }
  if (resultPatterns.length && expected.length === 0) {
    throw new XplatError(
      'is required with results: list every platform the index must contain, e.g. linux/amd64,windows/amd64:ltsc2022',
      'expected-platforms',
    );
  }
  if (allowUntested.length && !resultPatterns.length) {
    throw new XplatError(
      'applies to leg results (a skipped smoke test is recorded there); sources carry no smoke status: leave it out',
      'allow-untested',
    );
  }
  if (allowForeignRuns && !resultPatterns.length) {
    throw new XplatError(
      'applies to leg results (each names the run that built it); sources name no run: leave it out',
      'allow-foreign-runs',
    );
  }
  checkAllowUntested(expected, allowUntested);
  // Validate every reference before loading anything, so errors come in input order.
  const sources = sourceTexts.length
    ? sourceTexts.map((s) => parseReference(s, 'sources'))
    : undefined;
  const legs = resultPatterns.length ? await loadLegResults(resultPatterns, cwd) : undefined;
  for (const leg of legs ?? []) checkLegRepository(leg, target);
  if (options.run && !allowForeignRuns) for (const leg of legs ?? []) checkLegRun(leg, options.run);

  return {
    target,
    tags,
    legs,
    sources,
    expected,
    allowUntested,
    annotations,
    mediaType,
    mutableTags,
    dryRun,
  };
}

/**
 * A leg result is the build of this image: one for another repository is another
 * project's leg (a shared results folder, a stale artifact) and never joins the index.
 * Explicit sources may live elsewhere; they are copied in.
 */
export function checkLegRepository(leg: LoadedLegResult, target: Repository): void {
  let image: Repository;
  try {
    image = parseRepository(leg.result.image, `${leg.file}: image`);
  } catch {
    image = { registry: '', repository: leg.result.image };
  }
  if (!sameRepository(image, target))
    throw new XplatError(
      `the leg result is for ${leg.result.image}, not the target repository ${formatRepository(target)}; fuse legs built for ${formatRepository(target)} (or give sources to copy images from elsewhere)`,
      leg.file,
    );
}

/** Result patterns are one per line (a glob may contain commas: {a,b}). */
function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}
