/**
 * `pin-actions: true` pins xplat's own actions to the commit of the release the
 * generating xplat comes from, and says what to set when it cannot.
 */
import { describe, expect, it } from '@jest/globals';
import { annotateXplatPin, pinXplatActions } from '../src/pin-xplat.js';
import { bundledRelease, parseReleaseStamp, RELEASE_PLACEHOLDER } from '../src/xplat-release.js';
import { generateWorkflow } from '../src/generate.js';
import { loadConfig } from '../src/index.js';
import type { ActionSource } from '../src/config-types.js';
import { TEST_RELEASE } from './release-fixture.js';

const SHA = TEST_RELEASE.commit;
const remote = (repository: string, ref: string): ActionSource => ({
  kind: 'remote',
  repository,
  ref,
});

describe('pinXplatActions', () => {
  it.each<[string, ActionSource, string | undefined]>([
    ['the major of the release', remote('xplat-dev/xplat', 'v1'), 'v1.4.2'],
    ['the release itself', remote('xplat-dev/xplat', 'v1.4.2'), 'v1.4.2'],
    ['the repository in other case', remote('XPLAT-dev/xplat', 'v1'), 'v1.4.2'],
  ])('pins %s to its commit, with the version', (_, source, version) => {
    const pinned = pinXplatActions(source, TEST_RELEASE, 'xplat.yml');
    expect(pinned).toEqual({
      source: { ...source, ref: SHA },
      version,
    });
  });

  it.each<[string, ActionSource]>([
    ['a full commit SHA given in xplat.yml', remote('acme/xplat', 'f'.repeat(40))],
    ['local actions', { kind: 'local', dir: './actions' }],
  ])('leaves %s as they are, release or not', (_, source) => {
    for (const release of [TEST_RELEASE, undefined])
      expect(pinXplatActions(source, release, 'xplat.yml')).toEqual({
        source,
        version: undefined,
      });
  });

  it.each<[string, ActionSource, typeof TEST_RELEASE | undefined, string]>([
    [
      'a development build',
      remote('xplat-dev/xplat', 'v1'),
      undefined,
      'xplat.yml: pin-actions: this xplat is a development build and knows no release commit to pin xplat-dev/xplat@v1 to; set xplat: { uses: xplat-dev/xplat@<full commit SHA of a release> } in xplat.yml, or generate with a released xplat (npx xplat@1 generate)',
    ],
    [
      "a fork's actions",
      remote('acme/xplat', 'v1'),
      TEST_RELEASE,
      'xplat.yml: pin-actions: this xplat is v1.4.2 of xplat-dev/xplat and cannot pin acme/xplat@v1; set xplat: { uses: acme/xplat@<full commit SHA of a release> } in xplat.yml',
    ],
    [
      'another major',
      remote('xplat-dev/xplat', 'v2'),
      TEST_RELEASE,
      'xplat.yml: pin-actions: this xplat is v1.4.2 and cannot pin xplat-dev/xplat@v2; use xplat: { uses: xplat-dev/xplat@v1 } (pinned to v1.4.2) or xplat: { uses: xplat-dev/xplat@<full commit SHA of a release> } in xplat.yml',
    ],
    [
      'another release of the same major',
      remote('xplat-dev/xplat', 'v1.3.0'),
      TEST_RELEASE,
      'xplat.yml: pin-actions: this xplat is v1.4.2 and cannot pin xplat-dev/xplat@v1.3.0; use xplat: { uses: xplat-dev/xplat@v1 } (pinned to v1.4.2) or xplat: { uses: xplat-dev/xplat@<full commit SHA of a release> } in xplat.yml',
    ],
  ])('refuses %s in one line saying what to set', (_, source, release, message) => {
    expect(() => pinXplatActions(source, release, 'xplat.yml')).toThrow(message);
  });
});

describe('generated with pin-actions: true', () => {
  const config = (extra = '') =>
    loadConfig(
      `image: ghcr.io/acme/app\nplatforms: [linux/amd64, windows/amd64:ltsc2022]\npin-actions: true\n${extra}`,
    );

  it("every action is pinned by SHA with its version, xplat's own to the release", () => {
    const text = generateWorkflow(config(), { release: TEST_RELEASE });
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s+(.*)$/gm)].map((m) => m[1]!);
    expect(uses.length).toBeGreaterThan(6);
    for (const u of uses)
      expect(u).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    for (const action of [
      'setup-crossplatform-builder',
      'build-platform-image',
      'smoke-test',
      'fuse-manifest',
    ])
      expect(uses).toContain(`xplat-dev/xplat/actions/${action}@${SHA} # v1.4.2`);
  });

  it('a development build refuses before writing anything; without pin-actions it needs no release', () => {
    expect(() => generateWorkflow(config(), { release: undefined })).toThrow(/development build/);
    const unpinned = loadConfig('image: ghcr.io/acme/app\nplatforms: [linux/amd64]\n');
    expect(generateWorkflow(unpinned, { release: undefined })).toContain(
      'uses: xplat-dev/xplat/actions/fuse-manifest@v1\n',
    );
  });

  it('a SHA set in xplat.yml is kept, without a version it cannot know', () => {
    const sha = 'a'.repeat(40);
    const text = generateWorkflow(config(`xplat: { uses: acme/xplat@${sha} }\n`), {
      release: undefined,
    });
    expect(text).toContain(`uses: acme/xplat/actions/fuse-manifest@${sha}\n`);
  });

  it('annotates only the lines of the pinned repository and commit', () => {
    const text = 'uses: a/xplat/actions/x@1\n  - uses: b/xplat/actions/x@1\n';
    expect(annotateXplatPin(text, { source: remote('a/xplat', '1'), version: 'v1.0.0' })).toBe(
      'uses: a/xplat/actions/x@1 # v1.0.0\n  - uses: b/xplat/actions/x@1\n',
    );
  });
});

describe('the release stamp', () => {
  it.each<[string, typeof TEST_RELEASE | undefined]>([
    [`v1.4.2 ${SHA} xplat-dev/xplat`, TEST_RELEASE],
    [`v1.3.0-rc.1 ${SHA} xplat-dev/xplat`, { ...TEST_RELEASE, version: 'v1.3.0-rc.1' }],
    [RELEASE_PLACEHOLDER, undefined],
    [`1.4.2 ${SHA} xplat-dev/xplat`, undefined],
    [`v1.4.2 ${SHA.slice(1)} xplat-dev/xplat`, undefined],
    [`v1.4.2 ${SHA}`, undefined],
  ])('%s reads as %j', (text, release) => {
    expect(parseReleaseStamp(text)).toEqual(release);
  });

  it('a build from source is a development build', () => {
    expect(bundledRelease()).toBeUndefined();
  });
});
