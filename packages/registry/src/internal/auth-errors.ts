/**
 * The one-line errors of a refused login, each naming the input or file the credentials
 * came from and what would be right. Never the credentials themselves.
 */
import { XplatError } from '@xplat/core';
import type { Credentials } from './credentials.js';
import { describeErrorBody } from './errors.js';
import type { HttpResponse } from './http.js';
import { describeScopes, type Scope } from '@xplat/oci';

/** No credentials for a registry that wants them. */
export function needsLogin(registry: string, scopes: readonly Scope[]): XplatError {
  return new XplatError(
    `${registry} requires a login for ${describeScopes(scopes)}: give the username and password inputs, or run docker login ${registry} first`,
    'username/password',
  );
}

/** The registry (or its token server) turned the credentials down. */
export function wrongCredentials(
  registry: string,
  credentials: Credentials,
  res: HttpResponse,
): XplatError {
  const detail = describeErrorBody(res.body).text;
  return new XplatError(
    `${registry} rejected the credentials from ${credentials.source} (${res.status}${detail ? ` ${detail}` : ''}); check that they are right for ${registry}`,
    credentials.input,
  );
}

/** The credentials were accepted, but the account lacks the access the scopes need. */
export function denied(
  registry: string,
  scopes: readonly Scope[],
  credentials: Credentials,
): XplatError {
  return new XplatError(
    `the credentials from ${credentials.source} are not allowed ${describeScopes(scopes)} at ${registry}; use an account with that access`,
    credentials.input,
  );
}

/**
 * A streamed upload got 401 with a token a fresh one can replace (revoked, expired). Its
 * body was a stream the request consumed, so it cannot be sent again as it is: the
 * transfer starts over (a new upload session, the bytes read again) with the fresh
 * token. `unauthorized` is the error to give when starting over does not cure it.
 */
export class StaleUploadTokenError extends Error {
  constructor(
    what: string,
    readonly unauthorized: XplatError,
  ) {
    super(`${what}: 401 with a token the registry no longer honours`);
    this.name = 'StaleUploadTokenError';
  }
}
