/**
 * `xplat run` as users run it (the bundled CLI) on a copy of examples/hello-http, against
 * the test bed: its engine builds linux/amd64 natively and linux/arm64 under QEMU, smoke
 * tests both, and fuses them into the embedded registry (or --registry). The example's
 * base image comes from the test bed (BUSYBOX_IMAGE), since Docker Hub is out of reach.
 * Its Windows platforms are built on Linux (build-on: linux), which needs buildx: the test
 * bed has none, so they are skipped with what to install (plan tests cover the rest).
 *
 * Then a project of several images (`images:`), FROM scratch with the test bed's static
 * busybox: prepare steps that write what the Dockerfile COPYs, a platform whose smoke
 * test is skipped (fused untested), one gate and one fuse per image.
 *
 * After a run, the `docker run` it printed works once the embedded registry has stopped:
 * the engine's own platform is left in it under a local name. And an engine that cannot
 * reach this machine's 127.0.0.1 (a second dockerd in a network namespace of its own,
 * scripts/testbed/netns-engine.sh) is found out before anything is built.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exec, type Exec } from '../../../test/exec.js';
import { repoRoot } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const cli = process.env.XPLAT_TEST_CLI ?? path.join(repoRoot, 'dist', 'cli', 'index.js');
const busybox = tb.env('XPLAT_FIXTURE_BUSYBOX_LIST_REF');
const baseArgs = ['--network', 'host', '--build-arg', `BUSYBOX_IMAGE=${busybox}`];

const xplat = (dir: string, args: string[], env: Record<string, string> = {}): Promise<Exec> =>
  exec(process.execPath, [cli, 'run', '--dir', dir, ...baseArgs, ...args], {
    GITHUB_SHA: '',
    XPLAT_BUILDER: '',
    ...env,
  });

interface Report {
  ref: string | null;
  digest: string | null;
  localImage: string | null;
  registry: string;
  legs: {
    platform: string;
    status: string;
    reason: string;
    digest: string | null;
    log: string | null;
  }[];
}

const scratch: string[] = [];
async function exampleCopy(edit?: (yml: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-run-'));
  scratch.push(dir);
  // Without any run state a run of the example in this checkout may have left.
  await cp(path.join(repoRoot, 'examples', 'hello-http'), dir, {
    recursive: true,
    filter: (src) => path.basename(src) !== '.xplat',
  });
  if (edit) {
    const file = path.join(dir, 'xplat.yml');
    await writeFile(file, edit(await readFile(file, 'utf8')));
  }
  return dir;
}

/** Stops an embedded registry left running with --keep-registry (found by its config path). */
async function stopKeptRegistry(dir: string): Promise<void> {
  await exec('pkill', ['-f', path.join(dir, '.xplat', 'registry', 'config.yml')]);
}

async function registryProcesses(dir: string): Promise<string> {
  return (await exec('pgrep', ['-af', path.join(dir, '.xplat', 'registry')])).stdout.trim();
}

const skopeo = (args: string[]) => exec('skopeo', [...args]);

/** The names runs leave in the test bed's engine (xplat.yml's repository path, :local). */
const LOCAL_NAMES = ['xplat-dev/hello-http:local', 'org/web:local', 'org/tool:local'];

afterAll(async () => {
  for (const dir of scratch) {
    await stopKeptRegistry(dir);
    await rm(dir, { recursive: true, force: true });
  }
  await exec(tb.docker, ['rmi', ...LOCAL_NAMES]);
});

/** The repo digests the engine has for a local name (empty when it has no such image). */
async function repoDigests(name: string, docker: Record<string, string> = {}): Promise<string[]> {
  const out = await exec(
    tb.docker,
    ['image', 'inspect', '--format', '{{json .RepoDigests}}', name],
    docker,
  );
  return out.code === 0 ? (JSON.parse(out.stdout) as string[]) : [];
}

