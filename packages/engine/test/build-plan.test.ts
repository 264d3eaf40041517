/**
 * Builder choice, cache, tags, labels and the build commands, for every runner host.
 * Table-driven; everything here is a plan (data), so no engine is needed.
 */
import { describe, expect, test } from '@jest/globals';
import { parsePlatform, type Platform } from '@xplat/core';
import { type HostFacts } from '@xplat/engine';
import {
  parseBuildxMetadata,
  parsePushDigest,
  planBuild,
  type BuildSpec,
} from '../src/platform-image/build-plan.js';
import { selectBuilder, type BuilderChoice } from '../src/platform-image/builders.js';
import { cacheScope, planCache, type CacheRequest } from '../src/platform-image/cache.js';
import { labelInstruction, ociLabels, renderTagTemplate } from '../src/platform-image/tags.js';
import {
  cli2010,
  cliNoBuildx,
  ubuntu2404,
  ubuntu2404Arm,
  ubuntuWithBuilder,
  ubuntuWithWindowsNode,
  windows2022,
  windows2025,
} from './hosts.js';

const P = (text: string): Platform => parsePlatform(text);

describe('builder selection', () => {
  test.each<[string, HostFacts, string, BuilderChoice, string, string | undefined]>([
    [
      'ubuntu-24.04 after setup',
      ubuntuWithBuilder(),
      'linux/arm64',
      'auto',
      'buildx',
      'xplat-builder',
    ],
    ['ubuntu-24.04 default builder', ubuntu2404, 'linux/amd64', 'auto', 'buildx', 'default'],
    ['ubuntu-24.04-arm', ubuntu2404Arm, 'linux/arm64', 'auto', 'buildx', 'default'],
    ['windows-2022', windows2022, 'windows/amd64:ltsc2022', 'auto', 'classic', undefined],
    ['windows-2025', windows2025, 'windows/amd64:ltsc2025', 'auto', 'classic', undefined],
    [
      'a Windows node on a Linux runner',
      ubuntuWithWindowsNode(),
      'windows/amd64',
      'auto',
      'buildx',
      'xplat-hybrid',
    ],
    ['docker 20.10, no buildx', cli2010, 'linux/arm64', 'auto', 'buildkit', undefined],
    ['docker 28, no buildx', cliNoBuildx, 'linux/amd64', 'auto', 'classic', undefined],
    ['classic forced', cli2010, 'linux/amd64', 'classic', 'classic', undefined],
    ['classic forced on ubuntu', ubuntu2404, 'linux/amd64', 'classic', 'classic', undefined],
  ])('%s: %s builds with %s', (_name, facts, platform, choice, kind, builder) => {
    const selection = selectBuilder(facts, { platform: P(platform), choice });
    expect(selection.kind).toBe(kind);
    expect(selection.buildxBuilder?.name).toBe(builder);
    expect(selection.env).toEqual(
      kind === 'buildkit'
        ? { DOCKER_BUILDKIT: '1' }
        : kind === 'classic'
          ? { DOCKER_BUILDKIT: '0' }
          : {},
    );
  });

  test('BUILDX_BUILDER picks a builder by name; an unknown name is an error', () => {
    const facts = ubuntuWithBuilder('ci');
    expect(
      selectBuilder(facts, { platform: P('linux/amd64'), choice: 'auto', buildxName: 'default' })
        .buildxBuilder?.name,
    ).toBe('default');
    expect(() =>
      selectBuilder(facts, { platform: P('linux/amd64'), choice: 'auto', buildxName: 'gone' }),
    ).toThrow(
      'builder: buildx builder "gone" does not exist (builders: default, ci); run setup-crossplatform-builder first or unset BUILDX_BUILDER',
    );
  });

  test.each<[string, HostFacts, string, BuilderChoice, string]>([
    [
      'a Windows platform on a Linux runner with only the docker-driver builder',
      ubuntu2404,
      'windows/amd64:ltsc2022',
      'auto',
      'builder: windows/amd64:ltsc2022 on this linux/amd64 engine needs BuildKit in a container, and buildx builder "default" uses the docker driver, whose image store (the engine\'s) cannot hold a Windows image ("operating system is not supported"); run setup-crossplatform-builder with platforms: windows/amd64:ltsc2022 (it creates a docker-container builder)',
    ],
    [
      'Linux on a Windows runner',
      windows2022,
      'linux/amd64',
      'auto',
      'platform: linux/amd64 cannot be built on a Windows engine (windows/amd64, 10.0.20348.3207): Linux containers need a Linux runner (ubuntu-24.04 for linux/amd64, ubuntu-24.04-arm for linux/arm64)',
    ],
    [
      'Windows arm64 on an amd64 Windows host',
      windows2025,
      'windows/arm64',
      'auto',
      'platform: windows/arm64 cannot be built on a Windows engine (windows/amd64, 10.0.26100.3476): Windows does not emulate other architectures; build it on a Windows arm64 runner',
    ],
    [
      'arm64 without QEMU, no buildx',
      { ...cli2010, binfmt: { available: true, handlers: [], emulated: [] } },
      'linux/arm64',
      'auto',
      'platform: linux/arm64 needs QEMU emulation on this linux/amd64 host and none is registered; run setup-crossplatform-builder with platforms: linux/arm64 (it registers QEMU), or build on a native runner',
    ],
    [
      'arm64 not in the buildx builder',
      ubuntu2404,
      'linux/arm64',
      'auto',
      'platform: linux/arm64 is not among the platforms of buildx builder "default" (linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/386); run setup-crossplatform-builder with platforms: linux/arm64',
    ],
    [
      'Windows arm64 with classic forced',
      windows2025,
      'windows/arm64',
      'classic',
      'platform: windows/arm64 cannot be built on a Windows engine (windows/amd64, 10.0.26100.3476): Windows does not emulate other architectures; build it on a Windows arm64 runner',
    ],
    [
      'buildx forced without buildx',
      cli2010,
      'linux/amd64',
      'buildx',
      'builder: buildx is not installed with this docker CLI (20.10.24+dfsg1); use builder: auto, or install the buildx plugin',
    ],
    [
      'buildkit forced on docker 28',
      cliNoBuildx,
      'linux/amd64',
      'buildkit',
      'builder: docker CLI 28.2.2 has no built-in BuildKit (only 18.09 to 22.x do; newer ones need buildx); use builder: auto or buildx',
    ],
    [
      'buildkit forced on Windows',
      windows2022,
      'windows/amd64',
      'buildkit',
      "builder: BuildKit does not build on a Windows engine (windows/amd64, 10.0.20348.3207); use builder: auto (the engine's classic builder)",
    ],
    [
      'classic for Linux on Windows',
      windows2022,
      'linux/amd64',
      'classic',
      "builder: the classic builder builds only for its engine's OS, and this is a Windows engine (windows/amd64, 10.0.20348.3207); linux/amd64 cannot be built with it",
    ],
  ])('refused: %s', (_name, facts, platform, choice, message) => {
    expect(() => selectBuilder(facts, { platform: P(platform), choice })).toThrow(message);
  });
});

