/**
 * Build once, promote: an index that passed the gate (on main, say) gets new tags (the
 * release's), in its own repository or copied, byte for byte, to another repository or
 * registry. Nothing is rebuilt, so the release is the very bits that were tested.
 *
 * As in fuse.ts, everything that can fail is checked before the first write: the source
 * is an index with xplat's gate mark (unless forced) and of the expected commit; every
 * entry's platform is its image config's, os.version included, and every expected
 * platform is there; no tag would move that may not; the target takes pushes. Then the
 * copy (blob mounts within a registry, copies across), the tags, and the read-back.
 */
import { formatPlatform, platformMatches, XplatError, type Logger } from '@xplat/core';
import {
  formatReference,
  formatRepository,
  imageEntries,
  type ImageIndex,
  isImageIndex,
  type Repository,
  sameRepository,
} from '@xplat/oci';
import type { ManifestResult, RegistryClient } from '@xplat/registry';
import type { FuseEntry, FuseResult } from './fuse.js';
import { GATE_ANNOTATION, isGated, REVISION_ANNOTATION } from './gate-mark.js';
import type { FuseRequest } from './request.js';
import { resolveSource, type ResolvedSource } from './resolve.js';
import { firstFailure } from './settle.js';
import { assertTagsAllowed, planTags } from './tag-policy.js';
import { verifyIndex } from './verify.js';
import type { PromoteSpec } from './promote-request.js';

export type PromoteResult =
  | { readonly promoted: false; readonly from: string; readonly reason: string }
  | (FuseResult & {
      readonly promoted: true;
      readonly from: string;
      /** The commit the index says it was built from. */
      readonly revision?: string;
    });

export async function promote(
  request: FuseRequest & { readonly promote: PromoteSpec },
  client: RegistryClient,
  logger: Logger,
): Promise<PromoteResult> {
  const spec = request.promote;
  const target = request.target;
  const source: Repository = { registry: spec.from.registry, repository: spec.from.repository };
  const from = formatReference(spec.from);

  // 1. The source: what the tag points at now, and what it is.
  const top = await client.findManifest(source, spec.from.digest ?? spec.from.tag!);
  if (!top) {
    if (spec.missing === 'skip') {
      logger.info(`${from} does not exist: nothing to promote (promote-missing: skip)`);
      return { promoted: false, from, reason: `${from} does not exist` };
    }
    throw new XplatError(
      `${from} does not exist; promote an index fused by xplat (its commit tag, e.g. sha-1a2b3c4)`,
      'promote-from',
    );
  }
  const index = checkIndex(top, from, spec, logger);

  // 2. Every entry against its image config, the tags and push access, all at once.
  const entries = imageEntries(index);
  const [resolved, heads] = await firstFailure(
    Promise.all(
      entries.map((e) =>
        resolveSource(client, { ...source, digest: e.digest }, 'promote-from', undefined),
      ),
    ),
    Promise.all(request.tags.map((tag) => client.headManifest(target, tag))),
    request.dryRun ? Promise.resolve() : client.checkAccess(target, 'push'),
  );
  checkPlatforms(index, resolved, request, from);
  const current = new Map(request.tags.map((tag, i) => [tag, heads[i]?.digest]));
  const tags = planTags(request.tags, current, top.digest, request.mutableTags);
  assertTagsAllowed(tags, formatRepository(target));

  const copied = !sameRepository(source, target);
  const result = {
    promoted: true as const,
    from,
    ...(index.annotations?.[REVISION_ANNOTATION]
      ? { revision: index.annotations[REVISION_ANNOTATION] }
      : {}),
    digest: top.digest,
    ref: `${formatRepository(target)}@${top.digest}`,
    mediaType: top.mediaType,
    index: top.manifest as unknown as Record<string, unknown>,
    entries: resolved.map((r): FuseEntry => ({
      platform: formatPlatform(r.platform),
      osVersion: r.descriptor.platform['os.version'],
      digest: r.descriptor.digest,
      mediaType: r.descriptor.mediaType,
      smoke: 'unknown',
      source: `${formatRepository(source)}@${r.descriptor.digest}`,
      copied,
    })),
    tags,
    gate: undefined,
    warnings: [],
  };
  if (request.dryRun) {
    logger.info(`Dry run: would give ${from} (${top.digest}) the tags ${request.tags.join(', ')}`);
    return { ...result, dryRun: true };
  }

  // 3. Writes: the index with everything it names into the target (nothing when it is
  //    there already), then the tags, then the read-back.
  if (copied)
    await logger.group(`Copying ${from} into ${formatRepository(target)}`, async () => {
      await client.copyImage({ ...source, digest: top.digest }, target, { manifest: top });
    });
  const writes = tags.filter((t) => t.action !== 'unchanged');
  await firstFailure(
    ...writes.map((t) => client.putManifest(target, t.tag, top.bytes, top.mediaType)),
  );
  for (const t of tags)
    logger.info(
      `${t.tag}: ${t.action === 'unchanged' ? 'already' : t.action === 'update' ? `moved from ${t.previous} to` : 'created at'} ${top.digest}`,
    );
  await verifyIndex(
    client,
    target,
    {
      digest: top.digest,
      manifest: result.index,
      bytes: top.bytes,
      mediaType: top.mediaType,
      warnings: [],
    },
    request.tags,
  );
  logger.info(
    `Promoted ${from} to ${formatRepository(target)}:${request.tags.join(', ')}; read back and verified`,
  );
  return { ...result, dryRun: false };
}

