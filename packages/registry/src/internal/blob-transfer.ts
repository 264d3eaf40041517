/**
 * Making a blob exist in a repository: asking whether it is there, a cross-repository
 * mount within a registry, opening an upload session, and streaming a blob from one
 * repository (of any registry) into another with a monolithic upload (POST, then one
 * PUT carrying the digest). Blobs are never held in memory whole, so multi-GB
 * Windows layers copy too; the bytes are hashed and counted on the way, and the registry
 * checks the digest as well.
 */
import { createHash } from 'node:crypto';
import { StaleUploadTokenError } from './auth-errors.js';
import {
  type Descriptor,
  formatRepository,
  isForeignLayer,
  normalizeRegistry,
  pullScope,
  pushScope,
  type Repository,
  validateDigest,
} from '@xplat/oci';
import type { BlobCopyOutcome } from '../client-types.js';
import { RegistryError, notFoundError } from './errors.js';
import { backoffMs, isTransientError } from './http.js';
import { type Transport, unexpected } from './transport.js';

/** Open an upload session in `target`; returns its absolute URL. */
export async function startUpload(transport: Transport, target: Repository): Promise<string> {
  const what = `POST upload to ${formatRepository(target)}`;
  const res = await transport.send(target.registry, [pushScope(target)], {
    method: 'POST',
    url: transport.url(target, 'blobs/uploads/'),
    headers: { 'content-length': '0' },
    what,
  });
  if (res.status !== 202) throw unexpected(what, res);
  return uploadLocation(res.headers.get('location'), res.url, what);
}

/** The absolute URL from a Location header, which may be relative to the request. */
export function uploadLocation(location: string | null, base: string, what: string): string {
  if (!location) throw new RegistryError(`${what}: the registry answered without a Location`);
  return new URL(location, base).href;
}

/**
 * Fresh tokens one transfer may ask for after its upload was refused with a revoked one:
 * a registry revokes tokens once in a while, not on every request; one that refuses each
 * fresh token too is refusing the credentials, and says so.
 */
const TOKEN_RESTARTS = 2;

/**
 * Stream blob `digest` from `source` into `target`, filling the upload session at
 * `location` when the registry already opened one (a refused mount). A consumed stream
 * cannot be replayed, so a transient failure starts the whole transfer over, as the
 * retry policy allows, and so does a 401 to the upload that a fresh token can cure (a
 * token revoked while the bytes were on their way): a new session, the bytes read again.
 */
export async function transferBlob(
  transport: Transport,
  source: Repository,
  target: Repository,
  digest: string,
  size?: number,
  location?: string,
): Promise<void> {
  const policy = transport.http.policy;
  const what = `copy ${digest} from ${formatRepository(source)} to ${formatRepository(target)}`;
  let restarts = 0;
  for (let n = 1; ; n++) {
    try {
      const upload = location ?? (await startUpload(transport, target));
      location = undefined; // an upload session is good for one try only
      await transferOnce(transport, source, target, digest, size, upload);
      transport.logger.debug(`copied ${digest} into ${formatRepository(target)}`);
      return;
    } catch (error) {
      if (error instanceof StaleUploadTokenError) {
        // Not a transient fault: no backoff, and a budget of its own.
        if (++restarts > TOKEN_RESTARTS) throw error.unauthorized;
        transport.logger.debug(`${what}: ${error.message}; starting over with a fresh token`);
        n--;
        continue;
      }
      if (!isTransientError(error) || n >= policy.maxAttempts) throw error;
      const wait = backoffMs(n, policy);
      transport.logger.debug(`${what}: ${(error as Error).message}; starting over in ${wait} ms`);
      await policy.sleep(wait);
    }
  }
}

async function transferOnce(
  transport: Transport,
  source: Repository,
  target: Repository,
  digest: string,
  size: number | undefined,
  upload: string,
): Promise<void> {
  const what = `blob ${formatRepository(source)}@${digest}`;
  // One idle timer for both legs: a stalled download stalls the upload it feeds.
  const idle = transport.idleTimeout();
  let res;
  try {
    res = await transport.stream(
      source.registry,
      [pullScope(source)],
      { method: 'GET', url: transport.url(source, `blobs/${digest}`), what: `GET ${what}` },
      idle,
    );
  } catch (error) {
    idle.dispose();
    throw error;
  }
  if (res.status !== 200) {
    idle.dispose();
    const body = Buffer.from(await new Response(res.body).arrayBuffer());
    if (res.status === 404) throw notFoundError(what, body);
    throw unexpected(`GET ${what}`, { ...res, body });
  }
  const announced = size ?? Number(res.headers.get('content-length'));
  const length = Number.isSafeInteger(announced) && announced >= 0 ? announced : undefined;
  const put = new URL(upload);
  put.searchParams.set('digest', digest);
  const into = `PUT ${digest} into ${formatRepository(target)}`;
  const answer = await transport.upload(
    target.registry,
    [pushScope(target)],
    {
      method: 'PUT',
      url: put.href,
      headers: {
        'content-type': 'application/octet-stream',
        ...(length !== undefined ? { 'content-length': String(length) } : {}),
      },
      body: res.body.pipeThrough(verifying(digest, length, what)),
      what: into,
    },
    idle,
  );
  if (answer.status !== 201 && answer.status !== 204) throw unexpected(into, answer);
}

