import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseFuseRequest, type FuseInputs } from '../src/index.js';

const GOOD_DIGEST = `sha256:${'a'.repeat(64)}`;
const base: FuseInputs = {
  image: '127.0.0.1:5000/app',
  tags: '1.2.3',
  results: '',
  sources: `127.0.0.1:5000/app@${GOOD_DIGEST}`,
  'expected-platforms': '',
  annotations: '',
  'media-type': 'auto',
  'mutable-tags': 'latest',
  'dry-run': 'false',
};

async function resultsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-req-'));
  await mkdir(path.join(dir, 'legs'));
  for (const [name, text] of Object.entries(files))
    await writeFile(path.join(dir, 'legs', name), text);
  return dir;
}

const leg = {
  schema: 'xplat.leg/v1',
  platform: 'linux/amd64',
  image: '127.0.0.1:5000/app',
  digest: GOOD_DIGEST,
  pushed: true,
  tags: [],
  builder: 'buildkit',
  timings: { startedAt: '2026-11-26T10:00:00Z', finishedAt: '2026-11-26T10:01:00Z', buildMs: 1 },
  smoke: { status: 'passed', checks: [] },
};

describe('parseFuseRequest', () => {
  it('parses a good request: tags as names or full references, annotations, platforms', async () => {
    const request = await parseFuseRequest(
      {
        ...base,
        tags: '1.2.3\n127.0.0.1:5000/app:latest,1.2.3',
        annotations: 'org.opencontainers.image.source=https://example.invalid/app\nindex:a=b=c',
        'expected-platforms': 'linux/amd64',
      },
      process.cwd(),
    );
    expect(request.target).toEqual({ registry: '127.0.0.1:5000', repository: 'app' });
    expect(request.tags).toEqual(['1.2.3', 'latest']);
    expect(request.annotations).toEqual({
      'org.opencontainers.image.source': 'https://example.invalid/app',
      a: 'b=c',
    });
    expect(request.sources).toHaveLength(1);
    expect(request.dryRun).toBe(false);
  });

  it('reads leg results from a folder', async () => {
    const dir = await resultsDir({ 'amd64.json': JSON.stringify(leg) });
    const request = await parseFuseRequest(
      { ...base, sources: '', results: 'legs', 'expected-platforms': 'linux/amd64' },
      dir,
    );
    expect(request.legs?.map((l) => path.basename(l.file))).toEqual(['amd64.json']);
  });

  it('takes allow-untested as expected platforms, in any spelling of the release', async () => {
    const dir = await resultsDir({ 'amd64.json': JSON.stringify(leg) });
    const request = await parseFuseRequest(
      {
        ...base,
        sources: '',
        results: 'legs',
        'expected-platforms': 'linux/amd64,windows/amd64:ltsc2019',
        'allow-untested': 'windows/amd64:10.0.17763',
      },
      dir,
    );
    expect(request.allowUntested).toEqual([
      { os: 'windows', architecture: 'amd64', osVersion: '10.0.17763' },
    ]);
    // An input left out is an empty one: nothing is allowed untested.
    const { 'allow-untested': _none, ...older } = { ...base, 'allow-untested': '' };
    expect((await parseFuseRequest(older, process.cwd())).allowUntested).toEqual([]);
  });

  // Each bad input fails in one line that starts with the input's name.
  it.each<[string, Partial<FuseInputs>, string]>([
    [
      'an allowed platform that is not expected',
      {
        sources: '',
        results: 'legs',
        'expected-platforms': 'linux/amd64,windows/amd64:ltsc2022',
        'allow-untested': 'windows/amd64:ltsc2019',
      },
      'allow-untested: windows/amd64:ltsc2019 is not in expected-platforms (linux/amd64, windows/amd64:ltsc2022); list only platforms the index must contain',
    ],
    [
      'allow-untested that is no platform',
      {
        sources: '',
        results: 'legs',
        'expected-platforms': 'linux/amd64',
        'allow-untested': 'ltsc2019',
      },
      'allow-untested: "ltsc2019" is not a platform',
    ],
    [
      'allow-untested with sources',
      { 'expected-platforms': 'linux/amd64', 'allow-untested': 'linux/amd64' },
      'allow-untested: applies to leg results (a skipped smoke test is recorded there); sources carry no smoke status',
    ],
  ])('rejects %s before reading a leg result', async (_name, change, message) => {
    // The results folder does not exist: the error must come first.
    const error = await parseFuseRequest({ ...base, ...change }, process.cwd()).catch(
      (e: Error) => e,
    );
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  // Each bad input fails in one line that starts with the input's name.
  it.each<[string, Partial<FuseInputs>, string]>([
    ['no image', { image: ' ' }, 'image: is required'],
    [
      'image with a tag',
      { image: '127.0.0.1:5000/app:1' },
      'image: "127.0.0.1:5000/app:1" must name a repository without a tag',
    ],
    ['image with capitals', { image: '127.0.0.1:5000/App' }, 'image: '],
    ['image with a scheme', { image: 'https://ghcr.io/org/app' }, 'image: '],
    ['image with a bad digest', { image: 'app@sha256:12' }, 'image: '],
    ['a tag with a space inside a list', { tags: 'good,bad tag' }, 'tags: '],
    ['a tag starting with a dash', { tags: '-edge' }, 'tags: '],
    [
      'a tag of another repository',
      { tags: 'ghcr.io/org/other:1.0' },
      'tags: "ghcr.io/org/other:1.0" is not a tag of the target repository',
    ],
    ['a tag too long', { tags: 'x'.repeat(129) }, 'tags: '],
    ['a bad mutable tag', { 'mutable-tags': 'lat!est' }, 'mutable-tags: '],
    [
      'a platform without arch',
      { 'expected-platforms': 'linux' },
      'expected-platforms: "linux" is not a platform',
    ],
    [
      'an unsupported os',
      { 'expected-platforms': 'darwin/arm64' },
      'expected-platforms: "darwin/arm64" is not a platform',
    ],
    [
      'an unknown Windows release',
      { 'expected-platforms': 'windows/amd64:ltsc2016' },
      'expected-platforms: "ltsc2016" is not a Windows release',
    ],
    [
      'a release on Linux',
      { 'expected-platforms': 'linux/amd64:ltsc2022' },
      'expected-platforms: ',
    ],
    ['an unknown architecture', { 'expected-platforms': 'linux/mips' }, 'expected-platforms: '],
    [
      'an annotation without =',
      { annotations: 'novalue' },
      'annotations: "novalue" is not key=value',
    ],
    ['an annotation without key', { annotations: '=value' }, 'annotations: '],
    [
      "xplat's own gate mark",
      { annotations: 'dev.xplat.gate=passed' },
      "annotations: dev.xplat.gate is xplat's own annotation (the gate writes dev.xplat.gate); leave dev.xplat.* keys out",
    ],
    [
      'an unknown media type',
      { 'media-type': 'v2s2' },
      'media-type: "v2s2" is not a media type choice',
    ],
    ['a non-boolean dry-run', { 'dry-run': 'maybe' }, 'dry-run: "maybe" is not a boolean'],
    [
      'results and sources together',
      { results: 'legs' },
      'sources: give leg results or sources, not both',
    ],
    ['nothing to fuse', { sources: '' }, 'results: nothing to fuse'],
    [
      'results without expected platforms',
      { sources: '', results: 'legs' },
      'expected-platforms: is required with results',
    ],
    ['a malformed source digest', { sources: 'app@sha256:123' }, 'sources: '],
    ['a source with another algorithm', { sources: `app@md5:${'a'.repeat(32)}` }, 'sources: '],
    ['a source with whitespace', { sources: '127.0.0.1:5000/a pp' }, 'sources: '],
  ])('rejects %s', async (_name, change, message) => {
    const error = await parseFuseRequest({ ...base, ...change }, process.cwd()).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  it.each<[string, Record<string, string>, string, string]>([
    [
      'a pattern that matches nothing',
      {},
      'nothing/*.json',
      'results: "nothing/*.json" matched no leg result file',
    ],
    ['a file that is not JSON', { 'a.json': '{' }, 'legs', 'a.json: leg result is not JSON'],
    [
      'a tampered digest',
      { 'a.json': JSON.stringify({ ...leg, digest: 'sha256:xyz' }) },
      'legs',
      'a.json: invalid leg result, field digest',
    ],
    [
      'an unknown schema',
      { 'a.json': JSON.stringify({ ...leg, schema: 'xplat.leg/v0' }) },
      'legs',
      'a.json: invalid leg result, field schema',
    ],
    [
      'a smuggled field',
      { 'a.json': JSON.stringify({ ...leg, force: true }) },
      'legs',
      'a.json: invalid leg result, field force: unknown field',
    ],
    [
      'a bad platform',
      { 'a.json': JSON.stringify({ ...leg, platform: 'linux/amd64:ltsc2022' }) },
      'legs',
      'a.json: invalid leg result, field platform',
    ],
  ])('rejects results with %s, naming the file', async (_name, files, pattern, message) => {
    const dir = await resultsDir(files);
    const error = await parseFuseRequest(
      { ...base, sources: '', results: pattern, 'expected-platforms': 'linux/amd64' },
      dir,
    ).catch((e: Error) => e);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
