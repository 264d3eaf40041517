/**
 * Each action run the way GitHub's @github/local-action runs one: the toolkit
 * (@actions/core) is replaced by a stub, the action's main module is imported (which
 * must do nothing), and the run() it exports is called; what the step did is read back
 * from the stub. local-action itself is not a dependency (it pulls in a large tree):
 * this follows its contract (src/main.ts exports run(), src/index.ts only calls it; a
 * post step's src/post/main.ts the same), on the paths that need no engine or registry.
 * The bundles, run as the runner runs them, are the actions' integration tests.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { parse } from 'yaml';
import { writeLegResult, type LegResult } from '@xplat/core';
import { legResult } from '../packages/core/test/fixtures.js';
import { repoRoot } from './run-action.js';

/** What the step did, as the stubbed toolkit saw it. */
const step = {
  inputs: {} as Record<string, string>,
  state: {} as Record<string, string>,
  read: [] as string[],
  outputs: {} as Record<string, string>,
  failed: [] as string[],
  secrets: [] as string[],
  warnings: [] as string[],
  info: [] as string[],
  summary: '',
};

function reset(inputs: Record<string, string> = {}, state: Record<string, string> = {}): void {
  Object.assign(step, {
    inputs,
    state,
    read: [],
    outputs: {},
    failed: [],
    secrets: [],
    warnings: [],
    info: [],
    summary: '',
  });
}

const summary = {
  addRaw(text: string) {
    step.summary += text;
    return summary;
  },
  write: async () => summary,
};

jest.unstable_mockModule('@actions/core', () => ({
  getInput: (name: string) => {
    step.read.push(name);
    return (step.inputs[name] ?? '').trim();
  },
  setOutput: (name: string, value: unknown) => {
    step.outputs[name] = String(value);
  },
  setFailed: (message: string | Error) => step.failed.push(String(message)),
  setSecret: (secret: string) => step.secrets.push(secret),
  saveState: (name: string, value: unknown) => {
    step.state[name] = String(value);
  },
  getState: (name: string) => step.state[name] ?? '',
  exportVariable: () => undefined,
  debug: () => undefined,
  info: (message: string) => step.info.push(message),
  notice: () => undefined,
  warning: (message: string | Error) => step.warnings.push(String(message)),
  error: () => undefined,
  group: async <T>(_title: string, fn: () => Promise<T>) => fn(),
  isDebug: () => false,
  summary,
}));

type Run = () => Promise<void>;
const load = async (entry: string): Promise<Run> => {
  const module = (await import(`../actions/${entry}.js`)) as { run: Run };
  // Importing did nothing: no input read, no output, no failure.
  expect(step.read).toEqual([]);
  expect(step.failed).toEqual([]);
  return module.run;
};

/** The input names of an action's action.yml. */
const declared = (action: string): string[] =>
  Object.keys(
    (
      parse(readFileSync(path.join(repoRoot, 'actions', action, 'action.yml'), 'utf8')) as {
        inputs: Record<string, unknown>;
      }
    ).inputs,
  ).sort();

const env = { ...process.env };
let workspace = '';

