/** xplat.yml: defaults from a minimal file, and bad files rejected naming field and line. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, legBuildInputs, loadConfig } from '../src/index.js';
import { configJsonSchema } from '../src/schema.js';
import { formatJson } from '../src/json.js';
import type { ConfigProblem } from '../src/config-types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

function problems(text: string): readonly ConfigProblem[] {
  try {
    loadConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('the config was accepted');
}

describe('loadConfig', () => {
  it('fills every default from image and platforms alone', () => {
    const config = loadConfig(
      'image: ghcr.io/acme/app\nplatforms: [linux/amd64, linux/arm64, windows/amd64:ltsc2022]\n',
    );
    expect(config.images[0]!.registry).toBe('ghcr.io');
    expect(config.images[0]!.context).toBe('.');
    expect(config.images[0]!.dockerfile).toBe('Dockerfile');
    expect(config.images[0]!.login).toEqual({
      host: 'ghcr.io',
      username: '${{ github.actor }}',
      password: '${{ secrets.GITHUB_TOKEN }}',
      githubToken: true,
    });
    expect(config.images[0]!.legs.map((l) => [l.name, l.pair, l.buildRunner.runsOn])).toEqual([
      ['linux/amd64', 'linux-amd64', 'ubuntu-24.04'],
      ['linux/arm64', 'linux-arm64', 'ubuntu-24.04-arm'],
      ['windows/amd64:ltsc2022', 'windows-amd64-ltsc2022', 'windows-2022'],
    ]);
    expect(config.images[0]!.tags.map((t) => t.template)).toEqual([
      '{version}',
      '{major}.{minor}',
      '{branch}',
      'sha-{sha}',
      'latest',
    ]);
    expect(config.triggers).toEqual({
      branches: ['main'],
      tags: ['v*'],
      pullRequests: true,
      workflowDispatch: true,
      schedule: [],
    });
    expect(config.actions).toEqual({ kind: 'remote', repository: 'xplat-dev/xplat', ref: 'v1' });
  });

  it('merges per-platform build args and smoke settings over the top-level ones', () => {
    const config = loadConfig(`image: ghcr.io/acme/app
platforms:
  - linux/amd64
  - platform: windows/amd64:ltsc2025
    build-args: { BASE: ltsc2025 }
    smoke: { timeout: 5m }
build-args: { BASE: alpine, V: 1 }
smoke: { port: 8080, timeout: 1m }
`);
    expect(config.images[0]!.legs[0]!.buildArgs).toEqual({ BASE: 'alpine', V: '1' });
    expect(config.images[0]!.legs[1]!.buildArgs).toEqual({ BASE: 'ltsc2025', V: '1' });
    expect(config.images[0]!.legs[1]!.smoke).toEqual({ port: 8080, timeout: '5m' });
  });

  it.each([
    [
      'the top level for every leg',
      'context: app\ntarget: final\nplatforms: [linux/amd64, windows/amd64:ltsc2022]\n',
      [
        ['app', 'app/Dockerfile', 'final'],
        ['app', 'app/Dockerfile', 'final'],
      ],
    ],
    [
      'Dockerfile + Dockerfile.windows through windows:',
      'windows: { dockerfile: Dockerfile.windows }\nplatforms: [linux/amd64, windows/amd64:ltsc2022]\n',
      [
        ['.', 'Dockerfile', undefined],
        ['.', 'Dockerfile.windows', undefined],
      ],
    ],
    [
      "a family context gives that folder's Dockerfile",
      'linux: { context: linux }\nwindows: { context: win, target: rt }\nplatforms: [linux/amd64, windows/amd64:ltsc2022]\n',
      [
        ['linux', 'linux/Dockerfile', undefined],
        ['win', 'win/Dockerfile', 'rt'],
      ],
    ],
    [
      'a platform entry over its family over the top level',
      [
        'context: src',
        'dockerfile: docker/Dockerfile',
        'target: app',
        'windows: { dockerfile: docker/Dockerfile.windows, target: app-windows }',
        'platforms:',
        '  - linux/amd64',
        '  - windows/amd64:ltsc2022',
        '  - platform: windows/amd64:ltsc2025',
        '    dockerfile: docker/ltsc2025.Dockerfile',
        '    context: src/win',
        '',
      ].join('\n'),
      [
        ['src', 'docker/Dockerfile', 'app'],
        ['src', 'docker/Dockerfile.windows', 'app-windows'],
        ['src/win', 'docker/ltsc2025.Dockerfile', 'app-windows'],
      ],
    ],
  ])('resolves where each leg builds from: %s', (_what, rest, legs) => {
    const config = loadConfig(`image: ghcr.io/acme/app\n${rest}`);
    expect(config.images[0]!.legs.map((l) => [l.context, l.dockerfile, l.target])).toEqual(legs);
  });

  it('merges build args: top level, then the OS family, then the platform', () => {
    const config = loadConfig(`image: ghcr.io/acme/app
build-args: { A: top, B: top, C: top }
windows:
  build-args: { B: windows, C: windows }
platforms:
  - linux/amd64
  - platform: windows/amd64:ltsc2022
    build-args: { C: leg }
`);
    expect(config.images[0]!.legs.map((l) => l.buildArgs)).toEqual([
      { A: 'top', B: 'top', C: 'top' },
      { A: 'top', B: 'windows', C: 'leg' },
    ]);
  });

  it('hands each leg its own file, target and build args to the CLI (legBuildInputs)', () => {
    const config = loadConfig(`image: ghcr.io/acme/app
windows: { dockerfile: Dockerfile.windows, target: runtime }
platforms:
  - linux/amd64
  - platform: windows/amd64:ltsc2025
    build-args: { WINDOWS_VERSION: ltsc2025 }
`);
    expect(config.images[0]!.legs.map((l) => legBuildInputs(config.images[0]!, l))).toEqual([
      { image: 'ghcr.io/acme/app', platform: 'linux/amd64', context: '.', file: 'Dockerfile' },
      {
        image: 'ghcr.io/acme/app',
        platform: 'windows/amd64:ltsc2025',
        context: '.',
        file: 'Dockerfile.windows',
        target: 'runtime',
        'build-args': 'WINDOWS_VERSION=ltsc2025',
      },
    ]);
  });

  it('uses secrets for registries other than ghcr.io', () => {
    const config = loadConfig('image: quay.io/acme/app\nplatforms: [linux/amd64]\n');
    expect(config.images[0]!.login).toMatchObject({
      host: 'quay.io',
      username: '${{ secrets.REGISTRY_USERNAME }}',
      password: '${{ secrets.REGISTRY_PASSWORD }}',
      githubToken: false,
    });
  });

  // [what, xplat.yml, field, line, part of the message]
  const BAD: [string, string, string, number, string][] = [
    ['no image', 'platforms: [linux/amd64]\n', 'image', 1, 'is required'],
    ['no platforms', 'image: ghcr.io/a/b\n', 'platforms', 1, 'is required'],
    ['empty platforms', 'image: ghcr.io/a/b\nplatforms: []\n', 'platforms', 2, 'at least one'],
    [
      'platforms not a list',
      'image: ghcr.io/a/b\nplatforms: linux/amd64\n',
      'platforms',
      2,
      'list',
    ],
    [
      'unknown architecture',
      'image: ghcr.io/a/b\nplatforms:\n  - linux/amd64\n  - linux/mips\n',
      'platforms[1]',
      4,
      'architecture "mips" is not known',
    ],
    [
      'unsupported os',
      'image: ghcr.io/a/b\nplatforms: [darwin/arm64]\n',
      'platforms[0]',
      2,
      'os "darwin" is not supported',
    ],
    [
      'windows without a release',
      'image: ghcr.io/a/b\nplatforms:\n  - windows/amd64\n',
      'platforms[0]',
      3,
      'needs a Windows release',
    ],
    [
      'ltsc2019 on a hosted runner',
      'image: ghcr.io/a/b\nplatforms:\n  - linux/amd64\n  - windows/amd64:ltsc2019\n',
      'platforms[1]',
      4,
      'self-hosted',
    ],
    [
      'unknown windows release',
      'image: ghcr.io/a/b\nplatforms: ["windows/amd64:ltsc2030"]\n',
      'platforms[0]',
      2,
      'not a Windows release',
    ],
    [
      'duplicate platform',
      'image: ghcr.io/a/b\nplatforms:\n  - linux/arm64\n  - linux/arm64/v8\n',
      'platforms[1]',
      4,
      'listed twice',
    ],
    [
      'arm/v7 without qemu or runner',
      'image: ghcr.io/a/b\nplatforms:\n  - linux/arm/v7\n',
      'platforms[0]',
      3,
      'qemu: true',
    ],
    [
      'qemu on windows',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: windows/amd64:ltsc2022\n    qemu: true\n',
      'platforms[0].qemu',
      4,
      'Linux architectures only',
    ],
    [
      'qemu on amd64',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: linux/amd64\n    qemu: true\n',
      'platforms[0].qemu',
      4,
      'natively',
    ],
    [
      'misspelt top-level field',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nsmoek:\n  port: 80\n',
      'smoek',
      3,
      'did you mean "smoke"',
    ],
    [
      'unknown smoke field',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nsmoke:\n  port: 80\n  probe: /x\n',
      'smoke.probe',
      5,
      'unknown field',
    ],
    [
      'port out of range',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nsmoke:\n  port: 70000\n',
      'smoke.port',
      4,
      '1-65535',
    ],
    [
      'port as text',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nsmoke:\n  port: http\n',
      'smoke.port',
      4,
      'port number',
    ],
    [
      'path without slash',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nsmoke:\n  path: healthz\n',
      'smoke.path',
      4,
      'must start with /',
    ],
    [
      'bad timeout',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nsmoke:\n  timeout: 5 minutes\n',
      'smoke.timeout',
      4,
      'duration',
    ],
    [
      'bad expect-status',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nsmoke:\n  expect-status: ok\n',
      'smoke.expect-status',
      4,
      'status',
    ],
    [
      'uppercase image',
      'image: ghcr.io/Acme/App\nplatforms: [linux/amd64]\n',
      'image',
      1,
      'lowercase',
    ],
    [
      'image with a tag',
      'image: ghcr.io/acme/app:1.0\nplatforms: [linux/amd64]\n',
      'image',
      1,
      'without a tag',
    ],
    [
      'expression in image',
      'image: ghcr.io/${{ github.repository }}\nplatforms: [linux/amd64]\n',
      'image',
      1,
      'expressions',
    ],
    [
      'unknown tag placeholder',
      "image: ghcr.io/a/b\nplatforms: [linux/amd64]\ntags:\n  - latest\n  - '{commit}'\n",
      'tags[1]',
      5,
      '"{commit}" is not a tag placeholder',
    ],
    [
      'semver mixed with branch',
      "image: ghcr.io/a/b\nplatforms: [linux/amd64]\ntags: ['{version}-{branch}']\n",
      'tags[0]',
      3,
      'mixes semver',
    ],
    [
      'tag with a slash',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\ntags: [release/1]\n',
      'tags[0]',
      3,
      'valid tag',
    ],
    [
      'leg tag without platform pair',
      "image: ghcr.io/a/b\nplatforms: [linux/amd64]\nleg-tag: '{sha}'\n",
      'leg-tag',
      3,
      '{platform-pair}',
    ],
    [
      'bad cache mode',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\ncache: s3\n',
      'cache',
      3,
      'auto, gha, registry, none',
    ],
    [
      'bad build arg name',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nbuild-args:\n  BAD-NAME: x\n',
      'build-args.BAD-NAME',
      4,
      'build arg name',
    ],
    [
      'runs-on as a number',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: windows/amd64:ltsc2019\n    runs-on: 42\n',
      'platforms[0].runs-on',
      4,
      'runner label',
    ],
    [
      'platform entry without platform',
      'image: ghcr.io/a/b\nplatforms:\n  - runs-on: [self-hosted]\n',
      'platforms[0].platform',
      3,
      'is required',
    ],
    [
      'unknown field in a platform entry',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: linux/amd64\n    runner: x\n',
      'platforms[0].runner',
      4,
      'unknown field',
    ],
    [
      'bad secret name',
      'image: quay.io/a/b\nplatforms: [linux/amd64]\nregistry:\n  password-secret: my-token\n',
      'registry.password-secret',
      4,
      'secret name',
    ],
    [
      'username twice',
      'image: quay.io/a/b\nplatforms: [linux/amd64]\nregistry:\n  username: bot\n  username-secret: BOT\n',
      'registry.username-secret',
      5,
      'not both',
    ],
    [
      'bad cron',
      "image: ghcr.io/a/b\nplatforms: [linux/amd64]\ntriggers:\n  schedule: ['@daily']\n",
      'triggers.schedule[0]',
      4,
      'cron',
    ],
    [
      'pull-requests not a boolean',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\ntriggers:\n  pull-requests: sometimes\n',
      'triggers.pull-requests',
      4,
      'true or false',
    ],
    [
      'bad xplat uses',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nxplat:\n  uses: xplat\n',
      'xplat.uses',
      4,
      'owner/repo@ref',
    ],
    [
      'timeout too long',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nworkflow:\n  timeout-minutes: 1000\n',
      'workflow.timeout-minutes',
      4,
      'between 1 and 360',
    ],
    [
      'duplicate key',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nimage: ghcr.io/a/c\n',
      'image',
      3,
      'unique',
    ],
    [
      'unknown field in windows:',
      'image: ghcr.io/a/b\nplatforms: [windows/amd64:ltsc2022]\nwindows:\n  dockerfle: Dockerfile.windows\n',
      'windows.dockerfle',
      4,
      'did you mean "dockerfile"',
    ],
    [
      'smoke in windows: (not a build field)',
      'image: ghcr.io/a/b\nplatforms: [windows/amd64:ltsc2022]\nwindows:\n  runs-on: x\n',
      'windows.runs-on',
      4,
      'unknown field',
    ],
    [
      'windows: without a Windows platform',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nwindows:\n  dockerfile: Dockerfile.windows\n',
      'windows',
      3,
      'applies to no platform',
    ],
    [
      'absolute dockerfile on a platform',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: linux/amd64\n    dockerfile: /src/Dockerfile\n',
      'platforms[0].dockerfile',
      4,
      'relative to the repository root',
    ],
    [
      'backslashes in a family dockerfile',
      'image: ghcr.io/a/b\nplatforms: [windows/amd64:ltsc2022]\nwindows:\n  dockerfile: docker\\Dockerfile.windows\n',
      'windows.dockerfile',
      4,
      'must use / between folders',
    ],
    [
      'context outside the repository',
      'image: ghcr.io/a/b\nplatforms: [linux/amd64]\nlinux:\n  context: ../other\n',
      'linux.context',
      4,
      'inside the repository',
    ],
    [
      'bad target on a platform',
      'image: ghcr.io/a/b\nplatforms:\n  - platform: linux/amd64\n    target: -x\n',
      'platforms[0].target',
      4,
      'stage name',
    ],
    [
      'windows: not a mapping',
      'image: ghcr.io/a/b\nplatforms: [windows/amd64:ltsc2022]\nwindows: Dockerfile.windows\n',
      'windows',
      3,
      'must be a mapping such as { dockerfile: Dockerfile.windows }',
    ],
    [
      'YAML syntax error',
      'image: ghcr.io/a/b\nplatforms:\n  - linux/amd64\n  bad: [unclosed\n',
      'platforms[0]',
      4,
      'YAML',
    ],
  ];

  it('has at least 20 bad configs', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(20);
  });

  it.each(BAD)('rejects %s, naming the field and the line', (_what, text, field, line, message) => {
    const found = problems(text);
    const match = found.find((p) => p.field === field);
    expect({ problems: found.map((p) => `${p.line}: ${p.field}: ${p.message}`) }).toEqual({
      problems: expect.arrayContaining([expect.stringContaining(`${line}: ${field}: `)]),
    });
    expect(match?.message).toContain(message);
    // The error text is `xplat.yml:LINE:COL: field: message`.
    let text2 = '';
    try {
      loadConfig(text);
    } catch (error) {
      text2 = (error as Error).message;
    }
    expect(text2).toMatch(
      new RegExp(`^xplat\\.yml:${line}:\\d+: ${field.replace(/[.[\]]/g, '\\$&')}: `, 'm'),
    );
  });

  it('reports every problem of a file at once, in line order', () => {
    const found = problems(
      'image: ghcr.io/a/b\nplatforms:\n  - linux/mips\nsmoke:\n  port: 0\ncolour: blue\n',
    );
    expect(found.map((p) => [p.line, p.field])).toEqual([
      [3, 'platforms[0]'],
      [5, 'smoke.port'],
      [6, 'colour'],
    ]);
  });

  it('refuses an empty file and a list', () => {
    expect(problems('')[0]).toMatchObject({ field: '(file)', line: 1 });
    expect(problems('- linux/amd64\n')[0]).toMatchObject({ field: '(file)', line: 1 });
  });
});

describe('the editor schema', () => {
  it('is emitted from the zod schema and committed as xplat.schema.json', () => {
    const schema = configJsonSchema();
    expect(schema).toMatchObject({
      type: 'object',
      anyOf: [{ required: ['image', 'platforms'] }, { required: ['images'] }],
    });
    expect(Object.keys(schema.properties as object)).toEqual(
      expect.arrayContaining(['image', 'platforms', 'smoke', 'tags', 'registry', 'triggers']),
    );
    expect(schema.additionalProperties).toBe(false);
    const file = path.join(repoRoot, 'xplat.schema.json');
    expect(readFileSync(file, 'utf8')).toBe(formatJson(schema));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(schema);
  });
});
