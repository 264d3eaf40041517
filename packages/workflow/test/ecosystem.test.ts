/**
 * Ecosystem currency: every third-party action a generated or committed workflow uses is
 * in the action table at its Node 24 major (or a newer one, as Dependabot writes it);
 * Dependabot's bumps are not drift for `generate --check`; the fuse job attests the index
 * with least privilege on pushes and never on pull requests.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { repoRoot } from '../../../test/run-action.js';
import { expand, runs } from './expressions.js';
import { ACTION_PINS, type ActionPin, actionPinFor, DEFAULT_XPLAT_USES } from '../src/pins.js';
import {
  allLegs,
  checkRendered,
  dependabotSuggestion,
  loadConfig,
  renderTarget,
  writeRendered,
  XPLAT_REPOSITORY,
} from '../src/index.js';
import { attestationSubject } from '../src/generate-steps.js';
import { generateReusableWorkflow } from '../src/reusable.js';
import { generateStarterWorkflow } from '../src/starter.js';
import { generateWorkflow } from '../src/generate.js';
import { isNewerVersion, keepNewerActions, parseActionVersion } from '../src/dependabot.js';
import { TEST_RELEASE } from './release-fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');
const fixtureNames = readdirSync(fixtures)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => f.replace(/\.yml$/, ''));
const generated = (name: string, extra = '', pinActions?: boolean): string => {
  const config = loadConfig(
    readFileSync(path.join(fixtures, `${name}.yml`), 'utf8') + extra,
    `${name}.yml`,
  );
  // A release of the repository the fixture takes xplat's actions from (a fork's own, for
  // a fixture that names one), so pin-actions can pin them.
  const from = config.actions;
  const release =
    from.kind === 'remote'
      ? {
          ...TEST_RELEASE,
          repository: from.repository,
          version: /^v\d+\.\d+\.\d+$/.test(from.ref) ? from.ref : `${from.ref}.0.0`,
        }
      : TEST_RELEASE;
  return generateWorkflow(pinActions === undefined ? config : { ...config, pinActions }, {
    release,
  });
};

function ymlFiles(dir: string): string[] {
  const abs = path.join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`);
}
const committedFiles = [
  ...ymlFiles('.github/workflows'),
  ...ymlFiles('action-templates'),
  ...ymlFiles('examples/hello-http/.github/workflows'),
];

/* eslint-disable @typescript-eslint/no-explicit-any -- walking parsed YAML */
type Workflow = Record<string, any>;

/** `uses:` values with their `# comment`, from the text (YAML parsing drops comments). */
function usesOf(text: string): { uses: string; comment: string | undefined }[] {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s+(\S+)(?:\s+#\s*(\S+))?\s*$/gm)].map((m) => ({
    uses: m[1]!,
    comment: m[2],
  }));
}

/** Problems of one `uses:` against the action table; xplat's own actions and local ones pass. */
function tableProblem(uses: string, comment: string | undefined): string | undefined {
  if (uses.startsWith('./') || uses.startsWith('$/')) return undefined;
  if (/^[\w.-]+\/xplat\/(actions\/[\w-]+|\.github\/workflows\/xplat-reusable\.yml)@/.test(uses))
    return undefined;
  const at = uses.indexOf('@');
  const pin = actionPinFor(uses.slice(0, at));
  if (!pin) return `${uses}: not in the action table (packages/workflow/src/pins.ts)`;
  const ref = uses.slice(at + 1);
  if (/^[0-9a-f]{40}$/.test(ref)) {
    if (ref !== pin.sha || comment !== pin.version)
      return `${uses} # ${comment}: not the table's pin ${pin.sha} # ${pin.version}`;
    return undefined;
  }
  if (ref !== pin.major) return `${uses}: the table's major is ${pin.major}`;
  return undefined;
}

