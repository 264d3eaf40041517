/**
 * @xplat/oci: the OCI vocabulary, pure: types and grammars with no I/O (no network, no
 * files, no processes). Image references and repositories (parse, format, compare),
 * digests, media types, the manifest and index documents, registry token scopes, tag
 * names, and the one tag-template grammar with its named default leg tags. Every other
 * package that names an image imports these from here; @xplat/registry is the client
 * that speaks to registries with them.
 */
export * from './digest.js';
export * from './manifest.js';
export * from './media-types.js';
export * from './reference.js';
export * from './scopes.js';
export * from './tag-template.js';
