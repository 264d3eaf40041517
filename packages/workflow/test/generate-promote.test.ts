/**
 * The promote path of generated workflows, evaluated per event with GitHub's own
 * expression evaluator: which jobs and steps run on a branch push, on a tag push whose
 * commit has an index (promoted: the build, smoke and fuse are skipped), on a tag push
 * without one (built as before), after a refused promote (nothing runs), and for pull
 * requests; several images are promoted all or none. (actionlint, the workflow parser and
 * the goldens cover the same files.)
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generateWorkflow } from '../src/generate.js';
import { loadConfig } from '../src/index.js';
import { expand, runs, type ExpressionContext } from './expressions.js';
import { TEST_RELEASE } from './release-fixture.js';
import { validateWorkflow } from './validators.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/* eslint-disable @typescript-eslint/no-explicit-any -- walking parsed YAML */
type Workflow = Record<string, any>;

// As a released xplat generates them: pin-actions pins xplat's own actions to its commit.
const fromFixture = (name: string) =>
  generateWorkflow(loadConfig(readFileSync(path.join(fixtures, `${name}.yml`), 'utf8')), {
    release: TEST_RELEASE,
  });
const workflowOf = (text: string) => parse(text) as Workflow;

const SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
type Promote = 'skipped' | 'promoted' | 'nothing found' | 'refused';

/** The contexts of one run: its event, and how the promote job (if it ran) ended. */
function run(event: string, refType: 'branch' | 'tag', promote: Promote): ExpressionContext {
  const result = promote === 'skipped' ? 'skipped' : promote === 'refused' ? 'failure' : 'success';
  const promoted = promote === 'promoted' ? 'true' : promote === 'nothing found' ? 'false' : '';
  return {
    github: { event_name: event, ref_type: refType, sha: SHA },
    needs: { promote: { result, outputs: promote === 'skipped' ? {} : { promoted } } },
  };
}

/** Which of promote, build and fuse run, the build's result feeding the fuse's condition. */
function jobsThatRun(workflow: Workflow, context: ExpressionContext): string[] {
  const ran: string[] = [];
  const promote = runs(workflow.jobs.promote.if, context);
  if (promote) ran.push('promote');
  const build = runs(workflow.jobs.build.if, context);
  if (build) ran.push('build');
  const after = { ...context, needs: { build: { result: build ? 'success' : 'skipped' } } };
  if (workflow.jobs.smoke && runs(workflow.jobs.smoke.if, after)) ran.push('smoke');
  if (runs(workflow.jobs.fuse.if, after)) ran.push('fuse');
  return ran;
}

describe('the promote path, per event', () => {
  const workflow = workflowOf(fromFixture('build-on-linux'));

  it.each<[string, string, 'branch' | 'tag', Promote, string[]]>([
    ['a branch push', 'push', 'branch', 'skipped', ['build', 'smoke', 'fuse']],
    ['a tag push whose commit has its index', 'push', 'tag', 'promoted', ['promote']],
    [
      'a tag push on a commit never built',
      'push',
      'tag',
      'nothing found',
      ['promote', 'build', 'smoke', 'fuse'],
    ],
    ['a tag push whose index is refused', 'push', 'tag', 'refused', ['promote']],
    ['a pull request', 'pull_request', 'branch', 'skipped', ['build']],
    ['a manual run on a tag', 'workflow_dispatch', 'tag', 'promoted', ['promote']],
  ])('%s: %j run', (_name, event, refType, promote, expected) => {
    const context = run(event, refType, promote);
    // The promote job runs exactly on tags, whatever it then finds.
    expect(runs(workflow.jobs.promote.if, context)).toBe(refType === 'tag');
    expect(jobsThatRun(workflow, context)).toEqual(expected);
  });

  it('the build waits for the promote job; smoke and fuse need the build to have run', () => {
    expect(workflow.jobs.build.needs).toBe('promote');
    expect(workflow.jobs.smoke.needs).toBe('build');
    expect(workflow.jobs.fuse.needs).toEqual(['build', 'smoke']);
  });
});

