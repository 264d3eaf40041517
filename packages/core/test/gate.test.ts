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

describe('evaluateGate with allow-untested', () => {
  const win2019 = (smoke: LegResult['smoke'], over: Partial<LegResult> = {}): LoadedLegResult =>
    leg('win2019.json', {
      platform: 'windows/amd64',
      osVersion: '10.0.17763.6293',
      digest: `sha256:${'e'.repeat(64)}`,
      smoke,
      ...over,
    });
  const skipped: LegResult['smoke'] = {
    status: 'skipped',
    checks: [],
    reason: 'no hosted ltsc2019 runner',
  };
  const EXPECTED = 'linux/amd64,windows/amd64:ltsc2019';

  // [name, allow-untested, the ltsc2019 leg, its verdict, its detail, gate open]
  it.each<[string, string, LoadedLegResult, string, string | RegExp, boolean]>([
    [
      'skipped and allowed: its own verdict, open',
      'windows/amd64:ltsc2019',
      win2019(skipped),
      'allowed-untested',
      'not tested: no hosted ltsc2019 runner',
      true,
    ],
    [
      'allowed by its os.version build, the same platform',
      'windows/amd64:10.0.17763',
      win2019(skipped),
      'allowed-untested',
      'not tested: no hosted ltsc2019 runner',
      true,
    ],
    [
      'skipped without a recorded reason, allowed',
      'windows/amd64:ltsc2019',
      win2019({ status: 'skipped', checks: [] }),
      'allowed-untested',
      'not tested: (no reason recorded)',
      true,
    ],
    [
      'skipped, not allowed: closed, saying how to allow it',
      '',
      win2019(skipped),
      'not-tested',
      /^smoke test skipped \(no hosted ltsc2019 runner\); to fuse it untested, give this platform smoke: \{ skip: "<reason>" \} in xplat\.yml or list it in allow-untested$/,
      false,
    ],
    [
      'skipped, another platform allowed',
      'linux/amd64',
      win2019(skipped),
      'not-tested',
      /allow-untested/,
      false,
    ],
    [
      'allowed but pending: the smoke job never ran',
      'windows/amd64:ltsc2019',
      win2019({ status: 'pending', checks: [] }),
      'not-tested',
      /^smoke test has not run \(allow-untested admits only a recorded skip/,
      false,
    ],
    [
      'allowed, but the smoke test ran and failed',
      'windows/amd64:ltsc2019',
      win2019({ status: 'failed', checks: [], reason: 'http probe: 500' }),
      'failed',
      'smoke test failed: http probe: 500',
      false,
    ],
    [
      'allowed, and the smoke test ran and passed',
      'windows/amd64:ltsc2019',
      win2019({ status: 'passed', checks: [] }),
      'passed',
      '',
      true,
    ],
    [
      'allowed and skipped, but never pushed',
      'windows/amd64:ltsc2019',
      win2019(skipped, { pushed: false }),
      'not-pushed',
      /push: false/,
      false,
    ],
  ])('%s', (_name, allow, winLeg, verdict, detail, open) => {
    const report = evaluateGate(parsePlatformList(EXPECTED), [amd64, winLeg], {
      allowUntested: parsePlatformList(allow, 'allow-untested'),
    });
    const row = report.rows.find((r) => r.platform === 'windows/amd64:ltsc2019')!;
    expect(row.verdict).toBe(verdict);
    if (typeof detail === 'string') expect(row.detail).toBe(detail);
    else expect(row.detail).toMatch(detail);
    expect(report.passed).toBe(open);
  });

  it('a missing platform stays missing however it is allowed', () => {
    const report = evaluateGate(parsePlatformList(EXPECTED), [amd64], {
      allowUntested: parsePlatformList('windows/amd64:ltsc2019'),
    });
    expect(report.rows[1]).toMatchObject({ verdict: 'missing' });
    expect(report.passed).toBe(false);
  });

  it.each<[string, string]>([
    [
      'windows/amd64:ltsc2022',
      'allow-untested: windows/amd64:ltsc2022 is not in expected-platforms (linux/amd64, windows/amd64:ltsc2019); list only platforms the index must contain',
    ],
    [
      'linux/arm64',
      'allow-untested: linux/arm64 is not in expected-platforms (linux/amd64, windows/amd64:ltsc2019)',
    ],
  ])('refuses %s, naming both lists', (allow, message) => {
    expect(() =>
      evaluateGate(parsePlatformList(EXPECTED), [amd64], {
        allowUntested: parsePlatformList(allow, 'allow-untested'),
      }),
    ).toThrow(message);
  });

  it('shows the allowed row as "not tested: <reason>" and leaves it out of a closed gate\'s line', () => {
    const report = evaluateGate(
      parsePlatformList(`${EXPECTED},linux/arm64`),
      [amd64, win2019(skipped)],
      { allowUntested: parsePlatformList('windows/amd64:ltsc2019') },
    );
    const table = renderGateTable(report).split('\n');
    expect(table[3]).toMatch(
      /^windows\/amd64:ltsc2019\s+allowed-untested\s+sha256:eeeeeeeeeeee\s+skipped\s+not tested: no hosted ltsc2019 runner$/,
    );
    expect(summariseGateFailure(report)).toBe(
      'gate closed: 1 of 3 expected platforms did not pass: linux/arm64 missing (no leg result for this platform)',
    );
  });
});
