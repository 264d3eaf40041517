/**
 * The npm package of the CLI (npm/, assembled by scripts/pack-cli.mjs) as a user gets it:
 * packed with `npm pack`, installed from the tarball into an empty folder with no registry
 * to reach, and run through its bin: --help, `init` on a sample repository, `generate
 * --check`. The tarball holds the bundle, README, LICENSE and the schema, nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../../test/run-action.js';
import { CONFIG_SCHEMA_URL, XPLAT_NPM_PACKAGE, XPLAT_NPX, XPLAT_REPOSITORY } from '@xplat/workflow';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * npm as on a machine that never saw this repository: no npm_* variables of the npm that
 * runs jest, an empty cache and user config, and a registry that refuses every connection
 * (127.0.0.1:9), so anything that needs the network fails.
 */
function isolatedEnv(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  writeFileSync(path.join(tmp, 'npmrc'), '');
  return {
    ...env,
    npm_config_cache: path.join(tmp, 'npm-cache'),
    npm_config_userconfig: path.join(tmp, 'npmrc'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

function run(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<Run>((resolve) => {
    execFile(file, [...args], { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, out, err) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(out), stderr: String(err) });
    });
  });
}

/** Every file under dir, relative, with `/`. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

const rootManifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const sourceManifest = JSON.parse(readFileSync(path.join(repoRoot, 'npm', 'package.json'), 'utf8'));

describe('npm/package.json', () => {
  it('names the package the CLI tells users to run, and the repository the workflows use', () => {
    expect(sourceManifest.name).toBe(XPLAT_NPM_PACKAGE);
    expect(XPLAT_NPX).toBe(`npx ${XPLAT_NPM_PACKAGE}@1`);
    expect(sourceManifest.repository.url).toBe(`git+https://github.com/${XPLAT_REPOSITORY}.git`);
    expect(CONFIG_SCHEMA_URL).toBe(
      `https://raw.githubusercontent.com/${XPLAT_REPOSITORY}/v1/xplat.schema.json`,
    );
  });

  it.each(['README.md', 'npm/README.md'])(
    '%s tells users to run it with npx, and names the schema in xplat.yml',
    (file) => {
      const text = readFileSync(path.join(repoRoot, file), 'utf8');
      expect(text).toContain(`\n${XPLAT_NPX} init `);
      expect(text).toContain(`\n# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}\n`);
      expect(text).not.toContain('path/to/xplat');
    },
  );

  it("the example's xplat.yml names the schema on its first line", () => {
    const text = readFileSync(path.join(repoRoot, 'examples', 'hello-http', 'xplat.yml'), 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}`);
  });

  it('has the license and engines of the repository, a bin, and no dependencies or scripts', () => {
    expect(sourceManifest.license).toBe(rootManifest.license);
    expect(readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(sourceManifest.engines).toEqual(rootManifest.engines);
    expect(sourceManifest.bin).toEqual({ xplat: 'dist/index.js' });
    for (const key of [
      'dependencies',
      'optionalDependencies',
      'peerDependencies',
      'bundleDependencies',
      'scripts',
      'workspaces',
      'private',
    ])
      expect(sourceManifest).not.toHaveProperty(key);
  });
});

/**
 * npm's stderr without its EBADENGINE warning when the Node running the tests is older
 * than the engines the package declares (a development machine on Node 20): the package
 * is for Node 22 and 24, and CI runs these tests on both, where npm says nothing.
 */
function withoutEngineWarning(stderr: string): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const supported = major > 22 || (major === 22 && minor >= 12);
  if (supported) return stderr;
  return stderr.replace(/^npm warn EBADENGINE .*(\nnpm warn EBADENGINE .*)*\n?/m, '');
}

/** The commit the test's release is stamped with. */
const COMMIT = '89abcdef0123456789abcdef0123456789abcdef';

/** A repository whose xplat.yml asks for every action pinned, xplat's own from `uses`. */
function pinnedRepo(dir: string, uses: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'xplat.yml'),
    `image: ghcr.io/acme/app\nplatforms: [linux/amd64]\npin-actions: true\nxplat: { uses: ${uses} }\n`,
  );
  return dir;
}

