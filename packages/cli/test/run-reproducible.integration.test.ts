/**
 * `xplat run` twice on an unchanged commit (the example, committed to a git repository in
 * a temporary folder), the bundled CLI as users run it: the same leg digests and the
 * same index digest, and the second run leaves the registry holding no manifest it did
 * not hold; a one-line change gives new digests for the legs and the index. The images'
 * times are the commit's, and the index names the commit.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { exec } from '../../../test/exec.js';
import { gitRepo } from '../../../test/git-repo.js';
import { manifestRevisions } from '../../../test/registry-storage.js';
import { repoRoot } from '../../../test/run-action.js';
import { testbed, uniqueRepository } from '../../../test/testbed.js';

const tb = testbed();
const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const EPOCH = 1_764_151_200; // 2025-11-26T10:00:00Z

interface Report {
  ref: string | null;
  digest: string | null;
  legs: { platform: string; status: string; digest: string | null }[];
}

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function run(dir: string, registry: string): Promise<Report> {
  const out = await exec(
    process.execPath,
    [
      cli,
      'run',
      '--dir',
      dir,
      '--registry',
      registry,
      '--network',
      'host',
      '--build-arg',
      `BUSYBOX_IMAGE=${tb.env('XPLAT_FIXTURE_BUSYBOX_LIST_REF')}`,
      '--json',
    ],
    { GITHUB_SHA: '', XPLAT_BUILDER: '', SOURCE_DATE_EPOCH: '' },
  );
  if (out.code !== 0) throw new Error(`xplat run exit ${out.code}: ${out.stderr.slice(-2000)}`);
  return JSON.parse(out.stdout) as Report;
}

const ran = (report: Report) =>
  report.legs.filter((l) => l.status === 'passed').map((l) => [l.platform, l.digest]);

describe('xplat run on an unchanged commit', () => {
  it('gives the same leg and index digests and writes no new manifest; a change gives new ones', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'xplat-repro-run-'));
    scratch.push(work);
    await cp(path.join(repoRoot, 'examples', 'hello-http'), path.join(work, 'app'), {
      recursive: true,
      filter: (src) => path.basename(src) !== '.xplat',
    });
    const repo = await gitRepo({}, EPOCH);
    scratch.push(repo.dir);
    await cp(path.join(work, 'app'), repo.dir, { recursive: true });
    await repo.commit('the example', EPOCH);

    const prefix = uniqueRepository('repro-run');
    const registry = `${tb.openRegistry}/${prefix}`;
    const repository = `${prefix}/xplat-dev/hello-http`;

    const first = await run(repo.dir, registry);
    expect(ran(first).map(([p]) => p)).toEqual(['linux/amd64', 'linux/arm64']);
    const held = await manifestRevisions(tb.openRegistry, repository);
    const second = await run(repo.dir, registry);

    expect(ran(second)).toEqual(ran(first));
    expect(second.digest).toBe(first.digest);
    expect(await manifestRevisions(tb.openRegistry, repository)).toEqual(held);

    // The index names the commit and its time; each image's config has the commit's time.
    const raw = await exec('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${second.ref}`,
    ]);
    const index = JSON.parse(raw.stdout) as { annotations: Record<string, string> };
    expect(index.annotations).toEqual({
      'dev.xplat.gate': 'passed',
      'org.opencontainers.image.created': '2025-11-26T10:00:00Z',
      'org.opencontainers.image.revision': await repo.git('rev-parse', 'HEAD'),
    });
    const config = await exec('skopeo', [
      'inspect',
      '--config',
      '--tls-verify=false',
      `docker://${second.ref!.replace(/:[^:/]+$/, '')}@${ran(second)[1]![1]}`,
    ]);
    expect((JSON.parse(config.stdout) as { created: string }).created).toBe('2025-11-26T10:00:00Z');

    await repo.write({ 'www/index.html': '<p>hello from xplat, changed</p>\n' });
    await repo.commit('one line', EPOCH + 60);
    const changed = await run(repo.dir, registry);
    expect(changed.digest).not.toBe(first.digest);
    for (const [i, [, digest]] of ran(changed).entries())
      expect(digest).not.toBe(ran(first)[i]![1]);
  });
});
