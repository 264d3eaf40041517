/**
 * What each leg of a generated workflow does, evaluated per matrix entry as the runner
 * would: the Windows images built on Linux and their smoke job, the skipped smoke tests
 * the gate accepts, the prepare: steps each leg runs, and each image's registry login.
 * (The goldens, actionlint and the workflow parser cover these fixtures too.)
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generateWorkflow } from '../src/generate.js';
import { loadConfig } from '../src/index.js';
import { expand as expandIn, runs, type ExpressionContext } from './expressions.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/* eslint-disable @typescript-eslint/no-explicit-any -- walking parsed YAML */
type Workflow = Record<string, any>;

function workflowOf(name: string): Workflow {
  const text = readFileSync(path.join(fixtures, `${name}.yml`), 'utf8');
  return parse(generateWorkflow(loadConfig(text))) as Workflow;
}

interface Context {
  readonly matrix: Workflow;
  readonly event?: string;
  readonly secrets?: Record<string, string>;
}

/** The contexts a generated expression reads, as the runner fills them for one leg. */
function contexts(ctx: Context): ExpressionContext {
  return {
    matrix: ctx.matrix,
    github: { event_name: ctx.event ?? 'push', actor: 'octocat' },
    secrets: ctx.secrets ?? {},
    // The build job ran (a branch push: no promote).
    needs: { build: { result: 'success' }, promote: { result: 'skipped', outputs: {} } },
    // Every earlier step ran and wrote its outputs.
    steps: { build: { outputs: { 'result-file': 'leg.json', ref: 'repo@sha256:1' } } },
    runner: { temp: '/runner/temp' },
  };
}

const evaluate = (expression: string, ctx: Context): boolean => runs(expression, contexts(ctx));
const expand = (value: unknown, ctx: Context): string => expandIn(value, contexts(ctx));

/** The steps of a job that run for one context (no `if`, or an `if` that holds). */
function stepsFor(job: Workflow, ctx: Context): Workflow[] {
  return (job.steps as Workflow[]).filter((s) => s.if === undefined || evaluate(s.if, ctx));
}

describe('Windows images built on Linux', () => {
  const workflow = workflowOf('build-on-linux');
  const legs: Workflow[] = workflow.jobs.build.strategy.matrix.include;
  const leg = (platform: string) => legs.find((l) => l.platform === platform)!;

  it('builds every Windows release on ubuntu-24.04', () => {
    expect(legs.map((l) => [l.platform, l['runs-on']])).toEqual([
      ['linux/amd64', 'ubuntu-24.04'],
      ['linux/arm64', 'ubuntu-24.04-arm'],
      ['windows/amd64:ltsc2019', 'ubuntu-24.04'],
      ['windows/amd64:ltsc2022', 'ubuntu-24.04'],
      ['windows/amd64:ltsc2025', 'ubuntu-24.04'],
    ]);
  });

  it('smoke-tests each on a runner of its release in a job of its own, from its leg result', () => {
    const smoke = workflow.jobs.smoke;
    expect(smoke.needs).toBe('build');
    expect(evaluate(smoke.if, { matrix: {} })).toBe(true);
    expect(evaluate(smoke.if, { matrix: {}, event: 'pull_request' })).toBe(false);
    const entries: Workflow[] = smoke.strategy.matrix.include;
    expect(entries.map((e) => [e.platform, e['runs-on']])).toEqual([
      ['windows/amd64:ltsc2022', 'windows-2022'],
      ['windows/amd64:ltsc2025', ['self-hosted', 'windows', 'ltsc2025']],
    ]);
    const buildUpload = stepsFor(workflow.jobs.build, {
      matrix: leg('windows/amd64:ltsc2022'),
    }).find((s) => /upload-artifact/.test(s.uses))!;
    for (const entry of entries) {
      const ctx = { matrix: entry };
      const [download, , test, upload] = stepsFor(smoke, ctx);
      const artifact = expand(buildUpload.with.name, { matrix: leg(entry.platform) });
      // It downloads what the build leg uploaded, tests the digest in it (no image
      // input: smoke-test takes repo@digest from the leg result) and uploads it again.
      expect(expand(download!.with.name, ctx)).toBe(artifact);
      expect(test!.uses).toMatch(/smoke-test/);
      expect(test!.with.image).toBeUndefined();
      expect(expand(test!.with['result-file'], ctx)).toBe(
        `${expand(download!.with.path, ctx)}/${entry.pair}.json`,
      );
      expect(upload!.with.overwrite).toBe(true);
      expect(expand(upload!.with.name, ctx)).toBe(artifact);
      expect(test!.with.command).toBe('C:\\csi-node-driver-registrar.exe --version');
    }
  });

  it('smoke-tests the others in the build job, recording the skipped one', () => {
    const smokeStep = (platform: string) =>
      stepsFor(workflow.jobs.build, { matrix: leg(platform) }).find((s) =>
        /smoke-test/.test(s.uses),
      );
    expect(smokeStep('windows/amd64:ltsc2022')).toBeUndefined();
    expect(smokeStep('windows/amd64:ltsc2025')).toBeUndefined();
    expect(expand(smokeStep('linux/arm64')!.with.skip, { matrix: leg('linux/arm64') })).toBe('');
    const ltsc2019 = leg('windows/amd64:ltsc2019');
    expect(expand(smokeStep('windows/amd64:ltsc2019')!.with.skip, { matrix: ltsc2019 })).toBe(
      'no GitHub-hosted ltsc2019 runner',
    );
  });

  it('fuses after both jobs, accepting only the skipped platform untested', () => {
    const fuse = workflow.jobs.fuse;
    expect(fuse.needs).toEqual(['build', 'smoke']);
    const step = (fuse.steps as Workflow[]).find((s) => /fuse-manifest/.test(s.uses))!;
    expect(step.with['allow-untested']).toBe('windows/amd64:ltsc2019');
  });

  it('runs prepare: with the platform of each leg, in the Linux job of a Windows leg', () => {
    for (const entry of legs) {
      const prepare = stepsFor(workflow.jobs.build, { matrix: entry }).filter((s) =>
        String(s.name).startsWith('Prepare'),
      );
      expect(prepare.map((s) => s.run)).toEqual([
        'make build BUILD_PLATFORMS="$TARGETOS $TARGETARCH"',
      ]);
      const env = Object.fromEntries(
        Object.entries(prepare[0]!.env as Record<string, string>).map(([k, v]) => [
          k,
          expand(v, { matrix: entry }),
        ]),
      );
      const [os, arch] = String(entry.platform).split(/[/:]/);
      expect(env).toEqual({
        TARGETOS: os,
        TARGETARCH: arch,
        TARGETVARIANT: entry.platform === 'linux/arm64' ? 'v8' : '',
        XPLAT_PLATFORM: entry.platform,
      });
    }
  });
});

