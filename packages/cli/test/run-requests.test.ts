/**
 * `xplat run`'s typed requests, made once from the resolved xplat.yml: what each leg asks
 * of the engine, the smoke test and the fuse, with no action-input string in between.
 */
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { LEG_RESULT_SCHEMA, type LoadedLegResult } from '@xplat/core';
import { parseRepository } from '@xplat/oci';
import { loadConfig, type ResolvedLeg } from '@xplat/workflow';
import {
  buildRequest,
  fuseRequest,
  smokeOfBuilt,
  smokeRequest,
  type BuildRun,
} from '../src/run/requests.js';

const config = loadConfig(
  [
    'image: ghcr.io/org/app',
    'build-args: { VERSION: "1.2" }',
    'labels: { org.opencontainers.image.title: app }',
    'cache: none',
    'windows:',
    '  dockerfile: win/Dockerfile',
    '  build-on: linux',
    'platforms:',
    '  - linux/amd64',
    '  - platform: linux/arm64',
    '    context: arm',
    '    target: slim',
    '    build-args: { VERSION: "1.3", ARCH: arm64 }',
    '  - platform: windows/amd64:ltsc2022',
    '    smoke: { skip: no ltsc2022 host here }',
    'smoke:',
    '  port: 8080',
    '  path: /healthz',
    '  expect-status: 2xx',
    '  expect-body: "(?i)ok"',
    '  env: { MODE: test, EMPTY: "" }',
    '  run-args: --memory 64m',
    '  timeout: 30s',
    '  stop-timeout: 1500ms',
  ].join('\n'),
);
const image = config.images[0]!;
const leg = (name: string): ResolvedLeg => image.legs.find((l) => l.name === name)!;
const run: BuildRun = {
  projectDir: '/src/app',
  resultDir: '/src/app/.xplat/legs/r1',
  network: 'host',
  buildArgs: { VERSION: '9' },
};

