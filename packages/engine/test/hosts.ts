/**
 * HostFacts of every host the GitHub runners have, as the probe would read them there.
 * Only this machine's engine is real; the rest are the plan tests' hosts. Values are
 * from the runner images' own reports (docker version/info on each label).
 */
import { type HostFacts } from '@xplat/engine';
import { type BuildxBuilder } from '../src/docker/buildx.js';

const noQemu = { available: true, handlers: [], emulated: [] } as const;

export function defaultDockerBuilder(platforms: string[]): BuildxBuilder {
  return {
    name: 'default',
    driver: 'docker',
    current: true,
    nodes: [
      { name: 'default', endpoint: 'default', status: 'running', buildkit: 'v0.20.2', platforms },
    ],
  };
}

/** ubuntu-24.04: docker 28 with buildx, only the default docker-driver builder, no QEMU. */
export const ubuntu2404: HostFacts = {
  runnerOs: 'linux',
  cli: { version: '28.0.4', buildkitBuiltIn: false },
  engine: {
    version: '28.0.4',
    os: 'linux',
    architecture: 'amd64',
    platform: 'linux/amd64',
    osVersion: '',
    isolation: '',
    operatingSystem: 'Ubuntu 24.04.2 LTS',
  },
  buildx: {
    version: '0.23.0',
    builders: [
      defaultDockerBuilder(['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/386']),
    ],
  },
  binfmt: noQemu,
};

/** ubuntu-24.04 after setup-crossplatform-builder: a docker-container builder, QEMU for arm64. */
export function ubuntuWithBuilder(name = 'xplat-builder'): HostFacts {
  return {
    ...ubuntu2404,
    buildx: {
      version: '0.23.0',
      builders: [
        { ...defaultDockerBuilder(['linux/amd64', 'linux/386']), current: false },
        {
          name,
          driver: 'docker-container',
          current: true,
          nodes: [
            {
              name: `${name}0`,
              endpoint: 'unix:///var/run/docker.sock',
              status: 'running',
              buildkit: 'v0.21.1',
              platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/386', 'linux/arm64'],
            },
          ],
        },
      ],
    },
    binfmt: {
      available: true,
      handlers: [{ name: 'qemu-aarch64', enabled: true, interpreter: '/usr/bin/qemu-aarch64' }],
      emulated: ['linux/arm64'],
    },
  };
}

/** ubuntu-24.04-arm: the same tools on an arm64 engine. */
export const ubuntu2404Arm: HostFacts = {
  ...ubuntu2404,
  engine: { ...ubuntu2404.engine, architecture: 'arm64', platform: 'linux/arm64' },
  buildx: { version: '0.23.0', builders: [defaultDockerBuilder(['linux/arm64', 'linux/arm/v7'])] },
};

function windowsHost(build: string, revision: string, release: string): HostFacts {
  return {
    runnerOs: 'windows',
    cli: { version: '27.5.1', buildkitBuiltIn: false },
    engine: {
      version: '27.5.1',
      os: 'windows',
      architecture: 'amd64',
      platform: 'windows/amd64',
      osVersion: `10.0.${build}.${revision}`,
      isolation: 'process',
      operatingSystem: `Microsoft Windows Server Version ${release} (OS Build ${build}.${revision})`,
    },
    binfmt: { available: false, handlers: [], emulated: [] },
  };
}

/** windows-2022: Windows engine, classic builder only, process isolation, no buildx. */
export const windows2022 = windowsHost('20348', '3207', '21H2');
/** windows-2025: the same on Server 2025 (runs ltsc2022 and ltsc2025 images). */
export const windows2025 = windowsHost('26100', '3476', '24H2');

/** Docker Desktop in Linux containers mode on a Windows machine. */
export const windowsLinuxMode: HostFacts = { ...ubuntu2404, runnerOs: 'windows', binfmt: noQemu };

/** This machine's kind of host: a 20.10 CLI with BuildKit built in, no buildx, QEMU arm64. */
export const cli2010: HostFacts = {
  runnerOs: 'linux',
  cli: { version: '20.10.24+dfsg1', buildkitBuiltIn: true },
  engine: { ...ubuntu2404.engine, version: '20.10.24+dfsg1' },
  binfmt: {
    available: true,
    handlers: [
      {
        name: 'qemu-aarch64',
        enabled: true,
        interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P',
      },
    ],
    emulated: ['linux/arm64'],
  },
};

/** A CLI 23+ without buildx: only the classic builder (the test bed's /usr/local/bin/docker). */
export const cliNoBuildx: HostFacts = {
  ...cli2010,
  cli: { version: '28.2.2', buildkitBuiltIn: false },
};

/** A Linux runner whose builder has a remote Windows BuildKit node appended. */
export function ubuntuWithWindowsNode(name = 'xplat-hybrid'): HostFacts {
  return {
    ...ubuntu2404,
    buildx: {
      version: '0.23.0',
      builders: [
        { ...defaultDockerBuilder(['linux/amd64']), current: false },
        {
          name,
          driver: 'remote',
          current: true,
          nodes: [
            {
              name: `${name}0`,
              endpoint: `docker-container://${name}-buildkitd`,
              status: 'running',
              buildkit: 'v0.21.1',
              platforms: ['linux/amd64', 'linux/386'],
            },
            {
              name: `${name}-node1`,
              endpoint: 'tcp://win-builder:1234',
              status: 'running',
              buildkit: 'v0.21.1',
              platforms: ['windows/amd64'],
            },
          ],
        },
      ],
    },
  };
}

/**
 * ubuntu-24.04 with a docker-container builder that is not the current one (setup ran in
 * another job, or the user switched back to the default docker-driver builder).
 */
export function ubuntuDefaultCurrent(name = 'xplat-builder'): HostFacts {
  const facts = ubuntuWithBuilder(name);
  return {
    ...facts,
    buildx: {
      version: facts.buildx!.version,
      builders: facts.buildx!.builders.map((b) => ({ ...b, current: b.driver === 'docker' })),
    },
  };
}

/** A Linux runner whose current builder is a remote BuildKit (Linux nodes only). */
export function ubuntuWithRemoteLinux(name = 'xplat-remote'): HostFacts {
  return {
    ...ubuntu2404,
    buildx: {
      version: '0.23.0',
      builders: [
        { ...defaultDockerBuilder(['linux/amd64']), current: false },
        {
          name,
          driver: 'remote',
          current: true,
          nodes: [
            {
              name: `${name}0`,
              endpoint: 'tcp://buildkitd:1234',
              status: 'running',
              buildkit: 'v0.21.1',
              platforms: ['linux/amd64', 'linux/386'],
            },
          ],
        },
      ],
    },
  };
}
