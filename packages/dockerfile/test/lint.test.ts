import { afterAll, describe, expect, it } from '@jest/globals';
import { formatFinding, hostOsVersionForRunner, lintDockerfile } from '@xplat/dockerfile';
import { LINT_RULES } from '../src/lint/rules.js';
import { fixturePath, multiOs, native } from './helpers.js';
import { LINT_CASES, lintCase, removeContexts } from './lint-cases.js';

afterAll(removeContexts);

const WIN = 'windows/amd64:ltsc2022';

describe('lint rules: a failing and a passing fixture each', () => {
  it('covers every rule in LINT_RULES, each with both', () => {
    expect(Object.keys(LINT_CASES).sort()).toEqual(LINT_RULES.map((r) => r.id).sort());
    for (const [id, cases] of Object.entries(LINT_CASES)) {
      expect([id, cases.some((c) => c.expected.length > 0)]).toEqual([id, true]);
      expect([id, cases.some((c) => c.expected.length === 0)]).toEqual([id, true]);
    }
  });

  const rows = Object.entries(LINT_CASES).flatMap(([rule, cases]) =>
    cases.map((c) => [rule, c.name, c] as const),
  );
  it.each(rows)('%s: %s', async (rule, _name, c) => {
    const findings = (await lintCase(c)).filter((f) => f.rule === rule);
    expect(findings.map((f) => [f.line, f.severity])).toEqual(c.expected);
    if (c.message) expect(findings[0]?.message).toMatch(c.message);
    for (const f of findings) {
      expect(f.file).toBe('Dockerfile');
      expect(f.message).not.toContain('\n');
    }
  });
});

describe('lint on the multi-OS pattern', () => {
  it('is clean for linux/amd64 and linux/arm64', async () => {
    const parsed = multiOs();
    const contextDir = fixturePath('multi-os');
    expect(await lintDockerfile(parsed, { ...native('linux/amd64'), contextDir })).toEqual([]);
    expect(
      await lintDockerfile(parsed, {
        ...native('linux/arm64'),
        buildPlatform: native('linux/amd64').platform,
        contextDir,
      }),
    ).toEqual([]);
  });

  it('warns on windows-2022 that the Windows build stage pulls an unpinned release', async () => {
    const findings = await lintDockerfile(multiOs(), {
      ...native(WIN),
      runner: 'windows-2022',
      contextDir: fixturePath('multi-os'),
    });
    expect(findings.map(formatFinding)).toEqual([
      'Dockerfile:8: warning XP002: the tag of Windows base image "golang:1.23" names no Windows release, so each host pulls whichever release it matches; pin one in the tag, e.g. golang:1.23-nanoserver-ltsc2022, or a digest; the release comes from ARG BUILD_IMAGE (now "golang:1.23"): set it for this leg, build-args: { BUILD_IMAGE: "golang:1.23-nanoserver-ltsc2022" } on this platform in xplat.yml (--build-arg BUILD_IMAGE=golang:1.23-nanoserver-ltsc2022)',
    ]);
  });

  it('fails an ltsc2025 leg whose final base is ltsc2022', async () => {
    const findings = await lintDockerfile(multiOs(), {
      ...native('windows/amd64:ltsc2025'),
      runner: 'windows-2025',
    });
    expect(findings.map((f) => [f.rule, f.line, f.severity])).toEqual([
      ['XP002', 8, 'warning'],
      ['XP004', 22, 'error'],
    ]);
  });
});

describe('runner facts', () => {
  it.each([
    ['windows-2022', '10.0.20348'],
    ['windows-2025', '10.0.26100'],
    ['windows-latest', '10.0.26100'],
    ['windows-2019', undefined],
    ['ubuntu-24.04', undefined],
  ])('%s -> %s', (runner, build) => {
    expect(hostOsVersionForRunner(runner)).toBe(build);
  });
});

describe('formatFinding', () => {
  it('writes file:line: severity rule: message', () => {
    expect(
      formatFinding({
        rule: 'XP003',
        severity: 'error',
        message: 'fix it',
        file: 'app/Dockerfile',
        line: 12,
      }),
    ).toBe('app/Dockerfile:12: error XP003: fix it');
  });
});
