/**
 * The bundled action and its post step, run as the runner runs them. The test bed has
 * no buildx (its plans are in packages/engine/test/setup-plan.test.ts): here the real
 * paths are docker 20.10 (BuildKit built in, QEMU registered) and docker 28 without
 * buildx (the classic builder).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parseSetupInputs, type SetupInputs } from '@xplat/engine';
import { exec } from '../../../test/exec.js';
import { runAction } from '../../../test/run-action.js';
import { testbed } from '../../../test/testbed.js';

const tb = testbed();

async function setup(inputs: Record<string, string>, docker = tb.docker) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-setup-'));
  const envFile = path.join(dir, 'github-env');
  await writeFile(envFile, '');
  const run = await runAction('setup-crossplatform-builder', inputs, {
    env: { XPLAT_DOCKER: docker, DOCKER_CONFIG: tb.env('DOCKER_CONFIG'), GITHUB_ENV: envFile },
  });
  return { ...run, exported: await readFile(envFile, 'utf8') };
}

describe('setup-crossplatform-builder as the runner runs it', () => {
  test('docker 20.10 without buildx: BuildKit built in, arm64 through the QEMU already registered', async () => {
    const run = await setup({ platforms: 'linux/amd64,linux/arm64' });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      name: '',
      builder: 'buildkit',
      platforms: 'linux/amd64,linux/386,linux/arm64',
      'host-platform': 'linux/amd64',
      'host-os-version': '',
    });
    // build-platform-image picks the same builder up from the environment.
    expect(run.exported).toMatch(/^XPLAT_BUILDER<<.+\nbuildkit\n/m);
    expect(run.stdout).toContain('QEMU already emulates linux/arm64');
    expect(run.stdout).toMatch(
      /host: docker CLI 20\.10\.\S+ \(BuildKit built in\); engine .* linux\/amd64; no buildx; QEMU: .*linux\/arm64/,
    );
    expect(run.summary).toContain(
      '| buildkit |  | `linux/amd64` | `linux/amd64`, `linux/386`, `linux/arm64` |',
    );

    // Nothing was created, so the post step has nothing to do.
    const post = await runAction(
      'setup-crossplatform-builder',
      {},
      { script: 'post/index.js', state: run.state },
    );
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain('Nothing to clean up');
  });

  test('docker 28 without buildx: the classic builder', async () => {
    const run = await setup({ platforms: 'linux/amd64' }, '/usr/local/bin/docker');
    expect(run.errors).toEqual([]);
    expect(run.outputs.builder).toBe('classic');
    expect(run.exported).toMatch(/\nclassic\n/);
  });

  test('the post step removes what the saved state names, and its files, and never fails', async () => {
    // A container and a TLS file standing in for what main created (a local BuildKit
    // container and remote-node certificates, on a runner with buildx).
    const name = `xplat-post-${process.pid}-${Date.now().toString(36)}`;
    const started = await exec(tb.docker, [
      'run',
      '--detach',
      '--network',
      'none',
      '--name',
      name,
      tb.env('XPLAT_LOCAL_IMAGE_LINUX_AMD64'),
      'sleep',
      '600',
    ]);
    expect(started.code).toBe(0);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-buildx-'));
    const key = path.join(dir, 'key.pem');
    await writeFile(key, 'secret');
    const state = {
      cleanup: [
        {
          title: `remove BuildKit container ${name}`,
          args: ['rm', '--force', '--volumes', name],
          optional: true,
        },
        { title: 'remove buildx builder gone', args: ['buildx', 'rm', 'gone'], optional: true },
      ],
      files: [key],
    };
    const post = await runAction(
      'setup-crossplatform-builder',
      {},
      {
        script: 'post/index.js',
        state: `xplat-setup<<EOF\n${JSON.stringify(state)}\nEOF\n`,
        env: { XPLAT_DOCKER: tb.docker },
      },
    );
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain(`remove BuildKit container ${name}: done`);
    // buildx is missing here: a warning, not a failure.
    expect(post.stdout).toMatch(/::warning::cleanup: remove buildx builder gone: .*buildx/);
    expect(existsSync(key)).toBe(false);
    const gone = await exec(tb.docker, ['container', 'inspect', name]);
    expect(gone.code).not.toBe(0);
  });
});

describe('bad inputs: one line naming the input', () => {
  const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  const cases: [SetupInputs, RegExp][] = [
    [{ platforms: 'linux/amd64,linux' }, /^platforms: "linux" is not a platform/],
    [
      { platforms: 'linux/sparc' },
      /^platforms: "linux\/sparc" is not a platform: architecture "sparc" is not known/,
    ],
    [{ name: '-bad' }, /^name: "-bad" is not a builder name/],
    [
      { driver: 'kubernetes' },
      /^driver: "kubernetes" is not one of auto, docker-container, docker, remote/,
    ],
    [{ driver: 'remote' }, /^endpoint: driver: remote needs an endpoint/],
    [{ endpoint: 'win-builder:1234' }, /^endpoint: "win-builder:1234" is not a BuildKit endpoint/],
    [
      { endpoint: 'tcp://h:1', driver: 'docker-container' },
      /^endpoint: an endpoint needs driver: remote/,
    ],
    [{ append: 'tcp://win:1234' }, /^append: node tcp:\/\/win:1234 needs platforms=/],
    [{ append: 'platforms=windows/amd64' }, /^append: "platforms=windows\/amd64" has no endpoint/],
    [
      { append: 'tcp://w:1 platforms=windows/amd64 colour=blue' },
      /^append: "colour" is not a node setting/,
    ],
    [
      { append: 'tcp://w:1 platforms=windows/amd64', driver: 'docker-container' },
      /^append: remote nodes need driver: remote or auto/,
    ],
    [{ qemu: 'sometimes' }, /^qemu: "sometimes" is not one of auto, true, false/],
    [{ cleanup: 'later' }, /^cleanup: "later" is not a boolean/],
    [{ builder: 'kaniko' }, /^builder: "kaniko" is not one of auto, buildx, buildkit, classic/],
    [{ 'tls-ca-cert': '/etc/ssl/ca.pem', endpoint: 'tcp://h:1' }, /^tls-ca-cert: must be PEM text/],
    [
      { 'tls-cert': CERT, endpoint: 'tcp://h:1' },
      /^tls-key: a client certificate needs both tls-cert and tls-key/,
    ],
    [{ 'tls-ca-cert': CERT }, /^tls-ca-cert: TLS material is for remote nodes/],
    [{ 'driver-opts': 'network host' }, /^driver-opts: "network host" is not a driver option/],
  ];

  test.each(cases)('%j', (inputs, message) => {
    expect(() => parseSetupInputs(inputs)).toThrow(message);
  });

  test('through the bundle, with the host checks too', async () => {
    const all: [Record<string, string>, RegExp][] = [
      ...cases.map(([i, m]) => [i, m] as [Record<string, string>, RegExp]),
      [
        { platforms: 'windows/amd64:ltsc2022' },
        /^platforms: windows\/amd64:ltsc2022 on a Linux runner is built by BuildKit in a container \(buildx, docker-container driver\), and this runner's docker CLI \(20\.10\.24\+dfsg1\) has no buildx plugin; install it/,
      ],
      [
        { platforms: 'linux/amd64,windows/amd64:ltsc2025', builder: 'classic' },
        /^platforms: windows\/amd64:ltsc2025 on a Linux runner is built by BuildKit in a container/,
      ],
      [
        { driver: 'docker-container' },
        /^driver: needs docker buildx, which this runner's docker CLI \(20\.10/,
      ],
      [{ append: 'tcp://w:1 platforms=windows/amd64' }, /^append: needs docker buildx/],
    ];
    const runs = [];
    for (let i = 0; i < all.length; i += 4) {
      runs.push(...(await Promise.all(all.slice(i, i + 4).map(([inputs]) => setup(inputs)))));
    }
    runs.forEach((run, i) => {
      expect({ input: all[i]![0], errors: run.errors }).toEqual({
        input: all[i]![0],
        errors: [expect.stringMatching(all[i]![1])],
      });
      expect(run.exitCode).toBe(1);
    });
  });

  test('the TLS key is masked', async () => {
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    const run = await setup({ 'tls-key': key, 'tls-cert': CERT, endpoint: 'tcp://h:1' });
    expect(run.stdout).toContain('::add-mask::MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    const visible = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(visible.join('\n')).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  });
});

describe('action.yml', () => {
  test('declares exactly the inputs the library reads, the outputs, and the post step', async () => {
    const { parse } = await import('yaml');
    const { SETUP_INPUTS } = await import('@xplat/engine');
    const { repoRoot } = await import('../../../test/run-action.js');
    const action = parse(
      await readFile(
        path.join(repoRoot, 'actions', 'setup-crossplatform-builder', 'action.yml'),
        'utf8',
      ),
    ) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
      runs: Record<string, string>;
    };
    expect(Object.keys(action.inputs).sort()).toEqual([...SETUP_INPUTS].sort());
    expect(Object.keys(action.outputs)).toEqual([
      'name',
      'builder',
      'platforms',
      'host-platform',
      'host-os-version',
    ]);
    expect(action.runs).toEqual({
      using: 'node24',
      main: '../../dist/setup-crossplatform-builder/index.js',
      post: '../../dist/setup-crossplatform-builder/post/index.js',
    });
  });
});
