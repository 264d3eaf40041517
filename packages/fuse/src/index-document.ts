/**
 * Builds the multi-platform index from resolved children. Pure: given the same children
 * and options it yields the same bytes, so a re-run lands on the same digest and the
 * tag check can recognise "already there" (idempotent re-runs).
 */
import { XplatError, type OciPlatform } from '@xplat/core';
import {
  type Descriptor,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  sha256Digest,
} from '@xplat/oci';

/** One platform image that goes into the index, with what travels with it. */
export interface IndexChild {
  /** The image manifest, its platform taken from the image config. */
  readonly descriptor: Descriptor & { platform: OciPlatform };
  /** Attestation manifests (buildx provenance/SBOM) that refer to this image. */
  readonly attestations: readonly Descriptor[];
}

export type MediaTypeChoice = 'auto' | 'oci' | 'docker';

export interface IndexDocument {
  readonly mediaType: string;
  readonly manifest: Record<string, unknown>;
  readonly bytes: Buffer;
  readonly digest: string;
  /** Things the user should know, e.g. attestations dropped for a Docker list. */
  readonly warnings: readonly string[];
}

const DOCKER_CHILD = DOCKER_MANIFEST;

export function buildIndex(
  children: readonly IndexChild[],
  options: { mediaType: MediaTypeChoice; annotations: Record<string, string> },
): IndexDocument {
  const warnings: string[] = [];
  const hasAnnotations = Object.keys(options.annotations).length > 0;
  const allDocker = children.every((c) => c.descriptor.mediaType === DOCKER_CHILD);
  const format =
    options.mediaType === 'auto'
      ? allDocker && !hasAnnotations
        ? 'docker'
        : 'oci'
      : options.mediaType;

  if (format === 'docker') {
    const oci = children.find((c) => c.descriptor.mediaType !== DOCKER_CHILD);
    if (oci) {
      throw new XplatError(
        `docker needs Docker schema 2 images, but ${oci.descriptor.digest} is ${oci.descriptor.mediaType}; use auto or oci`,
        'media-type',
      );
    }
    if (hasAnnotations)
      throw new XplatError(
        'annotations need an OCI index; use media-type auto or oci',
        'annotations',
      );
  }

  const attestations = children.flatMap((c) => c.attestations);
  if (format === 'docker' && attestations.length > 0) {
    warnings.push(
      `${attestations.length} attestation manifest(s) left out: a Docker manifest list cannot carry them (use media-type oci to keep them)`,
    );
  }
  const manifests = [
    ...children.map((c) => entry(c.descriptor)),
    ...(format === 'oci' ? attestations.map(entry) : []),
  ];
  const mediaType = format === 'docker' ? DOCKER_MANIFEST_LIST : OCI_INDEX;
  const manifest: Record<string, unknown> = { schemaVersion: 2, mediaType, manifests };
  if (format === 'oci' && hasAnnotations) manifest.annotations = sortKeys(options.annotations);
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
  return { mediaType, manifest, bytes, digest: sha256Digest(bytes), warnings };
}

/** An index entry: only the fields the specs define, in a fixed order. */
function entry(d: Descriptor): Descriptor {
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.platform ? { platform: ociPlatform(d.platform) } : {}),
    ...(d.annotations && Object.keys(d.annotations).length
      ? { annotations: sortKeys(d.annotations) }
      : {}),
  };
}

/** The platform as the config says it, os.version and os.features kept (imagetools drops them). */
function ociPlatform(p: OciPlatform): OciPlatform {
  return {
    architecture: p.architecture,
    os: p.os,
    ...(p['os.version'] ? { 'os.version': p['os.version'] } : {}),
    ...(p['os.features']?.length ? { 'os.features': [...p['os.features']] } : {}),
    ...(p.variant ? { variant: p.variant } : {}),
  };
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
