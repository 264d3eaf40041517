/**
 * An xplat.yml with two images (images:), Linux only, through the bundled CLI on the test
 * bed: each image is built, smoke-tested and fused on its own, into its own repository,
 * from its own leg result folder (.xplat/legs/<run-id>/<image>/), and read back; one
 * image whose smoke test fails closes its own gate and no other's.
 *
 * Each image is FROM scratch with the test bed's static busybox serving one page on a
 * port of its own (smoke tests use host networking), so builds need no base image and no
 * network.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { readLegResult } from '@xplat/core';
import { freePort } from '@xplat/core/free-port';
import { testbed, uniqueRepository } from '../../../test/testbed.js';
import { commitAll, xplatIn } from './cli-project.js';

const tb = testbed();

interface ImageSpec {
  readonly name: string;
  /** What the image serves; its xplat.yml smoke test expects "hello from <name>". */
  readonly body: string;
}

/** A project with one folder per image, committed; returns its folder, commit and repositories. */
async function project(images: readonly ImageSpec[]) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-cli-images-'));
  const repos: Record<string, string> = {};
  const entries: string[] = [];
  for (const image of images) {
    const port = await freePort();
    const folder = path.join(dir, image.name);
    await mkdir(folder);
    await copyFile(tb.env('XPLAT_BUSYBOX_AMD64'), path.join(folder, 'busybox'));
    await writeFile(path.join(folder, 'index.html'), `${image.body}\n`);
    await writeFile(
      path.join(folder, 'Dockerfile'),
      [
        'FROM scratch',
        'COPY busybox /bin/busybox',
        'COPY index.html /www/index.html',
        `CMD ["/bin/busybox", "httpd", "-f", "-p", "${port}", "-h", "/www"]`,
        '',
      ].join('\n'),
    );
    repos[image.name] = `${tb.openRegistry}/${uniqueRepository(`cli-images-${image.name}`)}`;
    entries.push(
      `  - name: ${image.name}`,
      `    image: ${repos[image.name]}`,
      `    context: ${image.name}`,
      `    smoke: { port: ${port}, expect-body: hello from ${image.name} }`,
    );
  }
  await writeFile(
    path.join(dir, 'xplat.yml'),
    [
      '# Defaults for every image; each image has its own port and page.',
      'platforms: [linux/amd64]',
      'smoke: { path: /, stop-timeout: 1s, timeout: 5s }',
      'images:',
      ...entries,
      '',
    ].join('\n'),
  );
  dirs.push(dir);
  const sha = await commitAll(dir);
  const legs = path.join(dir, '.xplat', 'legs', `git-${sha}`);
  return { dir, sha, repos, legs };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const result = async (file: string) => (await readLegResult(file)).result;

