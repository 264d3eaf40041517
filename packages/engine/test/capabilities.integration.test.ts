/** The probe: parsers for what each tool prints, and the real test bed's facts. */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { probeHost } from '@xplat/engine';
import {
  binfmtFacts,
  binfmtInstallStep,
  parseBinfmtHandler,
  probeBinfmt,
} from '../src/docker/binfmt.js';
import {
  builderPlatforms,
  parseBuildxInspect,
  parseBuildxLs,
  parseBuildxVersion,
} from '../src/docker/buildx.js';
import {
  hasBuiltInBuildKit,
  parseDockerVersion,
  parseEngineFacts,
  windowsBuildFromOperatingSystem,
} from '../src/docker/capabilities.js';
import { testbed } from '../../../test/testbed.js';

describe('parsers', () => {
  test.each([
    ['20.10.24+dfsg1', true],
    ['18.09.0', true],
    ['22.06.0-beta.0', true],
    ['23.0.0', false],
    ['28.2.2', false],
    ['18.06.3-ce', false],
  ])('CLI %s has BuildKit built in: %s', (version, expected) => {
    expect(hasBuiltInBuildKit(version)).toBe(expected);
  });

  test.each([
    ['github.com/docker/buildx v0.12.1 30feaa1a8c3f2b8c', '0.12.1'],
    ['github.com/docker/buildx 0.23.0 28c90eadc4bc4e3d', '0.23.0'],
    ['github.com/docker/buildx v0.19.3-desktop.1 a3e6bc9', '0.19.3-desktop.1'],
    ["docker: 'buildx' is not a docker command.", undefined],
  ])('buildx version %j', (text, expected) => {
    expect(parseBuildxVersion(text)).toBe(expected);
  });

  test('docker version: client and server', () => {
    expect(
      parseDockerVersion(
        JSON.stringify({
          Client: { Version: '28.2.2' },
          Server: { Version: '20.10.24+dfsg1', Os: 'linux' },
        }),
      ),
    ).toEqual({ client: '28.2.2', server: '20.10.24+dfsg1' });
    expect(parseDockerVersion('{"Client":{"Version":"27.5.1"},"Server":null}')).toEqual({
      client: '27.5.1',
      server: '',
    });
  });

  test('a Windows engine: the host build with its revision, from OperatingSystem', () => {
    const info = {
      OSType: 'windows',
      Architecture: 'x86_64',
      KernelVersion: '10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)',
      OperatingSystem: 'Microsoft Windows Server Version 21H2 (OS Build 20348.3207)',
      Isolation: 'process',
      ServerVersion: '27.5.1',
    };
    expect(parseEngineFacts(JSON.stringify(info), '27.5.1')).toEqual({
      version: '27.5.1',
      os: 'windows',
      architecture: 'amd64',
      platform: 'windows/amd64',
      osVersion: '10.0.20348.3207',
      isolation: 'process',
      operatingSystem: info.OperatingSystem,
    });
    // Without the build in OperatingSystem, the kernel's build (no revision) is what there is.
    expect(
      parseEngineFacts(
        JSON.stringify({ ...info, OperatingSystem: 'Windows Server 2025 Datacenter' }),
        '',
      ).osVersion,
    ).toBe('10.0.20348');
    expect(
      windowsBuildFromOperatingSystem(
        'Microsoft Windows Server Version 24H2 (OS Build 26100.3476)',
      ),
    ).toBe('10.0.26100.3476');
  });

  test('a Linux arm64 engine', () => {
    const facts = parseEngineFacts(
      JSON.stringify({
        OSType: 'linux',
        Architecture: 'aarch64',
        KernelVersion: '6.8.0-1021-azure',
      }),
      '28.0.4',
    );
    expect(facts).toMatchObject({
      os: 'linux',
      architecture: 'arm64',
      platform: 'linux/arm64',
      osVersion: '',
    });
  });

  test('buildx ls before 0.13: "name *" marks the current builder, nodes indented', () => {
    const text = [
      'NAME/NODE       DRIVER/ENDPOINT             STATUS   BUILDKIT             PLATFORMS',
      'xplat-1a2b3c *  docker-container',
      '  xplat-1a2b3c0 unix:///var/run/docker.sock running  v0.12.5              linux/amd64, linux/amd64/v2, linux/386, linux/arm64*',
      'lazy            docker-container',
      '  lazy0         unix:///var/run/docker.sock inactive',
      'default         docker',
      '  default       default                     running  v0.11.7+d3e6c1360f6e linux/amd64, linux/386',
    ].join('\n');
    const builders = parseBuildxLs(text);
    expect(builders.map((b) => [b.name, b.driver, b.current])).toEqual([
      ['xplat-1a2b3c', 'docker-container', true],
      ['lazy', 'docker-container', false],
      ['default', 'docker', false],
    ]);
    expect(builders[0]!.nodes[0]).toEqual({
      name: 'xplat-1a2b3c0',
      endpoint: 'unix:///var/run/docker.sock',
      status: 'running',
      buildkit: 'v0.12.5',
      platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/386', 'linux/arm64'],
    });
    expect(builders[1]!.nodes[0]).toMatchObject({
      status: 'inactive',
      buildkit: '',
      platforms: [],
    });
  });

  test('buildx ls 0.13+: the \\_ tree, "name*", (+N) compat marks, a remote Windows node', () => {
    const text = [
      'NAME/NODE              DRIVER/ENDPOINT                        STATUS    BUILDKIT   PLATFORMS',
      'xplat-hybrid*          remote',
      ' \\_ xplat-hybrid0      \\_ docker-container://xplat-buildkitd   running   v0.21.1    linux/amd64 (+3), linux/386',
      ' \\_ win               \\_ tcp://win-builder:1234              running   v0.21.1    windows/amd64*',
      'default                docker',
      ' \\_ default            \\_ default                            running   v0.20.2    linux/amd64 (+3), linux/386',
    ].join('\n');
    const [hybrid, def] = parseBuildxLs(text);
    expect(hybrid).toMatchObject({ name: 'xplat-hybrid', driver: 'remote', current: true });
    expect(hybrid!.nodes.map((n) => [n.name, n.endpoint, n.platforms])).toEqual([
      ['xplat-hybrid0', 'docker-container://xplat-buildkitd', ['linux/amd64', 'linux/386']],
      ['win', 'tcp://win-builder:1234', ['windows/amd64']],
    ]);
    expect(builderPlatforms(hybrid!)).toEqual(['linux/amd64', 'linux/386', 'windows/amd64']);
    expect(def).toMatchObject({ name: 'default', current: false });
    expect(parseBuildxLs('')).toEqual([]);
  });

  test('buildx inspect --bootstrap: nodes and their platforms', () => {
    const text = [
      'Name:          xplat-1a2b3c',
      'Driver:        docker-container',
      'Last Activity: 2025-05-02 10:00:00 +0000 UTC',
      '',
      'Nodes:',
      'Name:                  xplat-1a2b3c0',
      'Endpoint:              unix:///var/run/docker.sock',
      'Driver Options:        network="host"',
      'Status:                running',
      'BuildKit daemon flags: --allow-insecure-entitlement=network.host',
      'BuildKit version:      v0.21.1',
      'Platforms:             linux/amd64, linux/amd64/v2, linux/386, linux/arm64',
    ].join('\n');
    expect(parseBuildxInspect(text)).toEqual({
      name: 'xplat-1a2b3c',
      driver: 'docker-container',
      current: false,
      nodes: [
        {
          name: 'xplat-1a2b3c0',
          endpoint: 'unix:///var/run/docker.sock',
          status: 'running',
          buildkit: 'v0.21.1',
          platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/386', 'linux/arm64'],
        },
      ],
    });
  });

  test('binfmt handlers: enabled QEMU interpreters become platforms', () => {
    const handlers = [
      parseBinfmtHandler(
        'qemu-aarch64',
        'enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: F\noffset 0\n',
      ),
      parseBinfmtHandler('qemu-arm', 'disabled\ninterpreter /usr/bin/qemu-arm-static\n'),
      parseBinfmtHandler('riscv64', 'enabled\ninterpreter /usr/bin/qemu-riscv64\n'),
      parseBinfmtHandler('python3.12', 'enabled\ninterpreter /usr/bin/python3.12\n'),
    ];
    expect(handlers[0]).toEqual({
      name: 'qemu-aarch64',
      enabled: true,
      interpreter: '/usr/bin/qemu-aarch64-static',
    });
    expect(binfmtFacts(true, handlers).emulated).toEqual(['linux/arm64', 'linux/riscv64']);
  });

  test('binfmt probe reads a binfmt_misc folder; a missing one means no emulation', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-binfmt-'));
    await writeFile(path.join(dir, 'status'), 'enabled\n');
    await writeFile(path.join(dir, 'register'), '');
    await writeFile(path.join(dir, 'qemu-aarch64'), 'enabled\ninterpreter /usr/bin/qemu-aarch64\n');
    await mkdir(path.join(dir, 'sub'));
    expect((await probeBinfmt(dir)).emulated).toEqual(['linux/arm64']);
    expect(await probeBinfmt(path.join(dir, 'absent'))).toEqual({
      available: false,
      handlers: [],
      emulated: [],
    });
  });

  test('QEMU registration is one privileged binfmt container for the missing arches', () => {
    expect(binfmtInstallStep(['linux/arm64', 'linux/arm/v7', 'linux/arm/v6']).args).toEqual([
      'run',
      '--privileged',
      '--rm',
      'tonistiigi/binfmt:latest',
      '--install',
      'arm64,arm',
    ]);
  });
});

