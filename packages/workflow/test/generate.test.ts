/**
 * Generated workflows: goldens (UPDATE_GOLDEN=1 rewrites them), zero findings from
 * actionlint, GitHub's workflow parser and the action.yml input check, and the
 * properties the design promises (the gate, least privilege, no expressions in scripts).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generateWorkflow } from '../src/generate.js';
import { loadConfig } from '../src/index.js';
import { TEST_RELEASE } from './release-fixture.js';
import { formatFindings, validateWorkflows, type Finding } from './validators.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');
const goldens = path.join(here, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

const names = readdirSync(fixtures)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => f.replace(/\.yml$/, ''))
  .sort();

function generated(name: string): string {
  const text = readFileSync(path.join(fixtures, `${name}.yml`), 'utf8');
  // As a released xplat generates them: pin-actions pins xplat's own actions to its commit.
  return generateWorkflow(loadConfig(text, `${name}.yml`), { release: TEST_RELEASE });
}

/* eslint-disable @typescript-eslint/no-explicit-any -- walking parsed YAML */
type Workflow = Record<string, any>;

/** A value with `${{ matrix.x }}` replaced by the entry's x, as the runner expands it. */
function inMatrix(value: unknown, entry: Workflow): string {
  return String(value).replace(/\$\{\{ matrix\.([\w-]+) \}\}/g, (_m, key: string) =>
    String(entry[key] ?? ''),
  );
}

/** An artifact pattern (`xplat-leg-app--*`) as a regular expression. */
function globRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

