/**
 * Builder choice outside GitHub: a build that needs BuildKit (another architecture, or
 * BuildKit-only syntax) on a docker CLI without it (23+ without the buildx plugin) is
 * refused before any docker command, says what to install, and leaves a failed leg
 * result. Plan tests: the hosts are HostFacts, nothing runs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { evaluateGate, parsePlatform, readLegResult, silentLogger } from '@xplat/core';
import { buildPlatformImage, parseBuildInputs, prepareBuild, type HostFacts } from '@xplat/engine';
import {
  BuildKitMissingError,
  isPlatformMismatch,
  selectBuilder,
} from '../src/platform-image/builders.js';
import { cli2010, cliNoBuildx } from './hosts.js';

/** docker 28 without buildx and without QEMU: neither BuildKit nor emulation. */
const cliNoBuildxNoQemu: HostFacts = {
  ...cliNoBuildx,
  binfmt: { available: true, handlers: [], emulated: [] },
};

const INSTALL =
  'that needs BuildKit, and docker CLI 28.2.2 has none (no buildx plugin; CLIs from 23.0 have no built-in BuildKit); install the buildx plugin (apt-get install docker-buildx-plugin, or docker-buildx from github.com/docker/buildx/releases in ~/.docker/cli-plugins/)';
const BINFMT =
  '; and register QEMU for it: docker run --privileged --rm tonistiigi/binfmt --install arm64';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-buildkit-refusal-'));
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\nRUN echo plain\n');
  await writeFile(
    path.join(dir, 'mount.Dockerfile'),
    'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache echo cached\n',
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function request(inputs: Record<string, string>) {
  return parseBuildInputs(
    { image: '127.0.0.1:5000/app', context: dir, 'result-dir': path.join(dir, 'legs'), ...inputs },
    { cwd: dir, env: {} },
  );
}
const options = (facts: HostFacts) => ({
  facts,
  env: {},
  source: { sha: '1a2b3c4d5e6f' },
  cwd: dir,
  logger: silentLogger,
  checkBaseImages: false,
});

describe('a build that needs BuildKit on a docker CLI without it', () => {
  test.each<[string, HostFacts, string, string]>([
    [
      'another architecture, QEMU registered',
      cliNoBuildx,
      'linux/arm64',
      `platform: linux/arm64 is another architecture than this linux/amd64 engine: ${INSTALL}`,
    ],
    [
      'another architecture, no QEMU either',
      cliNoBuildxNoQemu,
      'linux/arm64',
      `platform: linux/arm64 is another architecture than this linux/amd64 engine: ${INSTALL}${BINFMT}`,
    ],
  ])('%s: refused with what to install', (_name, facts, platform, message) => {
    const select = () =>
      selectBuilder(facts, { platform: parsePlatform(platform), choice: 'auto' });
    expect(select).toThrow(BuildKitMissingError);
    expect(select).toThrow(message);
  });

  test.each<[string, HostFacts, string, string]>([
    ['the native platform', cliNoBuildx, 'linux/amd64', 'classic'],
    [
      'another architecture with a CLI that has BuildKit built in',
      cli2010,
      'linux/arm64',
      'buildkit',
    ],
  ])('%s: builds (%s)', (_name, facts, platform, kind) => {
    expect(selectBuilder(facts, { platform: parsePlatform(platform), choice: 'auto' }).kind).toBe(
      kind,
    );
  });

  test('BuildKit-only syntax: refused naming the line, not linted as a Dockerfile error', async () => {
    await expect(
      prepareBuild(request({ file: path.join(dir, 'mount.Dockerfile') }), options(cliNoBuildx)),
    ).rejects.toThrow(
      /^file: mount\.Dockerfile:2 uses BuildKit-only syntax \(.*\): that needs BuildKit/,
    );
    // The same file on a CLI with BuildKit plans a build.
    const prepared = await prepareBuild(
      request({ file: path.join(dir, 'mount.Dockerfile') }),
      options(cli2010),
    );
    expect(prepared.selection.kind).toBe('buildkit');
  });

  test('the refusal writes a failed leg result, and the gate names the reason', async () => {
    const resultDir = path.join(dir, 'refused');
    const error = await buildPlatformImage(
      request({ platform: 'linux/arm64', 'result-dir': resultDir }),
      options(cliNoBuildxNoQemu),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildKitMissingError);
    const reason = (error as Error).message.replace(/^platform: /, '');
    expect(reason).toMatch(/^linux\/arm64 is another architecture/);

    const leg = await readLegResult(path.join(resultDir, 'linux-arm64.json'));
    expect(leg.result).toMatchObject({
      platform: 'linux/arm64',
      image: '127.0.0.1:5000/app',
      digest: '',
      pushed: false,
      smoke: { status: 'skipped', checks: [] },
      failure: { step: 'build', reason },
    });
    const gate = evaluateGate([parsePlatform('linux/arm64')], [leg]);
    expect(gate.passed).toBe(false);
    expect(gate.rows[0]).toMatchObject({
      verdict: 'failed',
      detail: `build failed: ${reason}`,
    });
  });

  test.each<[string, boolean]>([
    [
      'image with reference docker.io/library/alpine:3.20 was found but does not match the specified platform: wanted linux/arm64, actual: linux/amd64',
      true,
    ],
    ['failed to solve: process "/bin/sh -c false" did not complete successfully', false],
  ])("recognises Docker's platform mismatch: %s", (output, expected) => {
    expect(isPlatformMismatch(output)).toBe(expected);
  });
});
