/**
 * Plan tests: given a host's facts, exactly which docker commands run and what the probes
 * reach. Windows hosts cannot exist here, so this is where their behaviour is pinned:
 * NAT and a published port, no host networking, console shutdown, slower defaults, and
 * the build-skew refusal.
 */
import { describe, expect, test } from '@jest/globals';
import { XplatError } from '@xplat/core';
import {
  buildsInSkewError,
  buildSkewMessage,
  hostFromEngine,
  isBuildSkewError,
  type SmokeHost,
} from '../src/host.js';
import { parseSmokeInputs, type SmokeInputs } from '@xplat/smoke';
import { planSmoke } from '../src/plan.js';

const ltsc2022Host: SmokeHost = {
  os: 'windows',
  architecture: 'amd64',
  osVersion: '10.0.20348',
  isolation: 'process',
};
const ltsc2025Host: SmokeHost = {
  os: 'windows',
  architecture: 'amd64',
  osVersion: '10.0.26100',
  isolation: 'process',
};
const linuxHost: SmokeHost = { os: 'linux', architecture: 'amd64' };
const context = {
  containerName: 'xplat-smoke-test',
  hostPort: (port: number) => 49_000 + (port % 1000),
};

const windowsApp: SmokeInputs = {
  image: 'ghcr.io/acme/app:windows-amd64-ltsc2022',
  platform: 'windows/amd64:ltsc2022',
  port: '8080',
  path: '/healthz',
};
const plan = (
  inputs: SmokeInputs,
  host: SmokeHost,
  extra: Partial<Parameters<typeof planSmoke>[2]> = {},
) => planSmoke(parseSmokeInputs(inputs), host, { ...context, ...extra });

describe('Windows host', () => {
  test('NAT network, the port published on a free host port, probed on 127.0.0.1', () => {
    const p = plan(windowsApp, ltsc2022Host);
    expect(p.commands.run).toEqual([
      'run',
      '--detach',
      '--name',
      'xplat-smoke-test',
      '--platform',
      'windows/amd64',
      '--network',
      'nat',
      // No host IP: the Windows NAT refuses one.
      '--publish',
      '49080:8080',
      '--label',
      'xplat.smoke=true',
      'ghcr.io/acme/app:windows-amd64-ltsc2022',
    ]);
    expect(p.probes).toEqual([
      expect.objectContaining({ kind: 'http', url: 'http://127.0.0.1:49080/healthz' }),
    ]);
    expect(p.notes[0]).toBe(
      "Windows has no host networking; the container sits behind the engine's NAT: published 8080 on host port 49080, probed at 127.0.0.1",
    );
  });

  test('a TCP port is published too, each on its own host port', () => {
    const p = plan({ ...windowsApp, 'tcp-port': '9000' }, ltsc2022Host);
    expect(p.published).toEqual([
      { containerPort: 8080, hostPort: 49080 },
      { containerPort: 9000, hostPort: 49000 },
    ]);
    expect(p.probes[1]).toEqual({ kind: 'tcp', name: 'tcp 9000', host: '127.0.0.1', port: 49000 });
  });

  test('host networking does not exist there', () => {
    expect(() => plan({ ...windowsApp, network: 'host' }, ltsc2022Host)).toThrow(
      new XplatError(
        '"host" does not exist on Windows: containers sit behind the engine\'s NAT; use auto (nat)',
        'network',
      ),
    );
  });

  test('slower defaults: 180 s to be ready, 30 s to stop, 15 s per attempt', () => {
    const p = plan(windowsApp, ltsc2022Host);
    expect([p.timeoutMs, p.stopTimeoutSeconds, p.attemptTimeoutMs]).toEqual([180_000, 30, 15_000]);
    expect(p.commands.stop).toEqual(['stop', '-t', '30', 'xplat-smoke-test']);
    const linux = plan({ ...windowsApp, platform: 'linux/amd64' }, linuxHost);
    expect([linux.timeoutMs, linux.stopTimeoutSeconds, linux.attemptTimeoutMs]).toEqual([
      60_000, 10, 5_000,
    ]);
  });

  test('explicit timeouts win over the host defaults', () => {
    const p = plan({ ...windowsApp, timeout: '5m', 'stop-timeout': '45' }, ltsc2022Host);
    expect([p.timeoutMs, p.stopTimeoutSeconds]).toEqual([300_000, 45]);
  });

  test('stop sends a console shutdown event, and the report says what the app must handle', () => {
    const p = plan(windowsApp, ltsc2022Host);
    expect(p.stopSignal).toBe('CTRL_SHUTDOWN_EVENT');
    expect(p.notes).toContainEqual(
      expect.stringContaining('console shutdown event (CTRL_SHUTDOWN_EVENT), not SIGTERM'),
    );
    expect(p.notes).toContainEqual(expect.stringContaining('SetConsoleCtrlHandler'));
  });

  test('process isolation is passed when asked for, and noted either way', () => {
    expect(plan({ ...windowsApp, isolation: 'process' }, ltsc2022Host).commands.run).toEqual(
      expect.arrayContaining(['--isolation', 'process']),
    );
    expect(plan(windowsApp, ltsc2022Host).commands.run).not.toContain('--isolation');
    expect(plan(windowsApp, ltsc2022Host).notes).toContainEqual(
      expect.stringContaining('process isolation on host build 10.0.20348'),
    );
  });

  test('an image newer than the host is refused before start, naming both builds and the fix', () => {
    const p = plan({ ...windowsApp, platform: 'windows/amd64:ltsc2025' }, ltsc2022Host);
    expect(p.blocked).toBe(
      'Windows build skew: the image is build 10.0.26100 (ltsc2025) but this host is build 10.0.20348 (ltsc2022); ' +
        "under process isolation the container operating system must match the host's. " +
        'Fix: pin the base image by digest to a ltsc2022 build (FROM mcr.microsoft.com/windows/servercore:ltsc2022@sha256:...), ' +
        'or run this leg on a windows-2025 runner',
    );
  });

  test("the engine's own image facts decide the build when it has the image", () => {
    const image = {
      os: 'windows',
      architecture: 'amd64',
      variant: '',
      osVersion: '10.0.26100.1742',
      stopSignal: '',
    };
    const p = plan({ image: 'app:win', port: '80' }, ltsc2022Host, { image });
    expect(p.platform).toEqual({ os: 'windows', architecture: 'amd64' });
    expect(p.blocked).toContain('the image is build 10.0.26100.1742 (ltsc2025)');
  });

  test('an ltsc2019 image on an ltsc2022 host: no hosted runner has that build', () => {
    const p = plan({ ...windowsApp, platform: 'windows/amd64:ltsc2019' }, ltsc2022Host);
    expect(p.blocked).toContain('run this leg on a self-hosted ltsc2019 runner');
  });

  test('an ltsc2022 image on an ltsc2025 host runs (version compatibility since 2022)', () => {
    expect(plan(windowsApp, ltsc2025Host).blocked).toBeUndefined();
  });

  test("the engine's mismatch errors are recognised and their builds read", () => {
    expect(
      isBuildSkewError(
        'hcsshim::CreateComputeSystem: The container operating system does not match the host operating system.',
      ),
    ).toBe(true);
    expect(
      isBuildSkewError(
        'container 3f2a encountered an error during hcs::System::Start: failure in a Windows system call: (0xc0370106)',
      ),
    ).toBe(true);
    const newer =
      'docker: Error response from daemon: a Windows version 10.0.26100-based image is incompatible with a 10.0.20348 host.';
    expect(isBuildSkewError(newer)).toBe(true);
    expect(buildsInSkewError(newer)).toEqual({ image: '10.0.26100', host: '10.0.20348' });
    expect(isBuildSkewError('pull access denied')).toBe(false);
    expect(buildSkewMessage('10.0.20348', undefined, 'process')).toContain(
      'the image is build unknown but this host is build 10.0.20348 (ltsc2022)',
    );
  });

  test('engine facts: the Windows build comes from the kernel version', () => {
    expect(
      hostFromEngine({
        os: 'windows',
        architecture: 'x86_64',
        osVersion: '10.0.20348',
        isolation: 'process',
      }),
    ).toEqual(ltsc2022Host);
  });
});

