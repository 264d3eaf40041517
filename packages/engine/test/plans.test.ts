/** The argument arrays each operation runs, and the parsers for what the engine answers. */
import { describe, expect, test } from '@jest/globals';
import { inspectPlan, logsPlan, removePlan, runPlan, stopPlan } from '@xplat/engine';
import {
  execPlan,
  parseContainerInspect,
  parseLogLines,
  portPlan,
  waitPlan,
} from '../src/docker/containers.js';
import { infoPlan, parseEngineInfo, windowsOsVersion } from '../src/docker/host.js';
import { imageInspectPlan, parseImageInspect, pullPlan } from '../src/docker/images.js';

describe('plans', () => {
  test('run: every option in docker order, the user args before the image, the command after', () => {
    expect(
      runPlan({
        image: 'app:1',
        name: 'c1',
        platform: 'linux/arm64',
        isolation: 'process',
        network: 'nat',
        publish: [
          { containerPort: 80, hostPort: 8080 },
          { containerPort: 53, protocol: 'udp' },
          { containerPort: 81, hostPort: 9000, hostIp: '127.0.0.1' },
          { containerPort: 82, hostIp: '127.0.0.1' },
        ],
        labels: { a: 'b' },
        env: ['X=1 2'],
        extraArgs: ['--init'],
        command: ['sh', '-c', 'echo "$X"'],
      }),
    ).toEqual([
      'run',
      '--detach',
      '--name',
      'c1',
      '--platform',
      'linux/arm64',
      '--isolation',
      'process',
      '--network',
      'nat',
      '--publish',
      '8080:80',
      '--publish',
      '53/udp',
      '--publish',
      '127.0.0.1:9000:81',
      '--publish',
      '127.0.0.1::82',
      '--label',
      'a=b',
      '--env',
      'X=1 2',
      '--init',
      'app:1',
      'sh',
      '-c',
      'echo "$X"',
    ]);
    expect(runPlan({ image: 'app' })).toEqual(['run', '--detach', 'app']);
  });

  test.each<[string, string[], string[]]>([
    ['exec', execPlan('c1', ['cat', '/x']), ['exec', 'c1', 'cat', '/x']],
    [
      'logs',
      logsPlan('c1', { tail: 50, timestamps: true }),
      ['logs', '--timestamps', '--tail', '50', 'c1'],
    ],
    ['inspect', inspectPlan('c1'), ['container', 'inspect', 'c1']],
    ['port', portPlan('c1', 8080), ['port', 'c1', '8080/tcp']],
    ['stop', stopPlan('c1', 30), ['stop', '-t', '30', 'c1']],
    ['rm', removePlan('c1'), ['rm', '--force', '--volumes', 'c1']],
    ['wait', waitPlan('c1'), ['wait', 'c1']],
    ['image inspect', imageInspectPlan('app:1'), ['image', 'inspect', 'app:1']],
    ['pull', pullPlan('app:1', 'windows/amd64'), ['pull', '--platform', 'windows/amd64', 'app:1']],
    ['info', infoPlan(), ['info', '--format', '{{json .}}']],
  ])('%s', (_name, plan, expected) => {
    expect(plan).toEqual(expected);
  });
});

describe('parsers', () => {
  test('container inspect: state, restarts, published ports', () => {
    const state = parseContainerInspect(
      JSON.stringify([
        {
          Id: 'abc123',
          Name: '/xplat-smoke-1',
          Image: 'sha256:img',
          Platform: 'windows',
          RestartCount: 2,
          State: {
            Status: 'exited',
            Running: false,
            ExitCode: 137,
            OOMKilled: true,
            Error: '',
            StartedAt: '2024-01-01T00:00:00.5Z',
            FinishedAt: '2024-01-01T00:00:01Z',
          },
          HostConfig: { NetworkMode: 'nat' },
          NetworkSettings: {
            Ports: { '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '49152' }], '9000/tcp': null },
          },
        },
      ]),
    );
    expect(state).toEqual({
      id: 'abc123',
      name: 'xplat-smoke-1',
      status: 'exited',
      running: false,
      exitCode: 137,
      oomKilled: true,
      restartCount: 2,
      error: '',
      startedAt: '2024-01-01T00:00:00.5Z',
      finishedAt: '2024-01-01T00:00:01Z',
      imageId: 'sha256:img',
      platform: 'windows',
      networkMode: 'nat',
      ports: [{ containerPort: 8080, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 49152 }],
    });
  });

  test('image inspect: platform, os.version and stop signal', () => {
    expect(
      parseImageInspect(
        JSON.stringify([
          {
            Id: 'sha256:x',
            Os: 'windows',
            Architecture: 'amd64',
            OsVersion: '10.0.20348.2655',
            Config: { StopSignal: '' },
          },
        ]),
      ),
    ).toEqual({
      id: 'sha256:x',
      os: 'windows',
      architecture: 'amd64',
      variant: '',
      osVersion: '10.0.20348.2655',
      repoDigests: [],
      stopSignal: '',
    });
  });

  test('engine info: a Windows engine names its build in the kernel version', () => {
    expect(
      parseEngineInfo(
        JSON.stringify({
          OSType: 'windows',
          Architecture: 'x86_64',
          KernelVersion: '10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)',
          Isolation: 'process',
          ServerVersion: '24.0.7',
        }),
      ),
    ).toEqual({
      os: 'windows',
      architecture: 'x86_64',
      osVersion: '10.0.20348',
      kernelVersion: '10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)',
      isolation: 'process',
      serverVersion: '24.0.7',
    });
    expect(windowsOsVersion('10.0.26100.1742')).toBe('10.0.26100');
    expect(
      parseEngineInfo(
        JSON.stringify({ OSType: 'linux', Architecture: 'aarch64', KernelVersion: '6.1.0' }),
      ).osVersion,
    ).toBe('');
  });

  test('log lines: timestamps split off, CRLF and the last newline dropped', () => {
    expect(
      parseLogLines(
        '2024-01-01T00:00:00.1Z hello world\r\n2024-01-01T00:00:00.2Z \n',
        'stderr',
        true,
      ),
    ).toEqual([
      { stream: 'stderr', time: '2024-01-01T00:00:00.1Z', text: 'hello world' },
      { stream: 'stderr', time: '2024-01-01T00:00:00.2Z', text: '' },
    ]);
    expect(parseLogLines('a\nb', 'stdout', false)).toEqual([
      { stream: 'stdout', time: '', text: 'a' },
      { stream: 'stdout', time: '', text: 'b' },
    ]);
  });
});
