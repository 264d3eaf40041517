/**
 * What the test bed's registries hold on disk, read past their API: the manifests a
 * repository has ever received (distribution keeps one revision per manifest digest,
 * tagged or not). "A second build wrote no new manifest" is this set unchanged, which no
 * API call can show (untagged manifests are listed nowhere).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { testbed } from './testbed.js';

/** Digests of every manifest `repository` holds in the test bed registry at `registry`. */
export async function manifestRevisions(registry: string, repository: string): Promise<string[]> {
  const tb = testbed();
  const which = registry === tb.openRegistry ? 'open' : registry === tb.authRegistry ? 'auth' : '';
  if (!which) throw new Error(`${registry} is not a registry of the test bed`);
  const dir = path.join(
    tb.env('XPLAT_TESTBED_DIR'),
    'registry',
    which,
    'data/docker/registry/v2/repositories',
    repository,
    '_manifests/revisions/sha256',
  );
  try {
    return (await readdir(dir)).map((hex) => `sha256:${hex}`).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
