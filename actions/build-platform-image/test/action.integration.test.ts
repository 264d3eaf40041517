/**
 * The bundled action, run as the runner runs it: `node dist/build-platform-image/index.js`
 * with INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, against the test
 * bed's engine and registry.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { readLegResult } from '@xplat/core';
import { parseBuildInputs, type BuildInputs } from '@xplat/engine';
import { exec } from '../../../test/exec.js';
import { repoRoot, runAction } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const fixture = path.join(repoRoot, 'packages', 'engine', 'test', 'fixtures', 'multistage');
const SHA = '0123456789abcdef0123456789abcdef01234567';
const runnerEnv = {
  XPLAT_DOCKER: tb.docker,
  DOCKER_CONFIG: tb.env('DOCKER_CONFIG'),
  GITHUB_SHA: SHA,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REPOSITORY: 'org/app',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '1001',
  GITHUB_JOB: 'build',
};

describe('build-platform-image as the runner runs it', () => {
  test('builds, pushes, sets every output, writes the leg result and the job summary', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('action-build')}`;
    const resultDir = await mkdtemp(path.join(os.tmpdir(), 'xplat-legs-'));
    const run = await runAction(
      'build-platform-image',
      {
        image,
        platform: 'linux/arm64',
        context: fixture,
        network: 'host',
        'result-dir': resultDir,
      },
      { env: runnerEnv },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
      'image-id': expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
      ref: `${image}@${run.outputs.digest}`,
      tag: `${image}:linux-arm64-0123456`,
      platform: 'linux/arm64',
      'os-version': '',
      'result-file': path.join(resultDir, 'linux-arm64.json'),
      builder: 'buildkit',
    });
    const { result } = await readLegResult(run.outputs['result-file']!);
    expect(result).toMatchObject({
      digest: run.outputs.digest,
      platform: 'linux/arm64',
      smoke: { status: 'pending' },
    });
    expect(run.summary).toContain('### xplat build');
    expect(run.summary).toMatch(
      /\| `linux\/arm64` \| buildkit \| {2}\| `sha256:[a-f0-9]{12}` \| [\d.]+ (KiB|MiB) \| [\d.]+ (ms|s) \+ push [\d.]+ (ms|s) \|/,
    );
    expect(run.stdout).toContain('builder: buildkit');
    // The build's own output is in the log, in a group.
    expect(run.stdout).toMatch(/::group::build linux\/arm64 with BuildKit/);
    const config = await exec('skopeo', [
      'inspect',
      '--config',
      '--tls-verify=false',
      `docker://${run.outputs.tag}`,
    ]);
    expect(JSON.parse(config.stdout)).toMatchObject({ os: 'linux', architecture: 'arm64' });
    // The commit and repository come from @actions/github's context (GITHUB_* of the run).
    expect(JSON.parse(config.stdout).config.Labels).toMatchObject({
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/org/app',
    });
  });

  test('lint warnings become annotations on the Dockerfile line; the build goes on', async () => {
    const context = await mkdtemp(path.join(os.tmpdir(), 'xplat-ctx-'));
    await writeFile(path.join(context, 'start.sh'), '#!/bin/sh\necho started\n');
    await writeFile(
      path.join(context, 'Dockerfile'),
      `FROM ${tb.env('XPLAT_LOCAL_IMAGE_LINUX_AMD64')}\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n`,
    );
    const run = await runAction(
      'build-platform-image',
      {
        image: `${tb.openRegistry}/${uniqueRepository('action-warn')}`,
        push: 'false',
        cache: 'none',
        'result-dir': context,
      },
      { env: { ...runnerEnv, GITHUB_WORKSPACE: context }, cwd: context },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const warnings = run.stdout.split('\n').filter((l) => l.startsWith('::warning'));
    expect(warnings).toContainEqual(
      expect.stringMatching(/^::warning title=XP008,file=Dockerfile,line=2::.*--chmod/),
    );
    expect(run.outputs.digest).toBe('');
    expect(run.outputs.ref).toMatch(/:linux-amd64-0123456$/);
  });

  test('a lint error stops the build: an annotation per error and one failure line', async () => {
    const context = await mkdtemp(path.join(os.tmpdir(), 'xplat-ctx-'));
    await writeFile(
      path.join(context, 'Dockerfile'),
      'FROM mcr.microsoft.com/windows/servercore:latest\nRUN echo hi\n',
    );
    const run = await runAction(
      'build-platform-image',
      {
        image: `${tb.openRegistry}/${uniqueRepository('action-lint')}`,
        platform: 'linux/amd64',
        push: 'false',
      },
      { env: { ...runnerEnv, GITHUB_WORKSPACE: context }, cwd: context },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors.at(-1)).toMatch(
      /^file: 1 lint error for linux\/amd64, first: Dockerfile:1: error XP00\d: /,
    );
    expect(run.stdout).toMatch(/^::error title=XP00\d,file=Dockerfile,line=1::/m);
  });
});

/**
 * Bad inputs: each fails in one line that starts with the input's name, before any
 * docker command or registry write. Every one is checked in the library (fast); a set of
 * them also through the bundle, as the runner runs it.
 */
