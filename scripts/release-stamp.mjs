// Stamps a bundle of the CLI with the release it is: "<version> <commit> <repository>"
// in place of the placeholder packages/workflow/src/xplat-release.ts carries, so
// `pin-actions: true` can pin xplat's own actions to that commit. Only bundles that are
// shipped as a release are stamped (the npm package, a local release build); the
// committed dist/ never is (a commit cannot name its own SHA, and check-dist compares).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const RELEASE_PLACEHOLDER = '@@XPLAT_RELEASE@@';

/** Checks the three values, returning the stamp; throws a one-line Error naming the flag. */
export function releaseStamp({ version, commit, repository }) {
  const v = version.startsWith('v') ? version : `v${version}`;
  if (!/^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(v))
    throw new Error(`--version "${version}" is not a release such as v1.2.3 or v1.3.0-rc.1`);
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new Error(`--commit "${commit}" is not a full commit SHA (40 lowercase hex digits)`);
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new Error(`--repository "${repository}" is not OWNER/NAME`);
  return `${v} ${commit} ${repository}`;
}

/**
 * Replaces the placeholder in every .js file of `dir` (the bundle's chunks included) and
 * returns how many places it filled; a bundle without the placeholder is an error, since
 * it would ship a release that says it is a development build.
 */
export function stampDir(dir, stamp) {
  let count = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.js')) continue;
    const file = path.join(dir, name);
    const text = readFileSync(file, 'utf8');
    const parts = text.split(RELEASE_PLACEHOLDER);
    if (parts.length === 1) continue;
    count += parts.length - 1;
    writeFileSync(file, parts.join(stamp));
  }
  if (count === 0) throw new Error(`${dir} holds no ${RELEASE_PLACEHOLDER} to stamp`);
  return count;
}