describe('several images', () => {
  const workflow = workflowOf('images');
  const legs: Workflow[] = workflow.jobs.build.strategy.matrix.include;
  const prepared = (entry: Workflow) =>
    stepsFor(workflow.jobs.build, { matrix: entry })
      .filter((s) => s.name === undefined || !/^(Log in|Set up|Build|Smoke)/.test(s.name))
      .filter((s) => !/checkout|upload-artifact/.test(String(s.uses)))
      .map((s) => s.run ?? s.uses);

  it('runs each leg its own image prepare steps, then its OS family ones', () => {
    expect(legs.map((l) => [`${l.image} ${l.platform}`, prepared(l)])).toEqual([
      [
        'controller-manager linux/amd64',
        ['make bin/azure-cloud-controller-manager ARCH=$TARGETARCH'],
      ],
      [
        'controller-manager linux/arm64',
        ['make bin/azure-cloud-controller-manager ARCH=$TARGETARCH'],
      ],
      ['node-manager linux/amd64', ['actions/setup-go@v6']],
      ['node-manager linux/arm64', ['actions/setup-go@v6']],
      [
        'node-manager windows/amd64:ltsc2022',
        ['actions/setup-go@v6', 'make bin/azure-cloud-node-manager.exe ARCH=$TARGETARCH'],
      ],
      [
        'node-manager windows/amd64:ltsc2019',
        ['actions/setup-go@v6', 'make bin/azure-cloud-node-manager.exe ARCH=$TARGETARCH'],
      ],
      ['health-probe-proxy linux/amd64', ['actions/setup-go@v6']],
      ['node-manager-hpc windows/amd64:ltsc2022', ['actions/setup-go@v6']],
    ]);
  });

  it('logs each leg in to its own registry, and only outside pull requests', () => {
    const logins = (entry: Workflow, event = 'push') =>
      stepsFor(workflow.jobs.build, { matrix: entry, event })
        .filter((s) => /login-action/.test(s.uses))
        .map((s) => s.with.registry);
    for (const entry of legs)
      expect(logins(entry)).toEqual([entry.image === 'health-probe-proxy' ? 'quay.io' : 'ghcr.io']);
    expect(logins(legs[0]!, 'pull_request')).toEqual([]);
  });

  it("hands each image's fuse that image's credentials", () => {
    const fuse = workflow.jobs.fuse;
    const step = (fuse.steps as Workflow[]).find((s) => /fuse-manifest/.test(s.uses))!;
    const secrets = {
      GITHUB_TOKEN: 'gh-token',
      REGISTRY_USERNAME: 'robot',
      REGISTRY_PASSWORD: 'pw',
    };
    const creds = (fuse.strategy.matrix.include as Workflow[]).map((entry) => [
      entry.image,
      expand(step.with.username, { matrix: entry, secrets }),
      expand(step.with.password, { matrix: entry, secrets }),
    ]);
    expect(creds).toEqual([
      ['controller-manager', 'octocat', 'gh-token'],
      ['node-manager', 'octocat', 'gh-token'],
      ['health-probe-proxy', 'robot', 'pw'],
      ['node-manager-hpc', 'octocat', 'gh-token'],
    ]);
  });

  it('tags each image as its own tags: say, and skips the tag steps of an image without', () => {
    const fuse = workflow.jobs.fuse;
    const entry = (name: string) =>
      (fuse.strategy.matrix.include as Workflow[]).find((e) => e.image === name)!;
    const tags = (name: string) =>
      stepsFor(fuse, { matrix: entry(name) })
        .filter((s) => /metadata-action/.test(s.uses))
        .map((s) => [
          s.id,
          expand(s.with.tags, { matrix: entry(name) })
            .trim()
            .split('\n'),
        ]);
    expect(tags('health-probe-proxy')).toEqual([
      [
        'tags',
        ['type=semver,pattern={{version}}', 'type=raw,value=latest,enable={{is_default_branch}}'],
      ],
      ['mutable', ['type=raw,value=latest,enable={{is_default_branch}}']],
    ]);
    expect(tags('node-manager')[0]![1]).toHaveLength(5);
  });
});