describe('xplat run on the example', () => {
  let dir: string;
  let first: Exec;
  let report: Report;

  beforeAll(async () => {
    dir = await exampleCopy();
    first = await xplat(dir, ['--json', '--keep-registry']);
    report = JSON.parse(first.stdout) as Report;
  }, 240_000);

  it('fuses linux/amd64 and linux/arm64 into the embedded registry; Windows is skipped with why', () => {
    expect(first.code).toBe(0);
    expect(report.ref).toMatch(/^127\.0\.0\.1:\d+\/xplat-dev\/hello-http:local$/);
    expect(report.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(report.registry).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(report.legs.map((l) => [l.platform, l.status])).toEqual([
      ['linux/amd64', 'passed'],
      ['linux/arm64', 'passed'],
      ['windows/amd64:ltsc2019', 'skipped'],
      ['windows/amd64:ltsc2022', 'skipped'],
      ['windows/amd64:ltsc2025', 'skipped'],
    ]);
    // Built on Linux in CI (build-on: linux): here that needs buildx, which the test bed lacks.
    for (const leg of report.legs.slice(2)) {
      expect(leg.reason).toContain(
        `${leg.platform} is built on Linux (build-on: linux) by BuildKit in a container, and docker CLI`,
      );
      expect(leg.reason).toContain(
        'has no buildx plugin: install it (apt-get install docker-buildx-plugin), then docker buildx create --driver docker-container --driver-opt network=host --use',
      );
      expect(leg.reason).toContain('runs in CI on ubuntu-24.04');
    }
    // Progress went to stderr; stdout is the JSON document alone.
    expect(first.stderr).toMatch(/linux\/arm64\s+smoke\s+done/);
    expect(first.stderr).toContain('embedded registry on 127.0.0.1:');
  });

  it('--keep-registry prints the local name to run and the index in the registry', () => {
    expect(first.stderr).toContain(
      'linux/amd64 left in the local engine as xplat-dev/hello-http:local (built there)\nrun it: docker run --rm --network host xplat-dev/hello-http:local\n',
    );
    expect(first.stderr).toContain(
      `every platform, from the registry: docker run --rm --network host ${report.ref!}\n`,
    );
  });

  it('--json keeps the contract: exactly these keys, a log per leg that ran', () => {
    expect(Object.keys(report).sort()).toEqual(['digest', 'legs', 'localImage', 'ref', 'registry']);
    // The name the "run it:" line uses, for scripts that run the image next.
    expect(report.localImage).toBe('xplat-dev/hello-http:local');
    for (const leg of report.legs) {
      expect(Object.keys(leg).sort()).toEqual(['digest', 'log', 'platform', 'reason', 'status']);
      if (leg.status === 'skipped') expect(leg.log).toBeNull();
      else expect(leg.log).toMatch(/^\.xplat\/runs\/[\w-]+\/linux-(amd64|arm64)\.log$/);
    }
  });

  it('the index reads back with both platforms, and each runs on its architecture', async () => {
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${report.ref}`]);
    expect(raw.code).toBe(0);
    const index = JSON.parse(raw.stdout) as {
      manifests: { digest: string; platform: { os: string; architecture: string } }[];
    };
    expect(index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`)).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
    expect(index.manifests.map((m) => m.digest)).toEqual(
      report.legs.slice(0, 2).map((l) => l.digest),
    );
    for (const [platform, machine] of [
      ['linux/amd64', 'x86_64'],
      ['linux/arm64', 'aarch64'],
    ] as const) {
      const run = await exec(tb.docker, [
        'run',
        '--rm',
        '--network',
        'host',
        '--platform',
        platform,
        '--pull',
        'always',
        report.ref!,
        'uname',
        '-m',
      ]);
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.stdout.trim()).toBe(machine);
    }
  });

  it('writes the leg results and logs under .xplat/ in the project, nowhere shared', async () => {
    const legs = (await exec('find', [path.join(dir, '.xplat', 'legs'), '-name', '*.json'])).stdout;
    expect(
      legs
        .trim()
        .split('\n')
        .map((f) => path.basename(f))
        .sort(),
    ).toEqual(['linux-amd64.json', 'linux-arm64.json']);
    const log = await readFile(path.join(dir, report.legs[1]!.log!), 'utf8');
    expect(log).toContain('linux/arm64');
  });

  it('a second run reuses the registry storage: the first index is still served', async () => {
    await stopKeptRegistry(dir);
    const second = await xplat(dir, ['--json', '--keep-registry']);
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout) as Report;
    expect(again.registry).not.toBe(report.registry); // a new process on a new port
    const old = `${again.registry}/xplat-dev/hello-http@${report.digest!}`;
    const read = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${old}`]);
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ manifests: expect.any(Array) });
    await stopKeptRegistry(dir);
    expect(await registryProcesses(dir)).toBe('');
  }, 240_000);
});

describe('xplat run leaves an image to run after the registry has stopped', () => {
  let dir: string;
  let run: Exec;
  let report: Report;

  beforeAll(async () => {
    dir = await exampleCopy();
    // --json: the report on stdout, the summary with its "run it:" line on stderr.
    run = await xplat(dir, ['--json']);
    report = JSON.parse(run.stdout) as Report;
  }, 240_000);

  it('tags the linux/amd64 leg in the engine as xplat-dev/hello-http:local', async () => {
    expect(run.code).toBe(0);
    expect(await registryProcesses(dir)).toBe('');
    expect(run.stderr).toContain('embedded registry on 127.0.0.1:');
    expect(run.stderr).toMatch(/embedded registry on 127\.0\.0\.1:\d+ stopped/);
    expect(run.stderr).toContain(
      'linux/amd64 left in the local engine as xplat-dev/hello-http:local (built there)',
    );
    // By its digest: this run's amd64 image, the one in the index.
    const amd64 = report.legs.find((l) => l.platform === 'linux/amd64')!;
    expect(await repoDigests('xplat-dev/hello-http:local')).toContain(
      `${report.registry}/xplat-dev/hello-http@${amd64.digest!}`,
    );
    // The registry ref, whose port is gone, is not offered as something to run.
    expect(run.stderr).not.toContain(`docker run --rm --network host ${report.ref!}`);
    expect(run.stderr).toContain(
      '(the embedded registry stops with this run; the index stays in .xplat/registry/, and --keep-registry keeps serving it)',
    );
  });

  it('the printed docker run answers, with the embedded registry stopped', async () => {
    const line = /^run it: (docker run .*)$/m.exec(run.stderr)?.[1];
    expect(line).toBe('docker run --rm --network host xplat-dev/hello-http:local');
    // As printed, detached and named so the test can stop it (the CLI is the test bed's).
    const [, verb, ...rest] = line!.split(' ');
    const name = `xplat-run-left-${Date.now().toString(36)}`;
    const started = await exec(tb.docker, [verb!, '--detach', '--name', name, ...rest]);
    expect(started.stderr).toBe('');
    try {
      let body = '';
      for (let i = 0; i < 100 && !body; i++) {
        body = await fetch('http://127.0.0.1:8080/')
          .then((r) => r.text())
          .catch(() => '');
        if (!body) await new Promise((r) => setTimeout(r, 100));
      }
      expect(body).toContain('hello from xplat');
    } finally {
      await exec(tb.docker, ['rm', '--force', name]);
    }
  }, 60_000);
});

describe('xplat run: the gate and its failures', () => {
  it('--require-all fails when a platform cannot run here, before building anything', async () => {
    const dir = await exampleCopy();
    const run = await xplat(dir, ['--require-all']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '--require-all: windows/amd64:ltsc2019, windows/amd64:ltsc2022, windows/amd64:ltsc2025 cannot run here and --require-all needs every platform; nothing was built',
    );
    expect(run.stderr).not.toMatch(/build\s+running/);
    expect(await registryProcesses(dir)).toBe('');
  }, 120_000);

  it('a failing smoke test exits 1 and fuses nothing', async () => {
    const dir = await exampleCopy((yml) =>
      // A short timeout: the body never matches, so each leg waits all of it out.
      yml.replace(
        'expect-body: hello from xplat',
        'expect-body: this text is not served\n  timeout: 3s',
      ),
    );
    const prefix = uniqueRepository('run-smoke-fails');
    const run = await xplat(dir, ['--json', '--registry', `${tb.openRegistry}/${prefix}`]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ref).toBeNull();
    expect(report.digest).toBeNull();
    expect(report.legs[0]).toMatchObject({ platform: 'linux/amd64', status: 'failed' });
    expect(report.legs[0]!.reason).toMatch(/body/i);
    // The legs were pushed (their digests are known) but no index tag exists.
    expect(report.legs[0]!.digest).toMatch(/^sha256:/);
    const tag = await skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${tb.openRegistry}/${prefix}/xplat-dev/hello-http:local`,
    ]);
    expect(tag.code).not.toBe(0);
    expect(run.stderr).toContain('nothing was fused');
    expect(run.stderr).toMatch(/last lines of \.xplat\/runs\/[\w-]+\/linux-amd64\.log/);
  }, 240_000);

  it('--registry pushes to the auth registry with credentials from a docker config', async () => {
    const dir = await exampleCopy();
    const config = await mkdtemp(path.join(os.tmpdir(), 'xplat-run-config-'));
    scratch.push(config);
    const auth = Buffer.from(`${tb.user}:${tb.password}`).toString('base64');
    await writeFile(
      path.join(config, 'config.json'),
      JSON.stringify({ auths: { [tb.authRegistry]: { auth } } }),
    );
    const prefix = uniqueRepository('run-auth');
    const run = await xplat(dir, ['--json', '--registry', `${tb.authRegistry}/${prefix}`], {
      DOCKER_CONFIG: config,
    });
    expect(run.stderr).not.toContain(tb.password);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ref).toBe(`${tb.authRegistry}/${prefix}/xplat-dev/hello-http:local`);
    const read = await skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      `${tb.user}:${tb.password}`,
      `docker://${report.ref}`,
    ]);
    expect(read.code).toBe(0);
    expect((JSON.parse(read.stdout) as { manifests: unknown[] }).manifests).toHaveLength(2);
    expect(await registryProcesses(dir)).toBe('');
  }, 240_000);
});

