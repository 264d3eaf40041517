/**
 * The corpus of real Windows (and hybrid) Dockerfile patterns, table-driven: per entry
 * and leg, parse and lint never throw, and the findings are exactly the expected ones
 * (no error where Docker builds a working image; the release mismatches found).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { formatFinding } from '@xplat/dockerfile';
import { BUILD_ON_LINUX_CORPUS } from './corpus/build-on-linux.js';
import { lintCorpusLeg, removeCorpusContexts } from './corpus/run.js';
import { CORPUS, type CorpusEntry } from './corpus/windows-dockerfiles.js';

afterAll(removeCorpusContexts);

function legRows(corpus: CorpusEntry[]) {
  return corpus.flatMap((entry) =>
    entry.legs.map((leg, i) => [entry.name, i + 1, leg.platform, entry, leg] as const),
  );
}

function hasSources(corpus: CorpusEntry[]): void {
  for (const entry of corpus) {
    expect([entry.name, entry.source]).toEqual([
      entry.name,
      expect.stringMatching(/^[\w.-]+\/[\w.-]+ \S/),
    ]);
    expect(entry.legs.length).toBeGreaterThan(0);
  }
  expect(new Set(corpus.map((e) => e.name)).size).toBe(corpus.length);
}

describe('the corpus of real Windows Dockerfile patterns', () => {
  it('has at least 30 patterns, each naming its source repository and path', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    hasSources(CORPUS);
  });

  it('has the build-on: linux patterns, each naming its source and with both kinds of Windows leg', () => {
    hasSources(BUILD_ON_LINUX_CORPUS);
    for (const entry of BUILD_ON_LINUX_CORPUS) {
      const windows = entry.legs.filter((l) => l.platform.startsWith('windows/'));
      if (windows.length === 0) continue;
      const kinds = new Set(
        windows.map((l) => l.options?.buildPlatform?.split('/')[0] ?? 'windows'),
      );
      expect([entry.name, [...kinds].sort()]).toEqual([entry.name, ['linux', 'windows']]);
    }
  });

  it.each([...legRows(CORPUS), ...legRows(BUILD_ON_LINUX_CORPUS)])(
    '%s (leg %i, %s)',
    async (_name, _i, _platform, entry, leg) => {
      const findings = await lintCorpusLeg(entry, leg);
      const got = findings.map((f) => [f.rule, f.line, f.severity]);
      // On a mismatch, show the messages too: they are what a user would read.
      if (JSON.stringify(got) !== JSON.stringify(leg.expected)) {
        expect(findings.map(formatFinding)).toEqual(leg.expected);
      }
      expect(got).toEqual(leg.expected);
      for (const f of findings) expect(f.message).not.toContain('\n');
    },
  );
});
