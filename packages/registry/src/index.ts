/**
 * @xplat/registry: a native OCI distribution client (no docker CLI, no buildx).
 * RegistryClient is the whole face; transport, auth, blob transfer and the rest are in
 * src/internal/. The names it speaks in (references, digests, media types, manifests)
 * are @xplat/oci's.
 */
export type { ManifestResult } from './client-types.js';
export { createRegistryClient, RegistryClient, type RegistryClientOptions } from './client.js';
