/**
 * Whether the engines of a run reach its embedded registry, as data: the probe and how
 * its answer is read, which engines a plan uses, and what the run does when one does not
 * reach it (the registry:2 image through that engine, which cannot be pulled here, so a
 * plan test: given these answers, exactly these steps) or the one line it refuses with.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@xplat/workflow';
import { cli2010, ubuntuWithBuilder, windows2025 } from '../../engine/test/hosts.js';
import {
  engineDockerCommand,
  RegistryRunFailed,
  startRegistryContainer,
  type EmbeddedRegistry,
} from '../src/run/embedded-registry.js';
import { classifyReach, reachProbePlan, type Reach } from '../src/run/engine-reach.js';
import {
  isLocalEngineHost,
  LOCAL_ENGINE,
  planRun,
  type EngineEndpoint,
} from '../src/run/run-plan.js';
import {
  enginesUsed,
  planReach,
  reachableRegistry,
  type EngineReach,
} from '../src/run/registry-reach.js';

const ZEROS = `sha256:${'0'.repeat(64)}`;
const refused = (port: number) =>
  `Error response from daemon: Get "http://127.0.0.1:${port}/v2/": dial tcp 127.0.0.1:${port}: connect: connection refused\n`;

describe('the probe: docker pull of a manifest no registry has', () => {
  it('is one pull by an all-zero digest', () => {
    expect(reachProbePlan('127.0.0.1:41000')).toEqual([
      'pull',
      `127.0.0.1:41000/xplat/reachability@${ZEROS}`,
    ]);
  });

  // The engine's own words, as dockerd 20.10 says them.
  it.each<[string, string, Reach]>([
    [
      'manifest unknown: the registry answered',
      `Error response from daemon: manifest for 127.0.0.1:41000/xplat/reachability@${ZEROS} not found: manifest unknown: manifest unknown\n`,
      { reached: true },
    ],
    [
      'no credentials: an auth registry answered',
      `Error response from daemon: Get "http://127.0.0.1:41000/v2/xplat/reachability/manifests/${ZEROS}": no basic auth credentials\n`,
      { reached: true },
    ],
    [
      'connection refused: another 127.0.0.1',
      refused(41000),
      {
        reached: false,
        why: 'Get "http://127.0.0.1:41000/v2/": dial tcp 127.0.0.1:41000: connect: connection refused',
      },
    ],
    [
      'a dial timeout',
      'Error response from daemon: Get "http://127.0.0.1:41000/v2/": dial tcp 127.0.0.1:41000: i/o timeout\n',
      {
        reached: false,
        why: 'Get "http://127.0.0.1:41000/v2/": dial tcp 127.0.0.1:41000: i/o timeout',
      },
    ],
    [
      'the engine itself does not answer',
      'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?\n',
      {
        reached: false,
        why: 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?',
      },
    ],
  ])('%s', (_name, stderr, want) => {
    expect(classifyReach({ exitCode: 1, stderr, timedOut: false })).toEqual(want);
  });

  it('no answer within the bound is not reached, whatever was printed', () => {
    expect(classifyReach({ exitCode: 1, stderr: '', timedOut: true }, 10_000)).toEqual({
      reached: false,
      why: 'no answer within 10 s',
    });
  });
});

const local: EngineEndpoint = { name: LOCAL_ENGINE, host: 'unix:///run/desktop.sock' };
const armBox: EngineEndpoint = { name: 'arm-box', host: 'unix:///run/arm.sock' };

describe('enginesUsed: each engine that pushes to or pulls from the registry', () => {
  it("the legs that run, by engine; a skipped leg's engine is not asked", () => {
    const legs = loadConfig(
      'image: ghcr.io/org/app\nplatforms: [linux/amd64, linux/arm64, windows/amd64:ltsc2025]\nsmoke: { port: 8080 }\n',
    ).images[0]!.legs;
    const plan = planRun({
      legs,
      engineFor: (leg) => (leg.name === 'linux/arm64' ? armBox : local),
      probe: () => ({ ok: true, facts: cli2010 }),
      embeddedRegistry: true,
    });
    expect(plan.map((p) => p.status)).toEqual(['run', 'run', 'skip']);
    expect(enginesUsed(plan)).toEqual([
      { engine: local, platforms: ['linux/amd64'] },
      { engine: armBox, platforms: ['linux/arm64'] },
    ]);
  });

  it('a Windows image built on Linux: the Windows engine that pulls it for its smoke test too', () => {
    const legs = loadConfig(
      'image: ghcr.io/org/app\nwindows: { build-on: linux }\nplatforms: [windows/amd64:ltsc2025]\nsmoke: { port: 8080 }\n',
    ).images[0]!.legs;
    const winhost: EngineEndpoint = { name: 'winhost', host: 'tcp://127.0.0.1:2376' };
    const plan = planRun({
      legs,
      engineFor: () => winhost,
      probe: (engine) => ({
        ok: true,
        facts: engine.name === 'winhost' ? windows2025 : ubuntuWithBuilder(),
      }),
      embeddedRegistry: true,
      local: { name: LOCAL_ENGINE, host: '' },
    });
    expect(enginesUsed(plan).map((u) => [u.engine.name, u.platforms])).toEqual([
      [LOCAL_ENGINE, ['windows/amd64:ltsc2025']],
      ['winhost', ['windows/amd64:ltsc2025']],
    ]);
  });
});

const no = (why: string): Reach => ({ reached: false, why });
const yes: Reach = { reached: true };
const check = (engine: EngineEndpoint, reach: Reach, platforms = ['linux/amd64']): EngineReach => ({
  engine,
  platforms,
  reach,
});

describe('planReach', () => {
  it('every engine reaches it: run as planned', () => {
    expect(
      planReach({ address: '127.0.0.1:1', served: 'binary', checks: [check(local, yes)] }),
    ).toEqual({ kind: 'ok' });
  });

  it('one engine of this machine does not: the registry:2 image through that engine', () => {
    expect(
      planReach({
        address: '127.0.0.1:1',
        served: 'binary',
        checks: [check(local, yes), check(armBox, no('connection refused'))],
      }),
    ).toEqual({ kind: 'container', engine: armBox });
  });

  it('the registry is the registry:2 image already: refused, naming the engine and --registry', () => {
    expect(
      planReach({
        address: '127.0.0.1:1',
        served: 'container',
        checks: [check(local, no('connection refused'), ['linux/amd64', 'linux/arm64'])],
      }),
    ).toEqual({
      kind: 'refuse',
      message:
        'the embedded registry is on 127.0.0.1:1 and the local engine at unix:///run/desktop.sock (linux/amd64, linux/arm64) cannot reach it (connection refused): pass --registry HOST:PORT that this machine and that engine both reach; nothing was built',
    });
  });

  it('two engines do not: refused, both named (one registry:2 container cannot serve both)', () => {
    const plan = planReach({
      address: '127.0.0.1:1',
      served: 'binary',
      checks: [check(local, no('connection refused')), check(armBox, no('no answer within 10 s'))],
    });
    expect(plan.kind).toBe('refuse');
    expect(plan.kind === 'refuse' && plan.message).toBe(
      'the embedded registry is on 127.0.0.1:1 and the local engine at unix:///run/desktop.sock (linux/amd64) cannot reach it (connection refused); engine arm-box at unix:///run/arm.sock (linux/amd64) cannot reach it (no answer within 10 s): pass --registry HOST:PORT that this machine and those engines all reach; nothing was built',
    );
  });

  it('an engine on another machine: refused, a container there would not be on this 127.0.0.1', () => {
    const remote: EngineEndpoint = { name: 'tcp://10.0.0.5:2376', host: 'tcp://10.0.0.5:2376' };
    expect(isLocalEngineHost(remote.host)).toBe(false);
    const plan = planReach({
      address: '127.0.0.1:1',
      served: 'binary',
      checks: [check(remote, no('connection refused'))],
    });
    expect(plan.kind === 'refuse' && plan.message).toContain(
      'engine tcp://10.0.0.5:2376 (linux/amd64) cannot reach it (connection refused): pass --registry',
    );
  });
});

/** A registry that records being stopped. */
function fakeRegistry(
  address: string,
  served: EmbeddedRegistry['served'],
  steps: string[],
): EmbeddedRegistry {
  return {
    address,
    description: served,
    storage: '/p/.xplat/registry/data',
    stopCommand: '',
    served,
    stop: async () => {
      steps.push(`stop ${served} ${address}`);
    },
  };
}

