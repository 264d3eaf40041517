/**
 * The JSON shapes of manifests, indexes and image configs, and what an index's entries
 * are (images or attestations). Parsing bytes a registry sent is @xplat/registry's.
 */
import type { OciPlatform } from '@xplat/core';
import {
  ATTESTATION_MANIFEST,
  REFERENCE_DIGEST_ANNOTATION,
  REFERENCE_TYPE_ANNOTATION,
  isIndex,
} from './media-types.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: OciPlatform;
  artifactType?: string;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export type Manifest = ImageManifest | ImageIndex;

/** The parts of an image config that placement and fusing use; the rest is kept as is. */
export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
  created?: string;
  config?: Record<string, unknown>;
  rootfs?: { type: string; diff_ids: string[] };
  [key: string]: unknown;
}

/** Whether a manifest is an index (by its media type). */
export function isImageIndex(manifest: Manifest, mediaType: string): manifest is ImageIndex {
  return isIndex(mediaType);
}

/**
 * Whether an index entry is a BuildKit attestation manifest (provenance, SBOM) rather
 * than a runnable image: it carries `vnd.docker.reference.type: attestation-manifest`.
 */
export function isAttestation(descriptor: Descriptor): boolean {
  return descriptor.annotations?.[REFERENCE_TYPE_ANNOTATION] === ATTESTATION_MANIFEST;
}

/** The runnable image entries of an index (attestations and unknown/unknown left out). */
export function imageEntries(index: ImageIndex): Descriptor[] {
  return index.manifests.filter(
    (d) =>
      !isAttestation(d) && !(d.platform?.os === 'unknown' && d.platform.architecture === 'unknown'),
  );
}

/** The attestation entries of an index that describe the image with `digest`. */
export function attestationsFor(index: ImageIndex, digest: string): Descriptor[] {
  return index.manifests.filter(
    (d) => isAttestation(d) && d.annotations?.[REFERENCE_DIGEST_ANNOTATION] === digest,
  );
}
