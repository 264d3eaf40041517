/**
 * Every bad input, through the bundles as users run them, with an unreachable engine and
 * a registry that only counts connections: refused in one line naming the input, flag,
 * file or field; the exit code the contract says; no stack trace, no hang, no injected
 * workflow command, nothing written, and neither the engine nor the registry asked.
 */
import { describe, expect, test } from '@jest/globals';
import {
  buildCases,
  cliCases,
  configCases,
  fuseCases,
  setupCases,
  smokeCases,
} from './bad-input-cases.js';
import { problemsOf, runAll, type BadInputCase } from './bad-input-harness.js';

const groups: [string, BadInputCase[]][] = [
  ['build-platform-image', buildCases],
  ['setup-crossplatform-builder', setupCases],
  ['smoke-test', smokeCases],
  ['fuse-manifest', fuseCases],
  ['the CLI: flags', cliCases],
  ['the CLI: xplat.yml', configCases],
];

const label = (c: BadInputCase): string => {
  const what = c.target === 'cli' ? (c.args ?? []).join(' ') : JSON.stringify(c.inputs);
  return `${c.target} ${what.length > 160 ? `${what.slice(0, 160)}…` : what}`;
};

describe('bad inputs are refused before any work', () => {
  test('at least 200 cases across the four actions and the CLI', () => {
    const total = groups.reduce((n, [, cases]) => n + cases.length, 0);
    expect(total).toBeGreaterThanOrEqual(200);
  });

  test.each(groups)(
    '%s',
    async (_name, cases) => {
      const runs = await runAll(cases, 3);
      const failures = runs
        .map((run, i) => ({ case: label(cases[i]!), problems: problemsOf(cases[i]!, run) }))
        .filter((f) => f.problems.length)
        .map((f) => `${f.case} => ${f.problems.join(' | ')}`);
      expect(failures).toEqual([]);
    },
    900_000,
  );
});
