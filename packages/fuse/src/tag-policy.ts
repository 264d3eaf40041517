/**
 * Which tags may be written. A tag outside `mutable-tags` that already points at a
 * different digest is refused (release tags must not move under users); the same digest
 * is a no-op, so a re-run of the same fuse succeeds without writing.
 */
import { XplatError } from '@xplat/core';

export type TagAction = 'create' | 'update' | 'unchanged' | 'refused';

export interface TagPlan {
  readonly tag: string;
  readonly action: TagAction;
  /** The digest the tag points at now, when it exists. */
  readonly previous?: string;
}

export function planTags(
  tags: readonly string[],
  current: ReadonlyMap<string, string | undefined>,
  digest: string,
  mutableTags: readonly string[],
): TagPlan[] {
  return tags.map((tag): TagPlan => {
    const previous = current.get(tag);
    if (previous === undefined) return { tag, action: 'create' };
    if (previous === digest) return { tag, action: 'unchanged', previous };
    return { tag, action: mutableTags.includes(tag) ? 'update' : 'refused', previous };
  });
}

/** Throws, before any write, when a tag would move that may not. */
export function assertTagsAllowed(plans: readonly TagPlan[], repository: string): void {
  const refused = plans.filter((p) => p.action === 'refused');
  if (refused.length === 0) return;
  const list = refused.map((p) => `${repository}:${p.tag} (now ${p.previous})`).join(', ');
  throw new XplatError(
    `refusing to move existing tag(s) ${list}: they are not in mutable-tags; use a new tag or add them to mutable-tags`,
    'tags',
  );
}
