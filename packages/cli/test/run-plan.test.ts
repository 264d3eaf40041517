/**
 * `xplat run`'s plan as data: given the facts of each engine, where every platform of
 * xplat.yml runs, or why it is skipped. Windows engines cannot exist here, so a context
 * whose engine reports OSType windows is a HostFacts value.
 */
import { describe, expect, it } from '@jest/globals';
import type { HostFacts } from '@xplat/engine';
import { loadConfig } from '@xplat/workflow';
import {
  cli2010,
  cliNoBuildx,
  ubuntu2404,
  ubuntuDefaultCurrent,
  ubuntuWithBuilder,
  ubuntuWithRemoteLinux,
  windows2022,
  windows2025,
} from '../../engine/test/hosts.js';
import {
  isLocalEngineHost,
  LOCAL_ENGINE,
  notHere,
  planRun,
  type EngineEndpoint,
  type EngineProbe,
} from '../src/run/run-plan.js';
import { planTable } from '../src/run/run-report.js';

const config = loadConfig(
  [
    'image: ghcr.io/org/app',
    'platforms:',
    '  - linux/amd64',
    '  - linux/arm64',
    '  - windows/amd64:ltsc2022',
    '  - windows/amd64:ltsc2025',
  ].join('\n'),
);

const noBinfmt: HostFacts = {
  ...cli2010,
  binfmt: { available: true, handlers: [], emulated: [] },
};

interface Case {
  readonly name: string;
  readonly local: HostFacts | string;
  /** platform -> [endpoint, host, facts or unreachable error] */
  readonly named?: Record<string, [string, string, HostFacts | string]>;
  readonly embedded?: boolean;
  /** platform -> [run|skip, mode or a piece of the reason] */
  readonly want: Record<string, [string, string]>;
}

const cases: Case[] = [
  {
    name: 'this machine: amd64 native, arm64 through QEMU, Windows skipped with the CI runner',
    local: cli2010,
    want: {
      'linux/amd64': ['run', 'native'],
      'linux/arm64': ['run', 'qemu'],
      'windows/amd64:ltsc2022': [
        'skip',
        'runs in CI on windows-2022, or name one with --engine windows/amd64:ltsc2022=',
      ],
      'windows/amd64:ltsc2025': ['skip', 'runs in CI on windows-2025'],
    },
  },
  {
    name: 'a docker CLI without buildx: arm64 is skipped with what to install',
    local: cliNoBuildx,
    want: {
      'linux/amd64': ['run', 'native'],
      'linux/arm64': [
        'skip',
        'needs BuildKit and the docker CLI 28.2.2 has none: install the docker buildx plugin',
      ],
    },
  },
  {
    name: 'BuildKit but no binfmt handler: arm64 is skipped with how to register QEMU',
    local: noBinfmt,
    want: {
      'linux/arm64': [
        'skip',
        'needs QEMU for arm64, and binfmt has no handler: apt-get install qemu-user-static binfmt-support',
      ],
    },
  },
  {
    name: 'buildx without QEMU: both missing pieces are named',
    local: ubuntu2404,
    want: { 'linux/arm64': ['skip', 'needs QEMU for arm64'] },
  },
  {
    name: 'engines: a context whose engine is Windows Server 2022 runs the ltsc2022 leg natively',
    local: cli2010,
    named: {
      'windows/amd64:ltsc2022': ['winhost', 'unix:///run/winhost.sock', windows2022],
      'windows/amd64:ltsc2025': ['winhost', 'unix:///run/winhost.sock', windows2022],
    },
    want: {
      'windows/amd64:ltsc2022': ['run', 'native'],
      // A 2022 host never runs 2025 images: the refusal says where it does run.
      'windows/amd64:ltsc2025': ['skip', 'windows-2025'],
    },
  },
  {
    name: 'a Windows engine over ssh cannot push to the embedded registry on 127.0.0.1',
    local: cli2010,
    named: {
      'windows/amd64:ltsc2025': ['ssh://builder@winhost', 'ssh://builder@winhost', windows2025],
    },
    embedded: true,
    want: {
      'windows/amd64:ltsc2025': [
        'skip',
        'is another machine and cannot push to the embedded registry on 127.0.0.1: pass --registry',
      ],
    },
  },
  {
    name: 'the same engine with --registry runs it',
    local: cli2010,
    named: {
      'windows/amd64:ltsc2025': ['ssh://builder@winhost', 'ssh://builder@winhost', windows2025],
    },
    embedded: false,
    want: { 'windows/amd64:ltsc2025': ['run', 'native'] },
  },
  {
    name: 'a Linux platform sent to a Windows engine is skipped, naming what it needs',
    local: cli2010,
    named: { 'linux/arm64': ['winhost', 'unix:///run/winhost.sock', windows2022] },
    want: { 'linux/arm64': ['skip', 'needs a Linux engine (engine winhost is windows/amd64)'] },
  },
  {
    name: 'an engine that does not answer: its legs are skipped with its error',
    local: 'cannot reach the Docker engine (no such host)',
    want: {
      'linux/amd64': [
        'skip',
        'cannot reach the local engine: cannot reach the Docker engine (no such host)',
      ],
    },
  },
];

