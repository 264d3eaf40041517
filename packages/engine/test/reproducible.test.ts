/**
 * Image times from the commit: where SOURCE_DATE_EPOCH comes from (real git repositories
 * in temporary folders), how far each builder makes a rebuild give the same digest, and
 * the commands and config that follow. Plans: the hosts are HostFacts, nothing is built.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parsePlatform, silentLogger } from '@xplat/core';
import { type HostFacts, parseBuildInputs, prepareBuild } from '@xplat/engine';
import { planReproducible } from '../src/platform-image/reproducible.js';
import { type SourceDate, sourceDateOf } from '../src/platform-image/source-date.js';
import { planBuild, type BuildSpec } from '../src/platform-image/build-plan.js';
import { selectBuilder } from '../src/platform-image/builders.js';
import { parsePorcelain } from '../src/platform-image/source-date.js';
import { gitRepo } from '../../../test/git-repo.js';
import { cli2010, ubuntu2404, ubuntuWithBuilder, windows2022 } from './hosts.js';

const EPOCH = 1_764_151_200; // 2025-11-26T10:00:00Z
const FILES = {
  'app/Dockerfile': 'FROM busybox\nCOPY hello.txt /\n',
  'app/hello.txt': 'hello\n',
  'docs/notes.md': 'not in the build context\n',
  '.gitignore': 'build/\n',
};

async function writeIn(dir: string, file: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), 'x');
}

describe('SOURCE_DATE_EPOCH: the commit time, unless the context is not the commit', () => {
  test.each<[string, (dir: string) => Promise<unknown>, Partial<SourceDate>]>([
    ['a clean checkout: the commit time', async () => {}, { from: 'commit', epoch: EPOCH }],
    [
      'a change outside the context does not count',
      (dir) => writeFile(path.join(dir, 'docs/notes.md'), 'edited\n'),
      { from: 'commit', epoch: EPOCH },
    ],
    [
      'an ignored file does not count',
      (dir) => writeIn(dir, 'app/build/out.bin'),
      { from: 'commit', epoch: EPOCH },
    ],
    [
      "xplat's own state folder does not count",
      (dir) => writeIn(dir, 'app/.xplat/runs/1/log'),
      { from: 'commit', epoch: EPOCH },
    ],
    [
      'a modified file in the context: the clock, naming it',
      (dir) => writeFile(path.join(dir, 'app/hello.txt'), 'hello, world\n'),
      {
        from: 'clock',
        reason: 'uncommitted changes in the build context (git status): hello.txt',
      },
    ],
    [
      'an untracked file in the context: the clock',
      (dir) => writeFile(path.join(dir, 'app/new.txt'), 'new\n'),
      { from: 'clock', reason: 'uncommitted changes in the build context (git status): new.txt' },
    ],
  ])('%s', async (_name, change, expected) => {
    const repo = await gitRepo(FILES, EPOCH);
    await change(repo.dir);
    const date = await sourceDateOf({
      context: path.join(repo.dir, 'app'),
      file: path.join(repo.dir, 'app/Dockerfile'),
      env: {},
    });
    expect(date).toEqual(expected);
  });

  test('a Dockerfile outside the context counts too', async () => {
    const repo = await gitRepo({ ...FILES, 'Dockerfile.app': 'FROM busybox\n' }, EPOCH);
    await writeFile(path.join(repo.dir, 'Dockerfile.app'), 'FROM alpine\n');
    const date = await sourceDateOf({
      context: path.join(repo.dir, 'app'),
      file: path.join(repo.dir, 'Dockerfile.app'),
      env: {},
    });
    expect(date.reason).toBe(
      'uncommitted changes in the build context (git status): ../Dockerfile.app',
    );
  });

  test('more than three changes are counted, not listed', async () => {
    const repo = await gitRepo(FILES, EPOCH);
    await repo.write({ 'app/a': '', 'app/b': '', 'app/c': '', 'app/d': '', 'app/e': '' });
    const date = await sourceDateOf({
      context: path.join(repo.dir, 'app'),
      file: path.join(repo.dir, 'app/Dockerfile'),
      env: {},
    });
    expect(date.reason).toBe(
      'uncommitted changes in the build context (git status): a, b, c and 2 more',
    );
  });

  test('the checkout must be the commit being built', async () => {
    const repo = await gitRepo(FILES, EPOCH);
    const first = await repo.git('rev-parse', 'HEAD');
    await repo.write({ 'app/hello.txt': 'two\n' });
    await repo.commit('two', EPOCH + 60);
    const at = (sha?: string) =>
      sourceDateOf({
        context: path.join(repo.dir, 'app'),
        file: path.join(repo.dir, 'app/Dockerfile'),
        env: {},
        ...(sha ? { sha } : {}),
      });
    expect(await at()).toEqual({ from: 'commit', epoch: EPOCH + 60 });
    expect((await at(first)).reason).toBe(
      `the checkout is at ${(await repo.git('rev-parse', 'HEAD')).slice(0, 7)}, not at the commit being built (${first.slice(0, 7)})`,
    );
  });

  test('outside a git checkout: the clock, saying so', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-nogit-'));
    const date = await sourceDateOf({ context: dir, file: path.join(dir, 'Dockerfile'), env: {} });
    expect(date.from).toBe('clock');
    expect(date.reason).toMatch(
      /^the build context is not in a git checkout \(not a git repository/,
    );
  });

  test.each<[string, SourceDate | string]>([
    ['1700000000', { from: 'env', epoch: 1_700_000_000 }],
    [' 0 ', { from: 'env', epoch: 0 }],
    [
      'yesterday',
      'SOURCE_DATE_EPOCH: "yesterday" is not a number of seconds since 1970 (e.g. 1700000000, what git log -1 --format=%ct prints)',
    ],
    ['-5', 'SOURCE_DATE_EPOCH: "-5" is not a number'],
  ])('SOURCE_DATE_EPOCH=%j in the environment wins', async (value, expected) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-nogit-'));
    const date = sourceDateOf({
      context: dir,
      file: path.join(dir, 'Dockerfile'),
      env: { SOURCE_DATE_EPOCH: value },
    });
    if (typeof expected === 'string') await expect(date).rejects.toThrow(expected);
    else expect(await date).toEqual(expected);
  });

  test('git status -z: renames carry their source path', () => {
    expect(parsePorcelain(' M a.txt\0R  new.txt\0old.txt\0?? dir/b\0')).toEqual([
      'a.txt',
      'new.txt',
      'dir/b',
    ]);
  });
});

const P = parsePlatform;
const withBuildkit = (
  facts: HostFacts,
  buildkit: string,
  driver = 'docker-container',
): HostFacts => {
  const builder = facts.buildx!.builders.find((b) => b.current)!;
  return {
    ...facts,
    buildx: {
      ...facts.buildx!,
      builders: [{ ...builder, driver, nodes: builder.nodes.map((n) => ({ ...n, buildkit })) }],
    },
  };
};
const COMMIT: SourceDate = { from: 'commit', epoch: EPOCH };

describe('how far each builder reproduces a commit', () => {
  test.each<[string, HostFacts, string, boolean, SourceDate, boolean, boolean, RegExp]>([
    [
      'buildx, BuildKit 0.21 in a container, push',
      ubuntuWithBuilder(),
      'linux/arm64',
      true,
      COMMIT,
      true,
      true,
      /^on any machine: BuildKit sets the image and layer file times/,
    ],
    [
      'buildx, BuildKit 0.14.0, push: rewrite-timestamp lost blobs before 0.14.1',
      withBuildkit(ubuntuWithBuilder(), 'v0.14.0'),
      'linux/amd64',
      true,
      COMMIT,
      true,
      false,
      /BuildKit 0.14.0 of builder "xplat-builder" has no rewrite-timestamp for a push \(needs 0.14.1\)$/,
    ],
    [
      'buildx, BuildKit 0.13.2, loaded: rewrite-timestamp',
      withBuildkit(ubuntuWithBuilder(), 'v0.13.2'),
      'linux/amd64',
      false,
      COMMIT,
      true,
      true,
      /^on any machine/,
    ],
    [
      'buildx, BuildKit 0.12.5',
      withBuildkit(ubuntuWithBuilder(), 'v0.12.5'),
      'linux/amd64',
      false,
      COMMIT,
      true,
      false,
      /^on this machine with its build cache: .*BuildKit 0.12.5 .* \(needs 0.13.0\)$/,
    ],
    [
      'buildx, a builder not bootstrapped',
      withBuildkit(ubuntuWithBuilder(), ''),
      'linux/amd64',
      true,
      COMMIT,
      true,
      false,
      /did not report its BuildKit version \(not bootstrapped\)$/,
    ],
    [
      'buildx, the docker driver',
      ubuntu2404,
      'linux/amd64',
      true,
      COMMIT,
      true,
      false,
      /^on this machine with its build cache: .*the docker driver exports into the engine's image store/,
    ],
    [
      "dockerd 20.10's BuildKit, push",
      cli2010,
      'linux/arm64',
      true,
      COMMIT,
      true,
      false,
      /^on this machine with its build cache: .*xplat sets the image times from the commit after the push$/,
    ],
    [
      'the classic builder on Windows',
      windows2022,
      'windows/amd64:ltsc2022',
      true,
      COMMIT,
      false,
      false,
      /^the classic builder has no SOURCE_DATE_EPOCH/,
    ],
    [
      'uncommitted changes, even with the best builder',
      ubuntuWithBuilder(),
      'linux/amd64',
      true,
      { from: 'clock', reason: 'uncommitted changes in the build context (git status): a.txt' },
      false,
      false,
      /^image times come from the clock: uncommitted changes in the build context \(git status\): a.txt$/,
    ],
  ])('%s', (_name, facts, platform, push, date, reproducible, rewrite, reason) => {
    const selection = selectBuilder(facts, { platform: P(platform), choice: 'auto' });
    const plan = planReproducible(date, selection, push);
    expect([plan.reproducible, plan.rewriteTimestamp]).toEqual([reproducible, rewrite]);
    expect(plan.reason).toMatch(reason);
    expect(plan.epoch).toBe(date.epoch);
  });
});

describe('the build commands', () => {
  const spec = (change: Partial<BuildSpec>): BuildSpec => ({
    kind: 'buildx',
    buildxBuilder: 'xplat-builder',
    engineOs: 'linux',
    platform: P('linux/amd64'),
    context: '/src',
    file: '/src/Dockerfile',
    buildArgs: {},
    labels: {},
    tags: ['reg/app:t'],
    cache: {
      mode: 'none',
      scope: 'linux-amd64',
      writes: false,
      buildFlags: [],
      extraTags: [],
      before: [],
      reason: '',
    },
    push: true,
    iidFile: '/w/iid',
    env: {},
    ...change,
  });
  const output = (s: BuildSpec) => {
    const args = planBuild(s).build.args;
    const at = args.findIndex((a) => ['--push', '--load', '--output'].includes(a));
    return args.slice(at, args[at] === '--output' ? at + 2 : at + 1);
  };

  test.each<[string, Partial<BuildSpec>, string[]]>([
    ['push', {}, ['--push']],
    [
      'push, rewrite-timestamp',
      { rewriteTimestamp: true },
      ['--output', 'type=image,push=true,rewrite-timestamp=true'],
    ],
    ['load', { push: false }, ['--load']],
    [
      'load, rewrite-timestamp',
      { push: false, rewriteTimestamp: true },
      ['--output', 'type=docker,rewrite-timestamp=true'],
    ],
    [
      'a Windows image kept in BuildKit, rewrite-timestamp',
      { push: false, platform: P('windows/amd64:ltsc2022'), rewriteTimestamp: true },
      ['--output', 'type=image,push=false,rewrite-timestamp=true'],
    ],
  ])('buildx, %s', (_name, change, expected) => {
    expect(output(spec(change))).toEqual(expected);
  });

  test.each<[string, HostFacts, string, Record<string, string>, boolean | undefined]>([
    ['buildx', ubuntuWithBuilder(), 'linux/arm64', { SOURCE_DATE_EPOCH: String(EPOCH) }, false],
    [
      "dockerd 20.10's BuildKit",
      cli2010,
      'linux/arm64',
      { TARGETARCH: 'arm64', SOURCE_DATE_EPOCH: String(EPOCH) },
      undefined,
    ],
    ['the classic builder', windows2022, 'windows/amd64:ltsc2022', {}, undefined],
  ])(
    '%s: SOURCE_DATE_EPOCH as a build arg, the created label from the commit',
    async (_name, facts, platform, args, provenance) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-repro-plan-'));
      const base = platform.startsWith('windows')
        ? 'mcr.microsoft.com/windows/nanoserver:ltsc2022'
        : 'busybox';
      await writeFile(path.join(dir, 'Dockerfile'), `FROM ${base}\nCOPY . /\n`);
      const request = parseBuildInputs(
        { image: '127.0.0.1:5000/app', platform, context: dir, 'result-dir': dir },
        { cwd: dir, env: {} },
      );
      const prepared = await prepareBuild(request, {
        facts,
        env: {},
        source: { sha: 'a'.repeat(40) },
        cwd: dir,
        logger: silentLogger,
        checkBaseImages: false,
        sourceDate: COMMIT,
        workDir: path.join(dir, 'work'),
      });
      expect(prepared.spec.buildArgs).toMatchObject(args);
      if (!('SOURCE_DATE_EPOCH' in args))
        expect(prepared.spec.buildArgs).not.toHaveProperty('SOURCE_DATE_EPOCH');
      expect(prepared.labels['org.opencontainers.image.created']).toBe('2025-11-26T10:00:00.000Z');
      expect(prepared.spec.provenance).toBe(provenance);
    },
  );
});