describe('bad inputs', () => {
  const image = `${tb.openRegistry}/bad-inputs`;
  const cases: [BuildInputs, RegExp][] = [
    [{ image: '' }, /^image: is required/],
    [
      { image: 'Org/App' },
      /^image: "Org\/App" is not an image reference: repository names must be lowercase/,
    ],
    [{ image: `${image}:v1` }, /^image: ".*:v1" must name a repository without a tag or digest/],
    [{ platform: 'linux' }, /^platform: "linux" is not a platform: write it as os\/arch/],
    [
      { platform: 'darwin/arm64' },
      /^platform: "darwin\/arm64" is not a platform: os "darwin" is not supported/,
    ],
    [
      { platform: 'linux/amd64,linux/arm64' },
      /^platform: "linux\/amd64,linux\/arm64" names 2 platforms; build-platform-image builds one per call/,
    ],
    [{ platform: 'linux/amd64:ltsc2022' }, /^platform: .*only Windows platforms carry a release/],
    [{ 'windows-version': 'ltsc2016' }, /^windows-version: "ltsc2016" is not a Windows release/],
    [
      { platform: 'linux/amd64', 'windows-version': 'ltsc2022' },
      /^windows-version: "ltsc2022" applies to Windows platforms only/,
    ],
    [
      { platform: 'windows/amd64:ltsc2022', 'windows-version': 'ltsc2025' },
      /^windows-version: "ltsc2025" contradicts the release in platform/,
    ],
    [{ context: 'no-such-dir' }, /^context: "no-such-dir" does not exist/],
    [{ context: 'Dockerfile' }, /^context: "Dockerfile" is a file; the build context is a folder/],
    [{ file: 'Dockerfile.nope' }, /^file: "Dockerfile.nope" does not exist/],
    [{ 'build-args': 'VERSION' }, /^build-args: "VERSION" is not NAME=value/],
    [{ 'build-args': '1X=2' }, /^build-args: "1X=2" is not NAME=value/],
    [{ labels: '=x' }, /^labels: "=x" is not key=value/],
    [{ tags: 'v 1' }, /^tags: the tag "v" |^tags: /],
    [
      { tags: 'ghcr.io/other/app:v1' },
      /^tags: "ghcr.io\/other\/app:v1" is in another repository than image/,
    ],
    [{ push: 'maybe' }, /^push: "maybe" is not a boolean/],
    [{ cache: 'redis' }, /^cache: "redis" is not one of auto, gha, registry, none/],
    [{ 'cache-scope': 'a/b' }, /^cache-scope: "a\/b" may hold letters, digits/],
    [
      { isolation: 'process', platform: 'linux/amd64' },
      /^isolation: isolation applies to Windows builds only/,
    ],
    [{ isolation: 'vm' }, /^isolation: "vm" is not one of auto, process, hyperv/],
    [
      { network: 'host', platform: 'windows/amd64' },
      /^network: host networking does not exist for Windows builds/,
    ],
    [{ network: 'my net' }, /^network: "my net" is not a network name/],
    [{ builder: 'kaniko' }, /^builder: "kaniko" is not one of auto, buildx, buildkit, classic/],
    [{ target: '-x' }, /^target: "-x" is not a stage name/],
    [{ lint: 'sometimes' }, /^lint: "sometimes" is not a boolean/],
  ];

  test.each(cases)('%j', (inputs, message) => {
    let error: Error | undefined;
    try {
      parseBuildInputs({ image, context: fixture, ...inputs }, { cwd: fixture, env: {} });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  // Checked after the inputs parse, but still before any docker command runs.
  const later: [Record<string, string>, RegExp][] = [
    [{ 'tag-template': '{branch}-{sha}' }, /^tag-template: \{branch\} is not a placeholder/],
    [{ cache: 'gha' }, /^cache: gha needs buildx with a BuildKit container/],
    [{ builder: 'buildx' }, /^builder: buildx is not installed with this docker CLI/],
    [
      { platform: 'windows/amd64:ltsc2022' },
      /^platform: windows\/amd64:ltsc2022 on this linux\/amd64 engine is built only by BuildKit in a container/,
    ],
    [{ target: 'nope' }, /^target: /],
  ];

  test('through the bundle: one ::error:: line naming the input, exit 1', async () => {
    const all = [...cases.map(([i, m]) => [i, m] as [Record<string, string>, RegExp]), ...later];
    const runs = [];
    // Four at a time: each is a node process that fails fast.
    for (let i = 0; i < all.length; i += 4) {
      runs.push(
        ...(await Promise.all(
          all
            .slice(i, i + 4)
            .map(([inputs]) =>
              runAction(
                'build-platform-image',
                { image, context: '.', ...inputs },
                { env: runnerEnv, cwd: fixture },
              ),
            ),
        )),
      );
    }
    runs.forEach((run, i) => {
      expect({ input: all[i]![0], errors: run.errors }).toEqual({
        input: all[i]![0],
        errors: [expect.stringMatching(all[i]![1])],
      });
      expect(run.exitCode).toBe(1);
    });
    expect(all.length).toBeGreaterThanOrEqual(20);
  });
});

describe('a Windows platform on this Linux runner, which has no buildx', () => {
  test('refused before building with what to install, leaving a failed leg result', async () => {
    const resultDir = await mkdtemp(path.join(os.tmpdir(), 'xplat-legs-'));
    const image = `${tb.openRegistry}/${uniqueRepository('action-win-on-linux')}`;
    const run = await runAction(
      'build-platform-image',
      {
        image,
        platform: 'windows/amd64:ltsc2022',
        context: path.join(fixture, '..', 'windows-on-linux'),
        'result-dir': resultDir,
      },
      { env: { ...runnerEnv, ImageOS: 'ubuntu24', ImageVersion: '20250105.1.0' } },
    );
    expect(run.exitCode).toBe(1);
    const reason =
      'windows/amd64:ltsc2022 on this linux/amd64 engine is built only by BuildKit in a container (buildx, docker-container driver), and docker CLI 20.10.24+dfsg1 has no buildx plugin (its built-in BuildKit and the classic builder store images in the engine, which cannot hold a Windows image); install the buildx plugin (apt-get install docker-buildx-plugin, or docker-buildx from github.com/docker/buildx/releases in ~/.docker/cli-plugins/), then run setup-crossplatform-builder with platforms: windows/amd64:ltsc2022 (it creates a docker-container builder)';
    expect(run.errors).toEqual([`platform: ${reason}`]);
    expect(run.stdout).not.toMatch(/::group::build/);
    const { result } = await readLegResult(path.join(resultDir, 'windows-amd64-ltsc2022.json'));
    expect(result).toMatchObject({
      platform: 'windows/amd64:ltsc2022',
      image,
      digest: '',
      pushed: false,
      builder: 'buildx',
      builtOn: { platform: 'linux/amd64', runner: 'ubuntu24/20250105.1.0' },
      smoke: { status: 'skipped' },
      failure: { step: 'build', reason },
    });
    // Nothing reached the registry.
    const tags = await exec('skopeo', ['list-tags', '--tls-verify=false', `docker://${image}`]);
    expect(tags.code).not.toBe(0);
  });
});

describe('the leg result is written where result-file says', () => {
  test('even with a relative result-dir (from the workspace)', async () => {
    const workspace = await mkdtemp(path.join(os.tmpdir(), 'xplat-ws-'));
    const run = await runAction(
      'build-platform-image',
      {
        image: `${tb.openRegistry}/${uniqueRepository('action-rel')}`,
        context: fixture,
        push: 'false',
        'result-dir': 'legs',
        cache: 'none',
        network: 'host',
      },
      { env: { ...runnerEnv, GITHUB_WORKSPACE: workspace }, cwd: workspace },
    );
    expect(run.errors).toEqual([]);
    expect(run.outputs['result-file']).toBe(path.join(workspace, 'legs', 'linux-amd64.json'));
    expect(JSON.parse(await readFile(run.outputs['result-file']!, 'utf8'))).toMatchObject({
      pushed: false,
    });
  });
});

describe('action.yml', () => {
  test('declares exactly the inputs the library reads, and the outputs it sets', async () => {
    const { parse } = await import('yaml');
    const { BUILD_INPUTS } = await import('@xplat/engine');
    const action = parse(
      await readFile(path.join(repoRoot, 'actions', 'build-platform-image', 'action.yml'), 'utf8'),
    ) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
      runs: Record<string, string>;
    };
    expect(Object.keys(action.inputs).sort()).toEqual([...BUILD_INPUTS].sort());
    expect(Object.keys(action.outputs)).toEqual([
      'digest',
      'image-id',
      'ref',
      'tag',
      'platform',
      'os-version',
      'result-file',
      'builder',
    ]);
    expect(action.runs).toEqual({
      using: 'node24',
      main: '../../dist/build-platform-image/index.js',
    });
  });
});
