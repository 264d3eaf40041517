/**
 * xplat.yml's images:, build-on, smoke.skip and prepare: resolved into legs, and the
 * files that use them wrongly, each refused at the field to change.
 */
import { describe, expect, it } from '@jest/globals';
import { allLegs, ConfigError, loadConfig, pickImage } from '../src/index.js';
import { imageNameOf } from '../src/config-resolve.js';
import { type ConfigProblem, smokesApart } from '../src/config-types.js';

function problems(text: string): readonly ConfigProblem[] {
  try {
    loadConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('the config was accepted');
}

// Two images of one repository, as kubernetes-sigs/cloud-provider-azure keeps them
// (cloud-controller-manager is Linux-only, cloud-node-manager Linux and Windows): the
// top level holds what they share.
const MONOREPO = `
platforms: [linux/amd64, linux/arm64]
build-args: { VERSION: '1.2' }
smoke: { port: 10258, path: /healthz }
prepare:
  - run: make bin/\${TARGETOS}-\${TARGETARCH}
windows:
  build-on: linux
images:
  - name: controller-manager
    image: ghcr.io/acme/cloud-controller-manager
    dockerfile: controller-manager.Dockerfile
  - name: node-manager
    image: ghcr.io/acme/cloud-node-manager
    dockerfile: node-manager.Dockerfile
    build-args: { COMPONENT: node }
    smoke: { path: /readyz }
    windows:
      dockerfile: node-manager-windows.Dockerfile
      prepare:
        - run: make bin/windows-amd64.exe
          shell: bash
    platforms:
      - linux/amd64
      - windows/amd64:ltsc2022
      - platform: windows/amd64:ltsc2019
        smoke: { skip: no GitHub-hosted ltsc2019 runner }
`;

describe('images:', () => {
  it('resolves every image over the top-level defaults', () => {
    const config = loadConfig(MONOREPO);
    expect(config.several).toBe(true);
    const [cm, nm] = config.images;
    expect(cm!.name).toBe('controller-manager');
    expect(cm!.image).toBe('ghcr.io/acme/cloud-controller-manager');
    expect(cm!.legs.map((l) => [l.name, l.dockerfile, l.buildArgs])).toEqual([
      ['linux/amd64', 'controller-manager.Dockerfile', { VERSION: '1.2' }],
      ['linux/arm64', 'controller-manager.Dockerfile', { VERSION: '1.2' }],
    ]);
    // build-args and smoke merge key by key; platforms and the rest replace.
    expect(nm!.legs.map((l) => [l.name, l.dockerfile, l.buildArgs, l.smoke])).toEqual([
      [
        'linux/amd64',
        'node-manager.Dockerfile',
        { VERSION: '1.2', COMPONENT: 'node' },
        { port: 10258, path: '/readyz' },
      ],
      [
        'windows/amd64:ltsc2022',
        'node-manager-windows.Dockerfile',
        { VERSION: '1.2', COMPONENT: 'node' },
        { port: 10258, path: '/readyz' },
      ],
      [
        'windows/amd64:ltsc2019',
        'node-manager-windows.Dockerfile',
        { VERSION: '1.2', COMPONENT: 'node' },
        { port: 10258, path: '/readyz' },
      ],
    ]);
    expect(allLegs(config).map((l) => `${l.imageName} ${l.name}`)).toEqual([
      'controller-manager linux/amd64',
      'controller-manager linux/arm64',
      'node-manager linux/amd64',
      'node-manager windows/amd64:ltsc2022',
      'node-manager windows/amd64:ltsc2019',
    ]);
  });

  it('builds Windows on Linux where build-on says so, and smoke-tests on the release', () => {
    const nm = loadConfig(MONOREPO).images[1]!;
    const [linux, ltsc2022, ltsc2019] = nm.legs;
    expect([linux!.buildOn, linux!.buildRunner.runsOn, smokesApart(linux!)]).toEqual([
      'linux',
      'ubuntu-24.04',
      false,
    ]);
    expect(ltsc2022!.buildOn).toBe('linux');
    expect(ltsc2022!.buildRunner.runsOn).toBe('ubuntu-24.04');
    expect(ltsc2022!.smokeRunner.runsOn).toBe('windows-2022');
    expect(smokesApart(ltsc2022!)).toBe(true);
    // No hosted ltsc2019 runner: the skip is recorded by the build job itself.
    expect(ltsc2019!.smokeSkip).toBe('no GitHub-hosted ltsc2019 runner');
    expect(ltsc2019!.smokeRunner).toBe(ltsc2019!.buildRunner);
    expect(ltsc2019!.smoke).not.toHaveProperty('skip');
  });

  it('runs the image prepare steps, then the OS family ones', () => {
    const nm = loadConfig(MONOREPO).images[1]!;
    expect(nm.legs[0]!.prepare).toEqual([
      { run: 'make bin/${TARGETOS}-${TARGETARCH}', env: {}, from: 'image' },
    ]);
    expect(nm.legs[1]!.prepare).toEqual([
      { run: 'make bin/${TARGETOS}-${TARGETARCH}', env: {}, from: 'image' },
      { run: 'make bin/windows-amd64.exe', shell: 'bash', env: {}, from: 'windows' },
    ]);
  });

  it('keeps a file without images: one image, named after its repository', () => {
    const config = loadConfig('image: ghcr.io/acme/hello_http.v2\nplatforms: [linux/amd64]\n');
    expect(config.several).toBe(false);
    expect(config.images.map((i) => i.name)).toEqual(['hello-http-v2']);
    expect(imageNameOf('registry.example.com:5000/x/__')).toBe('image');
  });

  it('picks an image by name, or the only one', () => {
    const config = loadConfig(MONOREPO);
    expect(pickImage(config, 'node-manager').image).toBe('ghcr.io/acme/cloud-node-manager');
    expect(() => pickImage(config, undefined)).toThrow(
      '--image: xplat.yml has 2 images (controller-manager, node-manager): name one with --image NAME',
    );
    expect(() => pickImage(config, 'nope')).toThrow(
      '--image: "nope" is not an image of xplat.yml; its images: controller-manager, node-manager',
    );
  });
});

describe('build-on, smoke.skip and prepare: on one image', () => {
  it('takes runs-on as the smoke runner of a Windows image built on Linux', () => {
    const config = loadConfig(`
image: ghcr.io/a/b
platforms:
  - platform: windows/amd64:ltsc2019
    build-on: linux
    runs-on: [self-hosted, windows, ltsc2019]
`);
    const leg = config.images[0]!.legs[0]!;
    expect(leg.buildRunner).toEqual({ runsOn: 'ubuntu-24.04', hosted: true, qemu: false });
    expect(leg.smokeRunner).toEqual({
      runsOn: ['self-hosted', 'windows', 'ltsc2019'],
      hosted: false,
      qemu: false,
    });
  });

  it('lets a natively built platform skip its smoke test too', () => {
    const leg = loadConfig(`
image: ghcr.io/a/b
platforms:
  - platform: linux/amd64
    smoke: { skip: a base image with no entrypoint }
`).images[0]!.legs[0]!;
    expect(leg.smokeSkip).toBe('a base image with no entrypoint');
    expect(smokesApart(leg)).toBe(false);
  });

  it('keeps a run: script of several lines', () => {
    const leg = loadConfig(
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nprepare:\n  - name: binaries\n    run: |\n      make deps\n      make build\n    env: { CGO_ENABLED: 0 }\n  - uses: actions/setup-go@v6\n    with: { go-version: "1.24" }\n',
    ).images[0]!.legs[0]!;
    expect(leg.prepare).toEqual([
      {
        name: 'binaries',
        run: 'make deps\nmake build\n',
        env: { CGO_ENABLED: '0' },
        from: 'image',
      },
      { uses: 'actions/setup-go@v6', with: { 'go-version': '1.24' }, env: {}, from: 'image' },
    ]);
  });

  const bad: [string, string, string, number, string][] = [
    [
      'ltsc2019 built on Linux with nothing to smoke-test it',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: windows/amd64:ltsc2019\n    build-on: linux\n',
      'platforms[0].platform',
      3,
      'name a self-hosted one with runs-on (e.g. runs-on: [self-hosted, windows, ltsc2019]) or skip its smoke test with smoke: { skip: "<reason>" }',
    ],
    [
      'build-on on a Linux platform',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: linux/arm64\n    build-on: linux\n',
      'platforms[0].build-on',
      4,
      'applies to Windows platforms; linux/arm64 builds on a Linux runner already (remove build-on)',
    ],
    [
      'build-on windows on a Linux platform',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: linux/arm64\n    build-on: windows\n',
      'platforms[0].build-on',
      4,
      'applies to Windows platforms; linux/arm64 builds on a Linux runner already (remove build-on)',
    ],
    [
      'build-on in linux:',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nlinux:\n  build-on: linux\n',
      'linux.build-on',
      4,
      'unknown field',
    ],
    [
      'an unknown build-on',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: windows/amd64:ltsc2022\n    build-on: macos\n',
      'platforms[0].build-on',
      4,
      'must be windows (a Windows runner builds it) or linux',
    ],
    [
      'qemu with build-on linux',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: windows/amd64:ltsc2022\n    build-on: linux\n    qemu: true\n',
      'platforms[0].qemu',
      5,
      'without it (remove qemu)',
    ],
    [
      'runs-on and skip together on a Windows image built on Linux',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: windows/amd64:ltsc2019\n    build-on: linux\n    runs-on: [self-hosted]\n    smoke: { skip: later }\n',
      'platforms[0].runs-on',
      5,
      'remove runs-on or smoke.skip',
    ],
    [
      'skip at the top level',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nsmoke:\n  skip: flaky\n',
      'smoke.skip',
      4,
      'goes on a platform entry',
    ],
    [
      'a prepare step with run and uses',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nprepare:\n  - run: make\n    uses: actions/setup-go@v6\n',
      'prepare[0].uses',
      5,
      'not both',
    ],
    [
      'a prepare step with neither',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nprepare:\n  - name: nothing\n',
      'prepare[0]',
      4,
      'needs run: (a script) or uses: (an action)',
    ],
    [
      'shell on a uses step',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nprepare:\n  - uses: actions/setup-go@v6\n    shell: bash\n',
      'prepare[0].shell',
      5,
      'applies to run: steps only',
    ],
    [
      'with on a run step',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nprepare:\n  - run: make\n    with: { a: 1 }\n',
      'prepare[0].with',
      5,
      'a run: step takes env:',
    ],
    [
      'an expression in a script',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nprepare:\n  - run: echo ${{ github.ref }}\n',
      'prepare[0].run',
      4,
      'read $TARGETOS',
    ],
    [
      'an unknown shell',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nprepare:\n  - run: make\n    shell: zsh\n',
      'prepare[0].shell',
      5,
      'must be one of bash, sh, pwsh, powershell, cmd, python',
    ],
    [
      'a uses that is no action',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nprepare:\n  - uses: setup-go\n',
      'prepare[0].uses',
      4,
      'must be owner/repo@ref',
    ],
    [
      'a control character in a script',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nprepare:\n  - run: "make\\u0007"\n',
      'prepare[0].run',
      4,
      'control character U+0007',
    ],
    [
      'image and images',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nimages:\n  - name: x\n    image: ghcr.io/a/x\n',
      'image',
      1,
      'move image: into the entries of images:',
    ],
    ['neither image nor images', 'platforms: [linux/amd64]\n', 'image', 1, 'is required'],
    [
      'an image without platforms anywhere',
      'images:\n  - name: x\n    image: ghcr.io/a/x\n',
      'images[0]',
      2,
      'lists no platforms',
    ],
    [
      'an image name with capitals',
      'platforms: [linux/amd64]\nimages:\n  - name: CSI_Node\n    image: ghcr.io/a/x\n',
      'images[0].name',
      3,
      'lowercase letters and digits',
    ],
    [
      'an image name twice',
      'platforms: [linux/amd64]\nimages:\n  - name: x\n    image: ghcr.io/a/x\n  - name: x\n    image: ghcr.io/a/y\n',
      'images[1].name',
      5,
      'used twice (also images[0])',
    ],
    [
      'a repository twice',
      'platforms: [linux/amd64]\nimages:\n  - name: x\n    image: ghcr.io/a/x\n  - name: y\n    image: ghcr.io/a/x\n',
      'images[1].image',
      6,
      'also the repository of images[0]',
    ],
    [
      'an image entry without name',
      'platforms: [linux/amd64]\nimages:\n  - image: ghcr.io/a/x\n',
      'images[0].name',
      3,
      'is required',
    ],
    [
      "an image's windows: with no Windows platform",
      'platforms: [linux/amd64]\nimages:\n  - name: x\n    image: ghcr.io/a/x\n    windows: { dockerfile: D.win }\n',
      'images[0].windows',
      5,
      'this image lists no windows/… platform',
    ],
    [
      'a top-level windows: no image uses',
      'platforms: [linux/amd64]\nwindows: { build-on: linux }\nimages:\n  - name: x\n    image: ghcr.io/a/x\n',
      'windows',
      2,
      'no image lists a windows/… platform',
    ],
    [
      'an inherited platform an image cannot build, named with its image',
      'platforms: [windows/amd64:ltsc2019]\nimages:\n  - name: x\n    image: ghcr.io/a/x\n',
      'platforms[0]',
      1,
      'self-hosted runner with runs-on, e.g. runs-on: [self-hosted, windows, ltsc2019] (image x)',
    ],
  ];

  it.each(bad)('refuses %s', (_name, text, field, line, message) => {
    const found = problems(text);
    const problem = found.find((p) => p.field === field);
    expect({
      field: problem?.field,
      all: found.map((p) => `${p.field}: ${p.message}`),
    }).toMatchObject({
      field,
    });
    expect(problem!.line).toBe(line);
    expect(problem!.message).toContain(message);
  });

  it('lets a top-level windows: apply to the images that have Windows platforms', () => {
    const config = loadConfig(
      'platforms: [linux/amd64]\nwindows: { build-on: linux }\nimages:\n  - name: x\n    image: ghcr.io/a/x\n  - name: y\n    image: ghcr.io/a/y\n    platforms: [windows/amd64:ltsc2022]\n',
    );
    expect(config.images[1]!.legs[0]!.buildOn).toBe('linux');
  });
});