/** The source is an index xplat fused after the gate (unless forced), of the expected commit. */
function checkIndex(
  top: ManifestResult,
  from: string,
  spec: PromoteSpec,
  logger: Logger,
): ImageIndex {
  if (!isImageIndex(top.manifest, top.mediaType))
    throw new XplatError(
      `${from} is a single image (${top.mediaType}), not a multi-platform index; promote the index xplat fused`,
      'promote-from',
    );
  const annotations = top.manifest.annotations;
  if (!isGated(annotations)) {
    const why = `${from} has no ${GATE_ANNOTATION} annotation: xplat did not fuse it from leg results that passed the gate (it was fused from sources, by another tool, or as a Docker manifest list)`;
    if (!spec.force)
      throw new XplatError(
        `${why}; promote an index fused after the gate, or set promote-force`,
        'promote-from',
      );
    logger.warning(`${why}; promoting it anyway (promote-force)`);
  }
  if (spec.revision) {
    const revision = annotations?.[REVISION_ANNOTATION];
    if (!revision)
      throw new XplatError(
        `${from} names no commit (no ${REVISION_ANNOTATION} annotation), so it cannot be shown to be of ${spec.revision.slice(0, 12)}`,
        'promote-revision',
      );
    if (!revision.toLowerCase().startsWith(spec.revision))
      throw new XplatError(
        `${from} is the index of commit ${revision.slice(0, 12)}, not ${spec.revision.slice(0, 12)}`,
        'promote-revision',
      );
  }
  return top.manifest;
}

/**
 * Each entry's platform is its image config's (os.version and os.features included: a
 * tool that dropped them made an index Windows hosts cannot choose from), and every
 * expected platform is there exactly once.
 */
function checkPlatforms(
  index: ImageIndex,
  resolved: readonly ResolvedSource[],
  request: FuseRequest,
  from: string,
): void {
  imageEntries(index).forEach((entry, i) => {
    const config = resolved[i]!.descriptor.platform;
    const said = entry.platform;
    const field = said
      ? (['os', 'architecture', 'os.version'] as const).find(
          (f) => (said[f] ?? '') !== (config[f] ?? ''),
        )
      : 'platform';
    if (!field) return;
    const shown = (v: unknown) => JSON.stringify(v ?? null);
    throw new XplatError(
      `${from}: the entry ${entry.digest} says ${field} ${shown(said && field !== 'platform' ? said[field] : said)}, its image config ${shown(field === 'platform' ? config : config[field])}: the index lost what hosts choose by; fuse it again with xplat`,
      'promote-from',
    );
  });
  const platforms = resolved.map((r) => r.platform);
  for (const want of request.expected) {
    const matches = platforms.filter((p) => platformMatches(want, p));
    if (matches.length !== 1)
      throw new XplatError(
        `${from} holds ${matches.length ? `${matches.length} images` : 'no image'} of ${formatPlatform(want)} (it holds ${platforms.map(formatPlatform).join(', ')})`,
        'expected-platforms',
      );
  }
}