/** Passes bytes through, failing the stream when they do not hash to `digest` or count to `size`. */
function verifying(
  digest: string,
  size: number | undefined,
  what: string,
): TransformStream<Uint8Array, Uint8Array> {
  const hash = createHash('sha256');
  let count = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      hash.update(chunk);
      count += chunk.length;
      controller.enqueue(chunk);
    },
    flush(controller) {
      const actual = `sha256:${hash.digest('hex')}`;
      if (size !== undefined && count !== size) {
        controller.error(new RegistryError(`${what}: ${count} bytes received, ${size} expected`));
      } else if (actual !== digest) {
        controller.error(new RegistryError(`${what}: the bytes received have digest ${actual}`));
      }
    },
  });
}

/** Whether `repo` holds the blob. */
export async function blobExists(
  transport: Transport,
  repo: Repository,
  digest: string,
): Promise<boolean> {
  validateDigest(digest);
  const what = `${formatRepository(repo)}@${digest}`;
  const res = await transport.send(repo.registry, [pullScope(repo)], {
    method: 'HEAD',
    url: transport.url(repo, `blobs/${digest}`),
    what: `HEAD blob ${what}`,
  });
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw unexpected(`HEAD blob ${what}`, res);
}

/**
 * Make a blob of `from` (a repository of the same registry, or another registry) exist
 * in `target`: a cross-repository mount when the registry agrees (201), else a copy
 * (GET from the source, monolithic upload to the target).
 */
export async function mountBlob(
  transport: Transport,
  target: Repository,
  digest: string,
  from: string | Repository,
  size?: number,
): Promise<'mounted' | 'copied'> {
  validateDigest(digest);
  const source: Repository =
    typeof from === 'string' ? { registry: target.registry, repository: from } : from;
  if (normalizeRegistry(source.registry) !== normalizeRegistry(target.registry)) {
    await transferBlob(transport, source, target, digest, size);
    return 'copied';
  }
  const what = `mount ${digest} from ${source.repository} into ${formatRepository(target)}`;
  const url = new URL(transport.url(target, 'blobs/uploads/'));
  url.searchParams.set('mount', digest);
  url.searchParams.set('from', source.repository);
  // One token for both repositories: the registry checks pull on the source as it mounts.
  const res = await transport.send(target.registry, [pushScope(target), pullScope(source)], {
    method: 'POST',
    url: url.href,
    headers: { 'content-length': '0' },
    what,
  });
  if (res.status === 201) {
    transport.logger.debug(
      `mounted ${digest} from ${source.repository} into ${formatRepository(target)}`,
    );
    return 'mounted';
  }
  if (res.status === 202) {
    // The registry started an upload instead (mounting off, or the source lacks it): fill it.
    transport.logger.debug(`${formatRepository(target)} did not mount ${digest}; copying it`);
    await transferBlob(
      transport,
      source,
      target,
      digest,
      size,
      uploadLocation(res.headers.get('location'), res.url, what),
    );
    return 'copied';
  }
  throw unexpected(what, res);
}

/**
 * Make the blob `descriptor` names exist in `target`, from `source`: a mount within a
 * registry, asked for directly (201: mounted, which is also the answer when the target
 * has it already; 202: the registry opened an upload instead, which is then filled);
 * across registries nothing when the target has it already, else a copy. Foreign
 * (non-distributable) layers are skipped: hosts fetch them from their URLs.
 */
export async function copyBlob(
  transport: Transport,
  source: Repository,
  target: Repository,
  descriptor: Descriptor,
): Promise<BlobCopyOutcome> {
  if (isForeignLayer(descriptor.mediaType)) {
    transport.logger.info(
      `skipping foreign layer ${descriptor.digest} (${descriptor.mediaType}): it is not distributable; hosts download it from ${descriptor.urls?.[0] ?? 'its URLs'}`,
    );
    return 'skipped';
  }
  if (
    normalizeRegistry(source.registry) !== normalizeRegistry(target.registry) &&
    (await blobExists(transport, target, descriptor.digest))
  )
    return 'exists';
  return mountBlob(transport, target, descriptor.digest, source, descriptor.size);
}
