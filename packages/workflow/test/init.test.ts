/**
 * `xplat init` on repositories laid out like real ones (fixtures/repos, each naming the
 * project it is modelled on): which files it picks, the legs each file gives, what it
 * leaves out and why, and that what it writes loads, lints clean and passes actionlint.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { lintDockerfile, parseDockerfile } from '@xplat/dockerfile';
import { ensureXplatIgnored, ignoresXplatState } from '../src/gitignore.js';
import { findDockerfiles, isWindowsByName } from '../src/dockerfile-files.js';
import { formatLeftOut, initRepository, loadConfig } from '../src/index.js';
import { groupImages } from '../src/image-groups.js';
import { leavesLegOut, legLintOptions } from '../src/propose-check.js';
import { type InitResult, proposeInit } from '../src/init.js';
import { formatFindings, validateWorkflows, type Finding } from './validators.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repos = path.join(here, 'fixtures', 'repos');

function copyRepo(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `xplat-init-${name}-`));
  cpSync(path.join(repos, name), dir, { recursive: true });
  return dir;
}

/** [platform, dockerfile, context, build args] of each leg of the written xplat.yml. */
type Leg = [string, string, string, Record<string, string>];

interface Case {
  readonly repo: string;
  readonly legs: readonly Leg[];
  /** Substrings of the left-out lines, in order. */
  readonly leftOut: readonly string[];
  /** Top-level fields of xplat.yml that say where legs build from. */
  readonly yaml: Record<string, unknown>;
}

const CASES: readonly Case[] = [
  {
    repo: 'side-by-side',
    legs: [
      ['linux/amd64', 'Dockerfile', '.', {}],
      ['linux/arm64', 'Dockerfile', '.', {}],
      // Its Windows stages only copy: built on Linux, so ltsc2019 too (not smoke-tested).
      ['windows/amd64:ltsc2019', 'Dockerfile.windows', '.', { WINDOWS_VERSION: 'ltsc2019' }],
      ['windows/amd64:ltsc2022', 'Dockerfile.windows', '.', { WINDOWS_VERSION: 'ltsc2022' }],
      ['windows/amd64:ltsc2025', 'Dockerfile.windows', '.', { WINDOWS_VERSION: 'ltsc2025' }],
    ],
    leftOut: [],
    yaml: { windows: { dockerfile: 'Dockerfile.windows', 'build-on': 'linux' } },
  },
  {
    repo: 'windows-hostprocess',
    legs: [['windows/amd64:ltsc2022', 'Dockerfile', '.', {}]],
    leftOut: [],
    yaml: { windows: { 'build-on': 'linux' } },
  },
  {
    repo: 'dockerfiles-folder',
    legs: [
      ['linux/amd64', 'dockerfiles/Dockerfile', '.', {}],
      ['linux/arm64', 'dockerfiles/Dockerfile', '.', {}],
      [
        'windows/amd64:ltsc2022',
        'dockerfiles/Dockerfile.windows',
        '.',
        { WINDOWS_VERSION: 'ltsc2022' },
      ],
      [
        'windows/amd64:ltsc2025',
        'dockerfiles/Dockerfile.windows',
        '.',
        { WINDOWS_VERSION: 'ltsc2025' },
      ],
    ],
    leftOut: ['linux/arm64 from dockerfiles/Dockerfile.arm64v8: built from dockerfiles/Dockerfile'],
    yaml: {
      dockerfile: 'dockerfiles/Dockerfile',
      windows: { dockerfile: 'dockerfiles/Dockerfile.windows' },
    },
  },
  {
    repo: 'untagged-windows',
    legs: [
      ['linux/amd64', 'Dockerfile', '.', {}],
      ['linux/arm64', 'Dockerfile', '.', {}],
    ],
    leftOut: [
      'windows/amd64:ltsc2022 from Dockerfile.windows: lints with errors: Dockerfile.windows:1: error XP001',
    ],
    yaml: {},
  },
  {
    repo: 'windows-folder',
    legs: [
      ['linux/amd64', 'Dockerfile', '.', {}],
      ['linux/arm64', 'Dockerfile', '.', {}],
      ['windows/amd64:ltsc2022', 'windows/ltsc2022/Dockerfile', '.', {}],
      ['windows/amd64:ltsc2025', 'windows/ltsc2025/Dockerfile', '.', {}],
    ],
    leftOut: [],
    yaml: { windows: { 'build-on': 'linux' } },
  },
  {
    repo: 'nanoserver-arg',
    legs: [
      ['windows/amd64:ltsc2019', 'Dockerfile.Windows', '.', { BASE_TAG: '1809' }],
      ['windows/amd64:ltsc2022', 'Dockerfile.Windows', '.', { BASE_TAG: 'ltsc2022' }],
      ['windows/amd64:ltsc2025', 'Dockerfile.Windows', '.', { BASE_TAG: 'ltsc2025' }],
    ],
    leftOut: [],
    yaml: { dockerfile: 'Dockerfile.Windows', windows: { 'build-on': 'linux' } },
  },
];