describe('xplat run: engines named in xplat.yml', () => {
  it('builds a platform on the docker context engines: names, and reports where it ran', async () => {
    // A context of its own (in a private DOCKER_CONFIG) that points at the test bed's
    // engine: the leg must reach it through DOCKER_CONTEXT, not the inherited DOCKER_HOST.
    const config = await mkdtemp(path.join(os.tmpdir(), 'xplat-run-context-'));
    scratch.push(config);
    const made = await exec(
      tb.docker,
      ['context', 'create', 'xplat-arm-box', '--docker', `host=${tb.dockerHost}`],
      { DOCKER_CONFIG: config },
    );
    expect(made.stderr).not.toMatch(/error/i);
    const dir = await exampleCopy((yml) => `${yml}engines:\n  linux/arm64: xplat-arm-box\n`);
    // Two engines would run at once; both smoke tests bind port 8080 on this host.
    const run = await xplat(
      dir,
      ['--json', '--jobs', '1', '--registry', `${tb.openRegistry}/${uniqueRepository('run-ctx')}`],
      {
        DOCKER_CONFIG: config,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/linux\/arm64\s+xplat-arm-box\s+qemu/);
    expect(run.stderr).toMatch(/linux\/amd64\s+local\s+native/);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.legs.slice(0, 2).map((l) => l.status)).toEqual(['passed', 'passed']);
  }, 240_000);

  it("an engines: context that does not exist skips its platform with docker's words", async () => {
    const dir = await exampleCopy((yml) => `${yml}engines:\n  linux/arm64: no-such-context\n`);
    const run = await xplat(dir, ['--json', '--require-all']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /linux\/arm64\s+no-such-context\s+skipped\s+cannot reach engine no-such-context:/,
    );
  });
});