beforeEach(async () => {
  reset();
  workspace = await mkdtemp(path.join(os.tmpdir(), 'xplat-contract-'));
  await writeFile(path.join(workspace, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  for (const key of Object.keys(process.env))
    if (/^(GITHUB_|RUNNER_|INPUT_|STATE_)/.test(key)) delete process.env[key];
  process.env.GITHUB_WORKSPACE = workspace;
  process.env.RUNNER_TEMP = workspace;
});

afterEach(() => {
  process.env = { ...env };
  process.exitCode = 0;
});

async function legFile(smoke: LegResult['smoke']): Promise<string> {
  const file = path.join(workspace, 'legs', 'linux-amd64.json');
  await writeLegResult(file, legResult({ smoke }));
  return file;
}

describe('the action contract (run() exported from main, the toolkit stubbed)', () => {
  it.each([
    ['build-platform-image', { image: 'Org/App', platform: 'linux/amd64' }, /^image: .*lowercase/],
    [
      'setup-crossplatform-builder',
      { platforms: 'linux/sparc' },
      /^platforms: .*architecture "sparc" is not known/,
    ],
    [
      'smoke-test',
      { 'result-file': 'leg.json', skip: 'true' },
      /^skip: "true" is not a reason: say why the smoke test is skipped/,
    ],
    [
      'fuse-manifest',
      { tags: '1.2.3' },
      /^image: is required: the repository the index goes to, e.g. ghcr.io\/org\/app$/,
    ],
  ])(
    '%s reads every input of its action.yml and fails naming the bad one',
    async (action, inputs, error) => {
      const run = await load(`${action}/src/main`);
      reset(inputs);
      await run();
      expect([...new Set(step.read)].sort()).toEqual(declared(action));
      expect(step.failed).toHaveLength(1);
      expect(step.failed[0]).toMatch(error);
      expect(step.outputs).toEqual({});
    },
  );

  it('setup-crossplatform-builder masks the TLS key, line by line, before anything else', async () => {
    const run = await load('setup-crossplatform-builder/src/main');
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----';
    reset({ platforms: 'linux/sparc', 'tls-key': key });
    await run();
    expect(step.secrets).toEqual([key, 'MIIEvQIBADANBgkq']);
    expect(step.failed).toHaveLength(1);
  });

  it('smoke-test: a skip sets its outputs and records the reason, and leaves no signal handler', async () => {
    const run = await load('smoke-test/src/main');
    const file = await legFile({ status: 'pending', checks: [] });
    const listeners = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    reset({ 'result-file': file, skip: 'no hosted ltsc2019 runner' });
    await run();
    expect(step.failed).toEqual([]);
    expect(step.outputs).toEqual({ passed: 'false', skipped: 'true' });
    expect(step.summary).toContain('**Reason:** no hosted ltsc2019 runner');
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(listeners);
  });

  it('fuse-manifest: a closed gate fails naming it, with the gate table in the summary, and masks the password', async () => {
    const run = await load('fuse-manifest/src/main');
    await legFile({ status: 'failed', checks: [], reason: 'no answer on port 8080' });
    reset({
      image: '127.0.0.1:5000/app',
      tags: '1.2.3',
      results: path.join(workspace, 'legs'),
      'expected-platforms': 'linux/amd64',
      username: 'ci',
      password: 'hunter2',
    });
    await run();
    expect(step.secrets).toContain('hunter2');
    expect(step.failed).toEqual([
      'expected-platforms: gate closed: 1 of 1 expected platforms did not pass: linux/amd64 failed (smoke test failed: no answer on port 8080)',
    ]);
    expect(step.summary).toContain('### xplat fuse: gate closed, nothing written');
    expect(step.summary).toContain('| `linux/amd64` | ❌ failed |');
    expect(step.outputs).toEqual({});
  });

  it('the post steps clean up nothing when main left no state, and never fail', async () => {
    const setupPost = await load('setup-crossplatform-builder/src/post/main');
    reset();
    await setupPost();
    expect(step.info).toEqual(['Nothing to clean up: this job reused or did not create a builder']);
    const smokePost = await load('smoke-test/src/post/main');
    reset();
    await smokePost();
    expect({ failed: step.failed, warnings: step.warnings }).toEqual({ failed: [], warnings: [] });
  });

  it.each([
    'build-platform-image',
    'fuse-manifest',
    'setup-crossplatform-builder',
    'smoke-test',
    'setup-crossplatform-builder/post',
    'smoke-test/post',
  ])('%s: src/index.ts only imports run() and calls it', (entry) => {
    const [action, post] = entry.split('/');
    const file = path.join(repoRoot, 'actions', action!, 'src', post ?? '', 'index.ts');
    expect(readFileSync(file, 'utf8')).toBe("import { run } from './main.js';\nawait run();\n");
  });
});
