/**
 * Copying an image between repositories, so an index pushed to the target repository
 * only references manifests that live there (registries refuse an index whose children
 * are missing). Children first, blobs before the manifest that names them, everything by
 * digest so the copy is byte-identical and re-runs find it already there.
 */
import { mapLimit } from '@xplat/core';
import type { BlobCopyOutcome, ImageStore, ManifestResult } from '../client-types.js';
import {
  formatReference,
  formatRepository,
  type ImageIndex,
  type ImageManifest,
  type ImageReference,
  isIndex,
  manifestReference,
  type Repository,
} from '@xplat/oci';

export interface CopyImageOptions {
  /** Also tag the copied manifest in the target. */
  tags?: readonly string[];
  /**
   * Blobs (and child manifests) of one image asked for at once; default 8. The
   * transport's bound on requests in flight per registry applies on top.
   */
  concurrency?: number;
  /**
   * The source manifest, when the caller has fetched it already (its digest must be the
   * one `source` names): it is not fetched again.
   */
  manifest?: ManifestResult;
  /**
   * Ask the target whether it holds each manifest before copying it (default true), so a
   * re-run writes nothing. A caller that knows the target lacks it (or that a copy over
   * it is harmless: mounts and a PUT of the same bytes by digest) saves a round trip.
   */
  checkTarget?: boolean;
}

export interface CopyImageResult {
  /** The digest of the copied (top) manifest: the same in source and target. */
  digest: string;
  mediaType: string;
  size: number;
  /** Manifests written to the target (0 when everything was there already). */
  manifests: number;
  /** Blobs by outcome. */
  blobs: Record<BlobCopyOutcome, number>;
}

export async function copyImage(
  client: ImageStore,
  source: ImageReference,
  target: Repository,
  options: CopyImageOptions = {},
): Promise<CopyImageResult> {
  const reference = manifestReference(source);
  const given = options.manifest;
  if (given && source.digest && given.digest !== source.digest) {
    throw new Error(`copyImage: the manifest given is ${given.digest}, not ${source.digest}`);
  }
  const top = given ?? (await client.getManifest(source, reference));
  const result: CopyImageResult = {
    digest: top.digest,
    mediaType: top.mediaType,
    size: top.size,
    manifests: 0,
    blobs: { exists: 0, mounted: 0, copied: 0, skipped: 0 },
  };
  await copyTree(client, source, target, top, result, {
    concurrency: options.concurrency ?? 8,
    checkTarget: options.checkTarget ?? true,
  });
  await Promise.all(
    (options.tags ?? []).map((tag) => client.putManifest(target, tag, top.bytes, top.mediaType)),
  );
  const b = result.blobs;
  client.logger.info(
    `copied ${formatReference(source)} to ${formatRepository(target)}@${top.digest}: ${result.manifests} manifest(s) written; blobs ${b.mounted} mounted, ${b.copied} copied, ${b.exists} already there, ${b.skipped} foreign skipped`,
  );
  return result;
}

async function copyTree(
  client: ImageStore,
  source: Repository,
  target: Repository,
  node: ManifestResult,
  result: CopyImageResult,
  how: { concurrency: number; checkTarget: boolean },
): Promise<void> {
  // A manifest the target holds by digest is complete: the registry checked its references.
  if (how.checkTarget && (await client.headManifest(target, node.digest))) {
    client.logger.debug(`${formatRepository(target)}@${node.digest} is there already`);
    return;
  }
  if (isIndex(node.mediaType)) {
    // All children, attestation manifests included: the index references each of them.
    await mapLimit((node.manifest as ImageIndex).manifests, how.concurrency, async (child) =>
      copyTree(client, source, target, await client.getManifest(source, child.digest), result, how),
    );
  } else {
    // Config and layers together: each is independent of the others.
    const manifest = node.manifest as ImageManifest;
    const outcomes = await mapLimit([manifest.config, ...manifest.layers], how.concurrency, (d) =>
      client.copyBlob(source, target, d),
    );
    for (const outcome of outcomes) result.blobs[outcome] += 1;
  }
  // Only now, with everything it names in place.
  await client.putManifest(target, node.digest, node.bytes, node.mediaType);
  result.manifests += 1;
}
