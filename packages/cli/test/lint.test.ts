/** `xplat lint`, through the CLI's dispatcher as users run it (minus the bundle). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { silentLogger } from '@xplat/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/cli.js';
import { repoRoot } from '../../../test/run-action.js';

async function xplat(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    logger: silentLogger,
    cwd,
    env: { LINUX_BASE: 'example/from-env:1' },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

// The dockerfile package's multi-stage fixture: a real file for the CLI to read.
const multiOsDir = path.join(repoRoot, 'packages', 'dockerfile', 'test', 'fixtures', 'multi-os');

describe('xplat lint', () => {
  it('is listed and has usage, with its exit codes', async () => {
    expect((await xplat(multiOsDir, '--help')).stdout).toMatch(/lint\s+lint a Dockerfile/);
    const help = await xplat(multiOsDir, 'lint', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: xplat lint');
    expect(help.stdout).toContain(
      'exit codes: 0 no findings or warnings only, 1 errors found, 2 the Dockerfile or the\narguments could not be used',
    );
    expect(help.stdout).toMatch(/--platform P +.*\(xplat\.yml: every platform\)/s);
  });

  it('prints findings per platform and exits 1 when one is an error', async () => {
    const run = await xplat(
      multiOsDir,
      'lint',
      '--platform',
      'linux/amd64,windows/amd64:ltsc2022',
      '--platform',
      'windows/amd64:ltsc2025',
      '--runner',
      'windows-2025',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      'linux/amd64: no findings',
      'windows/amd64:ltsc2022: 0 errors, 1 warning',
      expect.stringMatching(
        /^ {2}Dockerfile:8: warning XP002: the tag of Windows base image "golang:1.23"/,
      ),
      'windows/amd64:ltsc2025: 1 error, 1 warning',
      expect.stringMatching(/^ {2}Dockerfile:8: warning XP002: /),
      expect.stringMatching(/^ {2}Dockerfile:22: error XP004: /),
    ]);
  });

  it('exits 0 with warnings only, and prints JSON', async () => {
    const run = await xplat(
      path.dirname(multiOsDir),
      'lint',
      '--context',
      'multi-os',
      '--platform',
      'windows/amd64:ltsc2022',
      '--runner',
      'windows-2022',
      '--json',
    );
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as {
      file: string;
      errors: number;
      warnings: number;
      platforms: { platform: string; findings: { rule: string; line: number; file: string }[] }[];
    };
    expect(json.file).toBe(path.join('multi-os', 'Dockerfile'));
    expect([json.errors, json.warnings]).toEqual([0, 1]);
    expect(json.platforms[0]?.platform).toBe('windows/amd64:ltsc2022');
    expect(json.platforms[0]?.findings.map((f) => [f.rule, f.line, f.file])).toEqual([
      ['XP002', 8, path.join('multi-os', 'Dockerfile')],
    ]);
  });

  it('takes --target, --build-arg (KEY alone from the environment) and --file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-lint-'));
    try {
      await writeFile(
        path.join(dir, 'app.Dockerfile'),
        [
          'ARG LINUX_BASE=alpine:3.20',
          'ARG WIN_BASE=mcr.microsoft.com/windows/nanoserver',
          'FROM ${LINUX_BASE} AS linux',
          'FROM ${WIN_BASE} AS windows',
          '',
        ].join('\n'),
      );
      const windows = await xplat(
        dir,
        'lint',
        '-f',
        'app.Dockerfile',
        '--platform',
        'windows/amd64:ltsc2022',
      );
      expect(windows.code).toBe(1);
      expect(windows.stdout).toContain('app.Dockerfile:4: error XP001:');
      const pinned = await xplat(
        dir,
        'lint',
        '--file',
        'app.Dockerfile',
        '--platform',
        'windows/amd64:ltsc2022',
        '--build-arg',
        'WIN_BASE=mcr.microsoft.com/windows/nanoserver:ltsc2022',
      );
      expect(pinned.stdout).toBe('windows/amd64:ltsc2022: no findings');
      expect(pinned.code).toBe(0);
      const linux = await xplat(
        dir,
        'lint',
        '--file',
        'app.Dockerfile',
        '--target',
        'linux',
        '--build-arg',
        'LINUX_BASE',
        '--platform',
        'windows/amd64:ltsc2022',
      );
      // LINUX_BASE comes from the environment (example/from-env:1): not a known Linux-only
      // image, but its tag names no Windows release.
      expect(linux.stdout).toContain('"example/from-env:1" names no Windows release');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      ['--file', 'nope/Dockerfile'],
      'xplat lint: --file: nope/Dockerfile does not exist; pass the Dockerfile with --file',
    ],
    [
      ['--platform', 'linux/sparc'],
      'xplat lint: --platform: "linux/sparc" is not a platform: architecture "sparc" is not known',
    ],
    [
      ['--build-arg', '1X=2'],
      'xplat lint: --build-arg: "1X=2" is not KEY=VALUE (e.g. VERSION=1.2.3)',
    ],
    [
      ['--builder', 'kaniko'],
      'xplat lint: --builder: "kaniko" is not a builder; use buildx, buildkit, classic',
    ],
    [
      ['--target', 'nope'],
      'xplat lint: --target: stage "nope" is not in the Dockerfile; its stages are build, install-linux, install-windows, final',
    ],
    [
      ['extra'],
      'xplat lint: unexpected argument "extra"; pass the Dockerfile with --file and the context with --context',
    ],
    [['--platfrom', 'linux/amd64'], "xplat lint: Unknown option '--platfrom'"],
  ])('exits 2 with one line naming the flag on %j', async (args, message) => {
    const run = await xplat(multiOsDir, 'lint', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stderr).not.toContain('\n');
  });
});

describe('xplat lint with xplat.yml', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-lint-yml-'));
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\nRUN chmod +x /bin/sh\n');
    await writeFile(
      path.join(dir, 'win.Dockerfile'),
      'ARG WIN_BASE=mcr.microsoft.com/windows/nanoserver\nFROM ${WIN_BASE}\n',
    );
    await writeFile(
      path.join(dir, 'xplat.yml'),
      [
        'image: ghcr.io/org/app',
        'platforms:',
        '  - linux/amd64',
        '  - platform: windows/amd64:ltsc2022',
        '    dockerfile: win.Dockerfile',
        '    build-args:',
        '      WIN_BASE: mcr.microsoft.com/windows/nanoserver:ltsc2022',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lints every configured platform with its own Dockerfile and build args', async () => {
    const run = await xplat(dir, 'lint');
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual([
      'linux/amd64 (Dockerfile): no findings',
      'windows/amd64:ltsc2022 (win.Dockerfile): no findings',
    ]);
    expect(run.code).toBe(0);
  });

  it('--platform picks one; flags override the entry', async () => {
    const run = await xplat(
      dir,
      'lint',
      '--platform',
      'windows/amd64:ltsc2022',
      '--build-arg',
      'WIN_BASE=mcr.microsoft.com/windows/nanoserver',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('win.Dockerfile:2: error XP001:');
  });

  it("--platform not in xplat.yml lints its OS family's Dockerfile, never the other OS's", async () => {
    const run = await xplat(dir, 'lint', '--platform', 'windows/amd64:ltsc2025');
    // win.Dockerfile with the Windows legs' build args: the ltsc2022 base is the finding.
    expect(run.stdout).toContain('win.Dockerfile:2: error XP004:');
    expect(run.stdout).toContain(
      '--build-arg WIN_BASE=mcr.microsoft.com/windows/nanoserver:ltsc2025',
    );
    expect(run.stdout).not.toContain('XP006');
    expect(run.code).toBe(1);
  });

  it('--config that does not exist: exit 2 naming it', async () => {
    const run = await xplat(dir, 'lint', '--config', 'nope.yml');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^xplat lint: --config: nope\.yml does not exist in /);
  });
});

describe('xplat lint of legs xplat.yml prepares or builds on its own runners', () => {
  let dir: string;
  const config = (extra: string[]) =>
    writeFile(
      path.join(dir, 'xplat.yml'),
      [
        'image: ghcr.io/org/app',
        'platforms:',
        '  - linux/amd64',
        '  - platform: windows/amd64:ltsc2019',
        '    dockerfile: win.Dockerfile',
        '    runs-on: [self-hosted, windows, ltsc2019]',
        ...extra,
        '',
      ].join('\n'),
    );
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-lint-prepared-'));
    // kubernetes-csi's pattern: make writes bin/ before docker build.
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\nCOPY bin/app /app\n');
    await writeFile(
      path.join(dir, 'win.Dockerfile'),
      'FROM mcr.microsoft.com/windows/servercore:ltsc2019\nCOPY bin/app.exe C:/app.exe\n',
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a COPY source nothing writes is an error; with prepare: run steps, a warning', async () => {
    await config([]);
    const bare = await xplat(dir, 'lint');
    expect(bare.stdout).toContain('Dockerfile:2: error XP027: COPY source "bin/app" is not');
    expect(bare.code).toBe(1);

    await config(['prepare:', '  - run: make bin/app bin/app.exe']);
    const prepared = await xplat(dir, 'lint');
    expect(prepared.stdout).toContain(
      'Dockerfile:2: warning XP027: COPY source "bin/app" is not in the build context yet: the prepare: steps',
    );
    expect(prepared.stdout).not.toMatch(/: error XP/);
    expect(prepared.code).toBe(0);

    // A uses: step sets up a toolchain; it is not what writes the file.
    await config(['prepare:', '  - uses: actions/setup-go@v6']);
    expect((await xplat(dir, 'lint')).code).toBe(1);
  });

  it("takes a self-hosted runner of the leg's release as an ltsc2019 host (no XP003)", async () => {
    await config(['prepare:', '  - run: make']);
    const run = await xplat(dir, 'lint', '--platform', 'windows/amd64:ltsc2019');
    expect(run.stdout).not.toContain('XP003');
    expect(run.code).toBe(0);
    // Told it is a windows-2022 host, the same leg cannot use an ltsc2019 base.
    const hosted = await xplat(
      dir,
      'lint',
      '--platform',
      'windows/amd64:ltsc2019',
      '--runner',
      'windows-2022',
    );
    expect(hosted.stdout).toContain('error XP003');
  });
});

describe('xplat lint --json when the Dockerfile cannot be used', () => {
  it.each<[string, string | undefined, RegExp, Record<string, unknown>]>([
    [
      'an unparsable Dockerfile',
      'RUN echo before any FROM\n',
      /^Dockerfile:1: /,
      { file: 'Dockerfile', line: 1 },
    ],
    ['a missing Dockerfile', undefined, /^--file: Dockerfile does not exist/, {}],
  ])('%s: JSON with the error on stdout, exit 2', async (_name, content, error, where) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-lint-bad-'));
    try {
      if (content !== undefined) await writeFile(path.join(dir, 'Dockerfile'), content);
      const run = await xplat(dir, 'lint', '--json');
      expect(run.code).toBe(2);
      const json = JSON.parse(run.stdout) as {
        error: string;
        errors: number;
        platforms: unknown[];
      };
      expect(json.error).toMatch(error);
      expect(json).toMatchObject(where);
      expect(json.platforms).toEqual([]);
      expect(run.stderr.split('\n')).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
