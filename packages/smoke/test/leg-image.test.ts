/** Which image a smoke test with a leg result tests, and which images it refuses. */
import { describe, expect, it } from '@jest/globals';
import type { LegResult, LoadedLegResult } from '@xplat/core';
import type { ImageInfo } from '@xplat/engine';
import { checkLegImage, legImage, type LegImage } from '../src/leg-image.js';

const D = `sha256:${'d'.repeat(64)}`;
const OTHER = `sha256:${'0'.repeat(64)}`;
const REPO = '127.0.0.1:5000/app';

function leg(over: Partial<LegResult> = {}): LoadedLegResult {
  return {
    file: 'legs/windows-amd64-ltsc2022.json',
    result: {
      schema: 'xplat.leg/v1',
      platform: 'windows/amd64',
      osVersion: '10.0.20348.2655',
      image: REPO,
      digest: D,
      pushed: true,
      tags: ['windows-amd64-ltsc2022-1a2b3c4'],
      builder: 'buildx',
      timings: {
        startedAt: '2026-11-26T10:00:00.000Z',
        finishedAt: '2026-11-26T10:01:00.000Z',
        buildMs: 1,
      },
      smoke: { status: 'pending', checks: [] },
      ...over,
    },
  };
}
const unpushed = (): LoadedLegResult => leg({ pushed: false });

describe('legImage', () => {
  it.each<[string, string, LoadedLegResult, LegImage]>([
    ['empty: the pushed leg, pulled by digest', '', leg(), { image: `${REPO}@${D}` }],
    ['the same repo@digest', `${REPO}@${D}`, leg(), { image: `${REPO}@${D}` }],
    [
      'the digest in another repository (the same bytes)',
      `ghcr.io/org/app@${D}`,
      leg(),
      { image: `ghcr.io/org/app@${D}` },
    ],
    ['the digest itself: pulled from the leg repository', D, leg(), { image: `${REPO}@${D}` }],
    [
      'a tag of a pushed leg: the engine must show the digest',
      `${REPO}:windows-amd64-ltsc2022-1a2b3c4`,
      leg(),
      { image: `${REPO}:windows-amd64-ltsc2022-1a2b3c4`, verify: { repoDigest: D } },
    ],
    [
      "an image ID of a pushed leg (the config's digest): the engine must show the digest",
      OTHER,
      leg(),
      { image: OTHER, verify: { repoDigest: D } },
    ],
    ['an unpushed leg by its image ID', D, unpushed(), { image: D }],
    [
      'an unpushed leg by its short image ID',
      'dddddddddddd',
      unpushed(),
      { image: 'dddddddddddd' },
    ],
    [
      'an unpushed leg by its tag: the engine must show its ID',
      `${REPO}:dev`,
      unpushed(),
      { image: `${REPO}:dev`, verify: { id: D } },
    ],
  ])('%s', (_name, image, loaded, expected) => {
    expect(legImage(image, loaded)).toEqual(expected);
  });

  it.each<[string, string, LoadedLegResult, string]>([
    [
      'another digest of the repository',
      `${REPO}@${OTHER}`,
      leg(),
      `image: ${REPO}@${OTHER} is ${OTHER}, but the leg result legs/windows-amd64-ltsc2022.json is ${D}: a verdict is recorded only for the image the leg built; leave image empty to test ${REPO}@${D}, or give the leg result of ${OTHER}`,
    ],
    [
      'a tag pinned to another digest',
      `${REPO}:v1@${OTHER}`,
      leg(),
      `image: ${REPO}:v1@${OTHER} is ${OTHER}, but the leg result`,
    ],
    [
      'another image ID for an unpushed leg',
      OTHER,
      unpushed(),
      `image: ${OTHER} is ${OTHER}, but the leg result legs/windows-amd64-ltsc2022.json is ${D}: a verdict is recorded only for the image the leg built; give the leg's image ID ${D}, or give the leg result of ${OTHER}`,
    ],
    [
      'image empty, unpushed leg',
      '',
      unpushed(),
      'result-file: legs/windows-amd64-ltsc2022.json was built with push: false, so no registry holds its image to pull',
    ],
    [
      'image empty, failed build',
      '',
      leg({ digest: '', failure: { step: 'build', reason: 'BuildKit is missing' } }),
      'result-file: legs/windows-amd64-ltsc2022.json is a failed build (BuildKit is missing): there is no image to smoke-test',
    ],
    [
      'an image for a failed build',
      `${REPO}:dev`,
      leg({ digest: '', failure: { step: 'build', reason: 'exit 1' } }),
      'result-file: legs/windows-amd64-ltsc2022.json is a failed build (exit 1)',
    ],
  ])('refuses %s, naming both', (_name, image, loaded, message) => {
    expect(() => legImage(image, loaded)).toThrow(message);
  });
});

describe('checkLegImage', () => {
  const info = (over: Partial<ImageInfo>): ImageInfo => ({
    id: `sha256:${'c'.repeat(64)}`,
    os: 'windows',
    architecture: 'amd64',
    variant: '',
    osVersion: '10.0.20348.2655',
    repoDigests: [],
    stopSignal: '',
    ...over,
  });
  const tag = `${REPO}:dev`;

  it.each<[string, LegImage, ImageInfo, LoadedLegResult]>([
    ['nothing to verify', { image: `${REPO}@${D}` }, info({}), leg()],
    [
      'the pulled tag carries the digest',
      { image: tag, verify: { repoDigest: D } },
      info({ repoDigests: [`ghcr.io/x/y@${OTHER}`, `${REPO}@${D}`] }),
      leg(),
    ],
    ['the local image is the ID', { image: tag, verify: { id: D } }, info({ id: D }), unpushed()],
  ])('accepts %s', (_name, target, image, loaded) => {
    expect(() => checkLegImage(target, image, loaded)).not.toThrow();
  });

  it.each<[string, LegImage, ImageInfo | undefined, LoadedLegResult, string]>([
    [
      'a tag that moved',
      { image: tag, verify: { repoDigest: D } },
      info({ repoDigests: [`${REPO}@${OTHER}`] }),
      leg(),
      `image: ${tag} is ${OTHER} (image sha256:${'c'.repeat(64)}), not ${D} of the leg result legs/windows-amd64-ltsc2022.json: the tag moved or names another build; leave image empty to test ${REPO}@${D}`,
    ],
    [
      'a local build never pushed',
      { image: tag, verify: { repoDigest: D } },
      info({}),
      leg(),
      `image: ${tag} is the image sha256:${'c'.repeat(64)}, which no registry digest names, not ${D}`,
    ],
    [
      'another local image',
      { image: tag, verify: { id: D } },
      info({}),
      unpushed(),
      `image: ${tag} is the image sha256:${'c'.repeat(64)}, not ${D} of the leg result legs/windows-amd64-ltsc2022.json: the tag moved or names another build; give the leg's image ID ${D}`,
    ],
    [
      'an image the engine does not know',
      { image: tag, verify: { id: D } },
      undefined,
      unpushed(),
      `image: ${tag} is not known to the engine, not ${D}`,
    ],
  ])('refuses %s, naming both', (_name, target, image, loaded, message) => {
    expect(() => checkLegImage(target, image, loaded)).toThrow(message);
  });
});
