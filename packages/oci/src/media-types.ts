/**
 * Media types of the OCI image spec and Docker's distribution formats, and the few
 * questions the client asks about them.
 */

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
/** Deprecated in OCI 1.1, still written by older Windows tooling. */
export const OCI_LAYER_NONDISTRIBUTABLE = 'application/vnd.oci.image.layer.nondistributable.v1.tar';
export const OCI_LAYER_NONDISTRIBUTABLE_GZIP =
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip';
export const OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd';

export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
/** Windows base layers on MCR: clients fetch them from the descriptor's `urls`. */
export const DOCKER_FOREIGN_LAYER = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';

/** The layer media type of BuildKit's attestation manifests. */
export const IN_TOTO = 'application/vnd.in-toto+json';

/** Annotations BuildKit puts on attestation entries of an index. */
export const REFERENCE_TYPE_ANNOTATION = 'vnd.docker.reference.type';
export const REFERENCE_DIGEST_ANNOTATION = 'vnd.docker.reference.digest';
export const ATTESTATION_MANIFEST = 'attestation-manifest';

/** Every manifest type the client reads and writes, in Accept order. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  OCI_INDEX,
  OCI_MANIFEST,
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST,
];

const FOREIGN_LAYERS = new Set([
  DOCKER_FOREIGN_LAYER,
  OCI_LAYER_NONDISTRIBUTABLE,
  OCI_LAYER_NONDISTRIBUTABLE_GZIP,
  OCI_LAYER_NONDISTRIBUTABLE_ZSTD,
]);

/** A list of manifests: OCI index or Docker manifest list. */
export function isIndex(mediaType: string | undefined): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** A single-image manifest: OCI image manifest or Docker schema 2. */
export function isImageManifest(mediaType: string | undefined): boolean {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST;
}

/** One of the four manifest types above. */
export function isManifestMediaType(mediaType: string | undefined): boolean {
  return isIndex(mediaType) || isImageManifest(mediaType);
}

/** Docker's own formats (`application/vnd.docker.*`), as opposed to OCI ones. */
export function isDockerMediaType(mediaType: string | undefined): boolean {
  return mediaType?.startsWith('application/vnd.docker.') ?? false;
}

/**
 * A layer a registry may not hold (Windows base layers): copying skips it, and clients
 * download it from its `urls`.
 */
export function isForeignLayer(mediaType: string | undefined): boolean {
  return mediaType !== undefined && FOREIGN_LAYERS.has(mediaType);
}

/** The media type without parameters (`; charset=utf-8`) and case folded. */
export function baseMediaType(contentType: string | null | undefined): string | undefined {
  const base = contentType?.split(';')[0]?.trim().toLowerCase();
  return base || undefined;
}
