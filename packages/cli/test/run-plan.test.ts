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
