import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readLegResult, updateLegResult, writeLegResult } from '../src/index.js';
import { validateLegResult } from '../src/leg-result-schema.js';
import { legResult } from './fixtures.js';

describe('leg result validation', () => {
  it('accepts a valid result', () => {
    expect(validateLegResult(legResult(), 'leg.json').platform).toBe('linux/amd64');
  });

  // builtOn is optional: results written before it existed stay valid.
  it.each([
    ['a Linux runner', { platform: 'linux/amd64', runner: 'ubuntu24/20250105.1.0' }],
    ['a Windows engine with its build', { platform: 'windows/amd64:10.0.20348.3207' }],
    ['a self-hosted runner', { platform: 'linux/arm64', runner: 'build-box 7' }],
  ])('accepts builtOn of %s', (_name, builtOn) => {
    const data = legResult({ platform: 'windows/amd64:ltsc2022', builder: 'buildx', builtOn });
    expect(validateLegResult(data, 'leg.json').builtOn).toEqual(builtOn);
  });

  // reproducible and source.time are optional: results written before them stay valid.
  it.each([
    ['written before reproducible existed', {}],
    ['reproducible on any machine', { reproducible: true, reproducibleReason: 'any machine' }],
    [
      'not reproducible, and why',
      { reproducible: false, reproducibleReason: 'uncommitted changes in the build context' },
    ],
    [
      'the commit time the image times come from',
      { reproducible: true, source: { sha: 'a'.repeat(40), time: '2026-11-26T10:00:00Z' } },
    ],
  ])('accepts a result %s', (_name, change) => {
    const data = { ...legResult(), ...change };
    expect(validateLegResult(data, 'leg.json')).toEqual(data);
  });

  // Each tampering names the file and the field it broke.
  it.each([
    ['schema', { schema: 'xplat.leg/v2' }, 'field schema: schema must be "xplat.leg/v1"'],
    ['digest', { digest: 'sha256:abc' }, 'field digest: must be sha256:'],
    ['digest case', { digest: `sha256:${'A'.repeat(64)}` }, 'field digest'],
    ['platform', { platform: 'linux/sparc' }, 'field platform: "linux/sparc" is not a platform'],
    ['osVersion', { osVersion: '2022' }, 'field osVersion'],
    ['pushed', { pushed: 'yes' }, 'field pushed'],
    ['builder', { builder: 'kaniko' }, 'field builder'],
    ['smoke status', { smoke: { status: 'ok', checks: [] } }, 'field smoke.status'],
    ['unknown field', { extra: 1 }, 'field extra: unknown field'],
    ['tags', { tags: [''] }, 'field tags.0'],
    ['builtOn as a string', { builtOn: 'linux/amd64' }, 'field builtOn:'],
    ['reproducible as a string', { reproducible: 'yes' }, 'field reproducible:'],
    ['reproducibleReason empty', { reproducibleReason: '' }, 'field reproducibleReason:'],
    ['source.time', { source: { time: 'yesterday' } }, 'field source.time:'],
    [
      'builtOn.platform',
      { builtOn: { platform: 'linux/sparc' } },
      'field builtOn.platform: "linux/sparc" is not a platform',
    ],
    ['builtOn without platform', { builtOn: { runner: 'ubuntu24' } }, 'field builtOn.platform:'],
    [
      'builtOn.runner empty',
      { builtOn: { platform: 'linux/amd64', runner: '' } },
      'field builtOn.runner:',
    ],
    [
      'builtOn.runner with a line break',
      { builtOn: { platform: 'linux/amd64', runner: 'a\nb' } },
      'field builtOn.runner: must be one line without control characters',
    ],
    [
      'builtOn unknown field',
      { builtOn: { platform: 'linux/amd64', host: 'x' } },
      'field builtOn.host: unknown field',
    ],
  ])('rejects a bad %s', (_name, change, message) => {
    const data = { ...legResult(), ...(change as object) };
    expect(() => validateLegResult(data, 'results/leg.json')).toThrow(
      `results/leg.json: invalid leg result, ${message}`,
    );
  });

  it('rejects a file that is not JSON, naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-leg-'));
    const file = path.join(dir, 'leg.json');
    await writeFile(file, '{"schema": "xplat.leg/v1",');
    await expect(readLegResult(file)).rejects.toThrow(`${file}: leg result is not JSON`);
    await expect(readLegResult(path.join(dir, 'absent.json'))).rejects.toThrow(
      'cannot read leg result: ENOENT',
    );
  });
});

describe('writing leg results', () => {
  it('writes atomically and round-trips; update changes only what it is told', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-leg-'));
    const file = path.join(dir, 'nested', 'leg.json');
    await writeLegResult(file, legResult({ smoke: { status: 'pending', checks: [] } }));
    expect(await readdir(path.dirname(file))).toEqual(['leg.json']);
    await updateLegResult(file, (r) => ({
      ...r,
      smoke: { status: 'failed', checks: [], reason: 'http 500' },
    }));
    const read = await readLegResult(file);
    expect(read.result.smoke).toEqual({ status: 'failed', checks: [], reason: 'http 500' });
    expect(read.result.digest).toBe(legResult().digest);
    expect((await readFile(file, 'utf8')).endsWith('}\n')).toBe(true);
  });

  it('refuses to write an invalid result and leaves no file behind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-leg-'));
    const file = path.join(dir, 'leg.json');
    await expect(writeLegResult(file, legResult({ digest: 'nope' }))).rejects.toThrow(
      'field digest',
    );
    expect(await readdir(dir)).toEqual([]);
  });
});