describe('generated workflows', () => {
  it('cover the required kinds of xplat.yml', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'linux-only',
        'windows-only',
        'hybrid',
        'self-hosted',
        'qemu-arm64',
        'extra-tags',
        'side-by-side',
      ]),
    );
  });

  it.each(names)('%s matches its golden file', (name) => {
    const text = generated(name);
    const golden = path.join(goldens, `${name}.yml`);
    if (update || !existsSync(golden)) {
      mkdirSync(goldens, { recursive: true });
      writeFileSync(golden, text);
    }
    expect(text).toBe(readFileSync(golden, 'utf8'));
    // Deterministic: the same input gives the same bytes.
    expect(generated(name)).toBe(text);
  });

  let findings: Map<string, Finding[]>;
  beforeAll(async () => {
    findings = await validateWorkflows(
      names.map((name) => ({ file: `${name}.yml`, text: generated(name) })),
    );
  });

  it.each(names)('%s passes actionlint, the workflow parser and the action inputs', (name) => {
    expect(formatFindings(`${name}.yml`, findings.get(`${name}.yml`)!)).toBe('');
  });

  it.each(names)('%s gates each fuse on every platform of its image', (name) => {
    const config = loadConfig(readFileSync(path.join(fixtures, `${name}.yml`), 'utf8'));
    const workflow = parse(generated(name)) as Workflow;
    const build = workflow.jobs.build;
    const fuse = workflow.jobs.fuse;
    const legs: Workflow[] = build.strategy.matrix.include;

    // One leg per configured image and platform; every leg reports (no fail-fast).
    const imageOf = (entry: Workflow) => entry.image ?? config.images[0]!.name;
    expect(legs.map((l) => `${imageOf(l)} ${l.platform}`)).toEqual(
      config.images.flatMap((i) => i.legs.map((l) => `${i.name} ${l.name}`)),
    );
    expect(build.strategy['fail-fast']).toBe(false);

    // The fuse job waits for the whole matrix and runs even when a leg failed, so the
    // gate reports it; it does not run when the workflow was cancelled.
    expect([fuse.needs].flat()).toContain('build');
    expect(fuse.if).toContain('!cancelled()');

    const step = (steps: Workflow[], uses: RegExp): Workflow => {
      const found = steps.find((s) => uses.test(String(s.uses)));
      expect(found).toBeDefined();
      return found!;
    };
    // Each fuse (one per image, or the one job) sees exactly its image's leg results: the
    // artifact every leg uploads matches its own image's download pattern and no other's.
    const fuses: Workflow[] = fuse.strategy?.matrix.include ?? [{}];
    expect(fuses).toHaveLength(config.images.length);
    const upload = step(build.steps, /upload-artifact/);
    expect(upload.if).toContain('always()');
    const fuseStep = step(fuse.steps, /fuse-manifest/);
    const download = step(fuse.steps, /download-artifact/);
    expect(fuseStep.with.results).toBe(download.with.path);
    fuses.forEach((entry, k) => {
      const image = config.images[k]!;
      expect(imageOf(entry)).toBe(image.name);
      const expected = String(inMatrix(fuseStep.with['expected-platforms'], entry))
        .trim()
        .split('\n');
      expect(expected).toEqual(image.legs.map((l) => l.name));
      expect(inMatrix(fuseStep.with.image, entry)).toBe(image.image);
      const pattern = globRegExp(inMatrix(download.with.pattern, entry));
      const mine = legs.filter((l) => pattern.test(inMatrix(upload.with.name, l)));
      expect(mine.map((l) => `${imageOf(l)} ${l.platform}`)).toEqual(
        image.legs.map((l) => `${image.name} ${l.name}`),
      );
    });

    // The smoke test runs the image the build made and records into its leg result.
    const smoke = step(build.steps, /smoke-test/);
    expect(smoke.with.image).toBe('${{ steps.build.outputs.ref }}');
    expect(smoke.with['result-file']).toBe('${{ steps.build.outputs.result-file }}');

    // A matrix job's outputs would be its last leg's: only one image has outputs.
    expect(fuse.outputs).toEqual(
      config.several
        ? undefined
        : { digest: '${{ steps.fuse.outputs.digest }}', ref: '${{ steps.fuse.outputs.ref }}' },
    );
  });

  it.each(names)('%s keeps least privilege and no expressions in scripts', (name) => {
    const text = generated(name);
    const workflow = parse(text) as Workflow;
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.concurrency.group).toContain('${{ github.ref }}');
    for (const [id, job] of Object.entries(workflow.jobs) as [string, Workflow][]) {
      expect(job.permissions.contents).toBe('read');
      const writes = Object.keys(job.permissions).filter((k) => job.permissions[k] !== 'read');
      // Only the fuse and promote jobs attest: the OIDC token and the attestation write are theirs alone.
      const allowed =
        id === 'fuse' || id === 'promote' ? ['packages', 'id-token', 'attestations'] : ['packages'];
      expect(writes.filter((k) => !allowed.includes(k))).toEqual([]);
      for (const s of job.steps as Workflow[]) {
        if (s.run !== undefined) expect(String(s.run)).not.toContain('${{');
      }
    }
    expect(text.startsWith('# Generated by xplat')).toBe(true);
  });

  it('asks for packages: write only when pushing to ghcr.io with GITHUB_TOKEN', () => {
    const perms = (name: string) => {
      const workflow = parse(generated(name)) as Workflow;
      return [workflow.jobs.build.permissions, workflow.jobs.fuse.permissions];
    };
    const attest = { 'id-token': 'write', attestations: 'write' };
    expect(perms('linux-only')).toEqual([
      { contents: 'read', packages: 'write' },
      { contents: 'read', packages: 'write', ...attest },
    ]);
    expect(perms('self-hosted')).toEqual([{ contents: 'read' }, { contents: 'read', ...attest }]);
  });

  it('pins third-party actions by full commit SHA only when asked', () => {
    const uses = (name: string) =>
      [...generated(name).matchAll(/uses: (\S+)/g)]
        .map((m) => m[1]!)
        .filter((u) => !u.includes('/actions/'));
    for (const u of uses('hybrid')) expect(u).toMatch(/@[0-9a-f]{40}$/);
    for (const u of uses('linux-only')) expect(u).toMatch(/@v\d+$/);
    expect(generated('hybrid')).toMatch(/actions\/checkout@[0-9a-f]{40} # v\d+\.\d+\.\d+\n/);
  });

  it('refers to xplat actions as the config says', () => {
    expect(generated('linux-only')).toContain(
      'uses: xplat-dev/xplat/actions/build-platform-image@v1',
    );
    expect(generated('extra-tags')).toContain('uses: acme/xplat/actions/fuse-manifest@v1.2.0');
  });

  it('skips pushing and fusing on pull requests, and has no pull_request trigger when told', () => {
    const linux = parse(generated('linux-only')) as Workflow;
    expect(Object.keys(linux.on)).toEqual(['push', 'pull_request', 'workflow_dispatch']);
    expect(linux.jobs.fuse.if).toContain("github.event_name != 'pull_request'");
    const tags = parse(generated('extra-tags')) as Workflow;
    expect(Object.keys(tags.on)).toEqual(['push', 'workflow_dispatch', 'schedule']);
    expect(tags.jobs.fuse.if).toBe('${{ !cancelled() }}');
  });
});
