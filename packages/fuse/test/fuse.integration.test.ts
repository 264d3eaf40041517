/**
 * fuse against the real test bed: registries on 127.0.0.1, fixture images pushed by
 * scripts/testbed/up.sh, and skopeo and the docker CLI as independent readers.
 */
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { recordingLogger, silentLogger } from '@xplat/core';
import { DOCKER_MANIFEST_LIST, OCI_INDEX } from '@xplat/oci';
import { createRegistryClient, type RegistryClientOptions } from '@xplat/registry';
import { fuse, GateClosedError, parseFuseRequest, type FuseInputs } from '../src/index.js';
import { exec } from '../../../test/exec.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import { fixture, FOUR_PLATFORMS, fourLegs, writeLegs, type LegSpec } from './testbed-legs.js';

const tb = testbed();

/** A port nothing listens on: bound once by us, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const FAST_RETRY = {
  retry: { maxAttempts: 2, baseDelayMs: 50, totalTimeMs: 5_000, requestTimeoutMs: 5_000 },
};

function inputs(change: Partial<FuseInputs>): FuseInputs {
  return {
    image: `${tb.openRegistry}/${uniqueRepository('fused')}`,
    tags: '1.0.0',
    results: '',
    sources: '',
    'expected-platforms': '',
    annotations: '',
    'media-type': 'auto',
    'mutable-tags': 'latest',
    'dry-run': 'false',
    ...change,
  };
}

async function fuseLegs(
  legs: readonly LegSpec[],
  change: Partial<FuseInputs> = {},
  client: RegistryClientOptions = {},
) {
  const image = change.image ?? `${tb.openRegistry}/${uniqueRepository('fused')}`;
  const dir = await writeLegs(legs, image);
  const request = await parseFuseRequest(
    inputs({ results: dir, 'expected-platforms': FOUR_PLATFORMS, ...change, image }),
    dir,
  );
  return fuse(request, createRegistryClient({ ...FAST_RETRY, ...client }), silentLogger);
}

async function fuseSources(
  sources: string[],
  change: Partial<FuseInputs> = {},
  client: RegistryClientOptions = {},
) {
  const request = await parseFuseRequest(
    inputs({ sources: sources.join('\n'), ...change }),
    process.cwd(),
  );
  return fuse(request, createRegistryClient({ ...FAST_RETRY, ...client }), silentLogger);
}

const skopeo = (...args: string[]) => exec('skopeo', args);
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** What the registry holds under a tag, read by skopeo (never by our own client). */
async function rawManifest(
  ref: string,
  creds?: string,
): Promise<
  | {
      text: string;
      json: {
        mediaType: string;
        manifests: {
          digest: string;
          platform?: Record<string, unknown>;
          annotations?: Record<string, string>;
        }[];
      };
    }
  | undefined
> {
  const r = await skopeo(
    'inspect',
    '--raw',
    '--tls-verify=false',
    ...(creds ? ['--creds', creds] : []),
    `docker://${ref}`,
  );
  if (r.code !== 0) return undefined;
  return { text: r.stdout, json: JSON.parse(r.stdout) };
}