describe('planRun', () => {
  it.each(cases)('$name', ({ local, named = {}, embedded = true, want }) => {
    const endpoints = new Map<string, EngineEndpoint>();
    const probes = new Map<string, EngineProbe>();
    const add = (name: string, host: string, facts: HostFacts | string) => {
      endpoints.set(name, { name, host });
      probes.set(
        name,
        typeof facts === 'string' ? { ok: false, error: facts } : { ok: true, facts },
      );
    };
    add(LOCAL_ENGINE, 'unix:///tmp/xplat-testbed/docker.sock', local);
    for (const [, [endpoint, host, facts]] of Object.entries(named)) add(endpoint, host, facts);
    const plan = planRun({
      legs: config.images[0]!.legs,
      engineFor: (leg) => endpoints.get(named[leg.name]?.[0] ?? LOCAL_ENGINE)!,
      probe: (engine) => probes.get(engine.name)!,
      embeddedRegistry: embedded,
    });
    for (const [platform, [status, detail]] of Object.entries(want)) {
      const row = plan.find((p) => p.leg.name === platform)!;
      expect(row.status).toBe(status);
      if (status === 'run') expect(row.mode).toBe(detail);
      else expect(row.reason).toContain(detail);
      // Runnable legs carry their engine's facts, so the build does not probe again.
      expect(row.facts !== undefined).toBe(status === 'run');
    }
  });
});

describe('isLocalEngineHost', () => {
  it.each([
    ['', true],
    ['unix:///var/run/docker.sock', true],
    ['npipe:////./pipe/docker_engine', true],
    ['tcp://127.0.0.1:2375', true],
    ['tcp://localhost:2376', true],
    ['tcp://[::1]:2376', true],
    ['tcp://10.0.0.5:2376', false],
    ['tcp://winhost:2376', false],
    ['ssh://builder@winhost', false],
  ])('%s -> %s', (host, local) => {
    expect(isLocalEngineHost(host)).toBe(local);
  });
});

/**
 * Windows platforms with build-on: linux: built by buildx on the local Linux engine (a
 * builder with its own image store), smoke-tested on the Windows engine named for the
 * platform, which must reach the registry; else built and not tested here (not fused).
 */