describe('cache: per platform pair, never shared across platforms or Windows releases', () => {
  const base: CacheRequest = {
    kind: 'buildx',
    driver: 'docker-container',
    mode: 'auto',
    scope: '',
    image: 'ghcr.io/org/app',
    platform: P('linux/arm64'),
    push: true,
    env: { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_CACHE_URL: 'https://cache/' },
  };

  test.each<[string, Partial<CacheRequest>, string, string[], string[]]>([
    [
      'buildx + gha service: gha scoped by pair',
      {},
      'gha',
      [
        '--cache-from',
        'type=gha,scope=linux-arm64',
        '--cache-to',
        'type=gha,scope=linux-arm64,mode=max',
      ],
      [],
    ],
    [
      'cache-scope prefixes the scope',
      { scope: 'api' },
      'gha',
      [
        '--cache-from',
        'type=gha,scope=api-linux-arm64',
        '--cache-to',
        'type=gha,scope=api-linux-arm64,mode=max',
      ],
      [],
    ],
    [
      'buildx, no gha service: registry cache image',
      { env: {} },
      'registry',
      [
        '--cache-from',
        'type=registry,ref=ghcr.io/org/app:buildcache-linux-arm64',
        '--cache-to',
        'type=registry,ref=ghcr.io/org/app:buildcache-linux-arm64,mode=max',
      ],
      [],
    ],
    [
      'buildx docker driver: inline, pushed as a tag',
      { driver: 'docker' },
      'inline',
      [
        '--cache-from',
        'type=registry,ref=ghcr.io/org/app:buildcache-linux-arm64',
        '--cache-to',
        'type=inline',
      ],
      ['ghcr.io/org/app:buildcache-linux-arm64'],
    ],
    [
      'built-in BuildKit: inline cache image',
      { kind: 'buildkit', driver: undefined },
      'inline',
      [
        '--cache-from',
        'ghcr.io/org/app:buildcache-linux-arm64',
        '--build-arg',
        'BUILDKIT_INLINE_CACHE=1',
      ],
      ['ghcr.io/org/app:buildcache-linux-arm64'],
    ],
    [
      'Windows classic: a cache image per release',
      { kind: 'classic', driver: undefined, platform: P('windows/amd64:ltsc2022') },
      'registry',
      ['--cache-from', 'ghcr.io/org/app:buildcache-windows-amd64-ltsc2022'],
      ['ghcr.io/org/app:buildcache-windows-amd64-ltsc2022'],
    ],
    [
      'no push: read the cache, never write it',
      { kind: 'classic', driver: undefined, mode: 'registry', push: false },
      'registry',
      ['--cache-from', 'ghcr.io/org/app:buildcache-linux-arm64'],
      [],
    ],
    ['none', { mode: 'none' }, 'none', [], []],
  ])('%s', (_name, change, mode, flags, extraTags) => {
    const plan = planCache({ ...base, ...change });
    expect(plan.mode).toBe(mode);
    expect(plan.buildFlags).toEqual(flags);
    expect(plan.extraTags).toEqual(extraTags);
  });

  test('the classic builder pulls its cache image first, and a missing one is no failure', () => {
    const plan = planCache({
      ...base,
      kind: 'classic',
      driver: undefined,
      platform: P('windows/amd64:ltsc2025'),
    });
    expect(plan.before).toEqual([
      {
        title: 'pull cache image ghcr.io/org/app:buildcache-windows-amd64-ltsc2025',
        args: ['pull', '--quiet', 'ghcr.io/org/app:buildcache-windows-amd64-ltsc2025'],
        optional: true,
      },
    ]);
  });

  test('auto without push and without gha: no cache', () => {
    expect(planCache({ ...base, kind: 'buildkit', push: false }).mode).toBe('none');
  });

  test('every platform and release has its own scope', () => {
    const scopes = [
      'linux/amd64',
      'linux/arm64',
      'linux/arm/v7',
      'linux/arm/v6',
      'windows/amd64:ltsc2022',
      'windows/amd64:ltsc2025',
      'windows/amd64:10.0.20348.2655',
    ].map((p) => cacheScope('', P(p)));
    expect(scopes).toEqual([
      'linux-amd64',
      'linux-arm64',
      'linux-arm',
      'linux-arm-v6',
      'windows-amd64-ltsc2022',
      'windows-amd64-ltsc2025',
      'windows-amd64-ltsc2022',
    ]);
  });

  test.each<[Partial<CacheRequest>, string]>([
    [
      { kind: 'classic', driver: undefined, mode: 'gha' },
      "cache: gha needs buildx with a BuildKit container (docker-container or remote driver); this build uses the engine's classic builder. Use cache: registry (a cache image per platform) or auto",
    ],
    [
      { driver: 'docker', mode: 'gha' },
      'cache: gha needs buildx with a BuildKit container (docker-container or remote driver); this build uses buildx with the docker driver. Use cache: registry (a cache image per platform) or auto',
    ],
  ])('refused: %j', (change, message) => {
    expect(() => planCache({ ...base, ...change })).toThrow(message);
  });
});

