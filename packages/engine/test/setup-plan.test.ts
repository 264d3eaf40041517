/**
 * setup-crossplatform-builder as plans: for each runner host, exactly the commands,
 * files, cleanup and outputs. Only this machine's host is real; the rest are facts.
 */
import { describe, expect, test } from '@jest/globals';
import { parseSetupInputs, type HostFacts, type SetupInputs } from '@xplat/engine';
import { checkBuilderPlatforms, planSetup, reportedPlatforms } from '../src/setup/setup.js';
import {
  cli2010,
  cliNoBuildx,
  ubuntu2404,
  ubuntu2404Arm,
  ubuntuWithBuilder,
  windows2022,
  windows2025,
  windowsLinuxMode,
} from './hosts.js';

const context = { tempDir: '/runner/temp', generatedName: 'xplat-0a1b2c' };
const plan = (facts: HostFacts, inputs: SetupInputs) =>
  planSetup(facts, parseSetupInputs(inputs), context);
const commands = (p: ReturnType<typeof plan>) => p.steps.map((s) => s.args.join(' '));

const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----';

describe('ubuntu-24.04 (buildx, docker-container driver)', () => {
  test('linux/amd64 + linux/arm64: QEMU for arm64 first, then a new builder, removed by post', () => {
    const p = plan(ubuntu2404, { platforms: 'linux/amd64,linux/arm64' });
    expect(commands(p)).toEqual([
      'run --privileged --rm tonistiigi/binfmt:latest --install arm64',
      'buildx create --name xplat-0a1b2c --driver docker-container --buildkitd-flags --allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host --use',
    ]);
    expect(p.steps[1]!.args).toContain(
      '--allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host',
    );
    expect(p.bootstrap?.args).toEqual(['buildx', 'inspect', '--bootstrap', 'xplat-0a1b2c']);
    expect(p.cleanup.map((s) => s.args)).toEqual([['buildx', 'rm', 'xplat-0a1b2c']]);
    expect(p).toMatchObject({
      kind: 'buildx',
      name: 'xplat-0a1b2c',
      driver: 'docker-container',
      create: true,
      hostPlatform: 'linux/amd64',
      hostOsVersion: '',
      env: { XPLAT_BUILDER: 'buildx', BUILDX_BUILDER: 'xplat-0a1b2c' },
    });
    expect(p.platforms).toEqual(expect.arrayContaining(['linux/amd64', 'linux/arm64']));
  });

  test('linux/amd64 only: no QEMU; driver options passed; cleanup: false leaves the builder', () => {
    const p = plan(ubuntu2404, {
      platforms: 'linux/amd64',
      name: 'ci',
      'driver-opts': 'network=host\nimage=moby/buildkit:v0.21.1',
      cleanup: 'false',
    });
    expect(commands(p)).toEqual([
      'buildx create --name ci --driver docker-container --buildkitd-flags --allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host --driver-opt network=host --driver-opt image=moby/buildkit:v0.21.1 --use',
    ]);
    expect(p.cleanup).toEqual([]);
  });

  test('qemu: true re-registers even when QEMU is there; false refuses when it is needed', () => {
    expect(
      commands(plan(ubuntuWithBuilder('other'), { platforms: 'linux/arm64', qemu: 'true' }))[0],
    ).toBe('run --privileged --rm tonistiigi/binfmt:latest --install arm64');
    expect(() => plan(ubuntu2404, { platforms: 'linux/arm64', qemu: 'false' })).toThrow(
      'qemu: linux/arm64 needs QEMU emulation on this linux/amd64 host and qemu is false; set qemu: auto, or build on a native runner (ubuntu-24.04-arm for linux/arm64)',
    );
  });

  test('a mirror of the binfmt image when Docker Hub is out of reach', () => {
    expect(
      commands(
        plan(ubuntu2404, {
          platforms: 'linux/arm64,linux/arm/v7',
          'qemu-image': 'ghcr.io/org/binfmt:9',
        }),
      )[0],
    ).toBe('run --privileged --rm ghcr.io/org/binfmt:9 --install arm64,arm');
  });

  test('an existing builder of that name is reused, not created, and never removed', () => {
    const p = plan(ubuntuWithBuilder('ci'), { platforms: 'linux/amd64,linux/arm64', name: 'ci' });
    expect(p.steps).toEqual([]);
    expect(p).toMatchObject({ create: false, cleanup: [], name: 'ci' });
    expect(p.notes).toContain(
      'reusing buildx builder "ci" (docker-container); the post step leaves it',
    );
    expect(p.notes).toContain('QEMU already emulates linux/arm64');
  });

  test("driver: docker uses the engine's own builder (default), creates nothing", () => {
    const p = plan(ubuntu2404, { driver: 'docker' });
    expect(p).toMatchObject({
      kind: 'buildx',
      name: 'default',
      driver: 'docker',
      create: false,
      steps: [],
      cleanup: [],
    });
    expect(() => plan(ubuntu2404, { driver: 'docker', name: 'nope' })).toThrow(
      'name: builder "nope" does not exist; the docker driver is the builder named after the docker context (default)',
    );
  });

  test('a platform nobody can build: refused at parse, or when the builder does not report it', () => {
    expect(() => plan(ubuntu2404, { platforms: 'linux/mips64le' })).toThrow(
      'platforms: "linux/mips64le" is not a platform: architecture "mips64le" is not known',
    );
    // QEMU's arm handler runs v7 and v6: what the engine reports after registering it.
    const p = plan(cli2010, { platforms: 'linux/arm/v5' });
    expect(commands(p)).toEqual(['run --privileged --rm tonistiigi/binfmt:latest --install arm']);
    const after = ['linux/amd64', 'linux/386', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm64'];
    expect(() =>
      checkBuilderPlatforms(p, parseSetupInputs({ platforms: 'linux/arm/v5' }).platforms, after),
    ).toThrow(
      'platforms: linux/arm/v5 cannot be built by this engine: it builds linux/amd64, linux/386, linux/arm/v6, linux/arm/v7, linux/arm64',
    );
  });
});

const CREATE = [
  'buildx',
  'create',
  '--name',
  'xplat-0a1b2c',
  '--driver',
  'docker-container',
  '--buildkitd-flags',
  '--allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host',
  '--use',
];

describe('Windows images built on a Linux runner by BuildKit (build-on: linux)', () => {
  test('ubuntu-24.04: a docker-container builder, no QEMU for Windows, output builder=buildx', () => {
    const p = plan(ubuntu2404, { platforms: 'windows/amd64:ltsc2022' });
    expect(p.steps.map((s) => s.args)).toEqual([CREATE]);
    expect(p.bootstrap?.args).toEqual(['buildx', 'inspect', '--bootstrap', 'xplat-0a1b2c']);
    expect(p.cleanup.map((s) => s.args)).toEqual([['buildx', 'rm', 'xplat-0a1b2c']]);
    expect(p).toMatchObject({
      kind: 'buildx',
      name: 'xplat-0a1b2c',
      driver: 'docker-container',
      create: true,
      requested: ['windows/amd64:ltsc2022'],
      windowsOnLinux: ['windows/amd64:ltsc2022'],
      env: { XPLAT_BUILDER: 'buildx', BUILDX_BUILDER: 'xplat-0a1b2c' },
    });
    expect(p.platforms).toEqual(['linux/amd64', 'linux/386', 'windows/amd64:ltsc2022']);
    expect(p.notes).toContain(
      'windows/amd64:ltsc2022: built on this Linux runner by BuildKit in a container; nothing of the Windows stages runs (they may only copy files, no RUN), so no QEMU for them',
    );
  });

  test.each<[string, string, string[][]]>([
    [
      'every LTSC release in one builder, Windows arm64 too: nothing runs, so no QEMU',
      'windows/amd64:ltsc2019,windows/amd64:ltsc2022,windows/amd64:ltsc2025,windows/arm64:ltsc2025',
      [CREATE],
    ],
    [
      'a Linux platform beside it still gets QEMU as before',
      'linux/arm64,windows/amd64:ltsc2022',
      [['run', '--privileged', '--rm', 'tonistiigi/binfmt:latest', '--install', 'arm64'], CREATE],
    ],
  ])('%s', (_name, platforms, steps) => {
    expect(plan(ubuntu2404, { platforms }).steps.map((s) => s.args)).toEqual(steps);
  });

  test('an existing docker-container builder is reused; remote and kubernetes would do too', () => {
    const p = plan(ubuntuWithBuilder('ci'), { platforms: 'windows/amd64:ltsc2025', name: 'ci' });
    expect(p).toMatchObject({ create: false, steps: [], cleanup: [], driver: 'docker-container' });
    expect(p.platforms).toContain('windows/amd64:ltsc2025');
  });

  test('BuildKit reports Linux platforms only: the Windows ones are not missing, and are reported', () => {
    const p = plan(ubuntu2404, { platforms: 'linux/amd64,windows/amd64:ltsc2022' });
    const requested = parseSetupInputs({ platforms: 'linux/amd64,windows/amd64:ltsc2022' });
    const bootstrapped = ['linux/amd64', 'linux/amd64/v2', 'linux/386'];
    expect(() => checkBuilderPlatforms(p, requested.platforms, bootstrapped)).not.toThrow();
    expect(reportedPlatforms(p, bootstrapped)).toEqual([
      'linux/amd64',
      'linux/amd64/v2',
      'linux/386',
      'windows/amd64:ltsc2022',
    ]);
    // A Linux platform the builder does not report is still missing.
    expect(() =>
      checkBuilderPlatforms(
        p,
        parseSetupInputs({ platforms: 'linux/s390x,windows/amd64:ltsc2022' }).platforms,
        bootstrapped,
      ),
    ).toThrow('platforms: linux/s390x cannot be built by builder "xplat-0a1b2c"');
  });

  test.each<[string, HostFacts, SetupInputs, string]>([
    [
      'no buildx, BuildKit built into the CLI',
      cli2010,
      { platforms: 'windows/amd64:ltsc2022' },
      "platforms: windows/amd64:ltsc2022 on a Linux runner is built by BuildKit in a container (buildx, docker-container driver), and this runner's docker CLI (20.10.24+dfsg1) has no buildx plugin; install it (apt-get install docker-buildx-plugin), or build on a Windows runner (windows-2022, windows-2025)",
    ],
    [
      'no buildx, docker 28',
      cliNoBuildx,
      { platforms: 'linux/amd64,windows/amd64:ltsc2025' },
      "platforms: windows/amd64:ltsc2025 on a Linux runner is built by BuildKit in a container (buildx, docker-container driver), and this runner's docker CLI (28.2.2) has no buildx plugin; install it (apt-get install docker-buildx-plugin), or build on a Windows runner (windows-2022, windows-2025)",
    ],
    [
      'driver: docker',
      ubuntu2404,
      { platforms: 'windows/amd64:ltsc2022', driver: 'docker' },
      'driver: the docker driver stores images in the engine, which on Linux cannot hold a Windows image (windows/amd64:ltsc2022: "operating system is not supported"); use driver: auto or docker-container',
    ],
    [
      'the docker-driver builder by name',
      ubuntu2404,
      { platforms: 'windows/amd64:ltsc2022', name: 'default' },
      'name: builder "default" uses the docker driver, whose image store (the engine\'s) cannot hold a Windows image (windows/amd64:ltsc2022); choose another name, and a docker-container builder is created',
    ],
    [
      'builder: classic',
      ubuntu2404,
      { platforms: 'windows/amd64:ltsc2022', builder: 'classic' },
      'builder: the classic builder stores images in the engine, which on Linux cannot hold a Windows image (windows/amd64:ltsc2022); use builder: auto or buildx',
    ],
    [
      'builder: buildkit',
      cli2010,
      { platforms: 'windows/amd64:ltsc2022', builder: 'buildkit' },
      "platforms: windows/amd64:ltsc2022 on a Linux runner is built by BuildKit in a container (buildx, docker-container driver), and this runner's docker CLI (20.10.24+dfsg1) has no buildx plugin; install it (apt-get install docker-buildx-plugin), or build on a Windows runner (windows-2022, windows-2025)",
    ],
    [
      'builder: buildkit with buildx there',
      ubuntu2404,
      { platforms: 'windows/amd64:ltsc2022', builder: 'buildkit' },
      'builder: the BuildKit built into the docker CLI stores images in the engine, which on Linux cannot hold a Windows image (windows/amd64:ltsc2022); use builder: auto or buildx',
    ],
  ])('refused before changing anything: %s', (_name, facts, inputs, message) => {
    expect(() => plan(facts, inputs)).toThrow(message);
  });
});

describe('a remote Windows node appended to a Linux builder', () => {
  const inputs: SetupInputs = {
    platforms: 'linux/amd64,windows/amd64',
    name: 'hybrid',
    append: 'tcp://win-builder:1234 platforms=windows/amd64 name=win servername=builder.internal',
    'tls-ca-cert': CA,
    'tls-cert': CERT,
    'tls-key': KEY,
  };

  test('remote driver: a local BuildKit container for Linux, the Windows node with TLS files', () => {
    const p = plan(ubuntu2404, inputs);
    expect(p.driver).toBe('remote');
    expect(p.steps.map((s) => s.args)).toEqual([
      [
        'run',
        '--detach',
        '--privileged',
        '--name',
        'hybrid-buildkitd',
        'moby/buildkit:buildx-stable-1',
        '--allow-insecure-entitlement',
        'security.insecure',
        '--allow-insecure-entitlement',
        'network.host',
      ],
      [
        'buildx',
        'create',
        '--name',
        'hybrid',
        '--driver',
        'remote',
        '--use',
        'docker-container://hybrid-buildkitd',
      ],
      [
        'buildx',
        'create',
        '--name',
        'hybrid',
        '--append',
        '--node',
        'win',
        '--driver',
        'remote',
        '--driver-opt',
        'cacert=/runner/temp/xplat-buildx-hybrid/ca.pem',
        '--driver-opt',
        'cert=/runner/temp/xplat-buildx-hybrid/cert.pem',
        '--driver-opt',
        'key=/runner/temp/xplat-buildx-hybrid/key.pem',
        '--driver-opt',
        'servername=builder.internal',
        '--platform',
        'windows/amd64',
        'tcp://win-builder:1234',
      ],
    ]);
    expect(p.files).toEqual([
      { path: '/runner/temp/xplat-buildx-hybrid/ca.pem', content: `${CA}\n` },
      { path: '/runner/temp/xplat-buildx-hybrid/cert.pem', content: `${CERT}\n` },
      { path: '/runner/temp/xplat-buildx-hybrid/key.pem', content: `${KEY}\n` },
    ]);
    expect(p.cleanup.map((s) => s.args)).toEqual([
      ['buildx', 'rm', 'hybrid'],
      ['rm', '--force', '--volumes', 'hybrid-buildkitd'],
    ]);
    expect(p.platforms).toEqual(expect.arrayContaining(['linux/amd64', 'windows/amd64']));
  });

  test('with an endpoint, that is the first node (TLS too) and no local container is started', () => {
    const p = plan(ubuntu2404, {
      ...inputs,
      endpoint: 'tcp://linux-builder:1234',
      append: 'tcp://win:1234 platforms=windows/amd64',
    });
    expect(commands(p)).toEqual([
      'buildx create --name hybrid --driver remote --driver-opt cacert=/runner/temp/xplat-buildx-hybrid/ca.pem --driver-opt cert=/runner/temp/xplat-buildx-hybrid/cert.pem --driver-opt key=/runner/temp/xplat-buildx-hybrid/key.pem --use tcp://linux-builder:1234',
      'buildx create --name hybrid --append --node hybrid-node1 --driver remote --driver-opt cacert=/runner/temp/xplat-buildx-hybrid/ca.pem --driver-opt cert=/runner/temp/xplat-buildx-hybrid/cert.pem --driver-opt key=/runner/temp/xplat-buildx-hybrid/key.pem --platform windows/amd64 tcp://win:1234',
    ]);
  });

  test('Linux platforms go to the endpoint node: no QEMU on the runner for them', () => {
    const p = plan(ubuntu2404, { platforms: 'linux/arm64', endpoint: 'tcp://arm-builder:1234' });
    expect(commands(p)).toEqual([
      'buildx create --name xplat-0a1b2c --driver remote --use tcp://arm-builder:1234',
    ]);
    expect(p.platforms).toEqual([]);
  });

  test('the builder must really report every platform after bootstrap', () => {
    const p = plan(ubuntu2404, inputs);
    const requested = parseSetupInputs(inputs).platforms;
    expect(() =>
      checkBuilderPlatforms(p, requested, ['linux/amd64', 'windows/amd64']),
    ).not.toThrow();
    expect(() => checkBuilderPlatforms(p, requested, ['linux/amd64', 'linux/386'])).toThrow(
      'platforms: windows/amd64 cannot be built by builder "hybrid": it builds linux/amd64, linux/386',
    );
  });

  test('without buildx there is nothing to append to', () => {
    expect(() => plan(cli2010, inputs)).toThrow(
      "append: needs docker buildx, which this runner's docker CLI (20.10.24+dfsg1) does not have; install the buildx plugin or leave driver, endpoint and append empty",
    );
  });
});

describe('ubuntu-24.04-arm', () => {
  test('linux/arm64 is native: no QEMU; amd64 would need it', () => {
    const p = plan(ubuntu2404Arm, { platforms: 'linux/arm64' });
    expect(commands(p)).toEqual([
      expect.stringMatching(/^buildx create --name xplat-0a1b2c --driver docker-container/),
    ]);
    expect(p.hostPlatform).toBe('linux/arm64');
    expect(commands(plan(ubuntu2404Arm, { platforms: 'linux/amd64' }))[0]).toBe(
      'run --privileged --rm tonistiigi/binfmt:latest --install amd64',
    );
  });

  test('empty platforms: the host platform', () => {
    expect(plan(ubuntu2404Arm, {}).requested).toEqual(['linux/arm64']);
  });
});

describe('windows-2022 and windows-2025 (Windows engine, classic builder, process isolation)', () => {
  test.each([
    [windows2022, '10.0.20348.3207', ['ltsc2022'], 'windows/amd64:ltsc2022'],
    [
      windows2025,
      '10.0.26100.3476',
      ['ltsc2022', 'ltsc2025'],
      'windows/amd64:ltsc2022,windows/amd64:ltsc2025',
    ],
  ])(
    'host %#: the engine builder, its build and the releases it runs',
    (facts, build, releases, platforms) => {
      const p = plan(facts, { platforms: 'windows/amd64:ltsc2022' });
      expect(p).toMatchObject({
        kind: 'classic',
        name: '',
        create: false,
        steps: [],
        cleanup: [],
        hostPlatform: 'windows/amd64',
        hostOsVersion: build,
        runnableReleases: releases,
        env: { XPLAT_BUILDER: 'classic' },
      });
      expect(p.platforms.join(',')).toBe(platforms);
    },
  );

  test('ltsc2025 on windows-2022 is refused, naming both builds and the fix', () => {
    expect(() => plan(windows2022, { platforms: 'windows/amd64:ltsc2025' })).toThrow(
      'platforms: Windows 10.0.26100 (ltsc2025, windows-2025) cannot be built on this host, Windows 10.0.20348.3207 (ltsc2022, windows-2022): a host never runs images newer than itself; run this leg on windows-2025 (runs-on: windows-2025)',
    );
  });

  test('ltsc2019 runs on no hosted runner', () => {
    expect(() => plan(windows2025, { platforms: 'windows/amd64:ltsc2019' })).toThrow(
      /^platforms: Windows 10\.0\.17763 \(ltsc2019\) cannot be built on this host, Windows 10\.0\.26100\.3476 \(ltsc2025, windows-2025\): process isolation runs only .*GitHub has no hosted runner for it any more/,
    );
  });

  test('Linux containers requested on a Windows runner', () => {
    expect(() => plan(windows2022, { platforms: 'windows/amd64,linux/amd64' })).toThrow(
      'platforms: linux/amd64: Linux containers requested on a Windows runner; hosted Windows runners run Windows containers only (no Linux VM, no Hyper-V). Build it on ubuntu-24.04 (linux/amd64) or ubuntu-24.04-arm (linux/arm64)',
    );
  });

  test('the engine in Linux containers mode on a Windows machine', () => {
    expect(() => plan(windowsLinuxMode, { platforms: 'windows/amd64:ltsc2022' })).toThrow(
      /^platforms: windows\/amd64:ltsc2022 needs the engine in Windows containers mode, but it runs Linux containers/,
    );
  });

  test.each([
    [
      { driver: 'docker-container' },
      /^driver: the docker-container driver runs BuildKit through the engine/,
    ],
    [
      { builder: 'buildkit' },
      /^builder: BuildKit does not build Windows containers on hosted runners/,
    ],
    [
      { append: 'tcp://x:1 platforms=windows/amd64' },
      /^append: a Windows runner builds with its engine/,
    ],
  ])('Windows refuses %j', (inputs, message) => {
    expect(() => plan(windows2022, inputs as SetupInputs)).toThrow(message);
  });

  test('empty platforms: the host release', () => {
    expect(plan(windows2025, {}).requested).toEqual(['windows/amd64:ltsc2025']);
  });
});

describe('without buildx (this test bed)', () => {
  test('docker 20.10: BuildKit built in, QEMU already there, nothing to run', () => {
    const p = plan(cli2010, { platforms: 'linux/amd64,linux/arm64' });
    expect(p).toMatchObject({
      kind: 'buildkit',
      name: '',
      steps: [],
      env: { XPLAT_BUILDER: 'buildkit' },
    });
    expect(p.platforms).toEqual(['linux/amd64', 'linux/386', 'linux/arm64']);
  });

  test('docker 28 without buildx: the classic builder', () => {
    expect(plan(cliNoBuildx, { platforms: 'linux/amd64' }).kind).toBe('classic');
    expect(plan(cli2010, { builder: 'classic' }).kind).toBe('classic');
  });

  test('builder: buildkit on a CLI without it', () => {
    expect(() => plan(cliNoBuildx, { builder: 'buildkit' })).toThrow(
      'builder: docker CLI 28.2.2 has no built-in BuildKit (only 18.09 to 22.x do); use builder: auto',
    );
  });

  test('driver: docker-container needs buildx', () => {
    expect(() => plan(cli2010, { driver: 'docker-container' })).toThrow(
      /^driver: needs docker buildx/,
    );
  });
});