describe('reachableRegistry: given these answers, exactly these steps', () => {
  const run = async (
    answers: (engine: EngineEndpoint, address: string) => Reach,
    used: EngineEndpoint[],
    container: 'starts' | 'fails' = 'starts',
  ) => {
    const steps: string[] = [];
    const binary = fakeRegistry('127.0.0.1:1', 'binary', steps);
    const result = reachableRegistry(
      binary,
      used.map((engine) => ({ engine, platforms: ['linux/amd64'] })),
      {
        probe: async (engine, address) => {
          steps.push(`probe ${engine.name} ${address}`);
          return answers(engine, address);
        },
        startContainer: async (engine) => {
          steps.push(`registry:2 through ${engine.name}`);
          if (container === 'fails')
            throw new RegistryRunFailed('docker run registry:2 failed: pull access denied');
          return fakeRegistry('127.0.0.1:2', 'container', steps);
        },
        note: (line) => steps.push(`note ${line}`),
      },
    );
    return { result, steps };
  };

  it('reached: the registry as started, nothing else', async () => {
    const { result, steps } = await run(() => yes, [local]);
    expect((await result).address).toBe('127.0.0.1:1');
    expect(steps).toEqual(['probe local 127.0.0.1:1']);
  });

  it('Docker Desktop: the process stops, registry:2 runs through the engine, which is asked again', async () => {
    const { result, steps } = await run(
      (_e, address) => (address === '127.0.0.1:2' ? yes : no('connection refused')),
      [local],
    );
    expect(await result).toMatchObject({ address: '127.0.0.1:2', served: 'container' });
    expect(steps).toEqual([
      'probe local 127.0.0.1:1',
      'note the local engine cannot reach 127.0.0.1:1 (connection refused): running the registry as the registry:2 image through it instead',
      'stop binary 127.0.0.1:1',
      'registry:2 through local',
      'probe local 127.0.0.1:2',
    ]);
  });

  it('registry:2 will not run there: refused in one line, exit 2 (a UsageError on --registry)', async () => {
    const { result, steps } = await run(() => no('connection refused'), [local], 'fails');
    await expect(result).rejects.toMatchObject({
      name: 'UsageError',
      input: '--registry',
      message:
        '--registry: the embedded registry is on 127.0.0.1:1 and the local engine at unix:///run/desktop.sock (linux/amd64) cannot reach it (connection refused); the registry:2 image would not run through the local engine instead (docker run registry:2 failed: pull access denied): pass --registry HOST:PORT that this machine and that engine both reach; nothing was built',
    });
    expect(steps.filter((s) => !s.startsWith('note'))).toEqual([
      'probe local 127.0.0.1:1',
      'stop binary 127.0.0.1:1',
      'registry:2 through local',
    ]);
  });

  it('registry:2 runs but another engine still cannot reach it: stopped, refused', async () => {
    const { result, steps } = await run(
      (engine) => (engine.name === 'arm-box' ? no('connection refused') : yes),
      [local, armBox],
    );
    await expect(result).rejects.toThrow(
      'engine arm-box at unix:///run/arm.sock (linux/amd64) cannot reach it (connection refused), not even as the registry:2 image run through engine arm-box: pass --registry HOST:PORT',
    );
    expect(steps.filter((s) => !s.startsWith('note'))).toEqual([
      'probe local 127.0.0.1:1',
      'probe arm-box 127.0.0.1:1',
      'stop binary 127.0.0.1:1',
      'registry:2 through arm-box',
      'probe local 127.0.0.1:2',
      'probe arm-box 127.0.0.1:2',
      'stop container 127.0.0.1:2',
    ]);
  });

  it('refused at once: the registry it had is stopped first (--keep-registry leaves nothing)', async () => {
    const { result, steps } = await run(() => no('connection refused'), [local, armBox]);
    await expect(result).rejects.toThrow(/^--registry: the embedded registry is on 127\.0\.0\.1:1/);
    expect(steps).toEqual([
      'probe local 127.0.0.1:1',
      'probe arm-box 127.0.0.1:1',
      'stop binary 127.0.0.1:1',
    ]);
  });
});