describe('planRun: Windows images built on Linux', () => {
  const onLinux = loadConfig(
    [
      'image: ghcr.io/org/app',
      'windows:',
      '  build-on: linux',
      'platforms:',
      '  - linux/amd64',
      '  - platform: windows/amd64:ltsc2019',
      '    smoke: { skip: no ltsc2019 host }',
      '  - windows/amd64:ltsc2022',
      '  - windows/amd64:ltsc2025',
      'smoke: { port: 8080 }',
    ].join('\n'),
  ).images[0]!.legs;

  interface BuildOnLinuxCase {
    readonly name: string;
    readonly local: HostFacts;
    /** platform -> [endpoint, host, facts or error] */
    readonly named?: Record<string, [string, string, HostFacts | string]>;
    readonly embedded?: boolean;
    readonly buildx?: string;
    /** platform -> expected plan fields (smoke: kind and a piece of its reason) */
    readonly want: Record<
      string,
      | { status: 'skip'; reason: string }
      | { status: 'run'; builder: string; smoke: ['here', string] | ['skip' | 'none', string] }
    >;
  }

  const cases: BuildOnLinuxCase[] = [
    {
      name: 'a docker-container builder and a Windows engine over ssh with --registry: built here, tested there',
      local: ubuntuWithBuilder(),
      named: {
        'windows/amd64:ltsc2022': ['ssh://me@winhost', 'ssh://me@winhost', windows2022],
      },
      embedded: false,
      want: {
        'windows/amd64:ltsc2022': {
          status: 'run',
          builder: 'xplat-builder',
          smoke: ['here', 'ssh://me@winhost'],
        },
        // Its smoke test is skipped on purpose: fused untested, no engine needed.
        'windows/amd64:ltsc2019': {
          status: 'run',
          builder: 'xplat-builder',
          smoke: ['skip', 'no ltsc2019 host'],
        },
        'windows/amd64:ltsc2025': {
          status: 'run',
          builder: 'xplat-builder',
          smoke: [
            'none',
            'built, not tested here: needs a Windows engine (--engine windows/amd64:ltsc2025=ssh://…)',
          ],
        },
      },
    },
    {
      name: 'the embedded registry on 127.0.0.1 is out of reach of a Windows engine on another machine',
      local: ubuntuWithBuilder(),
      named: {
        'windows/amd64:ltsc2022': ['ssh://me@winhost', 'ssh://me@winhost', windows2022],
      },
      embedded: true,
      want: {
        'windows/amd64:ltsc2022': {
          status: 'run',
          builder: 'xplat-builder',
          smoke: [
            'none',
            'built, not tested here: ssh://me@winhost cannot reach the embedded registry; pass --registry',
          ],
        },
      },
    },
    {
      name: 'a Windows engine of an older release cannot run the image: built, not tested here',
      local: ubuntuWithBuilder(),
      named: { 'windows/amd64:ltsc2025': ['winbox', 'tcp://10.0.0.9:2376', windows2022] },
      embedded: false,
      want: {
        'windows/amd64:ltsc2025': {
          status: 'run',
          builder: 'xplat-builder',
          smoke: ['none', 'built, not tested here: engine winbox is Windows'],
        },
      },
    },
    {
      name: 'a Linux engine named for a Windows platform is no Windows engine',
      local: ubuntuWithBuilder(),
      named: { 'windows/amd64:ltsc2022': ['linbox', 'tcp://10.0.0.8:2376', ubuntu2404] },
      embedded: false,
      want: {
        'windows/amd64:ltsc2022': {
          status: 'run',
          builder: 'xplat-builder',
          smoke: ['none', 'engine linbox is linux/amd64, not a Windows engine'],
        },
      },
    },
    {
      name: 'the current builder uses the docker driver: another with its own store is picked',
      local: ubuntuDefaultCurrent('xplat-wol'),
      want: {
        'windows/amd64:ltsc2022': {
          status: 'run',
          builder: 'xplat-wol',
          smoke: ['none', 'needs a Windows engine'],
        },
      },
    },
    {
      name: 'a remote BuildKit builder builds it too',
      local: ubuntuWithRemoteLinux('rbk'),
      want: {
        'windows/amd64:ltsc2022': {
          status: 'run',
          builder: 'rbk',
          smoke: ['none', 'needs a Windows engine'],
        },
      },
    },
    {
      name: 'no buildx: skipped with what to install and create',
      local: cli2010,
      want: {
        'windows/amd64:ltsc2019': {
          status: 'skip',
          reason:
            'is built on Linux (build-on: linux) by BuildKit in a container, and docker CLI 20.10.24+dfsg1 has no buildx plugin: install it (apt-get install docker-buildx-plugin), then docker buildx create --driver docker-container --driver-opt network=host --use; runs in CI on ubuntu-24.04',
        },
      },
    },
    {
      name: 'only docker-driver builders: skipped with the builder to create',
      local: ubuntu2404,
      want: {
        'windows/amd64:ltsc2022': {
          status: 'skip',
          reason:
            'no buildx builder here keeps its own image store (builders: default (docker); the docker driver stores images in the engine, which cannot hold a Windows image): docker buildx create --driver docker-container',
        },
      },
    },
    {
      name: 'BUILDX_BUILDER naming a docker-driver builder is not overridden: skipped, saying so',
      local: ubuntuWithBuilder(),
      buildx: 'default',
      want: {
        'windows/amd64:ltsc2022': {
          status: 'skip',
          reason: 'BUILDX_BUILDER=default uses the docker driver',
        },
      },
    },
    {
      name: 'a Windows local engine does not build it: build-on: linux needs a Linux one',
      local: windows2022,
      want: {
        'windows/amd64:ltsc2022': {
          status: 'skip',
          reason: 'the local engine is windows/amd64, not a Linux engine',
        },
      },
    },
  ];

  it.each(cases)('$name', ({ local, named = {}, embedded = true, buildx, want }) => {
    const endpoints = new Map<string, EngineEndpoint>();
    const probes = new Map<string, EngineProbe>();
    const add = (name: string, host: string, facts: HostFacts | string) => {
      endpoints.set(name, { name, host });
      probes.set(
        name,
        typeof facts === 'string' ? { ok: false, error: facts } : { ok: true, facts },
      );
    };
    add(LOCAL_ENGINE, '', local);
    for (const [endpoint, host, facts] of Object.values(named)) add(endpoint, host, facts);
    const plan = planRun({
      legs: onLinux,
      engineFor: (leg) => endpoints.get(named[leg.name]?.[0] ?? LOCAL_ENGINE)!,
      probe: (engine) => probes.get(engine.name)!,
      embeddedRegistry: embedded,
      ...(buildx ? { buildxBuilder: buildx } : {}),
    });
    for (const [platform, expected] of Object.entries(want)) {
      const row = plan.find((p) => p.leg.name === platform)!;
      // Built on this machine's engine, whatever engine is named for its smoke test.
      expect(row.engine.name).toBe(LOCAL_ENGINE);
      expect(row.status).toBe(expected.status);
      if (expected.status === 'skip') {
        expect(row.reason).toContain(expected.reason);
        expect(row.smoke).toBeUndefined();
        continue;
      }
      expect(row.mode).toBe('buildx');
      expect(row.buildEnv).toEqual({ BUILDX_BUILDER: expected.builder });
      expect(row.facts).toBe(local);
      const [kind, detail] = expected.smoke;
      expect(row.smoke?.kind).toBe(kind);
      if (row.smoke?.kind === 'here') expect(row.smoke.engine.name).toBe(detail);
      else {
        expect(row.smoke && 'reason' in row.smoke && row.smoke.reason).toContain(detail);
        expect(row.reason).toContain(detail);
      }
    }
  });

  it('--require-all counts a leg built but not tested here as one that cannot run here', () => {
    const plan = planRun({
      legs: onLinux,
      engineFor: () => ({ name: LOCAL_ENGINE, host: '' }),
      probe: () => ({ ok: true, facts: ubuntuWithBuilder() }),
      embeddedRegistry: true,
    });
    expect(notHere(plan).map((p) => p.leg.name)).toEqual([
      'windows/amd64:ltsc2022',
      'windows/amd64:ltsc2025',
    ]);
  });
});

