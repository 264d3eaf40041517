/**
 * Everything committed under .github/workflows, action-templates and the example passes
 * actionlint, GitHub's workflow parser and the action.yml input check with zero findings,
 * and every generated file among them is what the generator writes today.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../../test/run-action.js';
import { generateReusableWorkflow, REUSABLE_WORKFLOW_FILE } from '../src/reusable.js';
import { generateStarterWorkflow, STARTER_WORKFLOW_FILE } from '../src/starter.js';
import { generateWorkflow } from '../src/generate.js';
import { loadConfig } from '../src/index.js';
import { formatFindings, validateWorkflows, type Finding } from './validators.js';

const EXAMPLE = 'examples/hello-http';

function ymlFiles(dir: string): string[] {
  const abs = path.join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}

const committed = [
  ...ymlFiles('.github/workflows'),
  ...ymlFiles('action-templates'),
  ...ymlFiles(`${EXAMPLE}/.github/workflows`),
];
const read = (rel: string) => readFileSync(path.join(repoRoot, rel), 'utf8');

describe('committed workflows', () => {
  it('include ci, the reusable workflow, dogfood, the starter and the example', () => {
    expect(committed).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        REUSABLE_WORKFLOW_FILE,
        '.github/workflows/dogfood.yml',
        STARTER_WORKFLOW_FILE,
        `${EXAMPLE}/.github/workflows/xplat.yml`,
      ]),
    );
  });

  let findings: Map<string, Finding[]>;
  beforeAll(async () => {
    findings = await validateWorkflows(committed.map((file) => ({ file, text: read(file) })));
  });

  it.each(committed)('%s passes actionlint, the workflow parser and the action inputs', (file) => {
    expect(formatFindings(file, findings.get(file)!)).toBe('');
  });

  // A caller that pins the reusable workflow by SHA must get the actions of that commit:
  // `$/actions/<name>` (no ref to rewrite per release), and every third-party action
  // pinned by SHA with its version.
  it('the reusable workflow is what the generator writes: own actions by $/, the rest by SHA', () => {
    const text = read(REUSABLE_WORKFLOW_FILE);
    expect(text).toMatch(/^#\s+xplat generate --reusable --pin-actions$/m);
    expect(text).toBe(generateReusableWorkflow({ pinActions: true }));
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s+(\S+)(.*)$/gm)].map(
      (m): [string, string] => [m[1]!, m[2]!],
    );
    expect(uses.length).toBeGreaterThan(10);
    for (const [ref, rest] of uses)
      expect({ ref, rest }).toEqual(
        ref.startsWith('$/actions/')
          ? { ref, rest: '' }
          : {
              ref: expect.stringMatching(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/),
              rest: expect.stringMatching(/^ # v\d+\.\d+\.\d+$/),
            },
      );
  });

  it('the starter workflow is what the generator writes, and calls the reusable workflow', () => {
    const text = read(STARTER_WORKFLOW_FILE);
    const uses = /uses: ([\w.-]+\/[\w.-]+)\/\.github\/workflows\/xplat-reusable\.yml@(\S+)/.exec(
      text,
    );
    expect(uses).not.toBeNull();
    expect(text).toBe(generateStarterWorkflow({ uses: `${uses![1]}@${uses![2]}` }));
    expect(text).toContain('$default-branch');
  });

  it('the starter has the workflow-template properties GitHub reads', () => {
    const props = JSON.parse(read('action-templates/xplat.properties.json')) as Record<
      string,
      unknown
    >;
    expect(props).toMatchObject({
      name: expect.any(String),
      description: expect.any(String),
      iconName: expect.any(String),
      categories: expect.arrayContaining(['Dockerfile']),
    });
    const patterns = (props.filePatterns as string[]).map((p) => new RegExp(p));
    expect(patterns.some((p) => p.test('Dockerfile'))).toBe(true);
    expect(patterns.some((p) => p.test('Dockerfile.windows'))).toBe(true);
    expect(patterns.some((p) => p.test('README.md'))).toBe(false);
  });

  it("the example's workflow is generated from its xplat.yml", () => {
    const config = loadConfig(read(`${EXAMPLE}/xplat.yml`));
    expect(read(`${EXAMPLE}/.github/workflows/xplat.yml`)).toBe(generateWorkflow(config));
  });

  it('ci runs the tests script and checks the example workflow is not stale', () => {
    const ci = parse(read('.github/workflows/ci.yml')) as {
      jobs: Record<string, { steps: { run?: string }[] }>;
    };
    const runs = Object.values(ci.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));
    expect(runs).toContain('sudo -E env "PATH=$PATH" bash .ci/run');
    expect(runs.some((r) => r.includes(`generate --check --dir ${EXAMPLE}`))).toBe(true);
  });

  it('dogfood runs the example on all four hosted runner kinds and fuses on ghcr.io', () => {
    const text = read('.github/workflows/dogfood.yml');
    for (const runner of ['ubuntu-24.04', 'ubuntu-24.04-arm', 'windows-2022', 'windows-2025'])
      expect(text).toContain(`runs-on: ${runner}`);
    const dogfood = parse(text) as {
      jobs: Record<
        string,
        {
          services?: unknown;
          needs?: unknown;
          steps: { uses?: string; with?: Record<string, string> }[];
        }
      >;
    };
    expect(dogfood.jobs['local-registry']!.services).toBeDefined();
    expect([dogfood.jobs.fuse!.needs].flat()).toContain('build');
    const fuse = dogfood.jobs.fuse!.steps.find((s) => s.uses === './actions/fuse-manifest')!;
    expect(fuse.with!['expected-platforms']!.trim().split('\n')).toEqual([
      'linux/amd64',
      'linux/arm64',
      'windows/amd64:ltsc2022',
      'windows/amd64:ltsc2025',
    ]);
  });
});
