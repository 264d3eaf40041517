/**
 * RegistryClient: the OCI distribution operations fuse-manifest needs, spoken natively
 * (no docker CLI, no buildx): read manifests and configs, check and move blobs between
 * repositories, write manifests, and check access before writing anything.
 *
 * Every manifest digest is computed over the exact bytes the registry sent or was sent,
 * and compared with what was asked for and with Docker-Content-Digest.
 */
import { XplatError } from '@xplat/core';
import {
  baseMediaType,
  type Descriptor,
  digestProblem,
  DOCKER_HUB,
  formatRepository,
  type ImageConfig,
  type ImageReference,
  isManifestMediaType,
  MANIFEST_MEDIA_TYPES,
  normalizeRegistry,
  pullScope,
  pushScope,
  type Repository,
  sha256Digest,
  tagProblem,
  validateDigest,
} from '@xplat/oci';
import { blobExists, copyBlob, mountBlob, startUpload } from './internal/blob-transfer.js';
import type { Access, BlobCopyOutcome, ManifestHead, ManifestResult } from './client-types.js';
import { copyImage, type CopyImageOptions, type CopyImageResult } from './internal/copy.js';
import { RegistryError, notFoundError } from './internal/errors.js';
import type { RegistryLogger } from './internal/logger.js';
import { MAX_MANIFEST_BYTES, parseImageConfig, parseManifest } from './internal/manifest.js';
import { Transport, type TransportOptions, unexpected } from './internal/transport.js';

export type RegistryClientOptions = TransportOptions;

/** A client; the same as `new RegistryClient(options)`. */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  return new RegistryClient(options);
}

/** `registry/repo:tag` or `registry/repo@sha256:...`, for messages. */
function named(repo: Repository, reference: string): string {
  return `${formatRepository(repo)}${reference.includes(':') ? '@' : ':'}${reference}`;
}

/** A manifest reference must be a tag or a sha256 digest. */
function checkReference(reference: string, input = 'reference'): string {
  if (reference.includes(':')) return validateDigest(reference, input);
  const problem = tagProblem(reference);
  if (problem)
    throw new XplatError(`"${reference}" is neither a tag nor a digest: ${problem}`, input);
  return reference;
}

export class RegistryClient {
  readonly transport: Transport;

  constructor(options: RegistryClientOptions = {}) {
    this.transport = new Transport(options);
  }

  /** The logger the client was given, for helpers built on the client (copy.ts). */
  get logger(): RegistryLogger {
    return this.transport.logger;
  }