describe('the npm package, packed and installed offline', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let bundleFiles: string[];
  let packed: { filename: string; files: { path: string }[]; name: string; version: string };
  let installed: string;
  let bin: string;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'xplat-npm-test-'));
    env = isolatedEnv(tmp);
    bundleFiles = readdirSync(path.join(repoRoot, 'dist', 'cli')).sort();
    const pkg = path.join(tmp, 'package');
    const assembled = await run(
      process.execPath,
      [
        path.join(repoRoot, 'scripts', 'pack-cli.mjs'),
        '--out',
        pkg,
        '--version',
        'v1.2.3',
        '--repository',
        'octo-org/xplat',
        '--commit',
        COMMIT,
      ],
      repoRoot,
      env,
    );
    expect(assembled).toMatchObject({ code: 0, stdout: `${pkg}\n` });

    const pack = await run('npm', ['pack', '--json', '--pack-destination', tmp], pkg, env);
    expect(pack.code).toBe(0);
    packed = JSON.parse(pack.stdout)[0];

    // An empty folder, the tarball, and no registry: works only without dependencies.
    const app = path.join(tmp, 'app');
    mkdirSync(app);
    const install = await run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename)],
      app,
      env,
    );
    expect(withoutEngineWarning(install.stderr)).toBe('');
    expect(install.code).toBe(0);
    installed = path.join(app, 'node_modules', 'xplat');
    bin = path.join(app, 'node_modules', '.bin', 'xplat');
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('is xplat at the version of the release tag, published from the given repository', () => {
    expect(packed).toMatchObject({ name: 'xplat', version: '1.2.3', filename: 'xplat-1.2.3.tgz' });
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: 'xplat',
      version: '1.2.3',
      bin: { xplat: 'dist/index.js' },
      engines: rootManifest.engines,
      license: 'MIT',
      repository: { url: 'git+https://github.com/octo-org/xplat.git' },
    });
    expect(manifest.dependencies).toBeUndefined();
  });

  it('holds the bundle, README, LICENSE and the schema, nothing else', () => {
    // The bundle as `npm run bundle` writes it: the bin, chunks loaded on first use
    // (NNN.index.js), undici behind its loader, the licenses of what it bundles, and the
    // package.json that marks it as ESM.
    for (const file of bundleFiles)
      expect(file).toMatch(
        /^(index\.js|\d+\.index\.js|undici-lazy\.mjs|undici\.cjs|licenses\.txt|package\.json)$/,
      );
    const expected = [
      'LICENSE',
      'README.md',
      'package.json',
      'xplat.schema.json',
      ...bundleFiles.map((f) => `dist/${f}`),
    ].sort();
    expect(packed.files.map((f) => f.path).sort()).toEqual(expected);
    expect(walk(installed).sort()).toEqual(expected);
    expect(readFileSync(path.join(installed, 'xplat.schema.json'), 'utf8')).toBe(
      readFileSync(path.join(repoRoot, 'xplat.schema.json'), 'utf8'),
    );
    expect(readFileSync(path.join(installed, 'LICENSE'), 'utf8')).toBe(
      readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8'),
    );
    expect(statSync(path.join(installed, 'dist', 'index.js')).mode & 0o111).not.toBe(0);
  });

  it('runs `xplat --help` through its bin, and through npx without a registry', async () => {
    const help = await run(bin, ['--help'], tmp, env);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: xplat <command> \[options\]/);
    for (const command of ['init', 'generate', 'plan', 'lint', 'run'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));

    const npx = await run('npx', ['--offline', 'xplat@1', '--help'], path.join(tmp, 'app'), env);
    expect(npx.code).toBe(0);
    expect(npx.stdout).toBe(help.stdout);
  });

  it('runs `xplat init` on a sample repository, then `xplat generate --check`', async () => {
    const repo = path.join(tmp, 'repo');
    cpSync(
      path.join(repoRoot, 'packages', 'workflow', 'test', 'fixtures', 'repos', 'side-by-side'),
      repo,
      { recursive: true },
    );
    const init = await run(bin, ['init', '--image', 'ghcr.io/acme/app'], repo, env);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote xplat.yml, .github/workflows/xplat.yml, .gitignore\n');
    expect(init.stdout).toMatch(/^ {2}npx xplat@1 generate --check {2}fails when/m);

    const config = readFileSync(path.join(repo, 'xplat.yml'), 'utf8');
    expect(config.split('\n')[0]).toBe(`# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}`);
    expect(config).toContain('# `npx xplat@1 generate` to write .github/workflows/xplat.yml');
    const workflow = readFileSync(path.join(repo, '.github', 'workflows', 'xplat.yml'), 'utf8');
    expect(workflow).toMatch(
      /^# Generated by xplat from xplat\.yml: do not edit by hand\.\n# Regenerate with `npx xplat@1 generate`; `npx xplat@1 generate --check` fails/,
    );

    const check = await run(bin, ['generate', '--check'], repo, env);
    expect(check).toMatchObject({ code: 0, stderr: '' });

    // A stale workflow is caught: the check is real, not a no-op.
    writeFileSync(
      path.join(repo, 'xplat.yml'),
      config.replace('ghcr.io/acme/app', 'ghcr.io/acme/other'),
    );
    const stale = await run(bin, ['generate', '--check'], repo, env);
    expect(stale.code).toBe(1);
    expect(stale.stdout + stale.stderr).toContain('ghcr.io/acme/other');
  });

  // The package is stamped with its release (pack-cli --commit), so pin-actions pins
  // xplat's own actions to the release's commit; the unstamped dist/ cannot, and says how.
  it("pins xplat's own actions to the commit of its release with pin-actions: true", async () => {
    const repo = pinnedRepo(path.join(tmp, 'pinned'), 'octo-org/xplat@v1');
    const generated = await run(bin, ['generate'], repo, env);
    expect(generated).toMatchObject({ code: 0, stderr: '' });
    const workflow = readFileSync(path.join(repo, '.github', 'workflows', 'xplat.yml'), 'utf8');
    for (const action of [
      'setup-crossplatform-builder',
      'build-platform-image',
      'smoke-test',
      'fuse-manifest',
    ])
      expect(workflow).toContain(`uses: octo-org/xplat/actions/${action}@${COMMIT} # v1.2.3\n`);
    expect(workflow).not.toMatch(/uses: \S+@v\d+\s*$/m);

    const dev = pinnedRepo(path.join(tmp, 'dev-build'), 'octo-org/xplat@v1');
    const refused = await run(
      process.execPath,
      [path.join(repoRoot, 'dist', 'cli', 'index.js'), 'generate'],
      dev,
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'xplat generate: xplat.yml: pin-actions: this xplat is a development build and knows no release commit to pin octo-org/xplat@v1 to; set xplat: { uses: octo-org/xplat@<full commit SHA of a release> } in xplat.yml, or generate with a released xplat (npx xplat@1 generate)',
    );
    expect(existsSync(path.join(dev, '.github'))).toBe(false);
  });

  it('pack-cli stamps only a whole release: version, repository and a full commit', async () => {
    const packCli = (...args: string[]) =>
      run(
        process.execPath,
        [path.join(repoRoot, 'scripts', 'pack-cli.mjs'), ...args],
        repoRoot,
        env,
      );
    const alone = await packCli('--commit', COMMIT);
    expect(alone).toMatchObject({ code: 2 });
    expect(alone.stderr).toContain('--commit needs --version and --repository');
    const short = await packCli('--version', 'v1.2.3', '--repository', 'a/b', '--commit', 'abc123');
    expect(short).toMatchObject({ code: 2 });
    expect(short.stderr).toContain('--commit "abc123" is not a full commit SHA');
  });

  it('pack-cli refuses a version that is not one, or of another major than users run', async () => {
    const packCli = (version: string) =>
      run(
        process.execPath,
        [path.join(repoRoot, 'scripts', 'pack-cli.mjs'), '--version', version],
        repoRoot,
        env,
      );
    const bad = await packCli('latest');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--version "latest" is not a version like 1.2.3');
    const other = await packCli('v2.0.0');
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      '--version 2.0.0 is not major 1, the one users run (npx xplat@1)',
    );
  });
});