describe('fuse: the four-platform hybrid index', () => {
  it('fuses linux/amd64, linux/arm64/v8 and two Windows releases, os.version kept, and every client reads it', async () => {
    const result = await fuseLegs(fourLegs(), { tags: '1.0.0,latest' });
    const [repo] = result.ref.split('@');

    // The gate's mark is an annotation, so the index is OCI even of Docker images.
    expect(result.mediaType).toBe(OCI_INDEX);
    expect(result.index.annotations).toEqual({ 'dev.xplat.gate': 'passed' });
    expect(result.entries.map((e) => e.platform)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'windows/amd64:10.0.20348.2655',
      'windows/amd64:10.0.26100.1742',
    ]);
    // The legs pushed into the target repository: nothing to copy.
    expect(result.entries.every((e) => !e.copied && e.smoke === 'passed')).toBe(true);
    expect(result.tags.map((t) => t.action)).toEqual(['create', 'create']);

    // skopeo: the exact bytes, their digest, and every platform field.
    const raw = await rawManifest(`${repo}:1.0.0`);
    expect(raw).toBeDefined();
    expect(sha256(raw!.text)).toBe(result.digest);
    expect(raw!.json.manifests.map((m) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
      { architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.2655' },
      {
        architecture: 'amd64',
        os: 'windows',
        'os.version': '10.0.26100.1742',
        'os.features': ['win32k'],
      },
    ]);
    expect(raw!.json.manifests.map((m) => m.digest)).toEqual(
      fourLegs().map((l) => l.fixture.digest),
    );
    expect(sha256((await rawManifest(`${repo}:latest`))!.text)).toBe(result.digest);

    // docker manifest inspect: a second independent client sees os.version too.
    const env = {
      DOCKER_HOST: tb.dockerHost,
      DOCKER_CONFIG: tb.env('DOCKER_CONFIG'),
      DOCKER_CLI_EXPERIMENTAL: 'enabled',
    };
    const inspected = await exec(
      tb.docker,
      ['manifest', 'inspect', '--insecure', `${repo}:1.0.0`],
      env,
    );
    expect(inspected.code).toBe(0);
    const list = JSON.parse(inspected.stdout) as {
      manifests: { platform: Record<string, unknown> }[];
    };
    expect(list.manifests.map((m) => m.platform['os.version'] ?? null)).toEqual([
      null,
      null,
      '10.0.20348.2655',
      '10.0.26100.1742',
    ]);

    // The engine pulls the tag and picks the host's platform from the list.
    const pulled = await exec(tb.docker, ['pull', `${repo}:1.0.0`], env);
    expect(pulled.stderr).toBe('');
    const arch = await exec(
      tb.docker,
      ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', `${repo}:1.0.0`],
      env,
    );
    expect(arch.stdout.trim()).toBe('linux/amd64');
    await exec(tb.docker, ['image', 'rm', `${repo}:1.0.0`], env);
  });

  it('keeps an index of OCI images as an OCI index, with annotations', async () => {
    const result = await fuseSources(
      [fixture('LINUX_AMD64_OCI').ref, fixture('WINDOWS_LTSC2022_OCI').ref],
      {
        annotations: 'org.opencontainers.image.source=https://example.invalid/app',
        'expected-platforms': 'linux/amd64,windows/amd64:ltsc2022',
      },
    );
    const raw = await rawManifest(result.ref);
    expect(raw!.json.mediaType).toBe(OCI_INDEX);
    expect((raw!.json as unknown as { annotations: Record<string, string> }).annotations).toEqual({
      'org.opencontainers.image.source': 'https://example.invalid/app',
    });
  });
});

describe("fuse: the gate's mark on the index", () => {
  const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const TIME = '2025-11-26T10:00:00Z';
  const withSource = (source: LegSpec['source'][]) =>
    fourLegs().map((leg, i) => ({ ...leg, ...(source[i] ? { source: source[i] } : {}) }));

  it.each<
    [string, LegSpec[], Partial<FuseInputs>, Record<string, string> | undefined, RegExp | null]
  >([
    [
      'legs of one commit, built reproducibly: its revision and time',
      withSource([0, 1, 2, 3].map(() => ({ sha: SHA, time: TIME }))),
      {},
      {
        'dev.xplat.gate': 'passed',
        'org.opencontainers.image.created': TIME,
        'org.opencontainers.image.revision': SHA,
      },
      null,
    ],
    [
      'one leg not reproducible: the revision, no time',
      withSource([
        { sha: SHA, time: TIME },
        { sha: SHA },
        { sha: SHA, time: TIME },
        { sha: SHA, time: TIME },
      ]),
      {},
      { 'dev.xplat.gate': 'passed', 'org.opencontainers.image.revision': SHA },
      null,
    ],
    [
      'legs of two commits: no revision, and a warning',
      withSource([{ sha: SHA }, { sha: SHA }, { sha: SHA }, { sha: 'f'.repeat(40) }]),
      {},
      { 'dev.xplat.gate': 'passed' },
      /the legs were built from different commits \(a1b2c3d, fffffff\): the index names no revision/,
    ],
    [
      "a user's annotation is kept beside the mark",
      fourLegs(),
      { annotations: 'org.opencontainers.image.source=https://example.invalid/app' },
      {
        'dev.xplat.gate': 'passed',
        'org.opencontainers.image.source': 'https://example.invalid/app',
      },
      null,
    ],
    [
      'a Docker list forced: no mark, and a warning',
      fourLegs(),
      { 'media-type': 'docker' },
      undefined,
      /a Docker manifest list carries no annotations, so this index has no dev.xplat.gate mark/,
    ],
  ])('%s', async (_name, legs, change, annotations, warning) => {
    const logger = recordingLogger();
    const image = `${tb.openRegistry}/${uniqueRepository('marked')}`;
    const dir = await writeLegs(legs, image);
    const request = await parseFuseRequest(
      inputs({ image, results: dir, 'expected-platforms': FOUR_PLATFORMS, ...change }),
      dir,
    );
    const result = await fuse(request, createRegistryClient(FAST_RETRY), logger);
    expect(result.index.annotations).toEqual(annotations);
    expect(result.mediaType).toBe(annotations ? OCI_INDEX : DOCKER_MANIFEST_LIST);
    const raw = await rawManifest(`${image}:1.0.0`);
    expect(sha256(raw!.text)).toBe(result.digest);
    if (warning) expect(logger.lines.join('\n')).toMatch(warning);
  });
});

