/**
 * What `xplat run` leaves in the local engine, as data: the name, which leg of the index,
 * the docker commands that put it there (given what the engine answers), and the
 * `docker run` it prints.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePlatform } from '@xplat/core';
import type { HostFacts } from '@xplat/engine';
import { cli2010, ubuntu2404Arm, windows2022, windows2025 } from '../../engine/test/hosts.js';
import {
  leaveImage,
  localLeg,
  localName,
  runCommandLine,
  type DockerRun,
} from '../src/run/local-image.js';

describe('localName: the repository path of xplat.yml without its registry, the index tag', () => {
  it.each([
    ['ghcr.io/xplat-dev/hello-http', 'local', 'xplat-dev/hello-http:local'],
    ['registry.example.com:5000/team/org/app', 'v1', 'team/org/app:v1'],
    ['docker.io/library/app', 'local', 'library/app:local'],
  ])('%s:%s -> %s', (image, tag, want) => {
    expect(localName(image, tag)).toBe(want);
  });
});

const leg = (name: string) => ({
  name,
  platform: parsePlatform(name, 'platform'),
  ref: `127.0.0.1:5000/org/app@sha256:${name.replace(/\W/g, '')}`,
});
const linux = [leg('linux/amd64'), leg('linux/arm64')];
const windows = [
  leg('windows/amd64:ltsc2019'),
  leg('windows/amd64:ltsc2022'),
  leg('windows/amd64:ltsc2025'),
];

describe('localLeg: the leg the local engine runs as its own', () => {
  it.each<[string, HostFacts, ReturnType<typeof leg>[], string | undefined]>([
    ['an amd64 Linux engine', cli2010, linux, 'linux/amd64'],
    ['an arm64 engine (Apple silicon, Graviton)', ubuntu2404Arm, linux, 'linux/arm64'],
    ['an amd64 engine, an arm64-only index: none', cli2010, [leg('linux/arm64')], undefined],
    ['a Linux engine, a Windows index: none', cli2010, windows, undefined],
    ['Windows Server 2022: its own release', windows2022, windows, 'windows/amd64:ltsc2022'],
    ['Windows Server 2025: its own release first', windows2025, windows, 'windows/amd64:ltsc2025'],
    [
      'Windows Server 2025, no ltsc2025 leg: a release it runs (2022)',
      windows2025,
      windows.slice(0, 2),
      'windows/amd64:ltsc2022',
    ],
    ['Windows Server 2022, only ltsc2025: none', windows2022, windows.slice(2), undefined],
  ])('%s', (_name, facts, legs, want) => {
    expect(localLeg(facts, legs)?.name).toBe(want);
  });
});

/** A docker CLI that answers from a table and records what it was asked. */
function fakeDocker(
  answers: Record<string, { exitCode: number; stdout?: string; stderr?: string }[]>,
) {
  const calls: string[][] = [];
  const run: DockerRun = async (args) => {
    calls.push([...args]);
    const queue = answers[args[0] === 'image' ? 'inspect' : args[0]!] ?? [];
    const answer = queue.shift() ?? { exitCode: 0 };
    return { exitCode: answer.exitCode, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '' };
  };
  return { run, calls };
}

describe('leaveImage: given what the engine has, exactly these commands', () => {
  const ref = '127.0.0.1:5000/org/app@sha256:aaaa';
  const inspect = ['image', 'inspect', '--format', '{{.Id}}', ref];
  const noSuch = { exitCode: 1, stderr: `Error: No such image: ${ref}\n` };

  it('the engine built it: already there by its digest, tagged by its ID', async () => {
    const docker = fakeDocker({ inspect: [{ exitCode: 0, stdout: 'sha256:1111\n' }] });
    expect(await leaveImage(ref, 'org/app:local', docker.run)).toEqual({
      ok: true,
      name: 'org/app:local',
      pulled: false,
    });
    expect(docker.calls).toEqual([inspect, ['tag', 'sha256:1111', 'org/app:local']]);
  });

  it('another engine built it: pulled by its digest while the registry runs, then tagged', async () => {
    const docker = fakeDocker({
      inspect: [noSuch, { exitCode: 0, stdout: 'sha256:2222\n' }],
    });
    expect(await leaveImage(ref, 'org/app:local', docker.run)).toMatchObject({
      ok: true,
      pulled: true,
    });
    expect(docker.calls).toEqual([
      inspect,
      ['pull', ref],
      inspect,
      ['tag', 'sha256:2222', 'org/app:local'],
    ]);
  });

  it('the pull fails: why, in the engine words, and no tag', async () => {
    const docker = fakeDocker({
      inspect: [noSuch],
      pull: [
        {
          exitCode: 1,
          stderr:
            'Error response from daemon: Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused\n',
        },
      ],
    });
    expect(await leaveImage(ref, 'org/app:local', docker.run)).toEqual({
      ok: false,
      why: `docker pull ${ref} failed: Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused`,
    });
    expect(docker.calls.map((c) => c[0])).toEqual(['image', 'pull']);
  });
});

describe('runCommandLine: the docker run printed at the end', () => {
  it.each<[number | undefined, string, string]>([
    [8080, '', 'docker run --rm -p 8080:8080 org/app:local'],
    [8080, 'host', 'docker run --rm --network host org/app:local'],
    [8080, 'web', 'docker run --rm --network web -p 8080:8080 org/app:local'],
    [undefined, '', 'docker run --rm org/app:local'],
  ])('port %s, --network %j', (port, network, want) => {
    expect(runCommandLine('org/app:local', port, network)).toBe(want);
  });
});
