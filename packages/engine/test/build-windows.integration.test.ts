/**
 * The Windows builds, as plans: prepareBuild with the facts of windows-2022 and
 * windows-2025 runners (no Windows engine exists here) gives exactly the commands, the
 * rendered Dockerfile and the release checks. The base images are real: the test bed's
 * registry holds Windows ltsc2022 and ltsc2025 images (configs with os.version), and the
 * base-image check asks it, as it would ask mcr.microsoft.com on a runner.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { recordingLogger } from '@xplat/core';
import { parseBuildInputs, prepareBuild, type BuildInputs, type HostFacts } from '@xplat/engine';
import { checkWindowsBaseImages } from '../src/platform-image/base-images.js';
import { parsePlatform } from '@xplat/core';
import {
  DOCKER_MANIFEST_LIST,
  type ImageIndex,
  type ImageManifest,
  parseReference,
} from '@xplat/oci';
import { createRegistryClient } from '@xplat/registry';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import {
  ubuntu2404,
  ubuntuWithBuilder,
  ubuntuWithWindowsNode,
  windows2022,
  windows2025,
} from './hosts.js';

const tb = testbed();
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'multistage');
const LTSC2022 = tb.env('XPLAT_FIXTURE_WINDOWS_LTSC2022_REF');
const LTSC2025 = tb.env('XPLAT_FIXTURE_WINDOWS_LTSC2025_REF');
const source = {
  sha: 'feedfacecafebeef00112233445566778899aabb',
  runId: '7',
  repository: 'org/app',
};
const client = createRegistryClient();
const env = { RUNNER_TEMP: '/runner/temp' };

async function prepare(facts: HostFacts, inputs: BuildInputs, logger = recordingLogger()) {
  const request = parseBuildInputs(
    { image: 'ghcr.io/org/app', context: fixture, 'result-dir': '/runner/temp/legs', ...inputs },
    { cwd: fixture, env },
  );
  return prepareBuild(request, {
    facts,
    env,
    source,
    cwd: fixture,
    client,
    workDir: 'C:\\t\\xplat-build',
    logger,
  });
}

describe('windows-2022 and windows-2025: the classic builder with the rendered Dockerfile', () => {
  test.each([
    ['windows-2022', windows2022, LTSC2022, 'ltsc2022', '10.0.20348.2655'],
    ['windows-2025', windows2025, LTSC2025, 'ltsc2025', '10.0.26100.1742'],
    ['windows-2025 building ltsc2022', windows2025, LTSC2022, 'ltsc2022', '10.0.20348.2655'],
  ])('%s', async (_name, facts, base, release, osVersion) => {
    const logger = recordingLogger();
    const prepared = await prepare(
      facts,
      { platform: `windows/amd64:${release}`, 'build-args': `WINDOWS_BASE=${base}` },
      logger,
    );
    const pair = `windows-amd64-${release}`;
    expect(prepared.selection.kind).toBe('classic');
    expect(prepared.tags).toEqual([`${pair}-feedfac`]);
    // Only the Windows stage is left, and the platform ARGs are passed.
    expect(prepared.rendered!.text).toContain(`FROM ${base} AS install-windows`);
    expect(prepared.rendered!.text).not.toContain('install-linux');
    expect(prepared.rendered!.text).not.toContain('busybox');
    expect(prepared.baseImages).toEqual([
      { image: base, line: 14, digest: expect.stringMatching(/^sha256:/), osVersion },
    ]);
    expect(logger.lines).toContainEqual(expect.stringContaining(`(os.version ${osVersion})`));
    expect(prepared.plan.before.map((s) => s.args)).toEqual([
      ['pull', '--quiet', `ghcr.io/org/app:buildcache-${pair}`],
    ]);
    expect(prepared.plan.build.env).toEqual({ DOCKER_BUILDKIT: '0' });
    expect(prepared.plan.build.args).toEqual([
      'build',
      '--isolation',
      'process',
      '--file',
      path.join('C:\\t\\xplat-build', 'Dockerfile'),
      '--target',
      'final',
      '--build-arg',
      'TARGETOS=windows',
      '--build-arg',
      'TARGETARCH=amd64',
      '--build-arg',
      `WINDOWS_BASE=${base}`,
      '--tag',
      `ghcr.io/org/app:${pair}-feedfac`,
      '--tag',
      `ghcr.io/org/app:buildcache-${pair}`,
      '--cache-from',
      `ghcr.io/org/app:buildcache-${pair}`,
      '--iidfile',
      path.join('C:\\t\\xplat-build', 'iid'),
      fixture,
    ]);
    // Labels ride in the rendered file as one LABEL step (each --label is a step of its own).
    expect(prepared.files[0]!.content).toMatch(
      new RegExp(
        `\nLABEL "org\\.opencontainers\\.image\\.created"="\\d{4}-[^"]+" "org\\.opencontainers\\.image\\.source"="https://github\\.com/org/app" "org\\.opencontainers\\.image\\.revision"="${source.sha}"\n$`,
      ),
    );
    expect(prepared.plan.push.map((s) => s.args)).toEqual([
      ['push', `ghcr.io/org/app:${pair}-feedfac`],
      ['push', `ghcr.io/org/app:buildcache-${pair}`],
    ]);
  });

  test('no platform: the host platform and its release', async () => {
    const prepared = await prepare(windows2025, { 'build-args': `WINDOWS_BASE=${LTSC2025}` });
    expect(prepared.platform).toEqual(parsePlatform('windows/amd64:ltsc2025'));
    expect(prepared.tags).toEqual(['windows-amd64-ltsc2025-feedfac']);
  });

  test("windows/amd64 without a release takes the host's, so the leg carries it", async () => {
    const prepared = await prepare(windows2022, {
      platform: 'windows/amd64',
      'build-args': `WINDOWS_BASE=${LTSC2022}`,
    });
    expect(prepared.platform.osVersion).toBe('10.0.20348');
    expect(prepared.cache.scope).toBe('windows-amd64-ltsc2022');
  });

  test('isolation: hyperv is passed through', async () => {
    const prepared = await prepare(windows2025, {
      platform: 'windows/amd64:ltsc2025',
      isolation: 'hyperv',
      'build-args': `WINDOWS_BASE=${LTSC2025}`,
    });
    expect(prepared.plan.build.args.slice(0, 3)).toEqual(['build', '--isolation', 'hyperv']);
  });
});

describe('Windows release checks', () => {
  test('ltsc2025 on windows-2022 is refused before anything runs, naming both builds and the fix', async () => {
    await expect(
      prepare(windows2022, {
        platform: 'windows/amd64',
        'windows-version': 'ltsc2025',
        'build-args': `WINDOWS_BASE=${LTSC2025}`,
      }),
    ).rejects.toThrow(
      'windows-version: Windows 10.0.26100 (ltsc2025, windows-2025) cannot be built on this host, Windows 10.0.20348.3207 (ltsc2022, windows-2022): a host never runs images newer than itself; run this leg on windows-2025 (runs-on: windows-2025)',
    );
  });

  test('ltsc2019 on windows-2025: no hosted runner runs it', async () => {
    await expect(prepare(windows2025, { platform: 'windows/amd64:ltsc2019' })).rejects.toThrow(
      /^platform: Windows 10\.0\.17763 \(ltsc2019\) cannot be built on this host, .*GitHub has no hosted runner for it any more/,
    );
  });

  test('a base image the host cannot run: the lint error names the Dockerfile line', async () => {
    const findings: string[] = [];
    const request = parseBuildInputs(
      { image: 'ghcr.io/org/app', context: fixture, 'build-args': `WINDOWS_BASE=${LTSC2025}` },
      { cwd: fixture, env },
    );
    await expect(
      prepareBuild(request, {
        facts: windows2022,
        env,
        source,
        cwd: fixture,
        client,
        onFinding: (f) => findings.push(`${f.rule}:${f.line}`),
      }),
    ).rejects.toThrow(
      /^file: 2 lint errors for windows\/amd64:ltsc2022, first: Dockerfile:14: error XP003: .*ltsc2025 \(10\.0\.26100\), which a host of build 10\.0\.20348\.3207 cannot run/,
    );
    // The host cannot run it (XP003), and it is not the leg's release (XP004).
    expect(findings).toEqual(['XP003:14', 'XP004:14']);
  });

  test('a Windows platform on a Linux runner with only the docker-driver builder', async () => {
    await expect(prepare(ubuntu2404, { platform: 'windows/amd64:ltsc2022' })).rejects.toThrow(
      /^builder: windows\/amd64:ltsc2022 on this linux\/amd64 engine needs BuildKit in a container, and buildx builder "default" uses the docker driver/,
    );
  });

  test('a Windows node appended to a Linux builder: buildx, pushed by buildx itself', async () => {
    const prepared = await prepare(ubuntuWithWindowsNode(), {
      platform: 'windows/amd64:ltsc2022',
      'build-args': `WINDOWS_BASE=${LTSC2022}`,
    });
    expect(prepared.selection.kind).toBe('buildx');
    // The Windows node builds it: a Windows build machine, so its RUN steps can run.
    expect(prepared.buildPlatform).toEqual({ os: 'windows', architecture: 'amd64' });
    expect(prepared.rendered).toBeUndefined();
    expect(prepared.plan.build.args.slice(0, 6)).toEqual([
      'buildx',
      'build',
      '--builder',
      'xplat-hybrid',
      '--platform',
      'windows/amd64',
    ]);
    expect(prepared.plan.build.args).toContain('--push');
    expect(prepared.plan.build.args).not.toContain('--isolation');
    // No gha service outside a runner: a registry cache, separate for the release.
    expect(prepared.cache.ref).toBe('ghcr.io/org/app:buildcache-windows-amd64-ltsc2022');
    expect(prepared.plan.push).toEqual([]);
  });
});

describe('a Windows image built on a Linux runner by BuildKit (build-on: linux)', () => {
  const copyOnly = path.join(path.dirname(fixture), 'windows-on-linux');
  const onLinux = (inputs: BuildInputs) =>
    prepareBuild(
      parseBuildInputs(
        {
          image: 'ghcr.io/org/app',
          context: copyOnly,
          'result-dir': '/runner/temp/legs',
          ...inputs,
        },
        { cwd: copyOnly, env },
      ),
      { facts: ubuntuWithBuilder(), env, source, cwd: copyOnly, client, workDir: '/t/b' },
    );

  test.each([
    ['ltsc2022', LTSC2022, '10.0.20348.2655'],
    ['ltsc2025', LTSC2025, '10.0.26100.1742'],
  ])(
    '%s: the base is checked against the leg, not against a host',
    async (release, base, osVersion) => {
      const prepared = await onLinux({
        platform: `windows/amd64:${release}`,
        'build-args': `WINDOWS_BASE=${base}`,
      });
      expect(prepared.selection).toMatchObject({ kind: 'buildx', windowsOnLinux: true });
      expect(prepared.baseImages).toEqual([
        { image: base, line: 11, digest: expect.stringMatching(/^sha256:/), osVersion },
      ]);
      expect(prepared.plan.build.args.slice(0, 6)).toEqual([
        'buildx',
        'build',
        '--builder',
        'xplat-builder',
        '--platform',
        'windows/amd64',
      ]);
    },
  );

  test("a base of another release than the leg's: the lint, and the registry behind it", async () => {
    const wrong = { platform: 'windows/amd64:ltsc2025', 'build-args': `WINDOWS_BASE=${LTSC2022}` };
    await expect(onLinux(wrong)).rejects.toThrow(
      /^file: 1 lint error for windows\/amd64:ltsc2025, first: Dockerfile:11: error XP004: /,
    );
    await expect(onLinux({ ...wrong, lint: 'false' })).rejects.toThrow(
      `windows-version: Dockerfile:11: base image ${LTSC2022} is Windows 10.0.20348.2655 (ltsc2022, windows-2022), not the leg's 10.0.26100 (ltsc2025, windows-2025); use the base image's tag for that release or change windows-version`,
    );
  });
});

describe('base images asked of their registry', () => {
  const platform = (text: string) => parsePlatform(text);
  const base = (image: string) => [{ image, line: 3 }];
  const options = (over: object = {}) => ({
    platform: platform('windows/amd64'),
    isolation: 'process' as const,
    file: 'Dockerfile',
    client,
    logger: recordingLogger(),
    ...over,
  });

  /** A multi-platform base (like mcr's dotnet images): linux plus two Windows releases. */
  async function multiReleaseIndex(): Promise<string> {
    const repo = parseReference(`${tb.openRegistry}/${uniqueRepository('winbase')}`);
    const entries = [];
    for (const ref of [tb.env('XPLAT_FIXTURE_LINUX_AMD64_REF'), LTSC2022, LTSC2025]) {
      await client.copyImage(parseReference(ref), repo);
      const got = await client.getManifest(parseReference(ref), parseReference(ref).tag!);
      const config = await client.getConfig(
        parseReference(ref),
        (got.manifest as ImageManifest).config,
      );
      entries.push({
        mediaType: got.mediaType,
        digest: got.digest,
        size: got.size,
        platform: {
          os: config.os,
          architecture: config.architecture,
          ...(config['os.version'] ? { 'os.version': config['os.version'] } : {}),
        },
      });
    }
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST_LIST,
      manifests: entries,
    };
    await client.pushManifest(repo, Buffer.from(JSON.stringify(index)), DOCKER_MANIFEST_LIST, [
      'multi',
    ]);
    return `${repo.registry}/${repo.repository}:multi`;
  }

  test('a base by digest (no release in the tag) is checked by its config', async () => {
    const byDigest = `${tb.openRegistry}/fixtures/windows@${tb.env('XPLAT_FIXTURE_WINDOWS_LTSC2025_DIGEST')}`;
    await expect(
      checkWindowsBaseImages(
        base(byDigest),
        options({ hostOsVersion: windows2022.engine.osVersion }),
      ),
    ).rejects.toThrow(
      `file: Dockerfile:3: base image ${byDigest}: Windows 10.0.26100.1742 (ltsc2025, windows-2025) cannot be built on this host, Windows 10.0.20348.3207 (ltsc2022, windows-2022): a host never runs images newer than itself; run this leg on windows-2025 (runs-on: windows-2025)`,
    );
    const ok = await checkWindowsBaseImages(
      base(byDigest),
      options({ hostOsVersion: windows2025.engine.osVersion }),
    );
    expect(ok[0]).toMatchObject({
      osVersion: '10.0.26100.1742',
      digest: tb.env('XPLAT_FIXTURE_WINDOWS_LTSC2025_DIGEST'),
    });
  });

  test('a multi-release index: the entry this host and leg can use', async () => {
    const image = await multiReleaseIndex();
    const on2022 = await checkWindowsBaseImages(
      base(image),
      options({ hostOsVersion: windows2022.engine.osVersion }),
    );
    expect(on2022[0]!.osVersion).toBe('10.0.20348.2655');
    const leg2025 = await checkWindowsBaseImages(
      base(image),
      options({
        platform: platform('windows/amd64:ltsc2025'),
        hostOsVersion: windows2025.engine.osVersion,
      }),
    );
    expect(leg2025[0]!.osVersion).toBe('10.0.26100.1742');
  });

  test("a base of another release than the leg's windows-version", async () => {
    await expect(
      checkWindowsBaseImages(
        base(LTSC2022),
        options({ platform: platform('windows/amd64:ltsc2025') }),
      ),
    ).rejects.toThrow(
      `windows-version: Dockerfile:3: base image ${LTSC2022} is Windows 10.0.20348.2655 (ltsc2022, windows-2022), not the leg's 10.0.26100 (ltsc2025, windows-2025); use the base image's tag for that release or change windows-version`,
    );
  });

  test('a Linux-only base for a Windows leg', async () => {
    await expect(
      checkWindowsBaseImages(base(tb.env('XPLAT_FIXTURE_LINUX_AMD64_REF')), options()),
    ).rejects.toThrow(
      /^file: Dockerfile:3: base image .*busybox:linux-amd64 has no windows\/amd64 image$/,
    );
  });

  test('an unreachable registry only warns: the build itself will say the rest', async () => {
    const logger = recordingLogger();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-'));
    const quick = createRegistryClient({ retry: { maxAttempts: 1 }, dockerConfigDir: dir });
    const out = await checkWindowsBaseImages(
      base('127.0.0.1:1/windows/nanoserver:ltsc2022'),
      options({ client: quick, logger }),
    );
    expect(out).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(
        /^warning: Dockerfile:3: cannot check the Windows release of base image 127\.0\.0\.1:1\/windows\/nanoserver:ltsc2022 \(/,
      ),
    );
  });
});
