/**
 * Strict-enough parsing of manifest and image config bytes a registry sent: enough to
 * walk the tree safely, not a full schema validation (the shapes are @xplat/oci's).
 */
import {
  baseMediaType,
  type Descriptor,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  type ImageConfig,
  isDigest,
  isIndex,
  isManifestMediaType,
  type Manifest,
  OCI_INDEX,
  OCI_MANIFEST,
} from '@xplat/oci';
import { RegistryError } from './errors.js';

/** Refuse manifests above this size, as containerd does: a manifest is never this big. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkDescriptor(value: unknown, where: string, what: string): Descriptor {
  const bad = (why: string): RegistryError => new RegistryError(`${what}: ${where} ${why}`);
  if (!isRecord(value)) throw bad('is not an object');
  if (typeof value.mediaType !== 'string' || !value.mediaType) throw bad('has no mediaType');
  if (typeof value.digest !== 'string' || !isDigest(value.digest)) {
    throw bad(`has digest ${JSON.stringify(value.digest)}, not sha256:<64 hex>`);
  }
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) {
    throw bad(`has size ${JSON.stringify(value.size)}, not a byte count`);
  }
  return value as unknown as Descriptor;
}

/**
 * Parse manifest bytes. The media type is the manifest's own `mediaType` field when it
 * has one, else the Content-Type the registry sent, else inferred from the shape (OCI
 * made the field optional). `what` names the manifest in errors.
 */
export function parseManifest(
  bytes: Uint8Array,
  contentType: string | null | undefined,
  what: string,
): { manifest: Manifest; mediaType: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new RegistryError(`${what}: the manifest is not JSON`);
  }
  if (!isRecord(parsed)) throw new RegistryError(`${what}: the manifest is not a JSON object`);
  if (parsed.schemaVersion !== 2) {
    throw new RegistryError(
      `${what}: schemaVersion ${JSON.stringify(parsed.schemaVersion)} is not supported (only schema 2, OCI or Docker)`,
    );
  }
  const field = typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  const header = baseMediaType(contentType);
  let mediaType = field ?? (isManifestMediaType(header) ? header : undefined);
  if (!mediaType) mediaType = Array.isArray(parsed.manifests) ? OCI_INDEX : OCI_MANIFEST;
  if (!isManifestMediaType(mediaType)) {
    throw new RegistryError(
      `${what}: media type ${mediaType} is not a manifest type this client reads (${OCI_INDEX}, ${OCI_MANIFEST}, ${DOCKER_MANIFEST_LIST}, ${DOCKER_MANIFEST})`,
    );
  }
  if (isIndex(mediaType)) {
    if (!Array.isArray(parsed.manifests))
      throw new RegistryError(`${what}: the index has no manifests array`);
    parsed.manifests.forEach((m, i) => checkDescriptor(m, `manifests[${i}]`, what));
  } else {
    checkDescriptor(parsed.config, 'config', what);
    if (!Array.isArray(parsed.layers))
      throw new RegistryError(`${what}: the manifest has no layers array`);
    parsed.layers.forEach((l, i) => checkDescriptor(l, `layers[${i}]`, what));
  }
  return { manifest: parsed as unknown as Manifest, mediaType };
}

/** Parse image config bytes; `what` names the config in errors. */
export function parseImageConfig(bytes: Uint8Array, what: string): ImageConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new RegistryError(`${what}: the image config is not JSON`);
  }
  if (
    !isRecord(parsed) ||
    typeof parsed.os !== 'string' ||
    typeof parsed.architecture !== 'string'
  ) {
    throw new RegistryError(`${what}: the image config has no os and architecture`);
  }
  return parsed as ImageConfig;
}
