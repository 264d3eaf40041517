/**
 * The release's decision (scripts/release-channels.mjs): the major tag and npm's latest
 * move only to the highest release; a backport is published but moves neither back.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  compareReleases,
  parseRelease,
  releaseChannels,
  type Channels,
} from '../scripts/release-channels.mjs';
import { repoRoot } from './run-action.js';

const HISTORY = ['v1.0.0', 'v1.0.4', 'v1.2.0', 'v1.3.0', 'v1.4.0-rc.1', 'not-a-release', 'v1'];

describe('releaseChannels', () => {
  it.each<[string, string, readonly string[], Partial<Channels>]>([
    [
      'a new highest release moves v1, latest and GitHub latest',
      'v1.3.1',
      HISTORY,
      { version: '1.3.1', major: 'v1', moveMajor: true, npmTag: 'latest', githubLatest: true },
    ],
    [
      'a backport after a higher release moves nothing back',
      'v1.0.5',
      HISTORY,
      { version: '1.0.5', moveMajor: false, npmTag: 'backport-1.0', githubLatest: false },
    ],
    [
      'a re-run of the highest release (its tag listed) still moves',
      'v1.3.0',
      HISTORY,
      { moveMajor: true, npmTag: 'latest', githubLatest: true },
    ],
    ['the first release', 'v1.0.0', [], { moveMajor: true, npmTag: 'latest', githubLatest: true }],
    [
      'the highest of an older major moves its own major, not latest',
      'v1.5.0',
      [...HISTORY, 'v2.0.0'],
      { major: 'v1', moveMajor: true, npmTag: 'latest-1', githubLatest: false },
    ],
    [
      'a backport in an older major',
      'v1.2.1',
      [...HISTORY, 'v2.0.0'],
      { moveMajor: false, npmTag: 'backport-1.2', githubLatest: false },
    ],
    [
      'a new major moves its own major and latest',
      'v2.0.0',
      HISTORY,
      { major: 'v2', moveMajor: true, npmTag: 'latest', githubLatest: true },
    ],
    [
      'a pre-release moves nothing and goes to next',
      'v1.4.0-rc.2',
      HISTORY,
      {
        version: '1.4.0-rc.2',
        prerelease: true,
        moveMajor: false,
        npmTag: 'next',
        githubLatest: false,
      },
    ],
    [
      'a release above a pre-release of itself',
      'v1.4.0',
      HISTORY,
      { moveMajor: true, npmTag: 'latest', githubLatest: true },
    ],
    [
      'a release below a pre-release of a higher one',
      'v1.3.2',
      [...HISTORY, 'v1.5.0-beta.1'],
      { moveMajor: true, npmTag: 'latest', githubLatest: true },
    ],
  ])('%s', (_, tag, tags, expected) => {
    expect(releaseChannels(tag, tags)).toMatchObject({ prerelease: false, ...expected });
  });

  it.each(['v1', '1.2.3', 'v1.2', 'latest', 'v1.2.3+build'])(
    'refuses %s as a release tag',
    (tag) => {
      expect(() => releaseChannels(tag, HISTORY)).toThrow(`"${tag}" is not a release tag`);
    },
  );

  it('orders versions as semantic versioning does', () => {
    const order = [
      'v1.0.0-alpha',
      'v1.0.0-alpha.1',
      'v1.0.0-alpha.beta',
      'v1.0.0-beta.2',
      'v1.0.0-beta.11',
      'v1.0.0-rc.1',
      'v1.0.0',
      'v1.0.10',
      'v1.2.0',
      'v10.0.0',
    ];
    const parsed = order.map((t) => parseRelease(t)!);
    const sorted = [...parsed].reverse().sort(compareReleases);
    expect(sorted.map((r) => r.tag)).toEqual(order);
  });
});

describe('scripts/release-channels.mjs', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [path.join(repoRoot, 'scripts', 'release-channels.mjs'), ...args],
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );

  it('writes GITHUB_OUTPUT lines and says the decision in words', async () => {
    const got = await run(['--tag', 'v1.0.5', '--tags', HISTORY.join(',')]);
    expect(got.code).toBe(0);
    expect(got.stdout).toBe(
      'version=1.0.5\nmajor=v1\nprerelease=false\nmove-major=false\nnpm-tag=backport-1.0\ngithub-latest=false\n',
    );
    expect(got.stderr).toBe(
      'v1 stays (a higher v1 release exists); npm dist-tag backport-1.0; not the latest GitHub release\n',
    );
  });

  it('refuses a tag that is no release, in one line (exit 2)', async () => {
    const got = await run(['--tag', 'main', '--tags', '']);
    expect(got).toEqual({
      code: 2,
      stdout: '',
      stderr: 'release-channels: --tag "main" is not a release tag such as v1.2.3 or v1.3.0-rc.1\n',
    });
  });
});
