/**
 * @xplat/oci: the OCI vocabulary, pure: types and grammars with no I/O (no network, no
 * files, no processes). Image references and repositories (parse, format, compare),
 * digests, media types, the manifest and index documents, registry token scopes, tag
 * names, and the one tag-template grammar with its named default leg tags. Every other
 * package that names an image imports these from here; @xplat/registry is the client
 * that speaks to registries with them.
 */
export { digestProblem, isDigest, sha256Digest, validateDigest } from './digest.js';
export {
  attestationsFor,
  type Descriptor,
  type ImageConfig,
  imageEntries,
  type ImageIndex,
  type ImageManifest,
  isAttestation,
  isImageIndex,
  type Manifest,
} from './manifest.js';
export {
  baseMediaType,
  DOCKER_FOREIGN_LAYER,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  IN_TOTO,
  isForeignLayer,
  isIndex,
  isManifestMediaType,
  MANIFEST_MEDIA_TYPES,
  OCI_INDEX,
  OCI_MANIFEST,
  REFERENCE_DIGEST_ANNOTATION,
} from './media-types.js';
export {
  apiHost,
  DOCKER_HUB,
  formatReference,
  formatRepository,
  type ImageReference,
  isLoopbackHost,
  manifestReference,
  normalizeRegistry,
  parseReference,
  parseRepository,
  registryHostname,
  type Repository,
  sameRepository,
  tagProblem,
  validateTag,
} from './reference.js';
export {
  covers,
  describeScopes,
  normalizeScopes,
  pullScope,
  pushScope,
  type Scope,
  scopeString,
} from './scopes.js';
export {
  DEFAULT_LEG_TAG,
  DEFAULT_RUN_LEG_TAG,
  fillTemplate,
  templatePlaceholders,
  unmatchedBrace,
} from './tag-template.js';