describe('the action table', () => {
  it('has a Node 24 major, a release of that major and a full SHA for every emitted action', () => {
    for (const p of Object.values(ACTION_PINS) as ActionPin[]) {
      expect(p.major).toMatch(/^v\d+$/);
      expect(p.version === p.major || p.version.startsWith(`${p.major}.`)).toBe(true);
      if (p.sha !== undefined) expect(p.sha).toMatch(/^[0-9a-f]{40}$/);
    }
    // The Node 24 majors (runs.using: node24), checked against each action's release notes.
    expect(
      Object.fromEntries(
        (Object.values(ACTION_PINS) as ActionPin[]).map((p) => [p.repository, p.major]),
      ),
    ).toEqual({
      'actions/checkout': 'v6',
      'actions/upload-artifact': 'v6',
      'actions/download-artifact': 'v7',
      'docker/login-action': 'v4',
      'docker/metadata-action': 'v6',
      'actions/attest-build-provenance': 'v4',
      'actions/setup-node': 'v6',
    });
  });

  it('is the table the README shows', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const p of Object.values(ACTION_PINS) as ActionPin[]) {
      if (!p.sha) continue;
      expect(readme).toMatch(
        new RegExp(
          `\\| \`${p.repository}\` +\\| ${p.major} +\\| \`${p.sha} # ${p.version.replaceAll('.', '\\.')}\``,
        ),
      );
    }
  });

  it('names xplat by one constant', () => {
    expect(DEFAULT_XPLAT_USES).toBe(`${XPLAT_REPOSITORY}@v1`);
  });

  it.each(fixtureNames)('covers every action the %s workflow uses, pinned or not', (name) => {
    // The prepare: steps' actions are the user's own, written as xplat.yml names them.
    const own = new Set(
      allLegs(loadConfig(readFileSync(path.join(fixtures, `${name}.yml`), 'utf8')))
        .flatMap((l) => l.prepare)
        .map((p) => p.uses),
    );
    for (const text of [generated(name, '', false), generated(name, '', true)]) {
      const problems = usesOf(text)
        .filter((u) => !own.has(u.uses))
        .map((u) => tableProblem(u.uses, u.comment))
        .filter(Boolean);
      expect(problems).toEqual([]);
    }
  });

  it('covers every action of the reusable and the starter workflow, pinned or not', () => {
    for (const text of [
      generateReusableWorkflow(),
      generateReusableWorkflow({ pinActions: true }),
      generateStarterWorkflow(),
    ]) {
      const problems = usesOf(text)
        .map((u) => tableProblem(u.uses, u.comment))
        .filter(Boolean);
      expect(problems).toEqual([]);
    }
  });

  it.each(committedFiles)('covers every action %s uses', (file) => {
    const text = readFileSync(path.join(repoRoot, file), 'utf8');
    const problems = usesOf(text)
      .map((u) => tableProblem(u.uses, u.comment))
      .filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('a workflow with an action that is not in the table fails the check', () => {
    expect(tableProblem('actions/cache@v5', undefined)).toContain('not in the action table');
    expect(tableProblem('actions/checkout@v4', undefined)).toContain("the table's major is v6");
  });
});

