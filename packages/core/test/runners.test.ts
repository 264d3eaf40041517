/** The runner map: the hosted runner that builds each platform natively, or why none does. */
import { describe, expect, it } from '@jest/globals';
import { parsePlatform } from '@xplat/core';
import { RunnerError, runnerFor } from '../src/index.js';

const run = (platform: string, override = {}) => runnerFor(parsePlatform(platform), override);

describe('runnerFor', () => {
  it.each([
    ['linux/amd64', 'ubuntu-24.04'],
    ['linux/arm64', 'ubuntu-24.04-arm'],
    ['linux/arm64/v8', 'ubuntu-24.04-arm'],
    ['windows/amd64:ltsc2022', 'windows-2022'],
    ['windows/amd64:ltsc2025', 'windows-2025'],
    ['windows/amd64:10.0.20348.2655', 'windows-2022'],
  ])('%s -> %s', (platform, runner) => {
    expect(run(platform)).toEqual({ runsOn: runner, hosted: true, qemu: false });
  });

  it('builds under QEMU on an amd64 runner when asked', () => {
    expect(run('linux/arm64', { qemu: true })).toEqual({
      runsOn: 'ubuntu-24.04',
      hosted: true,
      qemu: true,
    });
    expect(run('linux/arm/v7', { qemu: true })).toEqual({
      runsOn: 'ubuntu-24.04',
      hosted: true,
      qemu: true,
    });
  });

  it('refuses ltsc2019 on hosted runners, saying to name a self-hosted label', () => {
    expect(() => run('windows/amd64:ltsc2019')).toThrow(RunnerError);
    expect(() => run('windows/amd64:ltsc2019')).toThrow(
      /ltsc2019 has no GitHub-hosted runner.*self-hosted/,
    );
  });

  it('takes self-hosted labels for anything', () => {
    expect(run('windows/amd64:ltsc2019', { runsOn: ['self-hosted', 'windows'] })).toEqual({
      runsOn: ['self-hosted', 'windows'],
      hosted: false,
      qemu: false,
    });
  });

  it.each([
    ['windows/amd64', 'needs a Windows release'],
    ['windows/arm64:ltsc2025', 'self-hosted'],
    ['windows/amd64:10.0.19041', 'self-hosted'],
    ['linux/s390x', 'qemu: true'],
  ])('refuses %s (%s)', (platform, message) => {
    expect(() => run(platform)).toThrow(message);
  });

  it('refuses qemu where it makes no sense', () => {
    expect(() => run('linux/amd64', { qemu: true })).toThrow(/natively/);
    expect(() => run('windows/amd64:ltsc2022', { qemu: true })).toThrow(/Linux architectures only/);
  });
});
