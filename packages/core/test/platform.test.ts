import { describe, expect, it } from '@jest/globals';
import {
  formatPlatform,
  fromOciPlatform,
  parsePlatform,
  parsePlatformList,
  platformMatches,
  platformPair,
} from '../src/index.js';

describe('parsePlatform', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }, 'linux/amd64', 'linux-amd64'],
    [
      'linux/arm64',
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      'linux/arm64',
      'linux-arm64',
    ],
    [
      'linux/arm64/v8',
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      'linux/arm64',
      'linux-arm64',
    ],
    [
      'Linux/AARCH64',
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      'linux/arm64',
      'linux-arm64',
    ],
    ['linux/x86_64', { os: 'linux', architecture: 'amd64' }, 'linux/amd64', 'linux-amd64'],
    ['linux/amd64/v1', { os: 'linux', architecture: 'amd64' }, 'linux/amd64', 'linux-amd64'],
    [
      'linux/amd64/v3',
      { os: 'linux', architecture: 'amd64', variant: 'v3' },
      'linux/amd64/v3',
      'linux-amd64-v3',
    ],
    ['linux/arm', { os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux/arm', 'linux-arm'],
    [
      'linux/arm/v6',
      { os: 'linux', architecture: 'arm', variant: 'v6' },
      'linux/arm/v6',
      'linux-arm-v6',
    ],
    ['windows/amd64', { os: 'windows', architecture: 'amd64' }, 'windows/amd64', 'windows-amd64'],
    [
      'windows/amd64:ltsc2022',
      { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348' },
      'windows/amd64:ltsc2022',
      'windows-amd64-ltsc2022',
    ],
    [
      ' windows/amd64:LTSC2025 ',
      { os: 'windows', architecture: 'amd64', osVersion: '10.0.26100' },
      'windows/amd64:ltsc2025',
      'windows-amd64-ltsc2025',
    ],
    [
      'windows/amd64:10.0.20348.2655',
      { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348.2655' },
      'windows/amd64:10.0.20348.2655',
      'windows-amd64-ltsc2022',
    ],
    [
      'windows/amd64:10.0.22631',
      { os: 'windows', architecture: 'amd64', osVersion: '10.0.22631' },
      'windows/amd64:10.0.22631',
      'windows-amd64-10.0.22631',
    ],
  ])('%s', (text, platform, formatted, pair) => {
    const parsed = parsePlatform(text);
    expect(parsed).toEqual(platform);
    expect(formatPlatform(parsed)).toBe(formatted);
    expect(platformPair(parsed)).toBe(pair);
  });

  it.each([
    ['', 'it is empty'],
    ['linux', 'write it as os/arch'],
    ['linux/amd64/v2/x', 'write it as os/arch'],
    ['darwin/arm64', 'os "darwin" is not supported'],
    ['linux/sparc', 'architecture "sparc" is not known'],
    ['linux/amd64:ltsc2022', 'only Windows platforms carry a release'],
    ['windows/amd64:ltsc2016', 'not a Windows release'],
    ['windows/amd64:10.0', 'not a Windows release'],
    ['windows/386', 'Windows images are amd64 or arm64'],
    ['linux/amd 64', 'write it as os/arch'],
  ])('rejects %j with a message naming the input', (text, why) => {
    expect(() => parsePlatform(text, 'expected-platforms')).toThrow(why);
    expect(() => parsePlatform(text, 'expected-platforms')).toThrow(/^expected-platforms: /);
  });
});

describe('parsePlatformList', () => {
  it.each([
    ['linux/amd64,linux/arm64', 2],
    ['linux/amd64\nwindows/amd64:ltsc2022\n\n', 2],
    ['["linux/amd64", "windows/amd64:ltsc2025", "linux/arm64"]', 3],
    ['', 0],
  ])('%j has %d platforms', (text, count) => {
    expect(parsePlatformList(text)).toHaveLength(count);
  });
});

describe('platformMatches', () => {
  const image = (s: string, osVersion?: string) => ({
    ...parsePlatform(s),
    ...(osVersion ? { osVersion } : {}),
  });
  it.each([
    ['linux/arm64', image('linux/arm64/v8'), true],
    ['linux/arm64', image('linux/arm/v7'), false],
    ['linux/amd64', image('windows/amd64', '10.0.20348.1'), false],
    ['windows/amd64:ltsc2022', image('windows/amd64', '10.0.20348.2655'), true],
    ['windows/amd64:ltsc2022', image('windows/amd64', '10.0.26100.1742'), false],
    ['windows/amd64:ltsc2022', image('windows/amd64'), false],
    ['windows/amd64:10.0.20348.2655', image('windows/amd64', '10.0.20348.2655'), true],
    ['windows/amd64:10.0.20348.2655', image('windows/amd64', '10.0.20348.2700'), false],
    ['windows/amd64', image('windows/amd64', '10.0.26100.1'), true],
  ])('%s matches %j: %s', (expected, actual, result) => {
    expect(platformMatches(parsePlatform(expected), actual)).toBe(result);
  });
});

describe('fromOciPlatform', () => {
  it('keeps os.version and normalises arm64', () => {
    expect(
      fromOciPlatform({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2655' }),
    ).toEqual({
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.20348.2655',
    });
    expect(fromOciPlatform({ os: 'linux', architecture: 'arm64' })).toEqual({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
    });
  });
  it('refuses an os xplat does not fuse', () => {
    expect(() => fromOciPlatform({ os: 'unknown', architecture: 'unknown' })).toThrow(
      'os "unknown"',
    );
  });
});