describe('Dependabot-safe generate', () => {
  it('compares versions at the precision both have', () => {
    expect(parseActionVersion('v6')).toEqual([6]);
    expect(parseActionVersion('v6.0.2')).toEqual([6, 0, 2]);
    expect(parseActionVersion('main')).toBeUndefined();
    expect(isNewerVersion([7], [6])).toBe(true);
    expect(isNewerVersion([6, 1, 0], [6, 0, 2])).toBe(true);
    expect(isNewerVersion([6, 1, 0], [6])).toBe(false);
    expect(isNewerVersion([5], [6])).toBe(false);
    expect(isNewerVersion([6], [6])).toBe(false);
  });

  const setup = async (pin: boolean) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-dependabot-'));
    writeFileSync(
      path.join(dir, 'xplat.yml'),
      `image: ghcr.io/acme/app\nplatforms: [linux/amd64, windows/amd64:ltsc2022]\n${pin ? 'pin-actions: true\n' : ''}`,
    );
    await writeRendered(await renderTarget({ kind: 'workflow', dir, release: TEST_RELEASE }));
    const file = path.join(dir, '.github/workflows/xplat.yml');
    const edit = async (fn: (text: string) => string) =>
      writeFile(file, fn(await readFile(file, 'utf8')));
    const check = async () =>
      checkRendered(await renderTarget({ kind: 'workflow', dir, release: TEST_RELEASE }));
    return { dir, file, edit, check };
  };

  it('a major bumped the way Dependabot does is not drift, and generate keeps it', async () => {
    const { dir, file, edit, check } = await setup(false);
    expect((await check()).upToDate).toBe(true);
    await edit((t) => t.replaceAll('actions/checkout@v6', 'actions/checkout@v7'));
    const result = await check();
    expect(result.diff).toBe('');
    expect(result.upToDate).toBe(true);

    const rendered = await renderTarget({ kind: 'workflow', dir, release: TEST_RELEASE });
    expect(rendered.kept).toEqual([
      { repository: 'actions/checkout', generated: 'v6', kept: 'v7' },
    ]);
    await writeRendered(rendered);
    expect(await readFile(file, 'utf8')).toContain('uses: actions/checkout@v7\n');
    expect(await readFile(file, 'utf8')).not.toContain('actions/checkout@v6');
  });

  it('an older version, another action or any other change is still drift', async () => {
    const older = await setup(false);
    await older.edit((t) => t.replaceAll('actions/checkout@v6', 'actions/checkout@v5'));
    expect((await older.check()).diff).toContain('-      - uses: actions/checkout@v5');

    const other = await setup(false);
    await other.edit((t) => t.replaceAll('actions/checkout@v6', 'acme/checkout@v7'));
    expect((await other.check()).upToDate).toBe(false);

    const branch = await setup(false);
    await branch.edit((t) => t.replaceAll('actions/checkout@v6', 'actions/checkout@main'));
    expect((await branch.check()).upToDate).toBe(false);

    const both = await setup(false);
    await both.edit((t) =>
      t
        .replaceAll('actions/checkout@v6', 'actions/checkout@v7')
        .replace('timeout-minutes: 60', 'timeout-minutes: 30'),
    );
    const result = await both.check();
    expect(result.upToDate).toBe(false);
    expect(result.diff).toContain('-    timeout-minutes: 30\n+    timeout-minutes: 60');
    expect(result.diff).not.toContain('checkout');
  });

  it('a SHA pin bumped with its version comment is not drift; an unexplained SHA is', async () => {
    const pin = ACTION_PINS.downloadArtifact;
    const newer = 'f'.repeat(40);
    const bumped = await setup(true);
    await bumped.edit((t) =>
      t.replace(
        `actions/download-artifact@${pin.sha} # ${pin.version}`,
        `actions/download-artifact@${newer} # v7.1.0`,
      ),
    );
    expect((await bumped.check()).upToDate).toBe(true);

    const silent = await setup(true);
    await silent.edit((t) =>
      t.replace(
        `actions/download-artifact@${pin.sha} # ${pin.version}`,
        `actions/download-artifact@${newer}`,
      ),
    );
    expect((await silent.check()).upToDate).toBe(false);

    // A tag where xplat pins a SHA is another ref style, not a bump.
    const tag = await setup(true);
    await tag.edit((t) =>
      t.replace(
        `actions/download-artifact@${pin.sha} # ${pin.version}`,
        'actions/download-artifact@v8',
      ),
    );
    expect((await tag.check()).upToDate).toBe(false);
  });

  it("xplat's own pin bumped within its major is kept; another major or an older release is drift", async () => {
    const ours = `xplat-dev/xplat/actions/fuse-manifest@${TEST_RELEASE.commit} # v1.4.2`;
    const bump = (to: string) => async () => {
      const s = await setup(true);
      await s.edit((t) => t.replaceAll(ours, to));
      return s.check();
    };
    const newer = `xplat-dev/xplat/actions/fuse-manifest@${'e'.repeat(40)} # v1.5.0`;
    const kept = await bump(newer)();
    expect(kept.diff).toBe('');
    expect(kept.upToDate).toBe(true);
    for (const drift of [
      `xplat-dev/xplat/actions/fuse-manifest@${'e'.repeat(40)} # v2.0.0`,
      `xplat-dev/xplat/actions/fuse-manifest@${'e'.repeat(40)} # v1.3.0`,
      `xplat-dev/xplat/actions/fuse-manifest@${'e'.repeat(40)}`,
      'xplat-dev/xplat/actions/fuse-manifest@v1',
      `acme/xplat/actions/fuse-manifest@${'e'.repeat(40)} # v1.5.0`,
    ])
      expect({ drift, upToDate: (await bump(drift)()).upToDate }).toEqual({
        drift,
        upToDate: false,
      });
  });

  it('pairs occurrences in order, so one bumped step of several is kept where it is', () => {
    const ours =
      'a:\n  - uses: docker/metadata-action@v6\nb:\n  - uses: docker/metadata-action@v6\n';
    const theirs =
      'a:\n  - uses: docker/metadata-action@v6\nb:\n  - uses: docker/metadata-action@v7\n';
    expect(keepNewerActions(ours, theirs).text).toBe(theirs);
  });

  it("init suggests a Dependabot config for the workflow's actions", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-dependabot-init-'));
    const suggestion = await dependabotSuggestion(dir);
    expect(suggestion).toContain('.github/dependabot.yml');
    expect(parse(suggestion!.slice(suggestion!.indexOf('version: 2')))).toEqual({
      version: 2,
      updates: [
        { 'package-ecosystem': 'github-actions', directory: '/', schedule: { interval: 'weekly' } },
      ],
    });
    const github = path.join(dir, '.github');
    await import('node:fs/promises').then((fs) => fs.mkdir(github));
    writeFileSync(
      path.join(github, 'dependabot.yml'),
      'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: daily}\n',
    );
    expect(await dependabotSuggestion(dir)).toContain('add this entry under updates:');
    writeFileSync(
      path.join(github, 'dependabot.yml'),
      'version: 2\nupdates:\n  - package-ecosystem: "github-actions"\n    directory: /\n    schedule: {interval: daily}\n',
    );
    expect(await dependabotSuggestion(dir)).toBeUndefined();
  });
});

