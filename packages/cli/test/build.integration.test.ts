/** `xplat build`, the bundled CLI as users run it: the same library call as the action. */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readLegResult } from '@xplat/core';
import { exec } from '../../../test/exec.js';
import { repoRoot } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const fixture = path.join(repoRoot, 'packages', 'engine', 'test', 'fixtures', 'multistage');
const xplat = (...args: string[]) => xplatWith({}, ...args);
const xplatWith = (env: Record<string, string>, ...args: string[]) =>
  exec(process.execPath, [path.join(repoRoot, 'dist', 'cli', 'index.js'), ...args], {
    GITHUB_SHA: '',
    XPLAT_BUILDER: '',
    BUILDX_BUILDER: '',
    ...env,
  });
const copyOnly = path.join(repoRoot, 'packages', 'engine', 'test', 'fixtures', 'windows-on-linux');

/**
 * The docker CLI of an ubuntu-24.04 runner after setup-crossplatform-builder, as far as
 * the probe asks it (version, info, buildx version, buildx ls): buildx exists nowhere
 * here, so `--dry-run` is shown the facts of a host that has it, and runs nothing else.
 */
const FAKE_DOCKER = `#!/bin/sh
case "$*" in
  "version --format {{json .}}") echo '{"Client":{"Version":"28.0.4"},"Server":{"Version":"28.0.4"}}' ;;
  "info --format {{json .}}") echo '{"OSType":"linux","Architecture":"x86_64","KernelVersion":"6.8.0-1021-azure","ServerVersion":"28.0.4","OperatingSystem":"Ubuntu 24.04.2 LTS"}' ;;
  "buildx version") echo 'github.com/docker/buildx v0.23.0 28c90ea' ;;
  "buildx ls") cat <<'LS'
NAME/NODE             DRIVER/ENDPOINT                   STATUS    BUILDKIT   PLATFORMS
xplat-0a1b2c*         docker-container
 \\_ xplat-0a1b2c0     \\_ unix:///var/run/docker.sock   running   v0.21.1    linux/amd64 (+2), linux/386
default               docker
 \\_ default           \\_ default                       running   v0.20.2    linux/amd64 (+3), linux/386
LS
  ;;
  *) echo "fake docker: not part of a dry run: $*" >&2; exit 1 ;;
esac
`;

async function fakeDocker(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-fake-docker-'));
  const file = path.join(dir, 'docker');
  await writeFile(file, FAKE_DOCKER);
  await chmod(file, 0o755);
  return file;
}

/** The arguments without the `--label` pairs (their `created` time changes every run). */
function withoutLabels(args: readonly string[]): string[] {
  return args.filter((a, i) => a !== '--label' && args[i - 1] !== '--label');
}