describe('xplat run: unusable flags and configs exit 2 and name what is wrong', () => {
  it.each([
    [['--jobs', '0'], 'xplat run: --jobs: "0" is not a whole number of 1 or more'],
    [['--engine', 'winhost'], 'xplat run: --engine: "winhost" is not PLATFORM=ENDPOINT'],
    [
      ['--registry', 'http://127.0.0.1:5000'],
      'xplat run: --registry: "http://127.0.0.1:5000" is not HOST[:PORT][/prefix]',
    ],
    [
      ['--registry', '127.0.0.1:1', '--keep-registry'],
      'xplat run: --keep-registry: is for the embedded registry',
    ],
    [['--build-arg', 'no-equals'], 'xplat run: --build-arg: "no-equals" is not NAME=value'],
    [
      ['--image', 'nope'],
      'xplat run: --image: "nope" is not an image of xplat.yml; its images: hello-http',
    ],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('%j', async (args, message) => {
    const dir = await exampleCopy();
    const run = await xplat(dir, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('a folder without xplat.yml names --config and what to do', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-run-empty-'));
    scratch.push(dir);
    const run = await xplat(dir, []);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('xplat run: --config: xplat.yml does not exist in');
    expect(run.stderr).toContain('xplat init');
  });
});

const busyboxOf = (arch: string) => tb.env(`XPLAT_BUSYBOX_${arch.toUpperCase()}`);
/** The web image's port: none other of these tests listens on it. */
const WEB_PORT = 28_081;

interface ImagesReport {
  registry: string;
  images: ({ name: string; image: string } & Omit<Report, 'registry'>)[];
}

interface ProjectOptions {
  /** tool's smoke test looks for a line it never prints (it fails). */
  readonly toolFails?: boolean;
  /** A third image whose prepare step fails. */
  readonly broken?: boolean;
}

/**
 * A project of several images, each FROM scratch with the test bed's static busybox:
 *   web   its prepare step copies the busybox of the leg's TARGETARCH into bin/ and writes
 *         the page it serves (both COPYed, neither in the repository); amd64 and arm64
 *   tool  busybox per architecture from the context; arm64 has smoke: { skip } (untested)
 *   broken (optional) a prepare step that fails like a missing make target
 */
async function imagesProject(options: ProjectOptions = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-run-images-'));
  scratch.push(dir);
  await mkdir(path.join(dir, 'web'));
  await writeFile(
    path.join(dir, 'web', 'Dockerfile'),
    [
      'FROM scratch',
      'COPY bin/busybox /bin/busybox',
      'COPY index.html /www/index.html',
      'USER 65534',
      `CMD ["/bin/busybox", "sh", "-c", "/bin/busybox httpd -f -p 127.0.0.1:${WEB_PORT} -h /www & trap 'kill $!; exit 0' TERM; wait"]`,
      '',
    ].join('\n'),
  );
  for (const arch of ['amd64', 'arm64']) {
    await mkdir(path.join(dir, 'tool', arch), { recursive: true });
    await cp(busyboxOf(arch), path.join(dir, 'tool', arch, 'busybox'));
  }
  await writeFile(
    path.join(dir, 'tool', 'Dockerfile'),
    [
      'FROM scratch',
      'ARG TARGETARCH',
      'COPY ${TARGETARCH}/busybox /bin/busybox',
      `CMD ["/bin/busybox", "sh", "-c", "echo tool ready; trap 'exit 0' TERM; while true; do /bin/busybox sleep 1; done"]`,
      '',
    ].join('\n'),
  );
  await mkdir(path.join(dir, 'broken'));
  await writeFile(path.join(dir, 'broken', 'Dockerfile'), 'FROM scratch\nCOPY bin/app /app\n');
  const yml = [
    'images:',
    '  - name: web',
    '    image: ghcr.io/org/web',
    '    context: web',
    '    prepare:',
    '      - uses: actions/setup-go@v6',
    '      - name: busybox and the page for the platform',
    '        working-directory: web',
    '        run: |',
    '          case "$TARGETARCH" in',
    '            amd64) src="$XPLAT_BUSYBOX_AMD64" ;;',
    '            arm64) src="$XPLAT_BUSYBOX_ARM64" ;;',
    '          esac',
    '          mkdir -p bin && cp "$src" bin/busybox',
    '          echo "$GREETING $XPLAT_PLATFORM" > index.html',
    '        env: { GREETING: web on }',
    '    platforms: [linux/amd64, linux/arm64]',
    `    smoke: { port: ${WEB_PORT}, expect-body: "web on linux/(amd64|arm64)" }`,
    '  - name: tool',
    '    image: ghcr.io/org/tool',
    '    context: tool',
    '    platforms:',
    '      - linux/amd64',
    '      - platform: linux/arm64',
    '        smoke: { skip: arm64 is tested on hardware }',
    options.toolFails
      ? '    smoke: { expect-log: never printed, timeout: 3s }'
      : '    smoke: { expect-log: tool ready, timeout: 30s }',
    ...(options.broken
      ? [
          '  - name: broken',
          '    image: ghcr.io/org/broken',
          '    context: broken',
          '    prepare:',
          '      - name: make build',
          '        run: |',
          `          echo "make: *** No rule to make target 'bin/app'. Stop." >&2`,
          '          exit 2',
          '    platforms: [linux/amd64]',
          '    smoke: { tcp-port: 1 }',
        ]
      : []),
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'xplat.yml'), yml);
  return dir;
}

async function indexOf(ref: string) {
  const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
  expect(raw.stderr).toBe('');
  return JSON.parse(raw.stdout) as {
    manifests: { digest: string; platform: { os: string; architecture: string } }[];
  };
}

describe('xplat run: several images (images:), each gated and fused on its own', () => {
  let dir: string;
  let run: Exec;
  let report: ImagesReport;
  const prefix = uniqueRepository('run-images');

  beforeAll(async () => {
    dir = await imagesProject();
    run = await xplat(dir, ['--json', '--registry', `${tb.openRegistry}/${prefix}`]);
    report = JSON.parse(run.stdout) as ImagesReport;
  }, 240_000);

  it('fuses each image into its own index; --json lists the images', () => {
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(Object.keys(report)).toEqual(['registry', 'images']);
    expect(report.registry).toBe(`${tb.openRegistry}/${prefix}`);
    expect(report.images.map((i) => [i.name, i.image, i.ref])).toEqual([
      ['web', 'ghcr.io/org/web', `${tb.openRegistry}/${prefix}/org/web:local`],
      ['tool', 'ghcr.io/org/tool', `${tb.openRegistry}/${prefix}/org/tool:local`],
    ]);
    for (const image of report.images) {
      expect(Object.keys(image)).toEqual(['name', 'image', 'ref', 'digest', 'localImage', 'legs']);
      expect(image.localImage).toBe(`org/${image.name}:local`);
      expect(image.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      for (const leg of image.legs)
        expect(leg.log).toMatch(
          new RegExp(`^\\.xplat/runs/[\\w-]+/${image.name}/linux-(amd64|arm64)\\.log$`),
        );
    }
    // The plan and the progress name the image of each leg.
    expect(run.stderr).toMatch(/image\s+platform\s+engine\s+runs/);
    expect(run.stderr).toMatch(/web linux\/arm64\s+prepare\s+done\s+1 step, 1 in CI only/);
    expect(run.stderr).toMatch(/tool index\s+fuse\s+done/);
  });

  it('a platform with smoke: { skip } is fused untested, its skip recorded in its leg result', async () => {
    const tool = report.images[1]!;
    expect(tool.legs.map((l) => [l.platform, l.status, l.reason])).toEqual([
      ['linux/amd64', 'passed', 'native on the local engine (linux/amd64)'],
      ['linux/arm64', 'untested', 'not smoke-tested: arm64 is tested on hardware'],
    ]);
    const index = await indexOf(tool.ref!);
    expect(index.manifests.map((m) => [m.platform.architecture, m.digest])).toEqual([
      ['amd64', tool.legs[0]!.digest],
      ['arm64', tool.legs[1]!.digest],
    ]);
    const runId = /runs\/([\w-]+)\//.exec(tool.legs[1]!.log!)![1]!;
    const result = JSON.parse(
      await readFile(path.join(dir, '.xplat', 'legs', runId, 'tool', 'linux-arm64.json'), 'utf8'),
    ) as { smoke: { status: string; reason: string } };
    expect(result.smoke).toMatchObject({
      status: 'skipped',
      reason: 'arm64 is tested on hardware',
    });
    // Skipped, so no container ran: the log says where it is recorded, nothing about probes.
    const log = await readFile(path.join(dir, tool.legs[1]!.log!), 'utf8');
    expect(log).toContain('Smoke test of linux/arm64 skipped: arm64 is tested on hardware');
  });

  it("web's prepare step wrote what its Dockerfile COPYs, per leg platform", async () => {
    const web = report.images[0]!;
    expect(web.legs.map((l) => l.status)).toEqual(['passed', 'passed']);
    const index = await indexOf(web.ref!);
    expect(index.manifests.map((m) => m.digest)).toEqual(web.legs.map((l) => l.digest));
    for (const [platform, machine] of [
      ['linux/amd64', 'x86_64'],
      ['linux/arm64', 'aarch64'],
    ] as const) {
      const out = await exec(tb.docker, [
        'run',
        '--rm',
        '--network',
        'host',
        '--platform',
        platform,
        '--pull',
        'always',
        web.ref!,
        '/bin/busybox',
        'sh',
        '-c',
        '/bin/busybox cat /www/index.html; /bin/busybox uname -m',
      ]);
      expect(out.stdout).toBe(`web on ${platform}\n${machine}\n`);
    }
    // The step's uses: sibling is listed, in the plan and in the leg's log.
    expect(run.stderr).toContain('runs in CI only: actions/setup-go@v6');
    const log = await readFile(path.join(dir, web.legs[1]!.log!), 'utf8');
    expect(log).toContain(
      'prepare step 1 (actions/setup-go@v6): runs in CI only: actions/setup-go@v6',
    );
    expect(log).toMatch(/prepare step 2 \(busybox and the page for the platform\): bash -e /);
  });

  it('with --registry too, each image is left in the engine under its own local name', async () => {
    for (const [image, name] of [
      [report.images[0]!, 'org/web:local'],
      [report.images[1]!, 'org/tool:local'],
    ] as const) {
      const amd64 = image.legs.find((l) => l.platform === 'linux/amd64')!;
      expect(await repoDigests(name)).toContain(
        `${tb.openRegistry}/${prefix}/org/${image.name}@${amd64.digest!}`,
      );
      expect(run.stderr).toContain(`linux/amd64 left in the local engine as ${name} (built there)`);
      expect(run.stderr).toContain(
        `every platform, from the registry: docker run --rm --network host ${image.ref!}`,
      );
    }
    expect(run.stderr).toContain('run it: docker run --rm --network host org/tool:local');
  });

  it('keeps leg results per image, each fuse reading only its own', async () => {
    const found = await exec('find', [path.join(dir, '.xplat', 'legs'), '-name', '*.json']);
    expect(
      found.stdout
        .trim()
        .split('\n')
        .map((f) => f.split(path.sep).slice(-2).join('/'))
        .sort(),
    ).toEqual([
      'tool/linux-amd64.json',
      'tool/linux-arm64.json',
      'web/linux-amd64.json',
      'web/linux-arm64.json',
    ]);
  });

  it('--image NAME runs that image alone', async () => {
    const only = await xplat(dir, [
      '--json',
      '--image',
      'tool',
      '--registry',
      `${tb.openRegistry}/${uniqueRepository('run-image')}`,
    ]);
    expect(only.code).toBe(0);
    const again = JSON.parse(only.stdout) as ImagesReport;
    expect(again.images.map((i) => i.name)).toEqual(['tool']);
    expect(only.stderr).not.toContain('web linux/amd64');
    const unknown = await xplat(dir, ['--image', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'xplat run: --image: "nope" is not an image of xplat.yml; its images: web, tool',
    );
  }, 120_000);
});

describe('xplat run: one image failing leaves the others fused', () => {
  let dir: string;
  let run: Exec;
  let report: ImagesReport;
  const prefix = uniqueRepository('run-images-fail');

  beforeAll(async () => {
    dir = await imagesProject({ toolFails: true, broken: true });
    run = await xplat(dir, ['--json', '--registry', `${tb.openRegistry}/${prefix}`]);
    report = JSON.parse(run.stdout) as ImagesReport;
  }, 240_000);

  it('exits 1; web is fused and reads back, tool and broken are not', async () => {
    expect(run.code).toBe(1);
    expect(report.images.map((i) => [i.name, i.ref === null])).toEqual([
      ['web', false],
      ['tool', true],
      ['broken', true],
    ]);
    expect((await indexOf(report.images[0]!.ref!)).manifests).toHaveLength(2);
    const tag = await skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${tb.openRegistry}/${prefix}/org/tool:local`,
    ]);
    expect(tag.code).not.toBe(0);
    expect(run.stderr).toContain(
      'nothing was fused for tool: 1 of 2 platform(s) that ran here failed',
    );
  });

  it("tool's failing smoke test fails its leg; its untested leg was still built", () => {
    const tool = report.images[1]!;
    expect(tool.legs.map((l) => [l.platform, l.status])).toEqual([
      ['linux/amd64', 'failed'],
      ['linux/arm64', 'untested'],
    ]);
    expect(tool.legs[0]!.reason).toMatch(/log|never printed/i);
    expect(tool.legs[0]!.digest).toMatch(/^sha256:/);
  });

  it('a failing prepare step fails its leg in prepare, with its exit code and output', async () => {
    const [leg] = report.images[2]!.legs;
    expect(leg).toMatchObject({ platform: 'linux/amd64', status: 'failed', digest: null });
    expect(leg!.reason).toBe(
      "prepare step 1 (make build) exited with 2: make: *** No rule to make target 'bin/app'. Stop.",
    );
    const log = await readFile(path.join(dir, leg!.log!), 'utf8');
    expect(log).toContain("make: *** No rule to make target 'bin/app'. Stop.");
    expect(run.stderr).toContain(
      'broken linux/amd64 failed in prepare: prepare step 1 (make build) exited with 2',
    );
    expect(run.stderr).toMatch(
      /last lines of \.xplat\/runs\/[\w-]+\/broken\/linux-amd64\.log:\n(.*\n)*\s+\[\s*[\d.]+s\] make: \*\*\* No rule to make target/,
    );
  });
});

describe('xplat run: interrupted', () => {
  it('SIGINT mid-build stops the build, leaves no container and no registry process', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-run-sigint-'));
    scratch.push(dir);
    const marker = `xplat-sigint-${Date.now().toString(36)}`;
    await writeFile(
      path.join(dir, 'Dockerfile'),
      `ARG BUSYBOX_IMAGE=busybox:1.37\nFROM \${BUSYBOX_IMAGE}\nRUN sleep 120 && echo ${marker}\nCMD ["sh"]\n`,
    );
    await writeFile(
      path.join(dir, 'xplat.yml'),
      // A smoke setting, or the run refuses the file before building (nothing to check).
      'image: ghcr.io/org/slow\nplatforms: [linux/amd64]\nsmoke: { tcp-port: 8080 }\n',
    );
    const child = spawn(process.execPath, [cli, 'run', '--dir', dir, ...baseArgs], {
      env: { ...process.env, GITHUB_SHA: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    // Interrupt once the build is under way and the RUN step's sleep is running.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const sleeping = (await exec('pgrep', ['-f', 'sleep 120'])).code === 0;
      if (/build\s+running/.test(stderr) && sleeping) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stderr).toMatch(/build\s+running/);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('SIGINT: stopping builds and containers');
    expect(await registryProcesses(dir)).toBe('');
    // The build's RUN step ends with its client: BuildKit cancels the session and the
    // engine reaps the container, which on a loaded machine takes seconds (seen: over 5).
    let left = '';
    for (let i = 0; i < 300; i++) {
      left = (await exec('pgrep', ['-af', 'sleep 120'])).stdout.trim();
      if (!left) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toBe('');
    const containers = await exec(tb.docker, [
      'ps',
      '--all',
      '--quiet',
      '--filter',
      'label=xplat.run',
    ]);
    expect(containers.stdout.trim()).toBe('');
    const images = await exec(tb.docker, ['images', '--quiet', '--filter', 'reference=*/org/slow']);
    expect(images.stdout.trim()).toBe('');
  }, 120_000);
});

/**
 * An engine whose 127.0.0.1 is not this machine's, as Docker Desktop's or Colima's in a
 * VM: a second dockerd in a network namespace of its own (scripts/testbed/netns-engine.sh;
 * root, iproute2). The run must find out before it builds: it asks each engine to reach
 * the embedded registry, tries the registry:2 image through the engine that does not
 * (which cannot be pulled here either), then refuses in one line with exit 2.
 */
describe("xplat run: an engine that cannot reach this machine's 127.0.0.1", () => {
  const script = path.join(repoRoot, 'scripts', 'testbed', 'netns-engine.sh');
  let state: string;
  let nsHost: string;
  const ns = (args: string[]) => exec(tb.docker, args, { DOCKER_HOST: nsHost });
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  beforeAll(async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'xplat-netns-'));
    scratch.push(parent);
    state = path.join(parent, 'engine');
    const up = await exec('bash', [script, 'up', state]);
    // Never skipped: without the namespace this test cannot say anything.
    if (up.code !== 0)
      throw new Error(
        `cannot start a Docker engine in a network namespace (bash ${script} up ${state}; needs root and iproute2: bash scripts/testbed/install.sh):\n${up.stderr.trim()}`,
      );
    const env = await readFile(path.join(state, 'env'), 'utf8');
    nsHost = /^DOCKER_HOST=(.+)$/m.exec(env)![1]!;
  }, 120_000);

  afterAll(async () => {
    const down = await exec('bash', [script, 'down', state]);
    expect(down.stderr).toBe('');
    expect(existsSync(state)).toBe(false);
  }, 60_000);

  /** The example under a repository no other test uses, so "nothing built" is checkable. */
  async function project(extra = ''): Promise<{ dir: string; repository: string }> {
    const repository = `xplat-dev/${uniqueRepository('netns')}`;
    const dir = await exampleCopy(
      (yml) =>
        yml.replace('image: ghcr.io/xplat-dev/hello-http', `image: ghcr.io/${repository}`) + extra,
    );
    return { dir, repository };
  }

  /** Nothing built (neither engine has the image), pushed (no repository) or left running. */
  async function nothingLeft(dir: string, repository: string) {
    expect((await ns(['images', '--all', '--quiet'])).stdout.trim()).toBe('');
    expect((await ns(['ps', '--all', '--quiet'])).stdout.trim()).toBe('');
    const built = await exec(tb.docker, [
      'images',
      '--quiet',
      '--filter',
      `reference=*/${repository}`,
    ]);
    expect(built.stdout.trim()).toBe('');
    expect(existsSync(path.join(dir, '.xplat', 'registry', 'data', 'docker'))).toBe(false);
    expect(await registryProcesses(dir)).toBe('');
  }

  it("the namespace engine answers, and its 127.0.0.1 is not this machine's", async () => {
    expect((await ns(['version', '--format', '{{.Server.Os}}'])).stdout.trim()).toBe('linux');
    const pull = await ns(['pull', tb.env('XPLAT_FIXTURE_LINUX_AMD64_REF')]);
    expect(pull.code).not.toBe(0);
    expect(pull.stderr).toContain('connection refused');
  });

  it('as the local engine (DOCKER_HOST): refused in one line before any build, exit 2', async () => {
    const { dir, repository } = await project();
    const run = await xplat(dir, [], { DOCKER_HOST: nsHost });
    expect(run.code).toBe(2);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('xplat run:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^xplat run: --registry: the embedded registry is on 127\\.0\\.0\\.1:\\d+ and the local engine at ${literal(nsHost)} \\(linux/amd64, linux/arm64\\) cannot reach it \\(Get "http://127\\.0\\.0\\.1:\\d+/v2/": dial tcp 127\\.0\\.0\\.1:\\d+: connect: connection refused\\); the registry:2 image would not run through the local engine instead \\(docker run registry:2 failed: .+\\): pass --registry HOST:PORT that this machine and that engine both reach; nothing was built$`,
      ),
    );
    expect(run.stderr).not.toMatch(/(prepare|lint|build)\s+running/);
    expect(run.stdout).toBe('');
    await nothingLeft(dir, repository);
  }, 120_000);

  it('as the engine engines: names for one platform: refused too, naming that engine', async () => {
    const { dir, repository } = await project(`engines:\n  linux/arm64: ${nsHost}\n`);
    const run = await xplat(dir, []);
    expect(run.code).toBe(2);
    // The plan puts arm64 on that engine; the local engine (the test bed's) reaches the
    // registry, that one does not.
    expect(run.stderr).toMatch(new RegExp(`linux/arm64\\s+${literal(nsHost)}\\s+qemu`));
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('xplat run:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      `and engine ${nsHost} (linux/arm64) cannot reach it (Get "http://127.0.0.1:`,
    );
    expect(errors[0]).not.toContain('the local engine');
    expect(errors[0]).toContain(
      ': pass --registry HOST:PORT that this machine and that engine both reach; nothing was built',
    );
    expect(run.stderr).not.toMatch(/(prepare|lint|build)\s+running/);
    await nothingLeft(dir, repository);
  }, 120_000);
});
