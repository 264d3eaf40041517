/**
 * `xplat promote`, the bundled CLI as users run it: an index fused by `xplat fuse` from
 * passing legs gets release tags in the second test-bed registry (credentials from
 * --username and XPLAT_PASSWORD), and the refusals exit with the flag named.
 */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { exec } from '../../../test/exec.js';
import { repoRoot } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import { fixture, FOUR_PLATFORMS, fourLegs, writeLegs } from '../../fuse/test/testbed-legs.js';

const tb = testbed();
const SHA = '0123456789abcdef0123456789abcdef01234567';
const xplat = (args: string[], env: Record<string, string> = {}) =>
  exec(process.execPath, [path.join(repoRoot, 'dist', 'cli', 'index.js'), ...args], env);

async function fusedOnMain(): Promise<{ image: string; digest: string }> {
  const image = `${tb.openRegistry}/${uniqueRepository('cli-main')}`;
  const legs = await writeLegs(
    fourLegs().map((l) => ({ ...l, source: { sha: SHA } })),
    image,
  );
  const fused = await xplat([
    'fuse',
    '--image',
    image,
    '--tag',
    'sha-0123456',
    '--results',
    legs,
    '--expected-platforms',
    FOUR_PLATFORMS,
    '--json',
  ]);
  expect(fused.code).toBe(0);
  return { image, digest: (JSON.parse(fused.stdout) as { digest: string }).digest };
}

describe('xplat promote', () => {
  it('gives the index release tags in another registry, with its credentials', async () => {
    const { image, digest } = await fusedOnMain();
    const target = `${tb.authRegistry}/${uniqueRepository('cli-release')}`;
    const promoted = await xplat(
      [
        'promote',
        '--from',
        `${image}:sha-0123456`,
        '--to',
        target,
        '--tag',
        'v2.0.0',
        '--tag',
        '2.0',
        '--mutable-tag',
        '2.0',
        '--expected-platforms',
        FOUR_PLATFORMS,
        '--revision',
        SHA,
        '--username',
        tb.user,
        '--json',
      ],
      { XPLAT_PASSWORD: tb.password },
    );
    expect(promoted.stderr).toContain('read back and verified');
    expect(promoted.code).toBe(0);
    const result = JSON.parse(promoted.stdout) as {
      promoted: boolean;
      digest: string;
      revision: string;
    };
    expect(result).toMatchObject({ promoted: true, digest, revision: SHA });
    const read = await exec('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--creds',
      `${tb.user}:${tb.password}`,
      '--format',
      '{{.Digest}}',
      `docker://${target}:v2.0.0`,
    ]);
    expect(read.stdout.trim()).toBe(digest);
    expect(tb.password.length).toBeGreaterThan(0);
    expect(promoted.stdout + promoted.stderr).not.toContain(tb.password);
  });

  it.each<[string, (image: string) => string[], number, string]>([
    [
      'no --from',
      (image) => ['--to', image, '--tag', 'v1'],
      2,
      'xplat promote: --from: is required: the index to promote',
    ],
    [
      'no tag',
      (image) => ['--from', `${image}:sha-0123456`],
      2,
      'xplat promote: --tag: is required with promote-from',
    ],
    [
      'another commit',
      (image) => ['--from', `${image}:sha-0123456`, '--tag', 'v1', '--revision', 'abcdef0'],
      1,
      `--revision: ${'__IMAGE__'}:sha-0123456 is the index of commit 0123456789ab, not abcdef0`,
    ],
    [
      'an image that is no index',
      () => ['--from', fixture('LINUX_AMD64').ref, '--tag', 'v1'],
      1,
      'is a single image',
    ],
  ])('%s', async (_name, args, code, message) => {
    const { image } = await fusedOnMain();
    const run = await xplat(['promote', ...args(image)]);
    expect(run.stderr).toContain(message.replace('__IMAGE__', image));
    expect(run.code).toBe(code);
  });

  it('refuses a tag that points elsewhere, and writes no other tag', async () => {
    const { image } = await fusedOnMain();
    const other = await xplat([
      'fuse',
      '--image',
      image,
      '--tag',
      'v3',
      '--source',
      fixture('LINUX_AMD64').ref,
    ]);
    expect(other.code).toBe(0);
    const run = await xplat([
      'promote',
      '--from',
      `${image}:sha-0123456`,
      '--tag',
      '3.0',
      '--tag',
      'v3',
    ]);
    expect(run.stderr).toContain(
      `--tag: refusing to move existing tag(s) ${image}:v3 (now sha256:`,
    );
    expect(run.code).toBe(1);
    const untouched = await exec('skopeo', [
      'inspect',
      '--tls-verify=false',
      `docker://${image}:3.0`,
    ]);
    expect(untouched.code).not.toBe(0);
  });
});
