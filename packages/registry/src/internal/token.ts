/**
 * A Bearer token from a registry's token server (the distribution token spec): GET with
 * Basic credentials or none, or an OAuth2 refresh-token POST for an identity token.
 * Every secret it sees or receives is handed to `onSecret` before anything else.
 */
import type { Credentials } from './credentials.js';
import { RegistryError, describeErrorBody } from './errors.js';
import type { HttpClient, HttpResponse } from './http.js';
import { needsLogin, wrongCredentials } from './auth-errors.js';
import { describeScopes, isLoopbackHost, type Scope, scopeString } from '@xplat/oci';

/** Tokens live 60 s when the server does not say (the token spec's default). */
export const DEFAULT_TOKEN_LIFETIME_S = 60;

/** A Bearer challenge: where tokens come from. */
export interface BearerChallenge {
  scheme: 'bearer';
  realm: string;
  service: string | undefined;
}

export interface Token {
  value: string;
  expiresAt: number;
  scopes: Scope[];
  credentials: Credentials | undefined;
}

/** What a token fetch needs of the authenticator that asks. */
export interface TokenContext {
  http: HttpClient;
  /** Whether plain http to this host is acceptable (loopback or insecureRegistries). */
  plainHttpAllowed: (host: string) => boolean;
  onSecret?: ((secret: string) => void) | undefined;
  now: () => number;
}

/** A new token for `scopes`; its lifetime as the server gave it (or the default), for the log. */
export async function fetchToken(
  context: TokenContext,
  registry: string,
  state: BearerChallenge,
  scopes: Scope[],
  credentials: Credentials | undefined,
): Promise<{ token: Token; lifetimeS: number }> {
  let realm: URL;
  try {
    realm = new URL(state.realm);
  } catch {
    throw new RegistryError(
      `${registry} named the token realm "${state.realm}", which is not a URL`,
    );
  }
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
    throw new RegistryError(
      `${registry} named the token realm "${state.realm}", which is not http(s)`,
    );
  }
  if (
    credentials &&
    realm.protocol === 'http:' &&
    !isLoopbackHost(realm.hostname) &&
    !context.plainHttpAllowed(realm.host)
  ) {
    throw new RegistryError(
      `${registry} wants credentials sent to ${realm.origin} over plain http; refusing (list ${realm.host} in insecure-registries if that is intended)`,
    );
  }
  const wire = scopes.map(scopeString);
  const what = `token for ${describeScopes(scopes)} from ${realm.origin}${realm.pathname}`;
  const started = context.now();
  let res: HttpResponse;
  if (credentials?.identityToken) {
    // An identity token is an OAuth2 refresh token: exchange it with a POST (docker does the same).
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.identityToken,
      client_id: 'xplat',
      ...(state.service ? { service: state.service } : {}),
      scope: wire.join(' '),
    });
    res = await context.http.request({
      method: 'POST',
      url: realm.href,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      what: `POST ${what}`,
    });
  } else {
    const url = new URL(realm.href);
    if (state.service) url.searchParams.set('service', state.service);
    for (const s of wire) url.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    if (credentials?.username !== undefined && credentials.password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    }
    res = await context.http.request({
      method: 'GET',
      url: url.href,
      headers,
      what: `GET ${what}`,
    });
  }
  if (res.status === 401 || res.status === 403) {
    if (credentials) throw wrongCredentials(registry, credentials, res);
    throw needsLogin(registry, scopes);
  }
  if (res.status !== 200) {
    const detail = describeErrorBody(res.body).text;
    throw new RegistryError(
      `${what}: ${res.status} ${res.statusText}${detail ? ` (${detail})` : ''}`,
      res.status,
    );
  }
  let body: {
    token?: unknown;
    access_token?: unknown;
    expires_in?: unknown;
    refresh_token?: unknown;
  };
  try {
    body = JSON.parse(res.body.toString('utf8')) as typeof body;
  } catch {
    throw new RegistryError(`${what}: the answer is not JSON`);
  }
  const value = typeof body.token === 'string' && body.token ? body.token : body.access_token;
  if (typeof value !== 'string' || !value)
    throw new RegistryError(`${what}: the answer holds no token`);
  context.onSecret?.(value);
  if (typeof body.refresh_token === 'string' && body.refresh_token)
    context.onSecret?.(body.refresh_token);
  const lifetimeS =
    typeof body.expires_in === 'number' && body.expires_in > 0
      ? body.expires_in
      : DEFAULT_TOKEN_LIFETIME_S;
  const lifetime = lifetimeS * 1000;
  // Renew a little early so a token does not expire between our check and the request.
  const token: Token = {
    value,
    expiresAt: started + lifetime - Math.min(10_000, lifetime / 10),
    scopes,
    credentials,
  };
  return { token, lifetimeS };
}
