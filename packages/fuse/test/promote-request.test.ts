/**
 * fuse-manifest's promote mode as inputs: what promote-from names, and every input that
 * cannot go with it, refused in one line naming the input before any registry call.
 */
import { describe, expect, it } from '@jest/globals';
import { parseFuseRequest, type PromoteSpec, type RawFuseInputs } from '../src/index.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const base: RawFuseInputs = {
  image: '127.0.0.1:5000/app',
  tags: 'v1.2.3\n1.2',
  results: '',
  sources: '',
  expectedPlatforms: 'linux/amd64,windows/amd64:ltsc2022',
  annotations: '',
  mediaType: 'auto',
  mutableTags: '1.2',
  dryRun: 'false',
  // As the action passes it by default: a promote has nothing to say against it.
  allowForeignRuns: 'false',
  promoteFrom: 'sha-1a2b3c4',
};

describe('promote-from', () => {
  it.each<[string, Partial<RawFuseInputs>, PromoteSpec]>([
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
      { promoteFrom: DIGEST },
      {
        from: { registry: '127.0.0.1:5000', repository: 'app', digest: DIGEST },
        force: false,
        missing: 'fail',
      },
    ],
    [
      'another registry, forced, skipped when missing, of a commit',
      {
        promoteFrom: 'ghcr.io/org/app:sha-1a2b3c4',
        promoteForce: 'true',
        promoteMissing: 'skip',
        promoteRevision: SHA.toUpperCase(),
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
      { ...base, promoteFrom: '', sources: `127.0.0.1:5000/app@${DIGEST}` },
      process.cwd(),
    );
    expect(request.promote).toBeUndefined();
  });

  // Each bad input fails in one line that starts with the input's name.
  it.each<[string, Partial<RawFuseInputs>, string]>([
    [
      'a repository without tag or digest',
      { promoteFrom: 'ghcr.io/org/app' },
      'promote-from: "ghcr.io/org/app" names a repository, not an index: add its tag or digest, e.g. ghcr.io/org/app:sha-1a2b3c4',
    ],
    ['a bad tag', { promoteFrom: '-sha' }, 'promote-from: '],
    [
      'a bad digest',
      { promoteFrom: 'sha256:abc' },
      'promote-from: "sha256:abc" is not a valid digest',
    ],
    [
      'two references',
      { promoteFrom: 'sha-1 sha-2' },
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
      { allowUntested: 'linux/amd64' },
      'allow-untested: cannot be used with promote-from',
    ],
    [
      'allow-foreign-runs',
      { allowForeignRuns: 'true' },
      'allow-foreign-runs: cannot be used with promote-from',
    ],
    [
      'a media type',
      { mediaType: 'oci' },
      'media-type: cannot be used with promote-from: the index keeps its own media type',
    ],
    [
      'a revision that is no sha',
      { promoteRevision: 'main' },
      'promote-revision: "main" is not a commit sha (7 to 40 hex digits, e.g. ${{ github.sha }})',
    ],
    ['promote-force not a boolean', { promoteForce: 'maybe' }, 'promote-force: '],
    [
      'promote-missing not a choice',
      { promoteMissing: 'build' },
      'promote-missing: "build" is not one of fail, skip',
    ],
    [
      'promote-revision without promote-from',
      { promoteFrom: '', promoteRevision: SHA, sources: `127.0.0.1:5000/app@${DIGEST}` },
      'promote-revision: applies to promote-from only',
    ],
    [
      'promote-missing without promote-from',
      { promoteFrom: '', promoteMissing: 'skip', sources: `127.0.0.1:5000/app@${DIGEST}` },
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