describe('buildRequest: the leg as the engine takes it', () => {
  it.each([
    {
      name: 'linux/amd64',
      want: {
        platform: { os: 'linux', architecture: 'amd64' },
        context: '/src/app',
        file: '/src/app/Dockerfile',
        buildArgs: { VERSION: '9' },
      },
    },
    {
      name: 'linux/arm64',
      want: {
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        context: '/src/app/arm',
        file: '/src/app/arm/Dockerfile',
        target: 'slim',
        // --build-arg wins over the platform entry, which wins over the top level.
        buildArgs: { VERSION: '9', ARCH: 'arm64' },
      },
    },
    {
      name: 'windows/amd64:ltsc2022',
      want: {
        platform: { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348' },
        releaseInput: 'platform',
        context: '/src/app',
        file: '/src/app/win/Dockerfile',
        buildArgs: { VERSION: '9' },
      },
    },
  ])('$name', ({ name, want }) => {
    const request = buildRequest(image, leg(name), run);
    expect(request).toEqual({
      image: parseRepository('ghcr.io/org/app', 'image'),
      ...want,
      labels: { 'org.opencontainers.image.title': 'app' },
      tags: [],
      tagTemplate: '{platform-pair}-{run-id}',
      push: true,
      cache: 'none',
      cacheScope: '',
      isolation: 'auto',
      network: 'host',
      resultDir: '/src/app/.xplat/legs/r1',
      builder: 'auto',
      lint: true,
    });
    // The leg's own platform object, not a copy parsed from its name.
    expect(request.platform).toBe(leg(name).platform);
    expect(path.isAbsolute(request.context) && path.isAbsolute(request.file)).toBe(true);
  });

  it('a build arg value keeps its newlines and spaces (no KEY=VALUE lines to split)', () => {
    const request = buildRequest(image, leg('linux/amd64'), {
      ...run,
      buildArgs: { NOTE: ' two\nlines ' },
    });
    expect(request.buildArgs.NOTE).toBe(' two\nlines ');
  });
});

describe('smokeRequest: the leg smoke settings as the smoke test takes them', () => {
  it('types every setting once', () => {
    const smoke = smokeRequest(leg('linux/amd64'), 'host');
    expect(smoke).toMatchObject({
      platform: { os: 'linux', architecture: 'amd64' },
      http: {
        port: 8080,
        path: '/healthz',
        method: 'GET',
        headers: {},
        expectStatus: { text: '2xx', ranges: [[200, 299]] },
      },
      env: ['MODE=test', 'EMPTY='],
      runArgs: ['--memory', '64m'],
      network: 'host',
      timeoutMs: 30_000,
      stopTimeoutSeconds: 2,
      expectGracefulStop: false,
      expectExitCode: 0,
      oneShot: false,
      logLines: 50,
    });
    expect(smoke.http!.expectBody!.test('OK')).toBe(true);
    expect(smoke.skip).toBeUndefined();
    expect(smokeOfBuilt(smoke, { ref: 'r/app@sha256:1', resultFile: '/l.json' })).toMatchObject({
      image: 'r/app@sha256:1',
      resultFile: '/l.json',
      http: smoke.http,
    });
  });

  it("a platform's skip is carried with the reason; no --network is auto", () => {
    expect(smokeRequest(leg('windows/amd64:ltsc2022'), '')).toMatchObject({
      skip: 'no ltsc2022 host here',
      network: 'auto',
    });
  });

  const withSmoke = (smoke: string): ResolvedLeg =>
    loadConfig(`image: ghcr.io/org/app\nplatforms: [linux/amd64]\nsmoke: ${smoke}\n`).images[0]!
      .legs[0]!;
  it.each([
    ['{ path: /x }', 'smoke.path of linux/amd64: is an HTTP check and needs port'],
    ['{ env: { A: b } }', 'smoke.port of linux/amd64: nothing to check'],
    ['{ port: 80, path: "/a b" }', 'smoke.path of linux/amd64: "/a b" must not contain whitespace'],
    ['{ port: 80, expect-body: "(" }', 'smoke.expect-body of linux/amd64: "(" is not a valid'],
    ['{ port: 80, run-args: "--rm" }', 'smoke.run-args of linux/amd64: "--rm" is not allowed here'],
    ['{ port: 80, run-args: "\'open" }', 'smoke.run-args of linux/amd64: unterminated'],
    ['{ port: 80, timeout: 61m }', 'smoke.timeout of linux/amd64: "61m" is longer than the 60'],
    ['{ command: "\'" }', 'smoke.command of linux/amd64: unterminated'],
  ])('%s is refused naming the field and the leg', (smoke, message) => {
    expect(() => smokeRequest(withSmoke(smoke), '', 'linux/amd64')).toThrow(message);
  });
});

describe('fuseRequest: one image, exactly the legs given', () => {
  const target = parseRepository('127.0.0.1:5000/org/app', 'image');
  const result = (platform: string, image = '127.0.0.1:5000/org/app'): LoadedLegResult => ({
    file: `/legs/${platform.replace(/\W/g, '-')}.json`,
    result: {
      schema: LEG_RESULT_SCHEMA,
      platform,
      image,
      digest: `sha256:${'a'.repeat(64)}`,
      pushed: true,
      tags: [],
      builder: 'buildkit',
      timings: { startedAt: '', finishedAt: '', buildMs: 0 },
      smoke: { status: 'passed', checks: [] },
    },
  });

  it('expects the legs given, admits the untested ones, defaults the tag to local', () => {
    const request = fuseRequest(
      target,
      [],
      [
        { leg: leg('linux/amd64'), result: result('linux/amd64'), untested: false },
        {
          leg: leg('windows/amd64:ltsc2022'),
          result: result('windows/amd64'),
          untested: true,
        },
      ],
    );
    expect(request).toMatchObject({
      target,
      tags: ['local'],
      sources: undefined,
      expected: [leg('linux/amd64').platform, leg('windows/amd64:ltsc2022').platform],
      allowUntested: [leg('windows/amd64:ltsc2022').platform],
      mutableTags: ['local', 'latest'],
      mediaType: 'auto',
      dryRun: false,
    });
    expect(request.expected[0]).toBe(leg('linux/amd64').platform);
    expect(request.legs).toHaveLength(2);
  });

  it('--tag values in order, each once', () => {
    const request = fuseRequest(
      target,
      ['dev', 'local', 'dev'],
      [{ leg: leg('linux/amd64'), result: result('linux/amd64'), untested: false }],
    );
    expect(request.tags).toEqual(['dev', 'local']);
  });

  it('a leg result of another repository is refused, naming its file', () => {
    expect(() =>
      fuseRequest(
        target,
        [],
        [
          {
            leg: leg('linux/amd64'),
            result: result('linux/amd64', '127.0.0.1:5000/org/other'),
            untested: false,
          },
        ],
      ),
    ).toThrow(/^\/legs\/linux-amd64\.json: the leg result is for 127\.0\.0\.1:5000\/org\/other/);
  });
});
