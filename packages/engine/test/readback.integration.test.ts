/**
 * The read-back after a push, against the test bed's registry: a Windows image whose
 * config has another release than the leg's, or no os.version at all, fails the leg with
 * the reason (and the digest that was pushed) instead of reaching the index. The Windows
 * images are the test bed's fixtures (configs with os.version, written by hand), the one
 * without os.version is made from them here; and a real build whose pushed image is not
 * the leg's platform shows the failure leaving executeBuild as a LegFailure.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { parsePlatform, silentLogger } from '@xplat/core';
import { parseBuildInputs, prepareBuild } from '@xplat/engine';
import { type ImageManifest, parseReference, parseRepository } from '@xplat/oci';
import { createRegistryClient } from '@xplat/registry';
import { executeBuild } from '../src/platform-image/build-run.js';
import { LegFailure } from '../src/platform-image/leg-failure.js';
import { PushedImageMismatch, readBackPushed } from '../src/platform-image/readback.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const client = createRegistryClient();
const LTSC2022 = parseReference(tb.env('XPLAT_FIXTURE_WINDOWS_LTSC2022_REF'));
const P = (text: string) => parsePlatform(text);

/** The ltsc2022 fixture in a repository of its own, and the same image without os.version. */
async function windowsImages() {
  const repo = parseRepository(`${tb.openRegistry}/${uniqueRepository('readback')}`);
  await client.copyImage(LTSC2022, repo);
  const source = await client.getManifest(LTSC2022, LTSC2022.tag!);
  const manifest = source.manifest as ImageManifest;
  const good = await client.pushManifest(repo, source.bytes, source.mediaType, ['ltsc2022']);
  const config = JSON.parse((await client.getBlob(repo, manifest.config.digest)).toString()) as {
    'os.version'?: string;
  };
  delete config['os.version'];
  const blob = await client.putBlob(repo, Buffer.from(JSON.stringify(config)));
  const bare = Buffer.from(
    JSON.stringify({
      ...manifest,
      config: { ...manifest.config, ...blob, mediaType: manifest.config.mediaType },
    }),
  );
  const missing = await client.pushManifest(repo, bare, source.mediaType, ['no-os-version']);
  return { repo, good, missing, name: `${repo.registry}/${repo.repository}` };
}

describe('reading a pushed Windows image back', () => {
  test('its release, from the config', async () => {
    const { repo, good } = await windowsImages();
    const pushed = await readBackPushed(client, repo, 'ltsc2022', P('windows/amd64:ltsc2022'));
    expect(pushed).toMatchObject({ digest: good, config: { 'os.version': '10.0.20348.2655' } });
  });

  test.each<[string, string, string, string]>([
    [
      'a base image of another release',
      'ltsc2022',
      'windows/amd64:ltsc2025',
      "windows-version: NAME:ltsc2022 has os.version 10.0.20348.2655 (ltsc2022), not the leg's 10.0.26100 (ltsc2025): it was built FROM a base image of another Windows release; use the base image tag of ltsc2025 or change windows-version",
    ],
    [
      'no os.version in the config',
      'no-os-version',
      'windows/amd64:ltsc2022',
      "file: NAME:no-os-version has no os.version in its config, so no Windows host can tell which release it is: its final stage is not FROM a Windows base image (scratch, or a base without os.version); build it FROM mcr.microsoft.com/windows/nanoserver or servercore of the leg's release, whose config carries os.version",
    ],
    [
      'no os.version, and the leg named no release',
      'no-os-version',
      'windows/amd64',
      'file: NAME:no-os-version has no os.version in its config',
    ],
  ])('%s: refused, with the digest that was pushed', async (_name, tag, platform, message) => {
    const images = await windowsImages();
    const error = await readBackPushed(client, images.repo, tag, P(platform)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PushedImageMismatch);
    expect((error as Error).message).toContain(message.replace('NAME', images.name));
    expect((error as PushedImageMismatch).digest).toBe(
      tag === 'ltsc2022' ? images.good : images.missing,
    );
  });
});

describe('executeBuild', () => {
  test('a pushed image the read-back refuses leaves as a LegFailure with its digest', async () => {
    const context = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      'fixtures',
      'multistage',
    );
    const image = `${tb.openRegistry}/${uniqueRepository('readback-build')}`;
    const env = { ...process.env, XPLAT_BUILDER: '', BUILDX_BUILDER: '' } as Record<string, string>;
    const request = parseBuildInputs(
      {
        image,
        platform: 'linux/amd64',
        context,
        network: 'host',
        cache: 'none',
        'result-dir': await mkdtemp(path.join(os.tmpdir(), 'xplat-legs-')),
      },
      { cwd: context, env },
    );
    const options = {
      docker: tb.docker,
      env,
      cwd: context,
      logger: silentLogger,
      source: { sha: 'abcdef1' },
    };
    const prepared = await prepareBuild(request, options);
    // The leg claims another architecture than the plan builds: what a builder that
    // ignored --platform would push.
    const error = await executeBuild({ ...prepared, platform: P('linux/arm64') }, options).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LegFailure);
    expect(error).toMatchObject({
      input: 'platform',
      builder: prepared.selection.kind,
      pushedDigest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
    });
    expect((error as LegFailure).reason).toMatch(
      /:linux-amd64-abcdef1 is linux\/amd64, not linux\/arm64: the builder did not build the requested platform$/,
    );
    const pushed = await client.getManifest(
      parseReference(`${image}:linux-amd64-abcdef1`),
      'linux-amd64-abcdef1',
    );
    expect((error as LegFailure).pushedDigest).toBe(pushed.digest);
  });
});