describe('the registry:2 image through an engine', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  it('runs docker run through that engine, removes what a failed run left, says why', async () => {
    // A docker CLI that records its arguments and engine, and fails like an engine that
    // cannot pull registry:2 (none can here: no Docker Hub).
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-fake-docker-'));
    scratch.push(dir);
    const record = path.join(dir, 'calls');
    const fake = path.join(dir, 'docker');
    await writeFile(
      fake,
      [
        `#!${process.execPath}`,
        "const fs = require('node:fs');",
        `fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify([process.env.DOCKER_HOST, ...process.argv.slice(2)]) + '\\n');`,
        "if (process.argv[2] === 'run') {",
        "  process.stderr.write('Unable to find image \\'registry:2\\' locally\\ndocker: Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host.\\nSee \\'docker run --help\\'.\\n');",
        '  process.exit(125);',
        '}',
        '',
      ].join('\n'),
    );
    await chmod(fake, 0o755);
    const started = startRegistryContainer({
      dir: path.join(dir, 'registry'),
      env: {},
      docker: { docker: fake, env: { DOCKER_HOST: armBox.host } },
      engine: armBox,
      network: 'host',
    });
    await expect(started).rejects.toThrow(
      'docker run registry:2 failed: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host.',
    );
    const calls = (await readFile(record, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    expect(calls.map((c) => c[0])).toEqual([armBox.host, armBox.host]);
    const [run, remove] = calls.map((c) => c.slice(1));
    const name = run![run!.indexOf('--name') + 1]!;
    expect(name).toMatch(/^xplat-registry-\d+$/);
    const port = name.replace('xplat-registry-', '');
    expect(run).toEqual([
      'run',
      '--detach',
      '--name',
      name,
      '--label',
      'xplat.run=registry',
      '--network',
      'host',
      '-e',
      `REGISTRY_HTTP_ADDR=127.0.0.1:${port}`,
      '-e',
      'REGISTRY_STORAGE_DELETE_ENABLED=true',
      '-v',
      `${path.join(dir, 'registry', 'data')}:/var/lib/registry`,
      'registry:2',
    ]);
    expect(remove).toEqual(['rm', '--force', name]);
  });

  it('a kept one is stopped through the engine that runs it', () => {
    expect(engineDockerCommand({ name: LOCAL_ENGINE, host: '' })).toBe('docker');
    expect(engineDockerCommand(armBox)).toBe('docker --context arm-box');
    expect(engineDockerCommand({ name: 'ssh://me@box', host: 'ssh://me@box' })).toBe(
      'docker -H ssh://me@box',
    );
  });
});