describe('Linux host', () => {
  const linuxApp: SmokeInputs = { image: 'app:linux', port: '8080', platform: 'linux/amd64' };

  test('host networking: no published port, the service probed on its own port', () => {
    const p = plan(linuxApp, linuxHost);
    expect(p.commands.run).toEqual([
      'run',
      '--detach',
      '--name',
      'xplat-smoke-test',
      '--platform',
      'linux/amd64',
      '--network',
      'host',
      '--label',
      'xplat.smoke=true',
      'app:linux',
    ]);
    expect(p.probes[0]).toMatchObject({ url: 'http://127.0.0.1:8080/' });
    expect(p.stopSignal).toBe('SIGTERM');
  });

  test('another network: published on loopback only', () => {
    const p = plan({ ...linuxApp, network: 'bridge' }, linuxHost);
    expect(p.commands.run).toEqual(
      expect.arrayContaining(['--network', 'bridge', '--publish', '127.0.0.1:49080:8080']),
    );
    expect(p.probes[0]).toMatchObject({ url: 'http://127.0.0.1:49080/' });
  });

  test("env, run-args and args go where docker expects them; the image's STOPSIGNAL is reported", () => {
    const p = plan(
      { ...linuxApp, env: 'A=1', 'run-args': '--init --memory 64m', args: 'serve --port 8080' },
      linuxHost,
      {
        image: {
          os: 'linux',
          architecture: 'amd64',
          variant: '',
          osVersion: '',
          stopSignal: 'SIGQUIT',
        },
      },
    );
    expect(p.commands.run.slice(-9)).toEqual([
      '--env',
      'A=1',
      '--init',
      '--memory',
      '64m',
      'app:linux',
      'serve',
      '--port',
      '8080',
    ]);
    expect(p.stopSignal).toBe('SIGQUIT');
  });

  test('an arm64 image on an amd64 host is noted as emulated', () => {
    expect(plan({ ...linuxApp, platform: 'linux/arm64' }, linuxHost).notes).toContainEqual(
      expect.stringContaining('under emulation (QEMU)'),
    );
  });

  test('a Windows image on a Linux engine is an input error', () => {
    expect(() => plan(windowsApp, linuxHost)).toThrow(
      'platform: windows images need a Windows runner (e.g. windows-2022); this docker engine runs linux containers',
    );
  });

  test('one-shot: the command replaces CMD, nothing is published, nothing is stopped', () => {
    const p = plan(
      { image: 'app:linux', 'one-shot': 'true', command: 'app --self-test', network: 'bridge' },
      linuxHost,
    );
    expect(p.commands.run.slice(-3)).toEqual(['app:linux', 'app', '--self-test']);
    expect(p.commands.run).not.toContain('--publish');
    expect(p.commands.stop).toBeUndefined();
    expect(p.oneShot).toEqual({ expectExitCode: 0 });
  });
});