describe('xplat build', () => {
  it('--dry-run prints the plan: builder and the exact docker commands', async () => {
    const image = `${tb.openRegistry}/cli-plan`;
    const run = await xplat(
      'build',
      fixture,
      '--image',
      image,
      '--platform',
      'linux/arm64',
      '--network',
      'host',
      '--dry-run',
    );
    expect(run.code).toBe(0);
    const [first, second] = run.stdout.trim().split('\n');
    expect(first).toBe(
      'builder: buildkit (docker CLI 20.10.24+dfsg1 has BuildKit built in; no buildx)',
    );
    // Outside GitHub the commit comes from git: the tag carries this checkout's short sha.
    const sha = (
      await exec('git', ['-C', repoRoot, 'rev-parse', '--short=7', 'HEAD'])
    ).stdout.trim();
    expect(second).toContain(
      `DOCKER_BUILDKIT=1 docker build --platform linux/arm64 --progress plain --file ${fixture}/Dockerfile`,
    );
    expect(second).toContain(`--tag ${image}:linux-arm64-${sha}`);
    expect(second).toContain('--build-arg TARGETOS=linux --build-arg TARGETARCH=arm64');
  });

  it.each<[string, string[], string[]]>([
    [
      'pushed',
      [],
      [
        '--cache-from',
        'type=registry,ref=IMAGE:buildcache-windows-amd64-ltsc2022',
        '--cache-to',
        'type=registry,ref=IMAGE:buildcache-windows-amd64-ltsc2022,mode=max',
        '--iidfile',
        'IID',
        '--metadata-file',
        'METADATA',
        '--provenance=false',
        '--output',
        'type=image,push=true,rewrite-timestamp=true',
      ],
    ],
    [
      'not pushed',
      ['--no-push'],
      [
        '--iidfile',
        'IID',
        '--metadata-file',
        'METADATA',
        '--provenance=false',
        '--output',
        'type=image,push=false,rewrite-timestamp=true',
      ],
    ],
  ])(
    '--dry-run --json for windows/amd64:ltsc2022 on an ubuntu runner with buildx (%s): the buildx command',
    async (_name, flags, tail) => {
      const image = `${tb.openRegistry}/cli-win-plan`;
      const base = tb.env('XPLAT_FIXTURE_WINDOWS_LTSC2022_REF');
      // Image times from a fixed SOURCE_DATE_EPOCH: the plan does not depend on whether
      // this checkout has uncommitted changes (which would fall back to the clock).
      const run = await xplatWith(
        { XPLAT_DOCKER: await fakeDocker(), SOURCE_DATE_EPOCH: '1700000000' },
        'build',
        copyOnly,
        '--image',
        image,
        '--platform',
        'windows/amd64:ltsc2022',
        '--build-arg',
        `WINDOWS_BASE=${base}`,
        ...flags,
        '--dry-run',
        '--json',
      );
      expect(run.stderr).not.toMatch(/error|fake docker/);
      expect(run.code).toBe(0);
      const sha = (
        await exec('git', ['-C', repoRoot, 'rev-parse', '--short=7', 'HEAD'])
      ).stdout.trim();
      const plan = JSON.parse(run.stdout) as {
        builder: string;
        tags: string[];
        steps: { args: string[]; env: Record<string, string> }[];
      };
      expect(plan.builder).toBe('buildx');
      expect(plan.tags).toEqual([`windows-amd64-ltsc2022-${sha}`]);
      expect(plan.steps).toHaveLength(1);
      const args = plan.steps[0]!.args;
      const files = (name: string) => args[args.indexOf(name) + 1]!;
      expect(withoutLabels(args)).toEqual([
        'buildx',
        'build',
        '--builder',
        'xplat-0a1b2c',
        '--platform',
        'windows/amd64',
        '--progress',
        'plain',
        '--file',
        path.join(copyOnly, 'Dockerfile'),
        '--build-arg',
        `WINDOWS_BASE=${base}`,
        '--build-arg',
        'SOURCE_DATE_EPOCH=1700000000',
        '--tag',
        `${image}:windows-amd64-ltsc2022-${sha}`,
        ...tail.map((a) =>
          a
            .replace('IMAGE', image)
            .replace('IID', files('--iidfile'))
            .replace('METADATA', files('--metadata-file')),
        ),
        copyOnly,
      ]);
      expect(files('--iidfile')).toMatch(/xplat-build-[a-f0-9]+\/iid$/);
      expect(args).not.toContain('--load');
      expect(plan.steps[0]!.env).toEqual({});
    },
  );

  it('windows/amd64:ltsc2022 on this engine without buildx: refused before building, a failed leg result', async () => {
    const resultDir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-'));
    const run = await xplat(
      'build',
      copyOnly,
      '--image',
      `${tb.openRegistry}/cli-win-nobuildx`,
      '--platform',
      'windows/amd64:ltsc2022',
      '--result-dir',
      resultDir,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^xplat build: --platform: windows\/amd64:ltsc2022 on this linux\/amd64 engine is built only by BuildKit in a container \(buildx, docker-container driver\), and docker CLI 20\.10\.24\+dfsg1 has no buildx plugin .*; install the buildx plugin/,
    );
    const { result } = await readLegResult(path.join(resultDir, 'windows-amd64-ltsc2022.json'));
    expect(result).toMatchObject({
      builder: 'buildx',
      builtOn: { platform: 'linux/amd64' },
      failure: { step: 'build', reason: expect.stringMatching(/^windows\/amd64:ltsc2022 on this/) },
    });
  });

  it('builds (no push) and prints the outputs as JSON', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('cli-build')}`;
    const resultDir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-'));
    const run = await xplat(
      'build',
      fixture,
      '--image',
      image,
      '--no-push',
      '--network',
      'host',
      '--cache',
      'none',
      '--result-dir',
      resultDir,
      '--tag-template',
      'cli-{os}-{arch}',
      '--json',
    );
    expect(run.code).toBe(0);
    const outputs = JSON.parse(run.stdout) as Record<string, string>;
    expect(outputs).toMatchObject({
      platform: 'linux/amd64',
      builder: 'buildkit',
      tag: `${image}:cli-linux-amd64`,
      digest: '',
    });
    expect(outputs['result-file']).toBe(path.join(resultDir, 'linux-amd64.json'));
    expect(run.stderr).toContain('builder: buildkit');
  });

  it('a bad option is one line naming the flag, exit 2', async () => {
    const run = await xplat(
      'build',
      fixture,
      '--image',
      `${tb.openRegistry}/x`,
      '--platform',
      'linux/amd64',
      '--isolation',
      'process',
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'xplat build: --isolation: isolation applies to Windows builds only; linux/amd64 is Linux',
    );
  });
});