describe('xplat init on real layouts', () => {
  const results = new Map<string, { dir: string; result: InitResult }>();
  let findings: Map<string, Finding[]>;
  beforeAll(async () => {
    for (const c of CASES) {
      const dir = copyRepo(c.repo);
      results.set(c.repo, {
        dir,
        result: await initRepository({ dir, image: `ghcr.io/acme/${c.repo}` }),
      });
    }
    findings = await validateWorkflows(
      CASES.map((c) => ({
        file: `${c.repo}.yml`,
        text: readFileSync(
          path.join(results.get(c.repo)!.dir, '.github', 'workflows', 'xplat.yml'),
          'utf8',
        ),
      })),
    );
  });

  it.each(CASES.map((c) => [c.repo, c] as const))(
    '%s: legs from the right file, and what was left out',
    (_name, c) => {
      const { dir, result } = results.get(c.repo)!;
      const text = readFileSync(path.join(dir, 'xplat.yml'), 'utf8');
      const config = loadConfig(text);
      expect(
        config.images[0]!.legs.map((l): Leg => [l.name, l.dockerfile, l.context, l.buildArgs]),
      ).toEqual(c.legs);
      const leftOut = (result.proposal.leftOut ?? []).map(formatLeftOut);
      expect(leftOut).toHaveLength(c.leftOut.length);
      c.leftOut.forEach((want, i) => expect(leftOut[i]).toContain(want));
      // The header says it too.
      for (const line of leftOut) expect(text).toContain(`# - left out ${line}`);
      const data = parse(text) as Record<string, unknown>;
      for (const key of ['context', 'dockerfile', 'linux', 'windows'])
        expect([key, data[key]]).toEqual([key, c.yaml[key]]);
    },
  );

  it.each(CASES.map((c) => c.repo))('%s: every proposed leg lints without errors', async (name) => {
    const { dir, result } = results.get(name)!;
    for (const leg of result.config.images[0]!.legs) {
      const parsed = parseDockerfile({
        file: leg.dockerfile,
        text: readFileSync(path.join(dir, leg.dockerfile), 'utf8'),
      });
      const proposed = result.proposal.platforms.find((p) => p.platform === leg.name)!;
      const errors = (
        await lintDockerfile(
          parsed,
          legLintOptions(proposed, leg.platform, path.join(dir, leg.context)),
        )
      ).filter(leavesLegOut);
      expect([leg.name, errors]).toEqual([leg.name, []]);
    }
  });

  it.each(CASES.map((c) => c.repo))('%s: the workflow passes actionlint and the parser', (name) => {
    expect(formatFindings(`${name}.yml`, findings.get(`${name}.yml`)!)).toBe('');
  });

  it('builds each leg from its own file in the generated workflow', () => {
    const { dir } = results.get('side-by-side')!;
    const workflow = readFileSync(path.join(dir, '.github', 'workflows', 'xplat.yml'), 'utf8');
    expect(workflow).toContain('file: ${{ matrix.file }}');
    expect(workflow).toMatch(
      /platform: linux\/amd64\n\s+pair: linux-amd64\n[^]*?file: Dockerfile\n/,
    );
    expect(workflow).toMatch(/platform: windows\/amd64:ltsc2025\n[^]*?file: Dockerfile\.windows\n/);
  });

  it('proposes no Linux leg for a Windows-only image', () => {
    for (const name of ['windows-hostprocess', 'nanoserver-arg']) {
      const { result } = results.get(name)!;
      expect(result.config.images[0]!.legs.every((l) => l.platform.os === 'windows')).toBe(true);
    }
  });
});

describe('xplat init and .gitignore', () => {
  it('creates .gitignore, adds the line once, and keeps what was there', async () => {
    const dir = copyRepo('side-by-side');
    const first = await initRepository({ dir, image: 'ghcr.io/a/b' });
    expect(first.gitignore).toBe('added');
    expect(first.written).toEqual(['xplat.yml', '.github/workflows/xplat.yml', '.gitignore']);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(
      'bin/\n# xplat run state (xplat run, the local registry)\n.xplat/\n',
    );
    const again = await initRepository({ dir, image: 'ghcr.io/a/b', force: true });
    expect(again.gitignore).toBe('present');
    expect(again.written).toEqual(['xplat.yml', '.github/workflows/xplat.yml']);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').match(/\.xplat\//g)).toHaveLength(1);

    const bare = copyRepo('windows-hostprocess');
    expect(existsSync(path.join(bare, '.gitignore'))).toBe(false);
    expect((await initRepository({ dir: bare, image: 'ghcr.io/a/b' })).gitignore).toBe('created');
    expect(readFileSync(path.join(bare, '.gitignore'), 'utf8')).toContain('\n.xplat/\n');
  });

  it.each([
    ['.xplat/\n', true],
    ['/.xplat\n', true],
    ['node_modules\r\n.xplat\r\n', true],
    ['.xplat/\n!.xplat/\n', false],
    ['.xplatform/\n', false],
    ['# .xplat/\n', false],
  ])('%j ignores .xplat/: %s', (text, ignored) => {
    expect(ignoresXplatState(text)).toBe(ignored);
  });

  it('keeps CRLF line endings and adds a missing final newline', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-gitignore-'));
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules\r\ndist');
    expect(await ensureXplatIgnored(dir)).toBe('added');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(
      'node_modules\r\ndist\r\n# xplat run state (xplat run, the local registry)\r\n.xplat/\r\n',
    );
  });
});