describe('planRun: smoke skips and prepare steps', () => {
  const legs = loadConfig(
    [
      'image: ghcr.io/org/app',
      'prepare:',
      '  - uses: actions/setup-go@v6',
      '  - run: make build',
      'platforms:',
      '  - linux/amd64',
      '  - platform: linux/arm64',
      '    smoke: { skip: arm64 is tested on hardware }',
      'smoke: { port: 8080 }',
    ].join('\n'),
  ).images[0]!.legs;
  const plan = planRun({
    legs,
    engineFor: () => ({ name: LOCAL_ENGINE, host: '' }),
    probe: () => ({ ok: true, facts: cli2010 }),
    embeddedRegistry: true,
  });

  it('a smoke: { skip } leg runs, its smoke test recorded as skipped, and says so', () => {
    expect(plan[0]!.smoke).toEqual({ kind: 'here', engine: { name: LOCAL_ENGINE, host: '' } });
    expect(plan[1]!.smoke).toEqual({ kind: 'skip', reason: 'arm64 is tested on hardware' });
    expect(plan[1]!.reason).toBe(
      'QEMU on the local engine (linux/amd64, BuildKit, binfmt arm64); not smoke-tested: arm64 is tested on hardware',
    );
    expect(notHere(plan)).toEqual([]);
  });

  it('uses: steps are in the plan as CI-only, in the table too', () => {
    expect(plan.map((p) => p.ciOnly)).toEqual([['actions/setup-go@v6'], ['actions/setup-go@v6']]);
    expect(planTable(plan, false)).toContain(
      'native on the local engine (linux/amd64); runs in CI only: actions/setup-go@v6',
    );
  });

  it('the table has an image column when the file has several images', () => {
    const [header] = planTable(plan, true).split('\n');
    expect(header!.split(/\s{2,}/)).toEqual([
      'image',
      'platform',
      'engine',
      'runs',
      'how / why not',
    ]);
    expect(planTable(plan, true).split('\n')[2]).toMatch(/^app\s+linux\/amd64\s+local\s+native/);
  });
});