describe('tags and labels', () => {
  const source = {
    sha: '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d',
    refName: 'feature/win-2025',
    runId: '987654',
    repository: 'org/app',
    serverUrl: 'https://github.com',
  };

  test.each([
    ['', 'linux/amd64', 'linux-amd64-1a2b3c4'],
    ['{platform-pair}-{sha}', 'windows/amd64:ltsc2022', 'windows-amd64-ltsc2022-1a2b3c4'],
    ['{os}-{arch}-{os-version}-{run-id}', 'linux/arm64', 'linux-arm64-987654'],
    [
      '{os}-{arch}-{os-version}-{run-id}',
      'windows/amd64:ltsc2025',
      'windows-amd64-ltsc2025-987654',
    ],
    ['{ref-name}-{platform-pair}', 'linux/arm/v6', 'feature-win-2025-linux-arm-v6'],
    ['{sha-long}', 'linux/amd64', source.sha],
    ['{os-version}', 'windows/amd64:10.0.20348.2655', '10.0.20348.2655'],
    ['v1-{arch}', 'linux/arm/v6', 'v1-arm-v6'],
    ['v1-{arch}', 'linux/arm64', 'v1-arm64'],
  ])('%j for %s -> %s', (template, platform, tag) => {
    expect(renderTagTemplate(template, P(platform), source)).toBe(tag);
  });

  test.each([
    [
      '{sha}',
      {},
      'tag-template: {sha} needs the commit (GITHUB_SHA, or a git checkout), which is not set',
    ],
    [
      '{run-id}',
      { sha: 'a' },
      'tag-template: {run-id} needs the workflow run (GITHUB_RUN_ID), which is not set',
    ],
    [
      '{branch}',
      source,
      'tag-template: {branch} is not a placeholder; use {platform-pair}, {sha}, {sha-long}, {ref-name}, {os}, {arch}, {os-version}, {run-id}',
    ],
    ['{sha', source, 'tag-template: "{sha" has an unmatched brace; placeholders look like {sha}'],
    [
      '-{sha}',
      source,
      'tag-template: the tag "-1a2b3c4" may only hold letters, digits, _ . - and must not start with . or - (e.g. latest, 1.2.3, linux-amd64-1a2b3c4)',
    ],
  ])('refused: %j', (template, src, message) => {
    expect(() => renderTagTemplate(template, P('linux/amd64'), src)).toThrow(message);
  });

  test.each([
    [{ a: 'plain' }, '\\', 'LABEL "a"="plain"\n'],
    [
      { 'org.example/x': 'say "hi" to $HOME\\n' },
      '\\',
      'LABEL "org.example/x"="say \\"hi\\" to \\$HOME\\\\n"\n',
    ],
    [{ path: 'C:\\app', q: '`"$' }, '`', 'LABEL "path"="C:\\app" "q"="```"`$"\n'],
    [{}, '\\', ''],
  ])('labels as one LABEL line: %j with escape %s', (labels, escape, line) => {
    expect(labelInstruction(labels, escape)).toBe(line);
  });

  test('OCI labels as docker/metadata-action sets them', () => {
    expect(ociLabels(source, new Date('2025-05-02T10:00:00Z'))).toEqual({
      'org.opencontainers.image.created': '2025-05-02T10:00:00.000Z',
      'org.opencontainers.image.source': 'https://github.com/org/app',
      'org.opencontainers.image.revision': source.sha,
    });
    expect(ociLabels({}, new Date(0))).toEqual({
      'org.opencontainers.image.created': '1970-01-01T00:00:00.000Z',
    });
  });
});