describe('the promote job', () => {
  const workflow = workflowOf(fromFixture('hybrid'));
  const job = workflow.jobs.promote;
  const step = (id: string) => (job.steps as Workflow[]).find((s) => s.id === id)!;

  it('finds the index by the commit tag and checks it against the commit, then tags it', () => {
    expect(step('commit-tag').with.tags).toBe('type=sha,prefix=sha-,suffix=');
    const context = {
      steps: {
        'commit-tag': { outputs: { tags: 'ghcr.io/acme/hybrid:sha-1a2b3c4' } },
        tags: { outputs: { tags: 'ghcr.io/acme/hybrid:1.4.0\nghcr.io/acme/hybrid:1.4' } },
        mutable: { outputs: { tags: 'ghcr.io/acme/hybrid:1.4' } },
      },
      github: { sha: SHA, actor: 'octocat' },
      secrets: { GITHUB_TOKEN: 't' },
    };
    const inputs = Object.fromEntries(
      Object.entries(step('promote').with as Record<string, string>).map(([k, v]) => [
        k,
        expand(v, context),
      ]),
    );
    expect(inputs).toEqual({
      image: 'ghcr.io/acme/hybrid',
      'promote-from': 'ghcr.io/acme/hybrid:sha-1a2b3c4',
      'promote-revision': SHA,
      'promote-missing': 'skip',
      tags: 'ghcr.io/acme/hybrid:1.4.0\nghcr.io/acme/hybrid:1.4',
      'mutable-tags': 'ghcr.io/acme/hybrid:1.4',
      'expected-platforms':
        'linux/amd64\nlinux/arm64\nwindows/amd64:ltsc2022\nwindows/amd64:ltsc2025\n',
      username: 'octocat',
      password: 't',
    });
  });

  it.each<[string, string, boolean]>([
    ['promoted', 'true', true],
    ['nothing found', 'false', false],
  ])('%s: the job says promoted=%s, and renews the attestation only then', (_n, value, attests) => {
    const context = { steps: { promote: { outputs: { promoted: value, digest: 'sha256:1' } } } };
    expect(expand(job.outputs.promoted, context)).toBe(value);
    const attest = (job.steps as Workflow[]).find((s) =>
      String(s.uses).startsWith('actions/attest-build-provenance@'),
    )!;
    expect(runs(attest.if, context)).toBe(attests);
    expect(expand(attest.with['subject-digest'], context)).toBe('sha256:1');
    expect(job.permissions).toMatchObject({ 'id-token': 'write', attestations: 'write' });
  });

  it('every step output an expression reads comes from an earlier step', () => {
    const seen = new Set<string>();
    for (const s of job.steps as Workflow[]) {
      const text = JSON.stringify(s);
      for (const [, id] of text.matchAll(/steps\.([\w-]+)\.outputs/g)) expect(seen).toContain(id);
      if (s.id) seen.add(s.id);
    }
    expect([...seen]).toEqual(['commit-tag', 'tags', 'mutable', 'promote']);
  });
});

const TWO_IMAGES = `
triggers: { branches: [main], tags: ['v*'] }
images:
  - name: api
    image: ghcr.io/acme/api
    platforms: [linux/amd64, windows/amd64:ltsc2022]
  - name: worker
    image: quay.io/acme/worker
    registry: { username: acme+ci, password-secret: QUAY_TOKEN }
    platforms: [linux/amd64]
`;

describe('several images: all promoted, or none', () => {
  const text = generateWorkflow(loadConfig(TWO_IMAGES));
  const job = workflowOf(text).jobs.promote;
  const promoteSteps = (job.steps as Workflow[]).filter((s) => /^promote-/.test(s.id ?? ''));

  it.each<[string, Record<string, string>, boolean]>([
    ['both indexes found and checked', { api: 'true', worker: 'true' }, true],
    ['one missing', { api: 'true', worker: 'false' }, false],
    ['none', { api: 'false', worker: 'false' }, false],
  ])('%s: tags written %s', (_name, found, written) => {
    const steps: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(found))
      steps[`find-${name}`] = { outputs: { promoted: value } };
    expect(promoteSteps.map((s) => s.id)).toEqual(['promote-api', 'promote-worker']);
    for (const s of promoteSteps) expect(runs(s.if, { steps })).toBe(written);
    // The job's output: true only when every image was promoted.
    const after = Object.fromEntries(
      Object.keys(found).map((n) => [
        `promote-${n}`,
        { outputs: written ? { promoted: 'true' } : {} },
      ]),
    );
    expect(expand(job.outputs.promoted, { steps: { ...steps, ...after } })).toBe(String(written));
  });

  it('the find steps are dry runs; each image logs in with its own credentials', () => {
    const finds = (job.steps as Workflow[]).filter((s) => /^find-/.test(s.id ?? ''));
    expect(finds.map((s) => [s.id, s.with['dry-run'], s.with.username])).toEqual([
      ['find-api', 'true', '${{ github.actor }}'],
      ['find-worker', 'true', 'acme+ci'],
    ]);
    expect(
      (job.steps as Workflow[]).filter((s) => String(s.uses).startsWith('docker/login-action@'))
        .length,
    ).toBe(2);
  });

  it('passes actionlint, the workflow parser and the action-input check with no finding', async () => {
    expect(await validateWorkflow(text, 'images.yml')).toEqual([]);
  });
});

describe('no promote path', () => {
  it.each<[string, string]>([
    [
      'no tag pushes',
      'image: ghcr.io/acme/app\nplatforms: [linux/amd64]\ntriggers: { branches: [main], tags: [] }\n',
    ],
    [
      'no commit tag to find an index by',
      "image: ghcr.io/acme/app\nplatforms: [linux/amd64]\ntags: ['{version}', latest]\n",
    ],
  ])('%s: no promote job, the build as before', (_name, yml) => {
    const workflow = workflowOf(generateWorkflow(loadConfig(yml)));
    expect(workflow.jobs.promote).toBeUndefined();
    expect(workflow.jobs.build.needs).toBeUndefined();
    expect(workflow.jobs.build.if).toBeUndefined();
    expect(workflow.jobs.fuse.if).toBe(
      "${{ !cancelled() && github.event_name != 'pull_request' }}",
    );
  });

  it('attest: false: the promote job has no attestation and no OIDC token', () => {
    const job = workflowOf(
      generateWorkflow(
        loadConfig('image: ghcr.io/acme/app\nplatforms: [linux/amd64]\nattest: false\n'),
      ),
    ).jobs.promote;
    expect(job.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(JSON.stringify(job.steps)).not.toContain('attest-build-provenance');
  });
});
