/**
 * The corpus of real Windows (and hybrid) Dockerfile patterns, table-driven: per entry
 * and leg, parse and lint never throw, and the findings are exactly the expected ones
 * (no error where Docker builds a working image; the release mismatches found).
 */
import { describe, expect, it } from '@jest/globals';
import { parsePlatform } from '@xplat/core';
import {
  formatFinding,
  lintDockerfile,
  parseDockerfile,
  type LintOptions,
} from '@xplat/dockerfile';
import { CORPUS } from './corpus/windows-dockerfiles.js';

describe('the corpus of real Windows Dockerfile patterns', () => {
  it('has at least 30 patterns, each naming its source repository and path', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    for (const entry of CORPUS) {
      expect([entry.name, entry.source]).toEqual([
        entry.name,
        expect.stringMatching(/^[\w.-]+\/[\w.-]+ \S/),
      ]);
      expect(entry.legs.length).toBeGreaterThan(0);
    }
    expect(new Set(CORPUS.map((e) => e.name)).size).toBe(CORPUS.length);
  });

  const rows = CORPUS.flatMap((entry) =>
    entry.legs.map((leg, i) => [entry.name, i + 1, leg.platform, entry, leg] as const),
  );

  it.each(rows)('%s (leg %i, %s)', async (_name, _i, _platform, entry, leg) => {
    const text = `${entry.lines.join('\n')}\n`;
    const parsed = parseDockerfile({ file: 'Dockerfile', text });
    const platform = parsePlatform(leg.platform);
    const { buildPlatform, ...rest } = leg.options ?? {};
    const options: LintOptions = {
      platform,
      buildPlatform: buildPlatform ? parsePlatform(buildPlatform) : platform,
      ...rest,
    };
    const findings = await lintDockerfile(parsed, options);
    const got = findings.map((f) => [f.rule, f.line, f.severity]);
    // On a mismatch, show the messages too: they are what a user would read.
    if (JSON.stringify(got) !== JSON.stringify(leg.expected)) {
      expect(findings.map(formatFinding)).toEqual(leg.expected);
    }
    expect(got).toEqual(leg.expected);
    for (const f of findings) expect(f.message).not.toContain('\n');
  });
});