describe('probe on the test bed', () => {
  const tb = testbed();

  test('docker 20.10: BuildKit built in, no buildx, QEMU for arm64', async () => {
    const facts = await probeHost({ docker: tb.docker });
    expect(facts.cli).toEqual({
      version: tb.env('XPLAT_DOCKER_SERVER_VERSION'),
      buildkitBuiltIn: true,
    });
    expect(facts.engine).toMatchObject({
      os: 'linux',
      architecture: 'amd64',
      platform: 'linux/amd64',
      osVersion: '',
    });
    expect(facts.buildx).toBeUndefined();
    expect(facts.binfmt.emulated).toContain('linux/arm64');
    expect(facts.runnerOs).toBe('linux');
  });

  test('docker 28 without buildx: neither buildx nor built-in BuildKit', async () => {
    const facts = await probeHost({ docker: '/usr/local/bin/docker' });
    expect(facts.cli.buildkitBuiltIn).toBe(false);
    expect(facts.cli.version).toMatch(/^2[89]\./);
    expect(facts.buildx).toBeUndefined();
  });

  test('an unreachable engine is one line naming DOCKER_HOST', async () => {
    await expect(
      probeHost({
        docker: tb.docker,
        env: {
          ...(process.env as Record<string, string>),
          DOCKER_HOST: 'unix:///nonexistent/docker.sock',
        },
      }),
    ).rejects.toThrow(/^docker: cannot reach the Docker engine .*DOCKER_HOST/);
  });
});