describe('the release workflow', () => {
  const workflow = parse(
    readFileSync(path.join(repoRoot, '.github', 'workflows', 'release.yml'), 'utf8'),
  );
  const job = workflow.jobs['publish-npm'];
  const script = job.steps
    .map((s: { run?: string }) => s.run ?? '')
    .join('\n')
    .replace(/\s+/g, ' ');

  it('publishes after the tests, from the package folder pack-cli assembles at the tag', () => {
    expect(job.needs).toEqual(['guard', 'check']);
    expect(
      workflow.jobs.check.steps.some((s: { run?: string }) => s.run?.includes('.ci/run')),
    ).toBe(true);
    expect(script).toContain(
      'node scripts/pack-cli.mjs --out "$RUNNER_TEMP/xplat-npm" --version "$TAG" --repository "$REPOSITORY" --commit "$COMMIT"',
    );
    expect(script).toContain('cd "$RUNNER_TEMP/xplat-npm"');
    expect(script).toContain('npm publish --provenance --access public --tag "$NPM_TAG"');
    const setupNode = job.steps.find((s: { uses?: string }) =>
      s.uses?.startsWith('actions/setup-node@'),
    );
    expect(setupNode.with['registry-url']).toBe('https://registry.npmjs.org');
  });

  it('grants id-token: write to that job only', () => {
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [name, other] of Object.entries(workflow.jobs))
      if (name !== 'publish-npm')
        expect((other as { permissions?: Record<string, string> }).permissions?.['id-token']).toBe(
          undefined,
        );
  });
});