describe('finding Dockerfiles', () => {
  it.each([
    ['Dockerfile.windows', true],
    ['windows.Dockerfile', true],
    ['Dockerfile-win', true],
    ['app.nanoserver', true],
    ['Dockerfile.ltsc2022', true],
    ['windows/ltsc2022/Dockerfile', true],
    ['build/Windows/Dockerfile', true],
    ['Dockerfile', false],
    ['Dockerfile.window-manager', false],
    ['Dockerfile.arm64v8', false],
    ['winter/Dockerfile', false],
  ])('%s is Windows by name: %s', (file, windows) => {
    expect(isWindowsByName(file)).toBe(windows);
  });

  it('finds every Dockerfile by name and groups those of one image', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-find-all-'));
    for (const f of [
      'Dockerfile',
      'Dockerfile.windows',
      'Dockerfile.dockerignore',
      'Dockerfile.tmpl',
      'README.md',
      'app.nanoserver',
      'windows/ltsc2025/Dockerfile',
      'tools/lint.Dockerfile',
      // vmware-tanzu/velero: the documentation website's Hugo server.
      'site/Dockerfile',
      'node_modules/x/Dockerfile',
    ]) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), 'FROM alpine:3.20\n');
    }
    const found = findDockerfiles(dir);
    expect(found).toEqual([
      'app.nanoserver',
      'Dockerfile',
      'Dockerfile.windows',
      'site/Dockerfile',
      'tools/lint.Dockerfile',
      'windows/ltsc2025/Dockerfile',
    ]);
    expect(groupImages(found, 'repo')).toEqual({
      images: [
        { name: 'app', files: ['app.nanoserver'] },
        {
          name: 'repo',
          files: ['Dockerfile', 'Dockerfile.windows', 'windows/ltsc2025/Dockerfile'],
        },
      ],
      secondary: ['site/Dockerfile', 'tools/lint.Dockerfile'],
    });
  });
});

describe('grouping Dockerfiles into images', () => {
  it.each<[string, string[], { name: string; files: string[] }[], string[]]>([
    [
      // microsoft/dotnet-framework-docker: src/<image>/<version>/windowsservercore-<release>/.
      'one folder per release under the version',
      [
        'eng/docker-tools/Dockerfile.syft',
        'src/runtime/4.8.1/windowsservercore-ltsc2022/Dockerfile',
        'src/runtime/4.8.1/windowsservercore-ltsc2025/Dockerfile',
      ],
      [
        {
          name: '4-8-1',
          files: [
            'src/runtime/4.8.1/windowsservercore-ltsc2022/Dockerfile',
            'src/runtime/4.8.1/windowsservercore-ltsc2025/Dockerfile',
          ],
        },
      ],
      ['eng/docker-tools/Dockerfile.syft'],
    ],
    [
      // kubernetes-sigs/sig-storage-local-static-provisioner: deployment/docker/ holds the
      // repository's own image, named after the repository.
      'a deployment/docker/ folder names no image',
      [
        'cmd/node-cleanup/Dockerfile',
        'deployment/docker/Dockerfile',
        'deployment/docker/Dockerfile.Windows',
      ],
      [
        { name: 'node-cleanup', files: ['cmd/node-cleanup/Dockerfile'] },
        {
          name: 'repo',
          files: ['deployment/docker/Dockerfile', 'deployment/docker/Dockerfile.Windows'],
        },
      ],
      [],
    ],
  ])('%s', (_what, files, images, secondary) => {
    expect(groupImages(files, 'repo')).toEqual({ images, secondary });
  });
});

describe('xplat init and files Docker cannot read', () => {
  // microsoft/dotnet-framework-docker: eng/dockerfile-templates/ holds templates named
  // Dockerfile (`FROM $REPO:{{VERSION}}-windowsservercore-{{OS_VERSION}}`).
  const template = 'FROM $REPO:{{VERSION}} {{OS_VERSION}}\n';
  const image = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo hi\n';

  it.each<[string, string[], string | undefined]>([
    ['a found template is left out, the image is proposed', [], undefined],
    ['a template given with --dockerfile is an error', ['gen/Dockerfile'], 'FROM takes'],
  ])('%s', async (_what, given, error) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-template-'));
    mkdirSync(path.join(dir, 'gen'));
    writeFileSync(path.join(dir, 'gen', 'Dockerfile'), template);
    writeFileSync(path.join(dir, 'Dockerfile'), image);
    const run = proposeInit({ dir, image: 'ghcr.io/a/b', dockerfiles: given });
    if (error) return expect(run).rejects.toThrow(error);
    const proposal = await run;
    expect(proposal.images.map((i) => i.files)).toEqual([['Dockerfile']]);
    expect(proposal.skipped).toEqual([
      {
        file: 'gen/Dockerfile',
        reason: expect.stringMatching(/^not a Dockerfile Docker can read: /),
      },
    ]);
  });
});
