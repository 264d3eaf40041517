/**
 * The release of xplat this build comes from, for `pin-actions: true` to pin xplat's own
 * actions to it. Source and development bundles carry the placeholder below; the bundle
 * of a release is stamped (scripts/release-stamp.mjs, run by pack-cli.mjs --commit, or
 * bundle.mjs --release) with "<version> <commit> <repository>" in its place. The
 * committed dist/ stays unstamped: a commit cannot name its own SHA.
 */

export interface XplatRelease {
  /** `v1.4.2`. */
  readonly version: string;
  /** The full commit SHA the release tag points at. */
  readonly commit: string;
  /** `xplat-dev/xplat`: where that commit lives. */
  readonly repository: string;
}

/**
 * What the stamp replaces (scripts/release-stamp.mjs names the same string; a test keeps
 * them equal). The stamp replaces every copy of the literal the minifier leaves, this one
 * included, so only bundledRelease() may read it.
 */
export const RELEASE_PLACEHOLDER = '@@XPLAT_RELEASE@@';
const STAMPED: string = '@@XPLAT_RELEASE@@';

const STAMP = /^(v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?) ([0-9a-f]{40}) ([\w.-]+\/[\w.-]+)$/;

/** A stamp's text as a release; undefined for the placeholder or anything else. */
export function parseReleaseStamp(text: string): XplatRelease | undefined {
  const m = STAMP.exec(text);
  return m ? { version: m[1]!, commit: m[2]!, repository: m[3]! } : undefined;
}

/** The release this bundle was stamped with; undefined for a development build. */
export function bundledRelease(): XplatRelease | undefined {
  return parseReleaseStamp(STAMPED);
}
