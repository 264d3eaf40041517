/**
 * Read-back: the index is fetched again by every tag it was pushed as (or by digest) and
 * compared with what was built: digest and platforms. A registry that rewrote or dropped
 * anything (os.version, say) fails the step instead of passing silently.
 */
import { XplatError } from '@xplat/core';
import { formatRepository, isImageIndex, type Repository } from '@xplat/oci';
import type { RegistryClient } from '@xplat/registry';
import type { IndexDocument } from './index-document.js';
import { firstFailure } from './settle.js';

export async function verifyIndex(
  client: RegistryClient,
  target: Repository,
  document: IndexDocument,
  tags: readonly string[],
): Promise<void> {
  const expected = platformsOf(document.manifest.manifests);
  const references = tags.length ? tags : [document.digest];
  // Every tag read back at once; the first mismatch in tag order is the one reported.
  const reads = await firstFailure(
    ...references.map((reference) => client.getManifest(target, reference)),
  );
  references.forEach((reference, i) => {
    const read = reads[i]!;
    const where = `${formatRepository(target)}:${reference}`;
    if (read.digest !== document.digest) {
      throw new XplatError(
        `read back ${where} as ${read.digest}, not the pushed ${document.digest}; another writer may have moved it`,
      );
    }
    const platforms = isImageIndex(read.manifest, read.mediaType)
      ? platformsOf(read.manifest.manifests)
      : '(not an index)';
    if (platforms !== expected) {
      throw new XplatError(
        `read back ${where} with platforms ${platforms}, not the pushed ${expected}`,
      );
    }
  });
}

/** The platform entries of an index as one comparable string, os.version included. */
function platformsOf(manifests: unknown): string {
  const list = Array.isArray(manifests)
    ? (manifests as { digest?: string; platform?: unknown }[])
    : [];
  return JSON.stringify(list.map((m) => [m.digest, m.platform ?? null]));
}
