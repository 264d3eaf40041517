import { describe, expect, it } from '@jest/globals';
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  OCI_MANIFEST,
  sha256Digest,
} from '@xplat/oci';
import { buildIndex, type IndexChild } from '../src/index-document.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const child = (
  mediaType: string,
  platform: IndexChild['descriptor']['platform'],
  c: string,
  attest = false,
): IndexChild => ({
  descriptor: { mediaType, digest: digest(c), size: 500, platform },
  attestations: attest
    ? [
        {
          mediaType: OCI_MANIFEST,
          digest: digest('f'),
          size: 800,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: {
            'vnd.docker.reference.type': 'attestation-manifest',
            'vnd.docker.reference.digest': digest(c),
          },
        },
      ]
    : [],
});
const linux = child(DOCKER_MANIFEST, { os: 'linux', architecture: 'amd64' }, 'a');
const arm = child(DOCKER_MANIFEST, { os: 'linux', architecture: 'arm64', variant: 'v8' }, 'b');
const win = child(
  DOCKER_MANIFEST,
  {
    os: 'windows',
    architecture: 'amd64',
    'os.version': '10.0.20348.2655',
    'os.features': ['win32k'],
  },
  'c',
);
const ociLinux = child(OCI_MANIFEST, { os: 'linux', architecture: 'amd64' }, 'd', true);

describe('buildIndex', () => {
  it.each<
    [string, IndexChild[], 'auto' | 'oci' | 'docker', Record<string, string>, string, number]
  >([
    ['all Docker children: a Docker list', [linux, arm, win], 'auto', {}, DOCKER_MANIFEST_LIST, 3],
    ['an OCI child: an OCI index with its attestation', [ociLinux, arm], 'auto', {}, OCI_INDEX, 3],
    [
      'annotations: an OCI index',
      [linux, arm],
      'auto',
      { 'org.opencontainers.image.source': 'x' },
      OCI_INDEX,
      2,
    ],
    ['forced oci over Docker children', [linux, win], 'oci', {}, OCI_INDEX, 2],
    ['forced docker', [linux, win], 'docker', {}, DOCKER_MANIFEST_LIST, 2],
  ])('%s', (_name, children, mediaType, annotations, expectedType, entries) => {
    const doc = buildIndex(children, { mediaType, annotations });
    expect(doc.mediaType).toBe(expectedType);
    expect(doc.manifest.mediaType).toBe(expectedType);
    expect((doc.manifest.manifests as unknown[]).length).toBe(entries);
    expect(doc.digest).toBe(sha256Digest(doc.bytes));
    expect(JSON.parse(doc.bytes.toString())).toEqual(doc.manifest);
  });

  it('keeps os.version, os.features and variant exactly as the config says', () => {
    const doc = buildIndex([linux, arm, win], { mediaType: 'auto', annotations: {} });
    const platforms = (doc.manifest.manifests as { platform: unknown }[]).map((m) => m.platform);
    expect(platforms).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
      {
        architecture: 'amd64',
        os: 'windows',
        'os.version': '10.0.20348.2655',
        'os.features': ['win32k'],
      },
    ]);
  });

  it('is deterministic: the same children give the same digest', () => {
    const a = buildIndex([linux, win], { mediaType: 'auto', annotations: { b: '2', a: '1' } });
    const b = buildIndex([linux, win], { mediaType: 'auto', annotations: { a: '1', b: '2' } });
    expect(a.digest).toBe(b.digest);
  });

  it('puts attestations after every image and drops them, with a warning, for a Docker list', () => {
    const oci = buildIndex([ociLinux, arm], { mediaType: 'oci', annotations: {} });
    expect((oci.manifest.manifests as { digest: string }[]).map((m) => m.digest)).toEqual([
      digest('d'),
      digest('b'),
      digest('f'),
    ]);
    const mixed = child(DOCKER_MANIFEST, { os: 'linux', architecture: 'amd64' }, 'e', true);
    const docker = buildIndex([mixed, arm], { mediaType: 'docker', annotations: {} });
    expect((docker.manifest.manifests as unknown[]).length).toBe(2);
    expect(docker.warnings[0]).toMatch(/1 attestation manifest\(s\) left out/);
  });

  it.each([
    [
      'docker over an OCI child',
      [ociLinux],
      'docker',
      {},
      /^media-type: docker needs Docker schema 2 images/,
    ],
    [
      'docker with annotations',
      [linux],
      'docker',
      { a: 'b' },
      /^annotations: annotations need an OCI index/,
    ],
  ] as const)('refuses %s', (_name, children, mediaType, annotations, message) => {
    expect(() => buildIndex([...children], { mediaType, annotations: { ...annotations } })).toThrow(
      message,
    );
  });
});
