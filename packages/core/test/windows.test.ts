import { describe, expect, it } from '@jest/globals';
import {
  releaseForOsVersion,
  releasesRunnableOn,
  runsUnderProcessIsolation,
} from '../src/index.js';

describe('Windows releases', () => {
  it.each([
    ['10.0.17763.6293', 'ltsc2019'],
    ['10.0.20348', 'ltsc2022'],
    ['10.0.26100.1742', 'ltsc2025'],
    ['10.0.22631.1', undefined],
    ['banana', undefined],
  ])('%s is %s', (osVersion, name) => {
    expect(releaseForOsVersion(osVersion)?.name).toBe(name);
  });

  // host, image, runs: hosted runners have no Hyper-V, so this is the whole story there.
  it.each([
    ['10.0.20348.2700', '10.0.20348.2655', true], // same build, any revision
    ['10.0.26100.1', '10.0.20348.2655', true], // windows-2025 runs ltsc2022
    ['10.0.20348.1', '10.0.26100.1742', false], // never an image newer than the host
    ['10.0.20348.1', '10.0.17763.1', false], // ltsc2019 needs an ltsc2019 host
    ['10.0.26100.1', '10.0.17763.1', false],
    ['10.0.17763.5', '10.0.17763.1', true],
    ['nonsense', '10.0.17763.1', false],
  ])('host %s runs image %s: %s', (host, image, runs) => {
    expect(runsUnderProcessIsolation(host, image)).toBe(runs);
  });

  it.each([
    ['10.0.20348.2849', ['ltsc2022']],
    ['10.0.26100.2033', ['ltsc2022', 'ltsc2025']],
    ['10.0.17763.6293', ['ltsc2019']],
  ])('a %s host runs %j', (host, names) => {
    expect(releasesRunnableOn(host).map((r) => r.name)).toEqual(names);
  });
});
