import { XplatError } from '@xplat/core';

/**
 * A registry answered something this client cannot use: an unexpected status, a digest
 * that does not match the bytes, a malformed manifest. Not the user's fault as such (that
 * is XplatError from @xplat/core: wrong credentials, a missing tag, a bad reference), but
 * still one line that names the registry, the request and what came back.
 */
export class RegistryError extends Error {
  /** HTTP status, when the error came from a response. */
  readonly status: number | undefined;
  /** The first OCI error code in the response body (MANIFEST_UNKNOWN, DENIED, ...). */
  readonly code: string | undefined;
  /** Set when retries already ran out: retrying at a higher level would only multiply them. */
  exhausted = false;

  constructor(message: string, status?: number, code?: string) {
    super(message);
    this.name = 'RegistryError';
    this.status = status;
    this.code = code;
  }
}

/**
 * A 404: what the user named is not there. An XplatError because the fix is theirs (a
 * wrong name, tag or digest); callers that know the input rethrow it with its name.
 */
export function notFoundError(what: string, body: Uint8Array): XplatError {
  const { code } = describeErrorBody(body);
  return new XplatError(
    `${what} was not found${code ? ` (${code})` : ''}: check the name, tag or digest`,
  );
}

/** The `{"errors":[{"code","message"}]}` body of a distribution error, as one short phrase. */
export function describeErrorBody(body: Uint8Array | undefined): {
  code?: string;
  text?: string;
} {
  if (!body || body.length === 0) return {};
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as {
      errors?: { code?: unknown; message?: unknown }[];
    };
    const first = parsed.errors?.[0];
    if (first && typeof first.code === 'string') {
      const message = typeof first.message === 'string' ? first.message : '';
      return { code: first.code, text: message ? `${first.code}: ${message}` : first.code };
    }
  } catch {
    // Not JSON: some proxies answer with HTML. Fall through to a short excerpt.
  }
  const text = Buffer.from(body).toString('utf8').replace(/\s+/g, ' ').trim();
  return text ? { text: text.length > 120 ? `${text.slice(0, 117)}...` : text } : {};
}