describe('fuse: the gate', () => {
  it.each<[string, (legs: LegSpec[]) => LegSpec[], RegExp]>([
    ['a missing platform', (legs) => legs.slice(0, 3), /windows\/amd64:ltsc2025 missing/],
    [
      'a failed smoke test',
      (legs) => legs.map((l, i) => (i === 1 ? { ...l, smoke: 'failed' } : l)),
      /linux\/arm64 failed \(smoke test failed: http probe/,
    ],
    [
      'a leg that was not pushed',
      (legs) => legs.map((l, i) => (i === 2 ? { ...l, pushed: false } : l)),
      /windows\/amd64:ltsc2022 not-pushed/,
    ],
  ])('refuses %s and writes nothing', async (_name, change, message) => {
    const image = `${tb.openRegistry}/${uniqueRepository('gated')}`;
    const error = await fuseLegs(change(fourLegs()), { image }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateClosedError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    // Nothing written: no tag.
    expect(await rawManifest(`${image}:1.0.0`)).toBeUndefined();
  });

  it('refuses a leg result of another repository, naming both, before any registry traffic', async () => {
    const target = `${tb.openRegistry}/${uniqueRepository('target')}`;
    const other = `${tb.openRegistry}/${uniqueRepository('other-project')}`;
    const dir = await writeLegs(fourLegs().slice(0, 1), other);
    await expect(
      parseFuseRequest(
        inputs({ image: target, results: dir, 'expected-platforms': 'linux/amd64' }),
        dir,
      ),
    ).rejects.toThrow(
      `result.json: the leg result is for ${other}, not the target repository ${target}; fuse legs built for ${target} (or give sources to copy images from elsewhere)`,
    );
  });

  it('refuses a leg result whose image is another platform than it claims', async () => {
    const legs = fourLegs().map((l, i) =>
      i === 1 ? { ...l, fixture: fixture('LINUX_AMD64') } : l,
    );
    await expect(fuseLegs(legs)).rejects.toThrow(
      /result\.json: the image config of .* says linux\/amd64, not linux\/arm64/,
    );
  });
});

describe('fuse: tags', () => {
  it('is idempotent, refuses to move an immutable tag, and moves a mutable one', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('tags')}`;
    const amd64 = fixture('LINUX_AMD64').ref;
    const arm64 = fixture('LINUX_ARM64').ref;

    const first = await fuseSources([amd64], { image, tags: 'v1,latest' });
    const again = await fuseSources([amd64], { image, tags: 'v1,latest' });
    expect(again.digest).toBe(first.digest);
    expect(again.tags.map((t) => t.action)).toEqual(['unchanged', 'unchanged']);

    await expect(fuseSources([amd64, arm64], { image, tags: 'v1' })).rejects.toThrow(
      `tags: refusing to move existing tag(s) ${image}:v1 (now ${first.digest})`,
    );
    expect(sha256((await rawManifest(`${image}:v1`))!.text)).toBe(first.digest);

    const moved = await fuseSources([amd64, arm64], { image, tags: 'latest' });
    expect(moved.tags).toEqual([{ tag: 'latest', action: 'update', previous: first.digest }]);
    expect(sha256((await rawManifest(`${image}:latest`))!.text)).toBe(moved.digest);
  });

  it('dry-run shows the index and writes nothing', async () => {
    const image = `${tb.openRegistry}/${uniqueRepository('dry')}`;
    const logger = recordingLogger();
    const request = await parseFuseRequest(
      inputs({ image, sources: fixture('LINUX_AMD64').ref, 'dry-run': 'true' }),
      process.cwd(),
    );
    const result = await fuse(request, createRegistryClient(FAST_RETRY), logger);
    expect(result.dryRun).toBe(true);
    expect(logger.lines.join('\n')).toContain(
      `Dry run: would push ${image}@${result.digest} as 1.0.0`,
    );
    expect(await rawManifest(`${image}:1.0.0`)).toBeUndefined();
    expect(await rawManifest(`${image}@${fixture('LINUX_AMD64').digest}`)).toBeUndefined();
  });
});

describe('fuse: sources', () => {
  it('takes the platform image out of a buildx-style index and carries its attestation', async () => {
    const result = await fuseSources([
      fixture('ATTESTED').ref,
      fixture('WINDOWS_LTSC2022_OCI').ref,
    ]);
    const raw = await rawManifest(result.ref);
    expect(raw!.json.mediaType).toBe(OCI_INDEX);
    const image = tb.env('XPLAT_FIXTURE_ATTESTED_IMAGE_DIGEST');
    expect(raw!.json.manifests.map((m) => m.digest)).toEqual([
      image,
      fixture('WINDOWS_LTSC2022_OCI').digest,
      tb.env('XPLAT_FIXTURE_ATTESTED_ATTESTATION_DIGEST'),
    ]);
    expect(raw!.json.manifests[2]!.annotations).toMatchObject({
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': image,
    });
    // The attestation manifest was copied into the target repository too.
    expect(
      await rawManifest(
        `${result.ref.split('@')[0]}@${tb.env('XPLAT_FIXTURE_ATTESTED_ATTESTATION_DIGEST')}`,
      ),
    ).toBeDefined();
  });

  it('drops the attestation, with a warning, when a Docker list is forced', async () => {
    const result = await fuseSources([fixture('ATTESTED').ref], { 'media-type': 'oci' });
    expect((result.index.manifests as unknown[]).length).toBe(2);
    const request = await parseFuseRequest(
      inputs({ sources: fixture('LINUX_AMD64').ref, 'media-type': 'docker' }),
      process.cwd(),
    );
    expect((await fuse(request, createRegistryClient(), silentLogger)).mediaType).toBe(
      DOCKER_MANIFEST_LIST,
    );
  });

  it('fuses images from two other repositories, and in place in the source repository', async () => {
    const copied = await fuseSources([
      fixture('OTHER_LINUX_AMD64').ref,
      fixture('LINUX_ARM64').ref,
    ]);
    expect(copied.entries.map((e) => e.copied)).toEqual([true, true]);
    expect(await rawManifest(copied.ref)).toBeDefined();

    const inPlace = await fuseSources([fixture('LINUX_AMD64').ref, fixture('LINUX_ARM64').ref], {
      image: fixture('LINUX_AMD64').image,
      tags: uniqueRepository('inplace'),
    });
    expect(inPlace.entries.map((e) => e.copied)).toEqual([false, false]);
  });

  it('refuses two sources of one platform, and an expected platform no source has', async () => {
    await expect(
      fuseSources([fixture('LINUX_AMD64').ref, fixture('OTHER_LINUX_AMD64').ref]),
    ).rejects.toThrow('sources: two sources are linux/amd64');
    await expect(
      fuseSources([fixture('LINUX_AMD64').ref], {
        'expected-platforms': 'linux/amd64,windows/amd64:ltsc2025',
      }),
    ).rejects.toThrow('expected-platforms: no source is windows/amd64:ltsc2025');
  });
});

describe('fuse: the registry with basic auth', () => {
  const auth = tb.authRegistry;
  const sources = [`${auth}/fixtures/busybox:linux-amd64`, `${auth}/fixtures/windows:ltsc2022`];
  const creds = `${tb.user}:${tb.password}`;

  it('uses credentials from inputs', async () => {
    const image = `${auth}/${uniqueRepository('auth')}`;
    const result = await fuseSources(
      sources,
      { image },
      { credentials: { username: tb.user, password: tb.password, registry: auth } },
    );
    expect(sha256((await rawManifest(`${image}:1.0.0`, creds))!.text)).toBe(result.digest);
  });

  it("uses Docker's config.json", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-dockercfg-'));
    const encoded = Buffer.from(creds).toString('base64');
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({ auths: { [auth]: { auth: encoded } } }),
    );
    const image = `${auth}/${uniqueRepository('cfg')}`;
    const result = await fuseSources(sources, { image }, { dockerConfigDir: dir });
    expect(sha256((await rawManifest(`${image}:1.0.0`, creds))!.text)).toBe(result.digest);
  });

  it.each<[string, RegistryClientOptions, RegExp]>([
    [
      'a wrong password',
      { credentials: { username: tb.user, password: 'wrong', registry: auth } },
      /password/,
    ],
    [
      'no credentials',
      { dockerConfigDir: '/nonexistent' },
      /credential|username|unauthorized|401/i,
    ],
  ])('fails in one line with %s, and writes nothing', async (_name, client, message) => {
    const image = `${auth}/${uniqueRepository('denied')}`;
    const error = (await fuseSources(sources, { image }, client).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain(tb.password);
    expect(await rawManifest(`${image}:1.0.0`, creds)).toBeUndefined();
  });

  it('fails in one line when the registry is unreachable', async () => {
    const closed = `127.0.0.1:${await closedPort()}`;
    const error = (await fuseSources([`${closed}/app@${fixture('LINUX_AMD64').digest}`], {
      image: `${closed}/app`,
    }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(closed);
    expect(error.message).toMatch(/ECONNREFUSED|refused/);
    expect(error.message).not.toContain('\n');
  });
});
