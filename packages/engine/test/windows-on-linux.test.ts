/**
 * Windows images built on a Linux runner by BuildKit (build-on: linux), as plans: which
 * builder is picked or refused for given HostFacts, the exact buildx commands with and
 * without push, and the failed leg result a refusal leaves. No buildx exists where the
 * tests run, so every host here is facts; nothing is built.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { evaluateGate, parsePlatform, readLegResult, silentLogger } from '@xplat/core';
import { buildPlatformImage, parseBuildInputs, prepareBuild, type HostFacts } from '@xplat/engine';
import { writeFailedLegResult } from '../src/platform-image/build-run.js';
import { selectBuilder, type BuilderChoice } from '../src/platform-image/builders.js';
import { builtOnOf } from '../src/platform-image/built-on.js';
import { LegFailure } from '../src/platform-image/leg-failure.js';
import {
  cli2010,
  cliNoBuildx,
  ubuntu2404,
  ubuntuDefaultCurrent,
  ubuntuWithBuilder,
  ubuntuWithRemoteLinux,
  ubuntuWithWindowsNode,
  windows2022,
} from './hosts.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const copyOnly = path.join(fixtures, 'windows-on-linux');
const withRun = path.join(fixtures, 'multistage');
const P = (text: string) => parsePlatform(text);
const SHA = '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d';
const RUNNER = { ImageOS: 'ubuntu24', ImageVersion: '20250105.1.0' };
const GHA = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results/' };

let legs: string;
beforeAll(async () => {
  legs = await mkdtemp(path.join(os.tmpdir(), 'xplat-windows-on-linux-'));
});
afterAll(() => rm(legs, { recursive: true, force: true }));

function request(context: string, inputs: Record<string, string> = {}) {
  return parseBuildInputs(
    {
      image: 'ghcr.io/org/app',
      platform: 'windows/amd64:ltsc2022',
      context,
      'result-dir': legs,
      ...inputs,
    },
    { cwd: context, env: {} },
  );
}
function options(facts: HostFacts, env: Record<string, string> = {}) {
  return {
    facts,
    env: { ...RUNNER, ...env },
    source: { sha: SHA },
    cwd: copyOnly,
    logger: silentLogger,
    checkBaseImages: false,
    workDir: '/t/xplat-build',
    now: () => new Date('2026-11-26T10:00:00.000Z'),
  };
}

describe('builder selection for a Windows platform on a Linux engine', () => {
  test.each<[string, HostFacts, BuilderChoice, string | undefined, string, boolean | undefined]>([
    [
      'the docker-container builder setup made',
      ubuntuWithBuilder(),
      'auto',
      undefined,
      'xplat-builder',
      true,
    ],
    ['the same, builder: buildx', ubuntuWithBuilder(), 'buildx', undefined, 'xplat-builder', true],
    [
      'named by BUILDX_BUILDER',
      ubuntuDefaultCurrent(),
      'auto',
      'xplat-builder',
      'xplat-builder',
      true,
    ],
    [
      'a remote builder with Linux nodes only',
      ubuntuWithRemoteLinux(),
      'auto',
      undefined,
      'xplat-remote',
      true,
    ],
    // A Windows node runs Windows containers: not a cross-OS build (RUN is fine there).
    [
      'a builder with a Windows node',
      ubuntuWithWindowsNode(),
      'auto',
      undefined,
      'xplat-hybrid',
      undefined,
    ],
  ])('%s: buildx', (_name, facts, choice, buildxName, builder, windowsOnLinux) => {
    const selection = selectBuilder(facts, {
      platform: P('windows/amd64:ltsc2022'),
      choice,
      ...(buildxName ? { buildxName } : {}),
    });
    expect(selection).toMatchObject({ kind: 'buildx', env: {} });
    expect(selection.buildxBuilder?.name).toBe(builder);
    expect(selection.windowsOnLinux).toBe(windowsOnLinux);
  });

  const INSTALL =
    'install the buildx plugin (apt-get install docker-buildx-plugin, or docker-buildx from github.com/docker/buildx/releases in ~/.docker/cli-plugins/), then run setup-crossplatform-builder with platforms: windows/amd64:ltsc2022 (it creates a docker-container builder)';
  const DOCKER_DRIVER =
    'builder: windows/amd64:ltsc2022 on this linux/amd64 engine needs BuildKit in a container, and buildx builder "default" uses the docker driver, whose image store (the engine\'s) cannot hold a Windows image ("operating system is not supported"); run setup-crossplatform-builder with platforms: windows/amd64:ltsc2022 (it creates a docker-container builder)';

  // [name, facts, choice, message, whether it leaves a failed leg result]
  test.each<[string, HostFacts, BuilderChoice, string, boolean]>([
    ['only the docker-driver builder', ubuntu2404, 'auto', DOCKER_DRIVER, true],
    ['builder: buildx on the docker driver', ubuntu2404, 'buildx', DOCKER_DRIVER, true],
    [
      'the docker-driver builder current, a docker-container one beside it',
      ubuntuDefaultCurrent(),
      'auto',
      `${DOCKER_DRIVER}, or use builder "xplat-builder" (docker-container driver) with BUILDX_BUILDER=xplat-builder`,
      true,
    ],
    [
      'no buildx, BuildKit built into the CLI (never used for Windows)',
      cli2010,
      'auto',
      `platform: windows/amd64:ltsc2022 on this linux/amd64 engine is built only by BuildKit in a container (buildx, docker-container driver), and docker CLI 20.10.24+dfsg1 has no buildx plugin (its built-in BuildKit and the classic builder store images in the engine, which cannot hold a Windows image); ${INSTALL}`,
      true,
    ],
    [
      'no buildx, docker 28',
      cliNoBuildx,
      'auto',
      `platform: windows/amd64:ltsc2022 on this linux/amd64 engine is built only by BuildKit in a container (buildx, docker-container driver), and docker CLI 28.2.2 has no buildx plugin (its built-in BuildKit and the classic builder store images in the engine, which cannot hold a Windows image); ${INSTALL}`,
      true,
    ],
    [
      'builder: buildkit (DOCKER_BUILDKIT=1 docker build)',
      cli2010,
      'buildkit',
      'builder: the BuildKit built into the docker CLI stores images in this linux/amd64 engine, which cannot hold a Windows image, so it never builds windows/amd64:ltsc2022; use builder: buildx (or auto) after setup-crossplatform-builder with platforms: windows/amd64:ltsc2022',
      false,
    ],
    [
      'builder: classic',
      ubuntuWithBuilder(),
      'classic',
      'builder: the classic builder stores images in this linux/amd64 engine, which cannot hold a Windows image, so it never builds windows/amd64:ltsc2022; use builder: buildx (or auto) after setup-crossplatform-builder with platforms: windows/amd64:ltsc2022',
      false,
    ],
  ])('refused before building: %s', (_name, facts, choice, message, leavesResult) => {
    const select = () => selectBuilder(facts, { platform: P('windows/amd64:ltsc2022'), choice });
    expect(select).toThrow(message);
    let error: unknown;
    try {
      select();
    } catch (e) {
      error = e;
    }
    expect(error instanceof LegFailure).toBe(leavesResult);
  });
});

describe('the buildx commands', () => {
  const head = (builder: string) => [
    'buildx',
    'build',
    '--builder',
    builder,
    '--platform',
    'windows/amd64',
    '--progress',
    'plain',
    '--file',
    path.join(copyOnly, 'Dockerfile'),
    '--label',
    'org.opencontainers.image.created=2026-11-26T10:00:00.000Z',
    '--label',
    `org.opencontainers.image.revision=${SHA}`,
    '--tag',
    'ghcr.io/org/app:windows-amd64-ltsc2022-1a2b3c4',
  ];
  const files = [
    '--iidfile',
    '/t/xplat-build/iid',
    '--metadata-file',
    '/t/xplat-build/metadata.json',
  ];

  test.each<[string, HostFacts, Record<string, string>, Record<string, string>, string[]]>([
    [
      'push, registry cache (no gha service)',
      ubuntuWithBuilder(),
      {},
      {},
      [
        ...head('xplat-builder'),
        '--cache-from',
        'type=registry,ref=ghcr.io/org/app:buildcache-windows-amd64-ltsc2022',
        '--cache-to',
        'type=registry,ref=ghcr.io/org/app:buildcache-windows-amd64-ltsc2022,mode=max',
        ...files,
        '--provenance=false',
        '--push',
        copyOnly,
      ],
    ],
    [
      'push, gha cache scoped by the release',
      ubuntuWithBuilder(),
      {},
      GHA,
      [
        ...head('xplat-builder'),
        '--cache-from',
        'type=gha,scope=windows-amd64-ltsc2022',
        '--cache-to',
        'type=gha,scope=windows-amd64-ltsc2022,mode=max',
        ...files,
        '--provenance=false',
        '--push',
        copyOnly,
      ],
    ],
    [
      "no push (pull requests): into BuildKit's store, never --load",
      ubuntuWithBuilder(),
      { push: 'false' },
      {},
      [
        ...head('xplat-builder'),
        ...files,
        '--provenance=false',
        '--output',
        'type=image,push=false',
        copyOnly,
      ],
    ],
    [
      'a remote builder; buildx before 0.10 knows no --provenance (and adds no attestation)',
      {
        ...ubuntuWithRemoteLinux(),
        buildx: { ...ubuntuWithRemoteLinux().buildx!, version: '0.9.1' },
      },
      { push: 'false' },
      GHA,
      [
        ...head('xplat-remote'),
        '--cache-from',
        'type=gha,scope=windows-amd64-ltsc2022',
        '--cache-to',
        'type=gha,scope=windows-amd64-ltsc2022,mode=max',
        ...files,
        '--output',
        'type=image,push=false',
        copyOnly,
      ],
    ],
  ])('%s', async (_name, facts, inputs, env, args) => {
    const prepared = await prepareBuild(request(copyOnly, inputs), options(facts, env));
    expect(prepared.plan.before).toEqual([]);
    expect(prepared.plan.build).toMatchObject({ args, env: {}, stream: true });
    expect(prepared.plan.push).toEqual([]);
    expect(prepared.rendered).toBeUndefined();
    expect(prepared.builtOn).toEqual({ platform: 'linux/amd64', runner: 'ubuntu24/20250105.1.0' });
  });
});

describe('refused before building', () => {
  test('a RUN in a Windows stage: it would need a Windows container', async () => {
    await expect(
      prepareBuild(request(withRun), { ...options(ubuntuWithBuilder()), cwd: withRun }),
    ).rejects.toThrow(
      'file: 1 lint error for windows/amd64:ltsc2022, first: Dockerfile:15: error XP025: RUN in stage "install-windows" (windows/amd64:ltsc2022) cannot run: this leg is built by BuildKit on Linux (build-on: linux)',
    );
    // On a Windows node the same file builds.
    const onNode = await prepareBuild(request(withRun), {
      ...options(ubuntuWithWindowsNode()),
      cwd: withRun,
    });
    expect(onNode.selection.kind).toBe('buildx');
  });

  test('a Windows platform without its release: a Linux engine has none to lend', async () => {
    await expect(
      prepareBuild(request(copyOnly, { platform: 'windows/amd64' }), options(ubuntuWithBuilder())),
    ).rejects.toThrow(
      'platform: windows/amd64 built on a Linux engine needs its Windows release: write windows/amd64:ltsc2022 (or ltsc2019, ltsc2025) or set windows-version',
    );
  });

  test.each<[string, HostFacts, string]>([
    [
      'no buildx',
      cli2010,
      'windows/amd64:ltsc2022 on this linux/amd64 engine is built only by BuildKit in a container',
    ],
    [
      'the docker driver',
      ubuntu2404,
      'windows/amd64:ltsc2022 on this linux/amd64 engine needs BuildKit in a container',
    ],
  ])('%s: a failed leg result, and the gate says why', async (_name, facts, reason) => {
    const resultDir = await mkdtemp(path.join(legs, 'refused-'));
    const error = await buildPlatformImage(
      request(copyOnly, { 'result-dir': resultDir }),
      options(facts),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LegFailure);
    const leg = await readLegResult(path.join(resultDir, 'windows-amd64-ltsc2022.json'));
    expect(leg.result).toMatchObject({
      platform: 'windows/amd64:ltsc2022',
      digest: '',
      pushed: false,
      builder: 'buildx',
      builtOn: { platform: 'linux/amd64', runner: 'ubuntu24/20250105.1.0' },
      smoke: { status: 'skipped' },
      failure: { step: 'build', reason: (error as LegFailure).reason },
    });
    expect(leg.result.failure!.reason.startsWith(reason)).toBe(true);
    const gate = evaluateGate([P('windows/amd64:ltsc2022')], [leg]);
    expect(gate.rows[0]).toMatchObject({
      verdict: 'failed',
      detail: `build failed: ${leg.result.failure!.reason}`,
    });
  });

  test('a pushed image that is not what the leg asked for keeps its digest, and is refused', async () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const failure = new LegFailure(
      'ghcr.io/org/app:t has no os.version in its config',
      'file',
      P('windows/amd64:ltsc2022'),
      'buildx',
      digest,
    );
    const file = await writeFailedLegResult(
      request(copyOnly, { 'result-dir': path.join(legs, 'pushed') }),
      failure,
      new Date('2026-11-26T10:00:00.000Z'),
      { builtOn: { platform: 'linux/amd64' } },
    );
    const leg = await readLegResult(file);
    expect(leg.result).toMatchObject({
      digest,
      pushed: true,
      failure: { reason: 'ghcr.io/org/app:t has no os.version in its config' },
    });
    expect(evaluateGate([P('windows/amd64:ltsc2022')], [leg]).rows[0]!.verdict).toBe('failed');
  });
});

describe('builtOn', () => {
  test.each<[string, HostFacts, Record<string, string>, object | undefined]>([
    [
      'a hosted Linux runner',
      ubuntu2404,
      RUNNER,
      { platform: 'linux/amd64', runner: 'ubuntu24/20250105.1.0' },
    ],
    [
      'a hosted image without its version',
      ubuntu2404,
      { ImageOS: 'ubuntu24' },
      { platform: 'linux/amd64', runner: 'ubuntu24' },
    ],
    [
      'a self-hosted runner',
      ubuntu2404,
      { RUNNER_NAME: 'build\nbox 7' },
      { platform: 'linux/amd64', runner: 'build box 7' },
    ],
    ['outside GitHub Actions', ubuntu2404, {}, { platform: 'linux/amd64' }],
    [
      'a Windows engine, with its build',
      windows2022,
      { ImageOS: 'win22' },
      { platform: 'windows/amd64:10.0.20348.3207', runner: 'win22' },
    ],
    [
      'an engine xplat has no name for',
      { ...ubuntu2404, engine: { ...ubuntu2404.engine, platform: 'linux/mips64le' } },
      RUNNER,
      undefined,
    ],
  ])('%s', (_name, facts, env, builtOn) => {
    expect(builtOnOf(facts, env)).toEqual(builtOn);
  });
});
