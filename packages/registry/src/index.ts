/**
 * @xplat/registry: a native OCI distribution client (no docker CLI, no buildx).
 * RegistryClient is the entry point; the rest is what callers need to name references,
 * media types and errors, plus the building blocks for tests and other clients.
 */
export * from './auth.js';
export * from './challenge.js';
export * from './client.js';
export * from './client-types.js';
export * from './copy.js';
export * from './credentials.js';
export * from './errors.js';
export {
  DEFAULT_RETRY_POLICY,
  HttpClient,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type RetryPolicy,
  backoffMs,
  isRetryableStatus,
  isTransientError,
  retryAfterMs,
} from './http.js';
export * from './logger.js';
export * from './manifest.js';
// Transitional: the OCI vocabulary moved to @xplat/oci.
export * from '@xplat/oci';
export * from '@xplat/oci';
export { DEFAULT_TOKEN_LIFETIME_S } from './token.js';
export {
  DEFAULT_REQUESTS_PER_REGISTRY,
  Limiter,
  Transport,
  type TransportOptions,
} from './transport.js';
