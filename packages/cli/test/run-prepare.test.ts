/**
 * `prepare:` steps in `xplat run`: which shell runs a `run:` script and how (as GitHub
 * Actions runs a `run:` step: the script in a temporary file, given to the shell), as a
 * table for every OS; and real runs of bash and sh scripts on this machine.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Logger } from '@xplat/core';
import { loadConfig, type ResolvedLeg } from '@xplat/workflow';
import {
  scriptContent,
  scriptExtension,
  shellCommand,
  type PrepareShell,
  type ShellHost,
} from '../src/run/prepare-shell.js';
import { ciOnlySteps, legStepEnv, runPrepareSteps } from '../src/run/prepare-steps.js';

const linux: ShellHost = { os: 'linux', has: () => true };
const linuxNoBash: ShellHost = { os: 'linux', has: (p) => p !== 'bash' };
const windows: ShellHost = {
  os: 'windows',
  has: () => true,
  comSpec: 'C:\\Windows\\system32\\cmd.exe',
};
const windowsNoPwsh: ShellHost = { os: 'windows', has: (p) => p !== 'pwsh' };

describe('shellCommand: as GitHub Actions runs a run: step', () => {
  it.each<[string, PrepareShell | undefined, ShellHost, string, string[], boolean]>([
    ['unspecified on Linux', undefined, linux, 'bash', ['-e', '/t/s.sh'], false],
    ['unspecified, no bash', undefined, linuxNoBash, 'sh', ['-e', '/t/s.sh'], false],
    ['bash', 'bash', linux, 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', '/t/s.sh'], false],
    ['sh', 'sh', linux, 'sh', ['-e', '/t/s.sh'], false],
    ['python', 'python', linux, 'python', ['/t/s.sh'], false],
    ['pwsh on Linux', 'pwsh', linux, 'pwsh', ['-command', ". '/t/s.sh'"], false],
    ['unspecified on Windows', undefined, windows, 'pwsh', ['-command', ". '/t/s.sh'"], false],
    [
      'unspecified on Windows without pwsh',
      undefined,
      windowsNoPwsh,
      'powershell',
      ['-command', ". '/t/s.sh'"],
      false,
    ],
    [
      'cmd',
      'cmd',
      windows,
      'C:\\Windows\\system32\\cmd.exe',
      ['/D', '/E:ON', '/V:OFF', '/S', '/C', '"CALL "/t/s.sh""'],
      true,
    ],
  ])('%s', (_, shell, host, command, args, verbatim) => {
    expect(shellCommand(shell, '/t/s.sh', host)).toMatchObject({ command, args, verbatim });
  });

  it("a quote in the script's path is doubled for PowerShell", () => {
    expect(shellCommand('pwsh', "C:\\Users\\o'neil\\s.ps1", windows).args).toEqual([
      '-command',
      ". 'C:\\Users\\o''neil\\s.ps1'",
    ]);
  });

  it('PowerShell scripts stop on errors and exit with the last exit code; others are as written', () => {
    expect(scriptContent('pwsh', 'make build')).toBe(
      "$ErrorActionPreference = 'stop'\nmake build\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }",
    );
    expect(scriptContent('bash', 'make build')).toBe('make build');
    expect(
      ['pwsh', 'powershell', 'cmd', 'bash'].map((s) => scriptExtension(s as PrepareShell)),
    ).toEqual(['.ps1', '.ps1', '.cmd', '.sh']);
  });
});

describe('runPrepareSteps on this machine', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-prepare-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const legOf = (prepare: string, platform = 'linux/arm64'): ResolvedLeg =>
    loadConfig(`image: ghcr.io/org/app\nplatforms: [${platform}]\nprepare:\n${prepare}`).images[0]!
      .legs[0]!;
  const capture = () => {
    const lines: string[] = [];
    const log: Logger = {
      debug: () => undefined,
      info: (m) => lines.push(m),
      warning: (m) => lines.push(`warning: ${m}`),
      group: (_, fn) => fn(),
    };
    return { lines, log };
  };

  it('runs run: steps in order with the leg platform and step env; lists uses: as CI-only', async () => {
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    const leg = legOf(
      [
        '  - uses: actions/setup-go@v6',
        '  - run: echo "$TARGETOS/$TARGETARCH/$TARGETVARIANT $XPLAT_PLATFORM $FROM_STEP" > out.txt',
        '    env: { FROM_STEP: step-env }',
        '  - run: pwd > where.txt; set -o | grep -q "pipefail.*on" && echo pipefail >> where.txt || true',
        '    working-directory: sub',
        '    shell: bash',
      ].join('\n'),
    );
    const { lines, log } = capture();
    await runPrepareSteps(leg, { projectDir: dir, env: process.env, log });
    expect(await readFile(path.join(dir, 'out.txt'), 'utf8')).toBe(
      'linux/arm64/v8 linux/arm64 step-env\n',
    );
    // working-directory, and shell: bash runs with pipefail as GitHub's does.
    expect(await readFile(path.join(dir, 'sub', 'where.txt'), 'utf8')).toBe(
      `${path.join(dir, 'sub')}\npipefail\n`,
    );
    expect(lines[0]).toBe(
      'prepare step 1 (actions/setup-go@v6): runs in CI only: actions/setup-go@v6',
    );
    expect(lines[1]).toMatch(/^prepare step 2 \(echo .*\): bash -e \/\S+\/step-2\.sh \(in /);
    expect(ciOnlySteps(leg)).toEqual(['actions/setup-go@v6']);
    expect(legStepEnv(leg)).toEqual({
      TARGETOS: 'linux',
      TARGETARCH: 'arm64',
      TARGETVARIANT: 'v8',
      XPLAT_PLATFORM: 'linux/arm64',
    });
  });

  it('a failing step stops the leg with its exit code and the tail of its output, logged', async () => {
    const leg = legOf(
      [
        '  - name: compile',
        '    run: |',
        '      echo "compiling for $TARGETARCH"',
        '      echo "error: no such target" >&2',
        '      exit 3',
        '  - run: touch never.txt',
      ].join('\n'),
      'linux/amd64',
    );
    const { lines, log } = capture();
    await expect(runPrepareSteps(leg, { projectDir: dir, env: process.env, log })).rejects.toThrow(
      'prepare step 1 (compile) exited with 3: compiling for amd64 | error: no such target',
    );
    expect(lines).toContain('error: no such target');
    await expect(readFile(path.join(dir, 'never.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('sh runs with -e: the first failing command ends the script', async () => {
    const leg = legOf(
      ['  - shell: sh', '    run: |', '      false', '      echo reached'].join('\n'),
    );
    const { lines, log } = capture();
    await expect(runPrepareSteps(leg, { projectDir: dir, env: process.env, log })).rejects.toThrow(
      /^prepare step 1 \(false\) exited with 1$/,
    );
    expect(lines).not.toContain('reached');
  });

  it('a shell that is not installed is named, with what to do', async () => {
    const leg = legOf(['  - run: echo hi', '    shell: pwsh'].join('\n'));
    const { log } = capture();
    await expect(
      runPrepareSteps(leg, {
        projectDir: dir,
        env: { ...process.env, PATH: '/nonexistent' },
        log,
      }),
    ).rejects.toThrow(
      /^prepare step 1 \(echo hi\): cannot run pwsh: .*install it or set shell: in xplat\.yml$/,
    );
  });
});
