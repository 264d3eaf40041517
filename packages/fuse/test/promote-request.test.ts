/**
 * fuse-manifest's promote mode as inputs: what promote-from names, and every input that
 * cannot go with it, refused in one line naming the input before any registry call.
 */
import { describe, expect, it } from '@jest/globals';
import { parseFuseRequest, type PromoteSpec, type FuseInputs } from '../src/index.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const base: FuseInputs = {
  image: '127.0.0.1:5000/app',
  tags: 'v1.2.3\n1.2',
  results: '',
  sources: '',
  'expected-platforms': 'linux/amd64,windows/amd64:ltsc2022',
  annotations: '',
  'media-type': 'auto',
  'mutable-tags': '1.2',
  'dry-run': 'false',
  // As the action passes it by default: a promote has nothing to say against it.
  'allow-foreign-runs': 'false',
  'promote-from': 'sha-1a2b3c4',
};

describe('promote-from', () => {
  it.each<[string, Partial<FuseInputs>, PromoteSpec]>([
    [
      'a tag alone: of the target repository',
      {},
      {
        from: { registry: '127.0.0.1:5000', repository: 'app', tag: 'sha-1a2b3c4' },
        force: false,
        missing: 'fail',
      },
    ],
    [
      'a digest alone',
      { 'promote-from': DIGEST },
      {
        from: { registry: '127.0.0.1:5000', repository: 'app', digest: DIGEST },
        force: false,
        missing: 'fail',
      },
    ],
    [
      'another registry, forced, skipped when missing, of a commit',
      {
        'promote-from': 'ghcr.io/org/app:sha-1a2b3c4',
        'promote-force': 'true',
        'promote-missing': 'skip',
        'promote-revision': SHA.toUpperCase(),
      },
      {
        from: { registry: 'ghcr.io', repository: 'org/app', tag: 'sha-1a2b3c4' },
        revision: SHA,
        force: true,
        missing: 'skip',
      },
    ],
  ])('%s', async (_name, change, promote) => {
    const request = await parseFuseRequest({ ...base, ...change }, process.cwd());
    expect(request.promote).toEqual(promote);
    expect(request.tags).toEqual(['v1.2.3', '1.2']);
    expect(request.mutableTags).toEqual(['1.2']);
    expect([request.legs, request.sources]).toEqual([undefined, undefined]);
  });

  it('a plain fuse has no promote', async () => {
    const request = await parseFuseRequest(
      { ...base, 'promote-from': '', sources: `127.0.0.1:5000/app@${DIGEST}` },
      process.cwd(),
    );
    expect(request.promote).toBeUndefined();
  });

  // Each bad input fails in one line that starts with the input's name.
  it.each<[string, Partial<FuseInputs>, string]>([
    [
      'a repository without tag or digest',
      { 'promote-from': 'ghcr.io/org/app' },
      'promote-from: "ghcr.io/org/app" names a repository, not an index: add its tag or digest, e.g. ghcr.io/org/app:sha-1a2b3c4',
    ],
    ['a bad tag', { 'promote-from': '-sha' }, 'promote-from: '],
    [
      'a bad digest',
      { 'promote-from': 'sha256:abc' },
      'promote-from: "sha256:abc" is not a valid digest',
    ],
    [
      'two references',
      { 'promote-from': 'sha-1 sha-2' },
      'promote-from: "sha-1 sha-2" holds whitespace',
    ],
    [
      'no tags',
      { tags: '' },
      'tags: is required with promote-from: the tags to give the index, e.g. 1.2.3',
    ],
    [
      'results too',
      { results: 'legs' },
      'results: cannot be used with promote-from, which copies an existing index unchanged: the gate ran when the index was fused',
    ],
    [
      'sources too',
      { sources: `127.0.0.1:5000/app@${DIGEST}` },
      'sources: cannot be used with promote-from',
    ],
    [
      'annotations',
      { annotations: 'a=b' },
      'annotations: cannot be used with promote-from, which copies an existing index unchanged: an annotation would change the index and its digest',
    ],
    [
      'allow-untested',
      { 'allow-untested': 'linux/amd64' },
      'allow-untested: cannot be used with promote-from',
    ],
    [
      'allow-foreign-runs',
      { 'allow-foreign-runs': 'true' },
      'allow-foreign-runs: cannot be used with promote-from',
    ],
    [
      'a media type',
      { 'media-type': 'oci' },
      'media-type: cannot be used with promote-from: the index keeps its own media type',
    ],
    [
      'a revision that is no sha',
      { 'promote-revision': 'main' },
      'promote-revision: "main" is not a commit sha (7 to 40 hex digits, e.g. ${{ github.sha }})',
    ],
    ['promote-force not a boolean', { 'promote-force': 'maybe' }, 'promote-force: '],
    [
      'promote-missing not a choice',
      { 'promote-missing': 'build' },
      'promote-missing: "build" is not one of fail, skip',
    ],
    [
      'promote-revision without promote-from',
      { 'promote-from': '', 'promote-revision': SHA, sources: `127.0.0.1:5000/app@${DIGEST}` },
      'promote-revision: applies to promote-from only',
    ],
    [
      'promote-missing without promote-from',
      { 'promote-from': '', 'promote-missing': 'skip', sources: `127.0.0.1:5000/app@${DIGEST}` },
      'promote-missing: applies to promote-from only',
    ],
  ])('rejects %s', async (_name, change, message) => {
    const error = await parseFuseRequest({ ...base, ...change }, process.cwd()).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });
});