describe('the attested index', () => {
  const attestStep = (job: Workflow) =>
    (job.steps as Workflow[]).find((s) =>
      String(s.uses).startsWith('actions/attest-build-provenance@'),
    );

  it.each(fixtureNames)('%s: the fuse job attests the index with least privilege', (name) => {
    const workflow = parse(generated(name)) as Workflow;
    const { build, fuse } = workflow.jobs;
    const step = attestStep(fuse);
    expect(step).toBeDefined();
    const config = loadConfig(readFileSync(path.join(fixtures, `${name}.yml`), 'utf8'));
    // One fuse per image (a matrix when there are several): each attests its own index.
    const entries: Workflow[] = fuse.strategy?.matrix.include ?? [{}];
    expect(entries.map((matrix) => expand(step!.with['subject-name'], { matrix }))).toEqual(
      config.images.map((i) => attestationSubject(i.image)),
    );
    expect(step!.with).toMatchObject({
      'subject-digest': '${{ steps.fuse.outputs.digest }}',
      'push-to-registry': true,
    });
    // After the fuse step (only a passed gate gives a digest), after a registry login
    // when xplat logs in (the attestation is pushed next to the index).
    const steps = fuse.steps as Workflow[];
    const at = steps.indexOf(step!);
    expect(steps.findIndex((s) => s.id === 'fuse')).toBeLessThan(at);
    if (
      workflow.jobs.build.steps.some((s: Workflow) =>
        String(s.uses).startsWith('docker/login-action@'),
      )
    )
      expect(String(steps[at - 1]!.uses)).toMatch(/^docker\/login-action@/);
    // id-token and attestations: write on the fuse job only; never workflow-wide.
    expect(fuse.permissions['id-token']).toBe('write');
    expect(fuse.permissions.attestations).toBe('write');
    expect(build.permissions['id-token']).toBeUndefined();
    expect(build.permissions.attestations).toBeUndefined();
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('a pull-request run does not attest; a push does', () => {
    const workflow = parse(generated('linux-only')) as Workflow;
    const fuse = workflow.jobs.fuse;
    const step = attestStep(fuse)!;
    const context = (event: string) => ({
      github: { event_name: event },
      needs: { build: { result: 'success' } },
    });
    const on = (event: string) => runs(fuse.if, context(event)) && runs(step.if, context(event));
    expect(Object.keys(workflow.on)).toContain('pull_request');
    expect(on('pull_request')).toBe(false);
    expect(on('push')).toBe(true);
    expect(on('workflow_dispatch')).toBe(true);
  });

  it('attest: false leaves the step and its permissions out', () => {
    const workflow = parse(generated('linux-only', '\nattest: false\n')) as Workflow;
    expect(attestStep(workflow.jobs.fuse)).toBeUndefined();
    expect(workflow.jobs.fuse.permissions).toEqual({ contents: 'read', packages: 'write' });
    // Without the attestation the fuse job needs no registry login of its own.
    expect(
      (workflow.jobs.fuse.steps as Workflow[]).some((s) =>
        String(s.uses).startsWith('docker/login-action@'),
      ),
    ).toBe(false);
  });

  it('names Docker Hub images as index.docker.io', () => {
    expect(attestationSubject('acme/app')).toBe('index.docker.io/acme/app');
    expect(attestationSubject('docker.io/acme/app')).toBe('index.docker.io/acme/app');
    expect(attestationSubject('ghcr.io/acme/app')).toBe('ghcr.io/acme/app');
  });

  it('the reusable workflow attests with the attest input, never for pull requests', () => {
    const workflow = parse(generateReusableWorkflow()) as Workflow;
    const inputs = workflow.on.workflow_call.inputs;
    expect(inputs.attest).toMatchObject({ type: 'boolean', default: true });
    const fuse = workflow.jobs.fuse;
    const step = attestStep(fuse)!;
    expect(step.with['subject-name']).toBe('${{ needs.plan.outputs.subject }}');
    expect(fuse.permissions).toEqual({
      contents: 'read',
      packages: 'write',
      'id-token': 'write',
      attestations: 'write',
    });
    expect(workflow.jobs.build.permissions['id-token']).toBeUndefined();
    const when = (event: string, attest: boolean) => {
      const ctx = {
        github: { event_name: event },
        inputs: { push: true, attest },
        needs: { plan: { result: 'success' } },
      };
      return runs(fuse.if, ctx) && runs(step.if, ctx);
    };
    expect(when('push', true)).toBe(true);
    expect(when('push', false)).toBe(false);
    expect(when('pull_request', true)).toBe(false);
    // The starter grants what the called workflow's fuse job asks for.
    const starter = parse(generateStarterWorkflow()) as Workflow;
    expect(starter.jobs.image.permissions).toMatchObject({
      'id-token': 'write',
      attestations: 'write',
    });
  });
});
