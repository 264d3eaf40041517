/**
 * Every action.yml against what GitHub accepts (test/github-action-metadata.ts, with its
 * source): a Marketplace badge GitHub can show, a runtime it runs. setup-crossplatform-
 * builder's `tool` icon was refused by the Marketplace (Feather has it; GitHub omits it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { glob } from 'tinyglobby';
import { parse } from 'yaml';
import {
  BRANDING_COLORS,
  BRANDING_ICONS,
  OMITTED_ICONS,
  RUNS_USING,
} from './github-action-metadata.js';
import { repoRoot } from './run-action.js';

interface ActionMetadata {
  branding?: { icon?: unknown; color?: unknown };
  runs?: { using?: unknown };
}

const files = glob(['**/action.yml', '**/action.yaml'], {
  cwd: repoRoot,
  ignore: ['**/node_modules/**', 'dist/**'],
}).then((found) => found.sort());

/** What is wrong with an action's metadata, one line each; none when GitHub takes it. */
function problems(meta: ActionMetadata): string[] {
  const out: string[] = [];
  const icon = meta.branding?.icon;
  const color = meta.branding?.color;
  if (typeof icon !== 'string') out.push('branding.icon is missing');
  else if (OMITTED_ICONS.includes(icon))
    out.push(`branding.icon "${icon}" is a Feather icon GitHub omits`);
  else if (!BRANDING_ICONS.includes(icon))
    out.push(`branding.icon "${icon}" is not one of GitHub's icons`);
  if (typeof color !== 'string') out.push('branding.color is missing');
  else if (!(BRANDING_COLORS as readonly string[]).includes(color))
    out.push(`branding.color "${color}" is not one of ${BRANDING_COLORS.join(', ')}`);
  const using = meta.runs?.using;
  const all: readonly string[] = Object.values(RUNS_USING).flat();
  if (typeof using !== 'string' || !all.includes(using))
    out.push(`runs.using "${String(using)}" is not one of ${all.join(', ')}`);
  return out;
}

describe('action.yml against GitHub', () => {
  it('finds every action of the repository', async () => {
    expect(await files).toEqual([
      'actions/build-platform-image/action.yml',
      'actions/fuse-manifest/action.yml',
      'actions/setup-crossplatform-builder/action.yml',
      'actions/smoke-test/action.yml',
    ]);
  });

  it('every action has a badge GitHub accepts and a runtime it runs', async () => {
    const found: Record<string, string[]> = {};
    for (const file of await files)
      found[file] = problems(parse(readFileSync(path.join(repoRoot, file), 'utf8')));
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((f) => [f, []])));
  });

  // Node 20 is past its end of life; GitHub runs JavaScript actions on Node 24.
  it('every JavaScript action runs on node24', async () => {
    for (const file of await files) {
      const using = (parse(readFileSync(path.join(repoRoot, file), 'utf8')) as ActionMetadata).runs
        ?.using;
      if ((RUNS_USING.javascript as readonly unknown[]).includes(using))
        expect({ file, using }).toEqual({ file, using: 'node24' });
    }
  });

  it.each<[string, ActionMetadata, string[]]>([
    [
      'a Feather icon GitHub omits',
      { branding: { icon: 'tool', color: 'blue' }, runs: { using: 'node24' } },
      ['branding.icon "tool" is a Feather icon GitHub omits'],
    ],
    [
      'an icon that is no Feather icon',
      { branding: { icon: 'rocket', color: 'blue' }, runs: { using: 'node24' } },
      [`branding.icon "rocket" is not one of GitHub's icons`],
    ],
    [
      'a color outside the list, a runtime GitHub dropped',
      { branding: { icon: 'package', color: 'gray' }, runs: { using: 'node16' } },
      [
        'branding.color "gray" is not one of white, black, yellow, blue, green, orange, red, purple, gray-dark',
        'runs.using "node16" is not one of node20, node24, composite, docker',
      ],
    ],
    [
      'no branding',
      { runs: { using: 'composite' } },
      ['branding.icon is missing', 'branding.color is missing'],
    ],
    [
      'a badge and runtime GitHub takes',
      { branding: { icon: 'settings', color: 'gray-dark' }, runs: { using: 'docker' } },
      [],
    ],
  ])('the check finds %s', (_, meta, expected) => {
    expect(problems(meta)).toEqual(expected);
  });
});