describe('xplat with two images in xplat.yml', () => {
  it('builds, smoke-tests and fuses each image on its own, and reads each back', async () => {
    const p = await project([
      { name: 'web', body: 'hello from web' },
      { name: 'api', body: 'hello from api' },
    ]);

    // --image NAME --dry-run: that image alone, printed as for a one-image file.
    const plan = await xplatIn(p.dir, ['build', '--image', 'api', '--dry-run', '--json']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ tags: [`linux-amd64-${p.sha}`] });
    expect(plan.stdout).toContain(`${p.repos.api}:linux-amd64-${p.sha}`);

    // No --image: this engine's platform for every image, each into its own folder.
    const build = await xplatIn(p.dir, ['build']);
    expect(build.stderr).not.toMatch(/^xplat build:/m);
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(new RegExp(`^image web: ${p.repos.web}$`, 'm'));
    expect(build.stdout).toMatch(new RegExp(`^image api: ${p.repos.api}$`, 'm'));
    expect((await readdir(p.legs)).sort()).toEqual(['api', 'web']);
    const webLeg = path.join(p.legs, 'web', 'linux-amd64.json');
    const apiLeg = path.join(p.legs, 'api', 'linux-amd64.json');
    expect(await result(webLeg)).toMatchObject({ image: p.repos.web, pushed: true });
    expect(await result(apiLeg)).toMatchObject({ image: p.repos.api, pushed: true });

    // Each image's leg result, with each image's own smoke settings (port, page).
    const smoke = await xplatIn(p.dir, ['smoke']);
    expect(smoke.stderr).not.toMatch(/^xplat smoke:/m);
    expect(smoke.code).toBe(0);
    expect(smoke.stdout.match(/^http GET \/ +passed /gm)).toHaveLength(2);
    expect((await result(webLeg)).smoke.status).toBe('passed');
    expect((await result(apiLeg)).smoke.status).toBe('passed');

    // Fused one at a time: by name, then by repository (the input as before).
    const web = await xplatIn(p.dir, ['fuse', '--image', 'web', '--tag', 'latest', '--json']);
    expect(web.stderr).not.toMatch(/^xplat fuse:/m);
    expect(web.code).toBe(0);
    expect(JSON.parse(web.stdout)).toMatchObject({ ref: expect.stringContaining(p.repos.web!) });
    const api = await xplatIn(p.dir, ['fuse', '--image', p.repos.api!, '--tag', 'latest']);
    expect(api.code).toBe(0);
    expect(api.stdout).toMatch(new RegExp(`^index +${p.repos.api}@sha256:[a-f0-9]{64}$`, 'm'));
    expect(api.stdout).not.toContain(p.repos.web);

    // Read back: every image's index (xplat.yml's default reference, :latest).
    const inspect = await xplatIn(p.dir, ['inspect', '--json']);
    expect(inspect.code).toBe(0);
    const indexes = JSON.parse(inspect.stdout) as {
      images: { name: string; ref: string; entries: { digest: string }[] }[];
    };
    expect(indexes.images.map((i) => i.name)).toEqual(['web', 'api']);
    expect(indexes.images[0]!.entries.map((e) => e.digest)).toEqual([
      (await result(webLeg)).digest,
    ]);
    expect(indexes.images[1]!.entries.map((e) => e.digest)).toEqual([
      (await result(apiLeg)).digest,
    ]);
  });

  it("one image's failed smoke test closes its own gate only: the other is fused, exit 1", async () => {
    const p = await project([
      { name: 'web', body: 'hello from web' },
      { name: 'api', body: 'goodbye' },
    ]);
    expect((await xplatIn(p.dir, ['build'])).code).toBe(0);

    // Both are tested: api's failure does not stop web's test.
    const smoke = await xplatIn(p.dir, ['smoke']);
    expect(smoke.code).toBe(1);
    expect(smoke.stderr).toMatch(/^xplat smoke: api: failed: /m);
    expect(smoke.stdout).toMatch(new RegExp(`^image web: ${p.repos.web}$`, 'm'));
    expect((await result(path.join(p.legs, 'web', 'linux-amd64.json'))).smoke.status).toBe(
      'passed',
    );
    expect((await result(path.join(p.legs, 'api', 'linux-amd64.json'))).smoke.status).toBe(
      'failed',
    );

    const fuse = await xplatIn(p.dir, ['fuse', '--tag', 'latest']);
    expect(fuse.code).toBe(1);
    expect(fuse.stdout).toMatch(new RegExp(`^index +${p.repos.web}@sha256:[a-f0-9]{64}$`, 'm'));
    expect(fuse.stderr).toMatch(
      /^xplat fuse: api: --expected-platforms: gate closed: 1 of 1 expected platforms did not pass: linux\/amd64 failed \(smoke test failed: /m,
    );
    expect(fuse.stderr).not.toMatch(/^xplat fuse: web:/m);

    // web's index is there to read back; api has none.
    expect((await xplatIn(p.dir, ['inspect', '--image', 'web'])).code).toBe(0);
    const none = await xplatIn(p.dir, ['inspect', '--image', 'api']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`${p.repos.api}:latest was not found`);
  });
});
