/**
 * --image: the name of an image of xplat.yml picks it; any other value is the action
 * input as before (build, fuse: a repository; smoke: a reference), which with several
 * images must be the repository of one of them.
 */
import { describe, expect, it } from '@jest/globals';
import { loadConfig, type ResolvedConfig } from '@xplat/workflow';
import { UsageError } from '../src/flags.js';
import { chooseImages, imageOfReference, type ImageRole } from '../src/commands/images.js';

const ONE = loadConfig('image: ghcr.io/org/app\nplatforms: [linux/amd64]\n');
const TWO = loadConfig(
  [
    'platforms: [linux/amd64]',
    'images:',
    '  - name: csi-node',
    '    image: ghcr.io/org/csi-node',
    '  - name: csi-controller',
    '    image: ghcr.io/org/csi-controller',
    '  - name: hub',
    '    image: docker.io/org/hub',
    '',
  ].join('\n'),
);

type Row = [
  what: string,
  config: ResolvedConfig | undefined,
  value: string | undefined,
  role: ImageRole,
  images: string[],
  named: boolean,
  input: string | undefined,
];

describe('chooseImages: the name-vs-repository rule', () => {
  it.each<Row>([
    [
      'no --image, no xplat.yml: flags alone',
      undefined,
      undefined,
      'repository',
      [],
      false,
      undefined,
    ],
    [
      'no --image: every image',
      TWO,
      undefined,
      'repository',
      ['csi-node', 'csi-controller', 'hub'],
      false,
      undefined,
    ],
    ['no --image, one image: that one', ONE, undefined, 'name', ['app'], false, undefined],
    [
      'a name picks that image (build)',
      TWO,
      'csi-node',
      'repository',
      ['csi-node'],
      true,
      undefined,
    ],
    [
      'a name picks that image (smoke)',
      TWO,
      'csi-controller',
      'reference',
      ['csi-controller'],
      true,
      undefined,
    ],
    ['a name picks that image (plan, lint)', TWO, 'hub', 'name', ['hub'], true, undefined],
    [
      "a one-image file's name (from its repository) picks it",
      ONE,
      'app',
      'repository',
      ['app'],
      true,
      undefined,
    ],
    [
      'one image: any other value is the repository, as before',
      ONE,
      'ghcr.io/org/other',
      'repository',
      ['app'],
      false,
      'ghcr.io/org/other',
    ],
    [
      'one image: a bare repository that is not its name',
      ONE,
      'local-app',
      'repository',
      ['app'],
      false,
      'local-app',
    ],
    [
      'one image: a reference to test',
      ONE,
      'ghcr.io/org/app:pr-1',
      'reference',
      ['app'],
      false,
      'ghcr.io/org/app:pr-1',
    ],
    [
      "several: an image's repository picks it, kept as the input",
      TWO,
      'ghcr.io/org/csi-node',
      'repository',
      ['csi-node'],
      false,
      'ghcr.io/org/csi-node',
    ],
    [
      "several: a reference to an image's repository picks it",
      TWO,
      'ghcr.io/org/csi-controller:v1',
      'reference',
      ['csi-controller'],
      false,
      'ghcr.io/org/csi-controller:v1',
    ],
    [
      'several: Docker Hub written short',
      TWO,
      'org/hub@sha256:' + 'a'.repeat(64),
      'reference',
      ['hub'],
      false,
      'org/hub@sha256:' + 'a'.repeat(64),
    ],
    [
      'no xplat.yml: the value is the input',
      undefined,
      '127.0.0.1:5000/app',
      'repository',
      [],
      false,
      '127.0.0.1:5000/app',
    ],
  ])('%s', (_what, config, value, role, images, named, input) => {
    const choice = chooseImages(config, value, role);
    expect(choice.images.map((i) => i.name)).toEqual(images);
    expect(choice.named).toBe(named);
    expect(choice.input).toBe(input);
  });

  it.each<[string, ResolvedConfig | undefined, string, ImageRole, string]>([
    [
      'an unknown name (plan, lint, inspect)',
      TWO,
      'csi',
      'name',
      '--image: "csi" is not the name of an image of xplat.yml; its images: csi-node, csi-controller, hub (e.g. --image csi-node)',
    ],
    [
      'an unknown name (build, fuse)',
      TWO,
      'csi',
      'repository',
      '--image: "csi" is neither the name of an image of xplat.yml nor the repository of one; its images: csi-node, csi-controller, hub (e.g. --image csi-node)',
    ],
    [
      'another repository, several images (build, fuse)',
      TWO,
      'ghcr.io/org/other',
      'repository',
      '--image: "ghcr.io/org/other" is neither the name of an image of xplat.yml nor the repository of one; its images: csi-node, csi-controller, hub (e.g. --image csi-node)',
    ],
    [
      'another reference, several images (smoke)',
      TWO,
      'ghcr.io/org/other:v1',
      'reference',
      `--image: "ghcr.io/org/other:v1" is neither the name of an image of xplat.yml nor a reference to one's repository; its images: csi-node, csi-controller, hub (e.g. --image csi-node)`,
    ],
    [
      'a repository where only names are taken (plan, lint)',
      ONE,
      'ghcr.io/org/app',
      'name',
      '--image: "ghcr.io/org/app" is not the name of an image of xplat.yml; its images: app (e.g. --image app)',
    ],
    [
      'a name without xplat.yml (plan, lint)',
      undefined,
      'app',
      'name',
      '--image: "app" would name an image of xplat.yml, and there is none here; give --dir or --config, or leave --image out',
    ],
  ])('%s: a usage error listing the names', (_what, config, value, role, message) => {
    const choose = () => chooseImages(config, value, role);
    expect(choose).toThrow(UsageError);
    expect(choose).toThrow(message);
  });
});

describe('imageOfReference', () => {
  it.each<[string, string | undefined]>([
    ['ghcr.io/org/csi-node', 'csi-node'],
    ['ghcr.io/org/csi-node:1.2.3', 'csi-node'],
    ['docker.io/org/hub:latest', 'hub'],
    ['index.docker.io/org/hub', 'hub'],
    ['ghcr.io/org/csi-node-extra', undefined],
    ['not a reference', undefined],
  ])('%s: %s', (reference, name) => {
    expect(imageOfReference(TWO, reference)?.name).toBe(name);
  });
});
