/** `xplat init`, `generate` (and --check), `plan`, run as users run them: dist/cli/index.js. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { exec } from '../../../test/exec.js';
import { repoRoot } from '../../../test/run-action.js';
import { attestationSubject } from '../src/generate-steps.js';
import { loadConfig } from '../src/index.js';
import { REUSABLE_WORKFLOW_FILE } from '../src/reusable.js';
import { STARTER_WORKFLOW_FILE } from '../src/starter.js';
import { formatFindings, validateWorkflow } from './validators.js';

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const xplat = (...args: string[]) => exec(process.execPath, [cli, ...args]);
const EXAMPLE = path.join(repoRoot, 'examples', 'hello-http');
const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), `xplat-${prefix}-`));

describe('xplat generate', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmp('gen');
    writeFileSync(
      path.join(dir, 'xplat.yml'),
      'image: ghcr.io/acme/app\nplatforms: [linux/amd64, windows/amd64:ltsc2022]\nsmoke: {port: 8080, path: /}\n',
    );
  });

  it('writes the workflow, then --check passes', async () => {
    const wrote = await xplat('generate', '--dir', dir);
    expect(wrote.stderr).toBe('');
    expect(wrote.code).toBe(0);
    expect(wrote.stdout).toContain(
      'wrote .github/workflows/xplat.yml (linux/amd64, windows/amd64:ltsc2022)',
    );
    const check = await xplat('generate', '--check', '--dir', dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('is up to date');
  });

  it('--check fails with a diff when the committed workflow is stale', async () => {
    const file = path.join(dir, '.github', 'workflows', 'xplat.yml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('timeout-minutes: 60', 'timeout-minutes: 30'));
    const check = await xplat('generate', '--check', '--dir', dir);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('.github/workflows/xplat.yml is stale: run xplat generate');
    expect(check.stdout).toContain('--- .github/workflows/xplat.yml (committed)');
    expect(check.stdout).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    expect(check.stdout).toContain('-    timeout-minutes: 30\n+    timeout-minutes: 60');

    // A changed xplat.yml makes the committed workflow stale too.
    await xplat('generate', '--dir', dir);
    writeFileSync(
      path.join(dir, 'xplat.yml'),
      'image: ghcr.io/acme/app\nplatforms: [linux/amd64, linux/arm64, windows/amd64:ltsc2022]\nsmoke: {port: 8080, path: /}\n',
    );
    const drift = await xplat('generate', '--check', '--dir', dir);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('+          - platform: linux/arm64');

    rmSync(file);
    const missing = await xplat('generate', '--check', '--dir', dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });

  it('fails in one line per problem naming file, line and field', async () => {
    const bad = tmp('bad');
    writeFileSync(
      path.join(bad, 'xplat.yml'),
      'image: ghcr.io/acme/app\nplatforms:\n  - windows/amd64:ltsc2019\n',
    );
    const run = await xplat('generate', '--dir', bad);
    // A file that cannot be used: exit 2, as for every command.
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^xplat generate: xplat\.yml:3:5: platforms\[0\]: ltsc2019 has no GitHub-hosted runner/,
    );
    expect(existsSync(path.join(bad, '.github'))).toBe(false);
    const none = await xplat('generate', '--dir', tmp('none'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('xplat.yml does not exist');
  });

  it('keeps this repository generated files up to date', async () => {
    const usesOf = (file: string, re: RegExp) =>
      re.exec(readFileSync(path.join(repoRoot, file), 'utf8'))![1]!;
    const checks = [
      ['--reusable', '--pin-actions', '--dir', repoRoot],
      [
        '--starter',
        '--uses',
        usesOf(STARTER_WORKFLOW_FILE, /uses: ([\w.-]+\/[\w.-]+)\/\.github/) +
          '@' +
          usesOf(STARTER_WORKFLOW_FILE, /xplat-reusable\.yml@(\S+)/),
        '--dir',
        repoRoot,
      ],
      ['--schema', '--dir', repoRoot],
      ['--dir', EXAMPLE],
    ];
    for (const args of checks) {
      const run = await xplat('generate', '--check', ...args);
      expect({ args, code: run.code, output: run.stdout + run.stderr }).toMatchObject({ code: 0 });
    }
  });
});

describe('xplat plan', () => {
  it('prints the matrix as a table and as JSON', async () => {
    const table = await xplat('plan', '--dir', EXAMPLE);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /linux\/arm64\s+ubuntu-24\.04-arm \(native\)\s+ubuntu-24\.04-arm\s+Dockerfile\s+http :8080\/\s+xplat-leg-hello-http--linux-arm64/,
    );
    expect(table.stdout).toMatch(
      /windows\/amd64:ltsc2025\s+ubuntu-24\.04 \(BuildKit\)\s+windows-2025\s/,
    );
    expect(table.stdout).toContain(
      'gate: fuse ghcr.io/xplat-dev/hello-http only when all 5 platforms passed',
    );

    const json = await xplat('plan', '--dir', EXAMPLE, '--json');
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout) as {
      expectedPlatforms: string[];
      legs: { platform: string; runsOn: string; smokeSkip?: string }[];
      matrix: { include: { platform: string; 'runs-on': string }[] };
    };
    // The build runner is the matrix's; the smoke runner is the leg's runsOn.
    expect(plan.matrix.include.map((l) => [l.platform, l['runs-on']])).toEqual([
      ['linux/amd64', 'ubuntu-24.04'],
      ['linux/arm64', 'ubuntu-24.04-arm'],
      ['windows/amd64:ltsc2019', 'ubuntu-24.04'],
      ['windows/amd64:ltsc2022', 'ubuntu-24.04'],
      ['windows/amd64:ltsc2025', 'ubuntu-24.04'],
    ]);
    expect(plan.legs.map((l) => [l.platform, l.runsOn, l.smokeSkip ?? ''])).toEqual([
      ['linux/amd64', 'ubuntu-24.04', ''],
      ['linux/arm64', 'ubuntu-24.04-arm', ''],
      ['windows/amd64:ltsc2019', 'ubuntu-24.04', 'no GitHub-hosted ltsc2019 runner to run it on'],
      ['windows/amd64:ltsc2022', 'windows-2022', ''],
      ['windows/amd64:ltsc2025', 'windows-2025', ''],
    ]);
    expect(plan.expectedPlatforms).toEqual(plan.matrix.include.map((l) => l.platform));
  });
});

describe('xplat generate with Dependabot', () => {
  it('keeps an action Dependabot bumped, and --check passes; any other edit fails it', async () => {
    const dir = tmp('gen-dependabot');
    writeFileSync(
      path.join(dir, 'xplat.yml'),
      'image: ghcr.io/acme/app\nplatforms: [linux/amd64, windows/amd64:ltsc2022]\n',
    );
    expect((await xplat('generate', '--dir', dir)).code).toBe(0);
    const file = path.join(dir, '.github/workflows/xplat.yml');
    const original = readFileSync(file, 'utf8');
    expect(original).toContain('uses: docker/metadata-action@v6\n');

    // What Dependabot writes for docker/metadata-action 6 -> 7.
    writeFileSync(
      file,
      original.replaceAll('docker/metadata-action@v6', 'docker/metadata-action@v7'),
    );
    const check = await xplat('generate', '--check', '--dir', dir);
    expect({ code: check.code, out: check.stdout }).toMatchObject({ code: 0 });
    expect(check.stdout).toContain(
      "kept docker/metadata-action@v7 from the committed .github/workflows/xplat.yml: newer than xplat's v6",
    );
    expect((await xplat('generate', '--dir', dir)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      original.replaceAll('docker/metadata-action@v6', 'docker/metadata-action@v7'),
    );

    // An older version is drift, and so is anything else next to the bump.
    writeFileSync(
      file,
      original.replaceAll('docker/metadata-action@v6', 'docker/metadata-action@v5'),
    );
    expect((await xplat('generate', '--check', '--dir', dir)).code).toBe(1);
    writeFileSync(
      file,
      original
        .replaceAll('docker/metadata-action@v6', 'docker/metadata-action@v7')
        .replace('retention-days: 7', 'retention-days: 3'),
    );
    const drift = await xplat('generate', '--check', '--dir', dir);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('-          retention-days: 3\n+          retention-days: 7');
  });

  it('--uses points the workflow at a fork', async () => {
    const dir = tmp('gen-uses');
    writeFileSync(
      path.join(dir, 'xplat.yml'),
      'image: ghcr.io/acme/app\nplatforms: [linux/amd64]\n',
    );
    expect((await xplat('generate', '--dir', dir, '--uses', 'fork/xplat@v1.2.3')).code).toBe(0);
    const text = readFileSync(path.join(dir, '.github/workflows/xplat.yml'), 'utf8');
    expect(text).toContain('uses: fork/xplat/actions/fuse-manifest@v1.2.3');
    expect(text).not.toContain('xplat-dev/xplat');
  });
});

describe('xplat init', () => {
  it('on the example, proposes the example config and writes a valid workflow', async () => {
    const dir = tmp('init');
    for (const f of ['Dockerfile', 'serve.ps1', 'www'])
      cpSync(path.join(EXAMPLE, f), path.join(dir, f), { recursive: true });
    const run = await exec(process.execPath, [
      cli,
      'init',
      '--dir',
      dir,
      '--image',
      'ghcr.io/xplat-dev/hello-http',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wrote xplat.yml, .github/workflows/xplat.yml');

    const proposed = loadConfig(readFileSync(path.join(dir, 'xplat.yml'), 'utf8'));
    const example = loadConfig(readFileSync(path.join(EXAMPLE, 'xplat.yml'), 'utf8'));
    const legs = (c: typeof example) =>
      c.images[0]!.legs.map((l) => [l.name, l.buildRunner.runsOn, l.buildArgs, l.smoke.port]);
    expect(legs(proposed)).toEqual(legs(example));
    expect(proposed.images[0]!.image).toBe(example.images[0]!.image);

    const workflow = readFileSync(path.join(dir, '.github', 'workflows', 'xplat.yml'), 'utf8');
    expect(formatFindings('xplat.yml', await validateWorkflow(workflow, 'xplat.yml'))).toBe('');
    expect((await exec(process.execPath, [cli, 'generate', '--check', '--dir', dir])).code).toBe(0);

    // Never over existing files without --force.
    writeFileSync(path.join(dir, 'xplat.yml'), '# mine\n');
    const again = await xplat('init', '--dir', dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'xplat init: xplat.yml and .github/workflows/xplat.yml already exist: not overwriting',
    );
    expect(readFileSync(path.join(dir, 'xplat.yml'), 'utf8')).toBe('# mine\n');
    const forced = await xplat(
      'init',
      '--dir',
      dir,
      '--force',
      '--platforms',
      'linux/amd64',
      '--image',
      'ghcr.io/a/b',
    );
    expect(forced.code).toBe(0);
    expect(parse(readFileSync(path.join(dir, 'xplat.yml'), 'utf8'))).toEqual({
      image: 'ghcr.io/a/b',
      platforms: ['linux/amd64'],
      smoke: { port: 8080, path: '/' },
    });
  });

  it('on Dockerfile + Dockerfile.windows, builds Linux legs from one and Windows legs from the other', async () => {
    const dir = tmp('init-pair');
    cpSync(path.join(here, 'fixtures', 'repos', 'side-by-side'), dir, { recursive: true });
    const run = await xplat('init', '--dir', dir, '--image', 'ghcr.io/acme/pair');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('from Dockerfile and Dockerfile.windows:');
    expect(run.stdout).toMatch(
      /windows\/amd64:ltsc2025\s+ubuntu-24\.04 \(BuildKit\)\s+windows-2025\s+Dockerfile\.windows\s/,
    );
    expect(run.stdout).toMatch(
      /linux\/arm64\s+ubuntu-24\.04-arm \(native\)\s+ubuntu-24\.04-arm\s+Dockerfile\s/,
    );
    expect(run.stdout).toContain('wrote xplat.yml, .github/workflows/xplat.yml, .gitignore');
    expect(run.stdout).toContain('added .xplat/ to .gitignore');

    const config = loadConfig(readFileSync(path.join(dir, 'xplat.yml'), 'utf8'));
    expect(config.images[0]!.legs.map((l) => [l.name, l.dockerfile])).toEqual([
      ['linux/amd64', 'Dockerfile'],
      ['linux/arm64', 'Dockerfile'],
      ['windows/amd64:ltsc2019', 'Dockerfile.windows'],
      ['windows/amd64:ltsc2022', 'Dockerfile.windows'],
      ['windows/amd64:ltsc2025', 'Dockerfile.windows'],
    ]);
    const workflow = readFileSync(path.join(dir, '.github', 'workflows', 'xplat.yml'), 'utf8');
    const legs = (
      parse(workflow) as {
        jobs: {
          build: { strategy: { matrix: { include: { platform: string; file: string }[] } } };
        };
      }
    ).jobs.build.strategy.matrix.include;
    expect(legs.map((l) => [l.platform, l.file])).toEqual(
      config.images[0]!.legs.map((l) => [l.name, l.dockerfile]),
    );
    expect(workflow).toContain('file: ${{ matrix.file }}');
    expect(formatFindings('xplat.yml', await validateWorkflow(workflow, 'xplat.yml'))).toBe('');
    expect((await xplat('generate', '--check', '--dir', dir)).code).toBe(0);

    const json = JSON.parse((await xplat('plan', '--dir', dir, '--json')).stdout) as {
      legs: { platform: string; dockerfile: string; context: string }[];
      matrix: { include: { file: string }[] };
    };
    expect(json.legs.map((l) => l.dockerfile)).toEqual([
      'Dockerfile',
      'Dockerfile',
      'Dockerfile.windows',
      'Dockerfile.windows',
      'Dockerfile.windows',
    ]);
    expect(json.matrix.include.map((l) => l.file)).toEqual(json.legs.map((l) => l.dockerfile));

    // A second init (forced) does not add the line again.
    const again = await xplat('init', '--dir', dir, '--image', 'ghcr.io/acme/pair', '--force');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('.gitignore already ignores .xplat/');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').match(/^\.xplat\/$/gm)).toHaveLength(
      1,
    );
  });

  it('says what it left out and why', async () => {
    const dir = tmp('init-left');
    cpSync(path.join(here, 'fixtures', 'repos', 'untagged-windows'), dir, { recursive: true });
    const run = await xplat('init', '--dir', dir, '--image', 'ghcr.io/acme/left');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'left out:\n  windows/amd64:ltsc2022 from Dockerfile.windows: lints with errors: Dockerfile.windows:1: error XP001',
    );
  });

  it('says what to do without a Dockerfile', async () => {
    const run = await xplat('init', '--dir', tmp('empty'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/dockerfile: no Dockerfile in .* give its path with --dockerfile/);
  });
});

describe('the reusable workflow plan script', () => {
  const script = (() => {
    const workflow = parse(readFileSync(path.join(repoRoot, REUSABLE_WORKFLOW_FILE), 'utf8')) as {
      jobs: { plan: { steps: { id?: string; run?: string; shell?: string }[] } };
    };
    const step = workflow.jobs.plan.steps.find((s) => s.id === 'plan')!;
    expect(step.shell).toBe('node {0}');
    const file = path.join(tmp('plan'), 'plan.cjs');
    writeFileSync(file, step.run!);
    return file;
  })();

  const plan = async (env: Record<string, string>) => {
    const output = path.join(tmp('out'), 'output');
    writeFileSync(output, '');
    const run = await exec(process.execPath, [script], {
      RUNNERS: '{}',
      QEMU_PLATFORMS: '',
      ...env,
      GITHUB_OUTPUT: output,
    });
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    return { ...run, outputs };
  };

  it('computes the same matrix as xplat plan, with the image lowercased', async () => {
    const run = await plan({
      IMAGE: 'ghcr.io/XPLAT-dev/hello-http',
      PLATFORMS:
        'linux/amd64, linux/arm64\nwindows/amd64:ltsc2019,windows/amd64:ltsc2022,windows/amd64:ltsc2025',
      BUILD_ON: '{"windows": "linux"}',
      SMOKE_SKIP: '{"windows/amd64:ltsc2019": "no GitHub-hosted ltsc2019 runner to run it on"}',
    });
    expect(run.code).toBe(0);
    const json = JSON.parse((await xplat('plan', '--dir', EXAMPLE, '--json')).stdout) as {
      matrix: { include: Record<string, unknown>[] };
      legs: { platform: string; pair: string; runsOn: string; buildRunsOn: string }[];
    };
    expect(JSON.parse(run.outputs.matrix!)).toEqual(json.matrix);
    // The smoke job's matrix: the legs whose smoke runner is not their build runner.
    expect(JSON.parse(run.outputs['smoke-matrix']!)).toEqual({
      include: json.legs
        .filter((l) => l.runsOn !== l.buildRunsOn)
        .map((l) => ({ platform: l.platform, pair: l.pair, 'runs-on': l.runsOn })),
    });
    expect(run.outputs).toMatchObject({
      image: 'ghcr.io/xplat-dev/hello-http',
      name: 'hello-http',
      registry: 'ghcr.io',
      platforms:
        'linux/amd64,linux/arm64,windows/amd64:ltsc2019,windows/amd64:ltsc2022,windows/amd64:ltsc2025',
      'allow-untested': 'windows/amd64:ltsc2019',
      'smoke-apart': 'true',
      subject: 'ghcr.io/xplat-dev/hello-http',
    });
  });

  // Two calls of the reusable workflow in one caller run share the run's artifacts: each
  // call's names and download pattern carry its own prefix.
  it('gives each call an artifact prefix of its own, or takes the one given', async () => {
    const base = { IMAGE: 'ghcr.io/a/app', PLATFORMS: 'linux/amd64' };
    const [one, two] = await Promise.all([plan(base), plan(base)]);
    expect(one.outputs.prefix).toMatch(/^call-[0-9a-f]{8}$/);
    expect(two.outputs.prefix).toMatch(/^call-[0-9a-f]{8}$/);
    expect(one.outputs.prefix).not.toBe(two.outputs.prefix);
    for (const prefix of ['app-a', 'x', 'a1-b2-c3'])
      expect((await plan({ ...base, ARTIFACT_PREFIX: prefix })).outputs.prefix).toBe(prefix);
    for (const bad of ['app--a', 'App', '-a', 'a-', 'a_b', 'a'.repeat(41)]) {
      const run = await plan({ ...base, ARTIFACT_PREFIX: bad });
      expect({ bad, code: run.code, out: run.stdout.trim() }).toEqual({
        bad,
        code: 1,
        out: `::error title=xplat::artifact-prefix: "${bad}" must be lowercase letters, digits and single hyphens, at most 40 characters, e.g. app-a`,
      });
    }
  });

  it("uploads and downloads only this call's artifacts", () => {
    const text = readFileSync(path.join(repoRoot, REUSABLE_WORKFLOW_FILE), 'utf8');
    const names = [...text.matchAll(/^\s+(name|pattern): (.*xplat-leg-.*)$/gm)].map((m) => m[2]);
    expect(new Set(names)).toEqual(
      new Set([
        '${{ needs.plan.outputs.prefix }}--xplat-leg-${{ needs.plan.outputs.name }}--${{ matrix.pair }}',
        '${{ needs.plan.outputs.prefix }}--xplat-leg-${{ needs.plan.outputs.name }}--*',
      ]),
    );
  });

  it('names the attestation subject as generate does (Docker Hub as index.docker.io)', async () => {
    for (const image of ['acme/app', 'docker.io/acme/app', 'nginx', 'quay.io/acme/app']) {
      const run = await plan({ IMAGE: image, PLATFORMS: 'linux/amd64' });
      expect(run.code).toBe(0);
      expect(run.outputs.subject).toBe(attestationSubject(image));
    }
  });

  it('takes runners and QEMU platforms, and refuses what has no runner', async () => {
    const refused = await plan({ IMAGE: 'ghcr.io/a/b', PLATFORMS: 'windows/amd64:ltsc2019' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      '::error title=xplat::platforms: windows/amd64:ltsc2019 has no GitHub-hosted runner',
    );
    const ok = await plan({
      IMAGE: 'quay.io/a/b',
      PLATFORMS: 'windows/amd64:ltsc2019,linux/arm64,linux/arm/v7',
      RUNNERS: '{"windows/amd64:ltsc2019": ["self-hosted", "windows"]}',
      QEMU_PLATFORMS: 'linux/arm64 linux/arm/v7',
    });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.outputs.matrix!)).toEqual({
      include: [
        {
          platform: 'windows/amd64:ltsc2019',
          pair: 'windows-amd64-ltsc2019',
          'runs-on': ['self-hosted', 'windows'],
          qemu: 'auto',
          context: '.',
          file: 'Dockerfile',
          target: '',
          'smoke-apart': 'false',
          'smoke-skip': '',
        },
        {
          platform: 'linux/arm64',
          pair: 'linux-arm64',
          'runs-on': 'ubuntu-24.04',
          qemu: 'true',
          context: '.',
          file: 'Dockerfile',
          target: '',
          'smoke-apart': 'false',
          'smoke-skip': '',
        },
        {
          platform: 'linux/arm',
          pair: 'linux-arm',
          'runs-on': 'ubuntu-24.04',
          qemu: 'true',
          context: '.',
          file: 'Dockerfile',
          target: '',
          'smoke-apart': 'false',
          'smoke-skip': '',
        },
      ],
    });
    expect(ok.outputs.registry).toBe('quay.io');
    const bad = await plan({ IMAGE: 'ghcr.io/a/b', PLATFORMS: 'linux/amd64;rm -rf /' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('is not a platform');
  });

  it('builds Windows on Linux where build-on says so, and refuses what nothing can smoke-test', async () => {
    const run = await plan({
      IMAGE: 'ghcr.io/a/b',
      PLATFORMS: 'windows/amd64:ltsc2019,windows/amd64:ltsc2022,windows/arm64:ltsc2025',
      BUILD_ON: '{"windows": "linux"}',
      SMOKE_SKIP: '{"windows/amd64:ltsc2019": "no hosted runner"}',
      RUNNERS: '{"windows/arm64:ltsc2025": ["self-hosted", "windows", "arm64"]}',
    });
    expect(run.code).toBe(0);
    const legs = (JSON.parse(run.outputs.matrix!) as { include: Record<string, string>[] }).include;
    expect(legs.map((l) => [l.platform, l['runs-on'], l['smoke-apart'], l['smoke-skip']])).toEqual([
      ['windows/amd64:ltsc2019', 'ubuntu-24.04', 'false', 'no hosted runner'],
      ['windows/amd64:ltsc2022', 'ubuntu-24.04', 'true', ''],
      ['windows/arm64:ltsc2025', 'ubuntu-24.04', 'true', ''],
    ]);
    expect(JSON.parse(run.outputs['smoke-matrix']!)).toEqual({
      include: [
        {
          platform: 'windows/amd64:ltsc2022',
          pair: 'windows-amd64-ltsc2022',
          'runs-on': 'windows-2022',
        },
        {
          platform: 'windows/arm64:ltsc2025',
          pair: 'windows-arm64-ltsc2025',
          'runs-on': ['self-hosted', 'windows', 'arm64'],
        },
      ],
    });
    expect(run.outputs['allow-untested']).toBe('windows/amd64:ltsc2019');

    const untested = await plan({
      IMAGE: 'ghcr.io/a/b',
      PLATFORMS: 'windows/amd64:ltsc2019',
      BUILD_ON: '{"windows": "linux"}',
    });
    expect(untested.code).toBe(1);
    expect(untested.stdout).toContain(
      'platforms: windows/amd64:ltsc2019 is built on ubuntu-24.04 and no GitHub-hosted runner smoke-tests it; name a self-hosted one in runners',
    );
    const both = await plan({
      IMAGE: 'ghcr.io/a/b',
      PLATFORMS: 'windows/amd64:ltsc2019',
      BUILD_ON: '{"windows": "linux"}',
      SMOKE_SKIP: '{"windows/amd64:ltsc2019": "later"}',
      RUNNERS: '{"windows/amd64:ltsc2019": ["self-hosted"]}',
    });
    expect(both.code).toBe(1);
    expect(both.stdout).toContain('smoke-skip skips it: give one of them');
  });

  it('takes per-platform Dockerfiles, targets and contexts, a platform over its OS', async () => {
    const run = await plan({
      IMAGE: 'ghcr.io/a/b',
      PLATFORMS: 'linux/amd64,windows/amd64:ltsc2022,windows/amd64:ltsc2025',
      CONTEXT: 'src',
      FILES:
        '{"windows": "docker/Dockerfile.windows", "windows/amd64:ltsc2025": "docker/ltsc2025.Dockerfile"}',
      TARGETS: '{"windows": "runtime"}',
      TARGET: 'app',
    });
    expect(run.code).toBe(0);
    const legs = (JSON.parse(run.outputs.matrix!) as { include: Record<string, string>[] }).include;
    expect(legs.map((l) => [l.platform, l.context, l.file, l.target])).toEqual([
      ['linux/amd64', 'src', 'src/Dockerfile', 'app'],
      ['windows/amd64:ltsc2022', 'src', 'docker/Dockerfile.windows', 'runtime'],
      ['windows/amd64:ltsc2025', 'src', 'docker/ltsc2025.Dockerfile', 'runtime'],
    ]);
    // The same matrix as xplat plan --json for the same xplat.yml.
    const dir = tmp('plan-files');
    writeFileSync(
      path.join(dir, 'xplat.yml'),
      [
        'image: ghcr.io/a/b',
        'context: src',
        'target: app',
        'windows: { dockerfile: docker/Dockerfile.windows, target: runtime }',
        'platforms:',
        '  - linux/amd64',
        '  - windows/amd64:ltsc2022',
        '  - { platform: windows/amd64:ltsc2025, dockerfile: docker/ltsc2025.Dockerfile }',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await xplat('plan', '--dir', dir, '--json')).stdout) as {
      matrix: unknown;
    };
    expect(JSON.parse(run.outputs.matrix!)).toEqual(json.matrix);
  });

  it.each([
    [
      { FILES: '{"windows": "/abs/Dockerfile"}' },
      'files: windows: "/abs/Dockerfile" must be a path from the repository root',
    ],
    [{ FILES: '{"windows": "..\\\\x"}' }, 'files: windows: "..\\x" must be a path'],
    [{ FILES: '["Dockerfile"]' }, 'files: must be a JSON object'],
    [{ FILES: '{"windows": ' }, 'files: not JSON'],
    [{ TARGETS: '{"linux": "-x"}' }, 'targets: linux: "-x" is not a stage name'],
    [
      { FILES: '{"windows": "Dockerfile.windows"}' },
      'files: windows is not in platforms (linux/amd64)',
    ],
    [{ CONTEXTS: '{"linux/arm64": "arm"}' }, 'contexts: linux/arm64 is not in platforms'],
    [{ BUILD_ON: '{"linux": "linux"}' }, 'build-on: linux: applies to Windows platforms'],
    [{ BUILD_ON: '{"windows": "macos"}' }, 'build-on: windows: "macos" must be linux'],
    [{ BUILD_ON: '{"windows": "linux"}' }, 'build-on: windows is not in platforms'],
    [{ SMOKE_SKIP: '{"windows": "flaky"}' }, 'smoke-skip: windows: name one platform'],
    [
      { SMOKE_SKIP: '{"linux/amd64": "' + 'x'.repeat(201) + '"}' },
      'smoke-skip: linux/amd64: the reason must be one line of at most 200 characters',
    ],
  ])('refuses %j', async (env, message) => {
    const run = await plan({ IMAGE: 'ghcr.io/a/b', PLATFORMS: 'linux/amd64', ...env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(message);
  });
});
