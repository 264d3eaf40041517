/**
 * What the registry client hands back, and the part of it that image copies use
 * (copy.ts works against ImageStore, so it does not import the client that calls it).
 */
import type { Descriptor, Manifest, Repository } from '@xplat/oci';
import type { RegistryLogger } from './internal/logger.js';

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

export interface ManifestResult extends ManifestHead {
  /** The exact bytes: push these, never a re-serialisation, or the digest changes. */
  bytes: Buffer;
  manifest: Manifest;
}

/** What happened to one blob of a copy. */
export type BlobCopyOutcome = 'exists' | 'mounted' | 'copied' | 'skipped';

export type Access = 'pull' | 'push';

/** What copyImage needs of a registry client. */
export interface ImageStore {
  readonly logger: RegistryLogger;
  getManifest(repo: Repository, reference: string): Promise<ManifestResult>;
  headManifest(repo: Repository, reference: string): Promise<ManifestHead | undefined>;
  putManifest(
    repo: Repository,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<unknown>;
  copyBlob(
    source: Repository,
    target: Repository,
    descriptor: Descriptor,
  ): Promise<BlobCopyOutcome>;
}
