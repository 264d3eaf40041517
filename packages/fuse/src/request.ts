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

/** fuse-manifest's inputs (action.yml) that make the request; username and password do not. */
export const FUSE_INPUTS = [
  'image',
  'tags',
  'results',
  'sources',
  'expected-platforms',
  'annotations',
  'media-type',
  'mutable-tags',
  'dry-run',
  'allow-untested',
  'allow-foreign-runs',
  'promote-from',
  'promote-revision',
  'promote-force',
  'promote-missing',
] as const;
export type FuseInputName = (typeof FUSE_INPUTS)[number];
/** Every input by name, as strings (empty or absent = not given), as the action and `xplat fuse` have them. */
export type FuseInputs = Partial<Record<FuseInputName, string>>;

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
  raw: FuseInputs,
  cwd: string,
  options: FuseRequestOptions = {},
): Promise<FuseRequest> {
  const get = (name: FuseInputName): string => raw[name] ?? '';
  if (!get('image').trim())
    throw new XplatError(
      'is required: the repository the index goes to, e.g. ghcr.io/org/app',
      'image',
    );
  const target = parseRepository(get('image'), 'image');
  const reference = `${target.registry}/${target.repository}`;
  const tags = parseTags(get('tags'), reference);
  const mutableTags = parseTags(get('mutable-tags'), reference, 'mutable-tags');
  const expected = parsePlatformList(get('expected-platforms'), 'expected-platforms');
  const allowUntested = parsePlatformList(get('allow-untested'), 'allow-untested');
  const annotations = parseAnnotations(get('annotations'));
  checkUserAnnotations(annotations);
  const mediaType = parseMediaTypeChoice(get('media-type'));
  const dryRun = parseBoolean(get('dry-run'), 'dry-run', false);
  const allowForeignRuns = parseBoolean(get('allow-foreign-runs'), 'allow-foreign-runs', false);
  const promote = parsePromote(raw, target);
  if (promote) {
    checkPromoteConflicts(raw, tags);
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

  const resultPatterns = splitLines(get('results'));
  const sourceTexts = splitList(get('sources'));
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
