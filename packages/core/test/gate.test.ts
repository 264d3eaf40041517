import { describe, expect, it } from '@jest/globals';
import {
  evaluateGate,
  parsePlatformList,
  renderGateTable,
  summariseGateFailure,
  type LegResult,
  type LoadedLegResult,
} from '../src/index.js';
import { legResult } from './fixtures.js';

const leg = (file: string, overrides: Partial<LegResult>): LoadedLegResult => ({
  file,
  result: legResult(overrides),
});
const amd64 = leg('amd64.json', { platform: 'linux/amd64' });
const arm64 = leg('arm64.json', { platform: 'linux/arm64/v8', digest: `sha256:${'b'.repeat(64)}` });
const win2022 = leg('win2022.json', {
  platform: 'windows/amd64',
  osVersion: '10.0.20348.2655',
  digest: `sha256:${'c'.repeat(64)}`,
});
const win2025 = leg('win2025.json', {
  platform: 'windows/amd64',
  osVersion: '10.0.26100.1742',
  digest: `sha256:${'d'.repeat(64)}`,
});
const failed = (l: LoadedLegResult): LoadedLegResult => ({
  ...l,
  result: { ...l.result, smoke: { status: 'failed', checks: [], reason: 'http probe: 500' } },
});

const ALL = 'linux/amd64,linux/arm64,windows/amd64:ltsc2022,windows/amd64:ltsc2025';

describe('evaluateGate', () => {
  it.each<[string, string, LoadedLegResult[], Record<string, string>]>([
    ['all four passed', ALL, [amd64, arm64, win2022, win2025], {}],
    ['a platform missing', ALL, [amd64, arm64, win2022], { 'windows/amd64:ltsc2025': 'missing' }],
    ['a smoke failure', ALL, [amd64, failed(arm64), win2022, win2025], { 'linux/arm64': 'failed' }],
    [
      'smoke pending and skipped',
      'linux/amd64,linux/arm64',
      [
        leg('a.json', { smoke: { status: 'pending', checks: [] } }),
        { ...arm64, result: { ...arm64.result, smoke: { status: 'skipped', checks: [] } } },
      ],
      { 'linux/amd64': 'not-tested', 'linux/arm64': 'not-tested' },
    ],
    [
      'not pushed',
      'linux/amd64',
      [leg('a.json', { pushed: false })],
      { 'linux/amd64': 'not-pushed' },
    ],
    [
      'two legs for one platform',
      'linux/amd64',
      [amd64, leg('again.json', {})],
      { 'linux/amd64': 'duplicate' },
    ],
    [
      'a Windows leg of the wrong release',
      'windows/amd64:ltsc2022',
      [win2025],
      { 'windows/amd64:ltsc2022': 'missing' },
    ],
  ])('%s', (_name, expected, legs, failures) => {
    const report = evaluateGate(parsePlatformList(expected), legs);
    const verdicts = Object.fromEntries(
      report.rows.filter((r) => r.verdict !== 'passed').map((r) => [r.platform, r.verdict]),
    );
    expect(verdicts).toEqual(failures);
    expect(report.passed).toBe(Object.keys(failures).length === 0);
  });

  it('reports legs nobody expected without letting them in', () => {
    const report = evaluateGate(parsePlatformList('linux/amd64'), [amd64, arm64]);
    expect(report.passed).toBe(true);
    expect(report.unexpected.map((l) => l.file)).toEqual(['arm64.json']);
    expect(renderGateTable(report)).toContain('unexpected');
  });

  it('refuses an empty or repeated expectation', () => {
    expect(() => evaluateGate([], [amd64])).toThrow('expected-platforms: no platforms given');
    expect(() => evaluateGate(parsePlatformList('linux/arm64,linux/arm64/v8'), [arm64])).toThrow(
      'expected-platforms: linux/arm64 is listed twice',
    );
  });

  it('explains a closed gate in one line and a table', () => {
    const report = evaluateGate(parsePlatformList(ALL), [amd64, failed(arm64), win2022]);
    expect(summariseGateFailure(report)).toBe(
      'gate closed: 2 of 4 expected platforms did not pass: linux/arm64 failed (smoke test failed: http probe: 500); windows/amd64:ltsc2025 missing (no leg result for this platform)',
    );
    const table = renderGateTable(report).split('\n');
    expect(table[0]).toMatch(/^platform\s+verdict\s+digest\s+smoke\s+detail$/);
    expect(table).toHaveLength(6);
    expect(table[3]).toMatch(/^linux\/arm64\s+failed\s+sha256:bbbbbbbbbbbb\s+failed/);
  });
});