  /** GET a manifest by tag or digest, with all four manifest types accepted. */
  async getManifest(repo: Repository, reference: string): Promise<ManifestResult> {
    return (await this.#manifest(repo, reference, false))!;
  }

  /** A manifest by tag or digest, or undefined when the registry does not hold it (404). */
  findManifest(repo: Repository, reference: string): Promise<ManifestResult | undefined> {
    return this.#manifest(repo, reference, true);
  }

  async #manifest(
    repo: Repository,
    reference: string,
    missingOk: boolean,
  ): Promise<ManifestResult | undefined> {
    checkReference(reference);
    const what = named(repo, reference);
    const res = await this.transport.send(repo.registry, [pullScope(repo)], {
      method: 'GET',
      url: this.transport.url(repo, `manifests/${reference}`),
      headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
      what: `GET ${what}`,
    });
    if (res.status === 404) {
      if (missingOk) return undefined;
      throw notFoundError(what, res.body);
    }
    if (res.status !== 200) throw unexpected(`GET ${what}`, res);
    const bytes = res.body;
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new RegistryError(
        `${what}: the manifest is ${bytes.length} bytes, more than a manifest can be`,
      );
    }
    const digest = sha256Digest(bytes);
    checkDigests(what, digest, reference, res.headers.get('docker-content-digest'));
    const { manifest, mediaType } = parseManifest(bytes, res.headers.get('content-type'), what);
    return { digest, mediaType, size: bytes.length, bytes, manifest };
  }

  /**
   * A manifest's digest, media type and size, or undefined when it does not exist.
   *
   * Asked with GET, not HEAD, except on Docker Hub (where a GET counts against the pull
   * rate limit and a HEAD does not): Node's fetch (undici) closes the connection after
   * every HEAD, so each HEAD would cost a new connection and, on https, a TLS handshake,
   * while a manifest is a few KB that the open connection carries in the same round trip.
   */
  async headManifest(repo: Repository, reference: string): Promise<ManifestHead | undefined> {
    checkReference(reference);
    if (normalizeRegistry(repo.registry) !== DOCKER_HUB) {
      const found = await this.findManifest(repo, reference);
      return found && { digest: found.digest, mediaType: found.mediaType, size: found.size };
    }
    const what = named(repo, reference);
    const res = await this.transport.send(repo.registry, [pullScope(repo)], {
      method: 'HEAD',
      url: this.transport.url(repo, `manifests/${reference}`),
      headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
      what: `HEAD ${what}`,
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw unexpected(`HEAD ${what}`, res);
    const digest = res.headers.get('docker-content-digest');
    const mediaType = baseMediaType(res.headers.get('content-type'));
    const size = Number(res.headers.get('content-length'));
    // Registries may leave these out of a HEAD answer; the body then tells.
    if (
      !digest ||
      digestProblem(digest) ||
      !isManifestMediaType(mediaType) ||
      !Number.isSafeInteger(size)
    ) {
      const full = await this.getManifest(repo, reference);
      return { digest: full.digest, mediaType: full.mediaType, size: full.size };
    }
    if (reference.includes(':') && digest !== reference) {
      throw new RegistryError(`HEAD ${what}: the registry answered digest ${digest}`);
    }
    return { digest, mediaType: mediaType as string, size };
  }

  /**
   * PUT a manifest under a tag or its digest, with Content-Type equal to `mediaType`.
   * Returns the digest of `bytes`, after checking the registry stored the same.
   */
  async putManifest(
    repo: Repository,
    reference: string,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<string> {
    checkReference(reference);
    if (!isManifestMediaType(mediaType)) {
      throw new XplatError(
        `"${mediaType}" is not a manifest media type (${MANIFEST_MEDIA_TYPES.join(', ')})`,
        'media-type',
      );
    }
    const what = named(repo, reference);
    const digest = sha256Digest(bytes);
    if (reference.includes(':') && reference !== digest) {
      throw new XplatError(
        `${what}: the bytes to push have digest ${digest}, not ${reference}`,
        'reference',
      );
    }
    const parsed = parseManifest(bytes, mediaType, what);
    if (parsed.mediaType !== mediaType) {
      throw new XplatError(
        `${what}: the manifest says mediaType ${parsed.mediaType} but would be sent as ${mediaType}`,
        'media-type',
      );
    }
    const res = await this.transport.send(repo.registry, [pushScope(repo)], {
      method: 'PUT',
      url: this.transport.url(repo, `manifests/${reference}`),
      headers: { 'content-type': mediaType },
      body: bytes,
      what: `PUT ${what}`,
    });
    if (res.status !== 201 && res.status !== 200 && res.status !== 202)
      throw unexpected(`PUT ${what}`, res);
    const answered = res.headers.get('docker-content-digest');
    if (answered && answered !== digest) {
      throw new RegistryError(
        `PUT ${what}: the registry stored digest ${answered}, but the bytes sent have ${digest}`,
      );
    }
    this.transport.logger.debug(`pushed ${what} (${mediaType}, ${digest})`);
    return digest;
  }

  /** PUT one manifest under each tag (by digest first, so it exists even with no tags). */
  async pushManifest(
    repo: Repository,
    bytes: Uint8Array,
    mediaType: string,
    tags: readonly string[],
  ): Promise<string> {
    const digest = await this.putManifest(repo, sha256Digest(bytes), bytes, mediaType);
    for (const tag of tags) await this.putManifest(repo, tag, bytes, mediaType);
    return digest;
  }

  /** A whole blob in memory, verified against `digest` (and `size` when given). For configs and other small blobs. */
  async getBlob(repo: Repository, digest: string, size?: number): Promise<Buffer> {
    validateDigest(digest);
    const what = `${formatRepository(repo)}@${digest}`;
    const res = await this.transport.send(repo.registry, [pullScope(repo)], {
      method: 'GET',
      url: this.transport.url(repo, `blobs/${digest}`),
      what: `GET blob ${what}`,
    });
    if (res.status === 404) throw notFoundError(`blob ${what}`, res.body);
    if (res.status !== 200) throw unexpected(`GET blob ${what}`, res);
    const actual = sha256Digest(res.body);
    if (actual !== digest)
      throw new RegistryError(`GET blob ${what}: the bytes received have digest ${actual}`);
    if (size !== undefined && res.body.length !== size) {
      throw new RegistryError(
        `GET blob ${what}: ${res.body.length} bytes received, the descriptor says ${size}`,
      );
    }
    return res.body;
  }

  /**
   * Upload a small blob held in memory (a config, an attestation): POST, then one PUT
   * with the digest. Nothing is sent when the repository has it already.
   */
  async putBlob(
    repo: Repository,
    bytes: Uint8Array,
  ): Promise<Descriptor & { mediaType: 'application/octet-stream' }> {
    const digest = sha256Digest(bytes);
    const descriptor = {
      mediaType: 'application/octet-stream' as const,
      digest,
      size: bytes.length,
    };
    if (await this.blobExists(repo, digest)) return descriptor;
    const upload = new URL(await startUpload(this.transport, repo));
    upload.searchParams.set('digest', digest);
    const what = `PUT ${digest} into ${formatRepository(repo)}`;
    const res = await this.transport.send(repo.registry, [pushScope(repo)], {
      method: 'PUT',
      url: upload.href,
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      what,
    });
    if (res.status !== 201 && res.status !== 204) throw unexpected(what, res);
    return descriptor;
  }

  /** The image config a manifest's `config` descriptor points to, parsed. */
  async getConfig(repo: Repository, descriptor: Descriptor): Promise<ImageConfig> {
    const bytes = await this.getBlob(repo, descriptor.digest, descriptor.size);
    return parseImageConfig(bytes, `config ${formatRepository(repo)}@${descriptor.digest}`);
  }

  /** Whether `repo` holds the blob. */
  blobExists(repo: Repository, digest: string): Promise<boolean> {
    return blobExists(this.transport, repo, digest);
  }

  /**
   * Make a blob of `from` (a repository of the same registry, or another registry) exist
   * in `target`: a cross-repository mount when the registry agrees (201), else a copy
   * (GET from the source, monolithic upload to the target).
   */
  mountBlob(
    target: Repository,
    digest: string,
    from: string | Repository,
    size?: number,
  ): Promise<'mounted' | 'copied'> {
    return mountBlob(this.transport, target, digest, from, size);
  }

  /**
   * Make the blob `descriptor` names exist in `target`, from `source` (see blob-transfer.ts):
   * mounted, copied, already there, or skipped when it is a foreign layer.
   */
  copyBlob(
    source: Repository,
    target: Repository,
    descriptor: Descriptor,
  ): Promise<BlobCopyOutcome> {
    return copyBlob(this.transport, source, target, descriptor);
  }

  /**
   * Copy an image (a manifest with its config and layers, or an index with all its
   * children) into another repository of the same or another registry, by digest; see
   * copy.ts. Returns what was done.
   */
  copyImage(
    source: ImageReference,
    target: Repository,
    options: CopyImageOptions = {},
  ): Promise<CopyImageResult> {
    return copyImage(this, source, target, options);
  }

  /**
   * Fail early, before any write, when `repo` cannot be read (`pull`) or written (`push`)
   * with the credentials at hand. A push check opens an upload and cancels it, which is
   * the only way a registry tells (go-containerregistry does the same).
   */
  async checkAccess(repo: Repository, access: Access): Promise<void> {
    const name = formatRepository(repo);
    if (access === 'pull') {
      const res = await this.transport.send(repo.registry, [pullScope(repo)], {
        method: 'GET',
        url: `${this.transport.url(repo, 'tags/list')}?n=1`,
        what: `GET ${name} tags`,
      });
      if (res.status === 404) throw notFoundError(name, res.body);
      if (res.status !== 200) throw unexpected(`GET ${name} tags`, res);
      return;
    }
    const location = await startUpload(this.transport, repo);
    const res = await this.transport
      .send(repo.registry, [pushScope(repo)], {
        method: 'DELETE',
        url: location,
        what: `DELETE upload in ${name}`,
      })
      .catch(() => undefined);
    if (res && res.status >= 300 && res.status !== 404) {
      this.transport.logger.debug(
        `cancelling the test upload in ${name} answered ${res.status}; it expires by itself`,
      );
    }
  }
}

/** The digest over the bytes must equal the digest asked for and the one the registry names. */
function checkDigests(
  what: string,
  digest: string,
  reference: string,
  header: string | null,
): void {
  if (reference.includes(':') && digest !== reference) {
    throw new RegistryError(`GET ${what}: the bytes received have digest ${digest}`);
  }
  // Only a sha256 header can be compared; registries may use another algorithm.
  if (header && header.startsWith('sha256:') && header !== digest) {
    throw new RegistryError(
      `GET ${what}: Docker-Content-Digest says ${header}, the bytes have ${digest}`,
    );
  }
}
