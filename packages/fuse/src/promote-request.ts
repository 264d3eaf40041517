/**
 * fuse-manifest's promote mode (`promote-from`, and `xplat promote`): the inputs that
 * name an existing index to give new tags, checked before anything talks to a registry.
 * Each error is one line naming the input and what would be right.
 */
import { echo, parseBoolean, parseChoice, XplatError } from '@xplat/core';
import {
  type ImageReference,
  parseReference,
  type Repository,
  validateDigest,
  validateTag,
} from '@xplat/oci';
import type { FuseInputName, FuseInputs } from './request.js';

export interface PromoteSpec {
  /** The index to promote: by tag or digest, in the target repository or elsewhere. */
  readonly from: ImageReference;
  /** The commit the index must be of (its revision annotation); undefined: not checked. */
  readonly revision?: string;
  /** Promote an index without xplat's gate mark. */
  readonly force: boolean;
  /** When `from` does not exist: fail, or skip (nothing written; the workflow builds). */
  readonly missing: 'fail' | 'skip';
}

export const PROMOTE_MISSING = ['fail', 'skip'] as const;

/**
 * `sha-1a2b3c4` or `sha256:…` alone name a tag or digest of the target repository; a
 * reference with a repository names another repository or registry.
 */
export function parsePromoteFrom(text: string, target: Repository): ImageReference {
  const value = text.trim();
  if (/\s/.test(value))
    throw new XplatError(
      `"${echo(value)}" holds whitespace; give one index, e.g. sha-1a2b3c4 or ghcr.io/org/app:sha-1a2b3c4`,
      'promote-from',
    );
  if (value.startsWith('sha256:'))
    return { ...target, digest: validateDigest(value, 'promote-from') };
  if (!value.includes('/') && !value.includes('@'))
    return { ...target, tag: validateTag(value, 'promote-from') };
  const ref = parseReference(value, 'promote-from');
  if (ref.tag === undefined && ref.digest === undefined)
    throw new XplatError(
      `"${echo(value)}" names a repository, not an index: add its tag or digest, e.g. ${value}:sha-1a2b3c4`,
      'promote-from',
    );
  return ref;
}

/** The promote spec, or undefined when promote-from is empty (then no promote-* may be set). */
export function parsePromote(raw: FuseInputs, target: Repository): PromoteSpec | undefined {
  const get = (name: FuseInputName): string => raw[name] ?? '';
  const from = get('promote-from').trim();
  if (!from) {
    const stray = (['promote-revision', 'promote-force', 'promote-missing'] as const).find((name) =>
      get(name).trim(),
    );
    if (stray)
      throw new XplatError(
        'applies to promote-from only (the index to give new tags); set promote-from or leave it out',
        stray,
      );
    return undefined;
  }
  const revision = get('promote-revision').trim().toLowerCase();
  if (revision && !/^[0-9a-f]{7,64}$/.test(revision))
    throw new XplatError(
      `"${echo(get('promote-revision').trim())}" is not a commit sha (7 to 40 hex digits, e.g. \${{ github.sha }})`,
      'promote-revision',
    );
  return {
    from: parsePromoteFrom(from, target),
    ...(revision ? { revision } : {}),
    force: parseBoolean(get('promote-force'), 'promote-force', false),
    missing: parseChoice(get('promote-missing'), 'promote-missing', PROMOTE_MISSING, 'fail'),
  };
}

/** What a promote copies is the index as it is: inputs that would change it or feed a gate are refused. */
export function checkPromoteConflicts(raw: FuseInputs, tags: readonly string[]): void {
  const get = (name: FuseInputName): string => raw[name] ?? '';
  const conflict = (
    [
      ['results', get('results'), 'the gate ran when the index was fused; leave results out'],
      ['sources', get('sources'), 'the index names its images already; leave sources out'],
      ['annotations', get('annotations'), 'an annotation would change the index and its digest'],
      ['allow-untested', get('allow-untested'), 'the gate ran when the index was fused'],
      // A boolean with a default: only `true` asks for something promote cannot do.
      [
        'allow-foreign-runs',
        parseBoolean(get('allow-foreign-runs'), 'allow-foreign-runs', false) ? 'true' : '',
        'the gate ran when the index was fused',
      ],
    ] as const
  ).find(([, value]) => value.trim());
  if (conflict)
    throw new XplatError(
      `cannot be used with promote-from, which copies an existing index unchanged: ${conflict[2]}`,
      conflict[0],
    );
  const mediaType = get('media-type').trim().toLowerCase();
  if (mediaType && mediaType !== 'auto')
    throw new XplatError(
      'cannot be used with promote-from: the index keeps its own media type (leave media-type auto)',
      'media-type',
    );
  if (!tags.length)
    throw new XplatError(
      'is required with promote-from: the tags to give the index, e.g. 1.2.3',
      'tags',
    );
}
