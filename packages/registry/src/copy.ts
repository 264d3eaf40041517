/**
 * Copying an image between repositories, so an index pushed to the target repository
 * only references manifests that live there (registries refuse an index whose children
 * are missing). Children first, blobs before the manifest that names them, everything by
 * digest so the copy is byte-identical and re-runs find it already there.
 */
import type { BlobCopyOutcome, ManifestResult, RegistryClient } from './client.js';
import type { ImageIndex, ImageManifest } from './manifest.js';
import { isIndex } from './media-types.js';
import {
  type ImageReference,
  type Repository,
  formatReference,
  formatRepository,
  manifestReference,
} from './reference.js';

export interface CopyImageOptions {
  /** Also tag the copied manifest in the target. */
  tags?: readonly string[];
  /** Blobs moved at once; default 3. */
  concurrency?: number;
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

/** Run `fn` over `items`, at most `limit` at a time, in order of start. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export async function copyImage(
  client: RegistryClient,
  source: ImageReference,
  target: Repository,
  options: CopyImageOptions = {},
): Promise<CopyImageResult> {
  const top = await client.getManifest(source, manifestReference(source));
  const result: CopyImageResult = {
    digest: top.digest,
    mediaType: top.mediaType,
    size: top.size,
    manifests: 0,
    blobs: { exists: 0, mounted: 0, copied: 0, skipped: 0 },
  };
  await copyTree(client, source, target, top, result, options.concurrency ?? 3);
  for (const tag of options.tags ?? [])
    await client.putManifest(target, tag, top.bytes, top.mediaType);
  const b = result.blobs;
  client.logger.info(
    `copied ${formatReference(source)} to ${formatRepository(target)}@${top.digest}: ${result.manifests} manifest(s) written; blobs ${b.mounted} mounted, ${b.copied} copied, ${b.exists} already there, ${b.skipped} foreign skipped`,
  );
  return result;
}

async function copyTree(
  client: RegistryClient,
  source: Repository,
  target: Repository,
  node: ManifestResult,
  result: CopyImageResult,
  concurrency: number,
): Promise<void> {
  // A manifest the target holds by digest is complete: the registry checked its references.
  if (await client.headManifest(target, node.digest)) {
    client.logger.debug(`${formatRepository(target)}@${node.digest} is there already`);
    return;
  }
  if (isIndex(node.mediaType)) {
    // All children, attestation manifests included: the index references each of them.
    for (const child of (node.manifest as ImageIndex).manifests) {
      await copyTree(
        client,
        source,
        target,
        await client.getManifest(source, child.digest),
        result,
        concurrency,
      );
    }
  } else {
    const manifest = node.manifest as ImageManifest;
    const outcomes = await mapLimit([manifest.config, ...manifest.layers], concurrency, (d) =>
      client.copyBlob(source, target, d),
    );
    for (const outcome of outcomes) result.blobs[outcome] += 1;
  }
  await client.putManifest(target, node.digest, node.bytes, node.mediaType);
  result.manifests += 1;
}