describe('build commands', () => {
  const spec = (change: Partial<BuildSpec>): BuildSpec => ({
    kind: 'buildx',
    engineOs: 'linux',
    platform: P('linux/arm64'),
    context: '/w/app',
    file: '/w/app/Dockerfile',
    buildArgs: { VERSION: '1.2' },
    labels: { 'org.opencontainers.image.revision': 'abc' },
    tags: ['ghcr.io/org/app:linux-arm64-1a2b3c4'],
    cache: planCache({
      kind: 'buildx',
      driver: 'docker-container',
      mode: 'gha',
      scope: '',
      image: 'ghcr.io/org/app',
      platform: P('linux/arm64'),
      push: true,
      env: {},
    }),
    push: true,
    iidFile: '/t/iid',
    metadataFile: '/t/meta.json',
    env: {},
    ...change,
  });

  test('ubuntu-24.04, buildx: one command that builds, caches in gha and pushes', () => {
    const plan = planBuild(spec({ buildxBuilder: 'xplat-0a1b2c', network: 'host' }));
    expect(plan.build.args).toEqual([
      'buildx',
      'build',
      '--builder',
      'xplat-0a1b2c',
      '--platform',
      'linux/arm64',
      '--progress',
      'plain',
      '--file',
      '/w/app/Dockerfile',
      '--build-arg',
      'VERSION=1.2',
      '--label',
      'org.opencontainers.image.revision=abc',
      '--tag',
      'ghcr.io/org/app:linux-arm64-1a2b3c4',
      '--network',
      'host',
      '--cache-from',
      'type=gha,scope=linux-arm64',
      '--cache-to',
      'type=gha,scope=linux-arm64,mode=max',
      '--iidfile',
      '/t/iid',
      '--metadata-file',
      '/t/meta.json',
      '--push',
      '/w/app',
    ]);
    expect(plan.push).toEqual([]);
  });

  test('buildx without push loads the image for the smoke test; not a Windows one into Linux', () => {
    expect(planBuild(spec({ push: false })).build.args).toContain('--load');
    const remote = planBuild(spec({ push: false, platform: P('windows/amd64') })).build.args;
    expect(remote).not.toContain('--load');
    expect(remote).not.toContain('--push');
  });

  test('built-in BuildKit: DOCKER_BUILDKIT=1, then docker push per tag (the cache tag optional)', () => {
    const cache = planCache({
      kind: 'buildkit',
      mode: 'registry',
      scope: '',
      image: '127.0.0.1:5000/app',
      platform: P('linux/arm64'),
      push: true,
      env: {},
    });
    const plan = planBuild(
      spec({
        kind: 'buildkit',
        metadataFile: undefined,
        tags: ['127.0.0.1:5000/app:linux-arm64-1a2b3c4'],
        cache,
        env: { DOCKER_BUILDKIT: '1' },
        buildArgs: { TARGETOS: 'linux', TARGETARCH: 'arm64' },
      }),
    );
    expect(plan.build.env).toEqual({ DOCKER_BUILDKIT: '1' });
    expect(plan.build.args).toEqual([
      'build',
      '--platform',
      'linux/arm64',
      '--progress',
      'plain',
      '--file',
      '/w/app/Dockerfile',
      '--build-arg',
      'TARGETOS=linux',
      '--build-arg',
      'TARGETARCH=arm64',
      '--label',
      'org.opencontainers.image.revision=abc',
      '--tag',
      '127.0.0.1:5000/app:linux-arm64-1a2b3c4',
      '--tag',
      '127.0.0.1:5000/app:buildcache-linux-arm64',
      '--cache-from',
      '127.0.0.1:5000/app:buildcache-linux-arm64',
      '--build-arg',
      'BUILDKIT_INLINE_CACHE=1',
      '--iidfile',
      '/t/iid',
      '/w/app',
    ]);
    expect(plan.push).toEqual([
      {
        title: 'push 127.0.0.1:5000/app:linux-arm64-1a2b3c4',
        args: ['push', '127.0.0.1:5000/app:linux-arm64-1a2b3c4'],
      },
      {
        title: 'push 127.0.0.1:5000/app:buildcache-linux-arm64',
        args: ['push', '127.0.0.1:5000/app:buildcache-linux-arm64'],
        optional: true,
      },
    ]);
  });

  test.each([
    ['windows-2022', 'windows/amd64:ltsc2022', 'process'],
    ['windows-2025', 'windows/amd64:ltsc2025', 'process'],
    ['windows-2025, Hyper-V asked for', 'windows/amd64:ltsc2022', 'hyperv'],
  ])(
    '%s: the classic builder, rendered file, --isolation, no --platform',
    (_host, platform, isolation) => {
      const p = P(platform);
      const cache = planCache({
        kind: 'classic',
        mode: 'auto',
        scope: '',
        image: 'ghcr.io/org/app',
        platform: p,
        push: true,
        env: {},
      });
      const plan = planBuild(
        spec({
          kind: 'classic',
          engineOs: 'windows',
          platform: p,
          context: 'D:\\a\\app',
          file: 'D:\\t\\xplat-build\\Dockerfile',
          target: 'final',
          buildArgs: { TARGETOS: 'windows', TARGETARCH: 'amd64', TARGETPLATFORM: 'windows/amd64' },
          labels: {},
          tags: ['ghcr.io/org/app:tag1'],
          isolation,
          cache,
          metadataFile: undefined,
          env: { DOCKER_BUILDKIT: '0' },
        }),
      );
      const pair = `windows-amd64-${platform.split(':')[1]}`;
      expect(plan.before.map((s) => s.args)).toEqual([
        ['pull', '--quiet', `ghcr.io/org/app:buildcache-${pair}`],
      ]);
      expect(plan.build.args).toEqual([
        'build',
        '--isolation',
        isolation,
        '--file',
        'D:\\t\\xplat-build\\Dockerfile',
        '--target',
        'final',
        '--build-arg',
        'TARGETOS=windows',
        '--build-arg',
        'TARGETARCH=amd64',
        '--build-arg',
        'TARGETPLATFORM=windows/amd64',
        '--tag',
        'ghcr.io/org/app:tag1',
        '--tag',
        `ghcr.io/org/app:buildcache-${pair}`,
        '--cache-from',
        `ghcr.io/org/app:buildcache-${pair}`,
        '--iidfile',
        '/t/iid',
        'D:\\a\\app',
      ]);
      expect(plan.build.env).toEqual({ DOCKER_BUILDKIT: '0' });
      expect(plan.push.map((s) => s.args[1])).toEqual([
        'ghcr.io/org/app:tag1',
        `ghcr.io/org/app:buildcache-${pair}`,
      ]);
    },
  );

  test('parsing what the CLI reports', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(
      parsePushDigest(
        `The push refers to repository [x]\nlinux-amd64: digest: ${digest} size: 527\n`,
      ),
    ).toBe(digest);
    expect(parsePushDigest('nothing')).toBeUndefined();
    expect(
      parseBuildxMetadata(
        JSON.stringify({
          'containerimage.digest': digest,
          'containerimage.config.digest': `sha256:${'cd'.repeat(32)}`,
        }),
      ),
    ).toEqual({ digest, imageId: `sha256:${'cd'.repeat(32)}` });
  });
});
