/**
 * Moving blob bytes into a repository: opening an upload session, and streaming a blob
 * from one repository (of any registry) into another with a monolithic upload (POST,
 * then one PUT carrying the digest). Blobs are never held in memory whole, so multi-GB
 * Windows layers copy too; the bytes are hashed and counted on the way, and the registry
 * checks the digest as well.
 */
import { createHash } from 'node:crypto';
import { pullScope, pushScope } from './auth.js';
import { RegistryError, notFoundError } from './errors.js';
import { backoffMs, isTransientError } from './http.js';
import { type Repository, formatRepository } from './reference.js';
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
 * Stream blob `digest` from `source` into `target`, filling the upload session at
 * `location` when the registry already opened one (a refused mount). A consumed stream
 * cannot be replayed, so a transient failure starts the whole transfer over, as the
 * retry policy allows.
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
  for (let n = 1; ; n++) {
    try {
      const upload = location ?? (await startUpload(transport, target));
      location = undefined; // an upload session is good for one try only
      await transferOnce(transport, source, target, digest, size, upload);
      transport.logger.debug(`copied ${digest} into ${formatRepository(target)}`);
      return;
    } catch (error) {
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
