/** The flag tables: one row per input gives the options, the help and the inputs record. */
import { describe, expect, it } from '@jest/globals';
import { XplatError } from '@xplat/core';
import { BUILD_INPUTS } from '@xplat/engine';
import { FUSE_INPUTS } from '@xplat/fuse';
import { SMOKE_INPUTS } from '@xplat/smoke';
import { buildFlags } from '../src/commands/build.js';
import { fuseFlags } from '../src/commands/fuse.js';
import { promoteFlags } from '../src/commands/promote.js';
import { smokeFlags } from '../src/commands/smoke.js';
import { commands } from '../src/commands/index.js';
import { projectFlags } from '../src/commands/common.js';
import {
  flagHelp,
  flagInputs,
  nameFlag,
  parseFlags,
  UsageError,
  type FlagTable,
} from '../src/flags.js';

const table: FlagTable = [
  {
    flag: 'image',
    input: 'image',
    kind: 'string',
    value: 'REPO',
    help: 'repo',
    fromConfig: 'image',
  },
  { flag: 'build-arg', input: 'build-args', kind: 'list', value: 'K=V', help: 'arg (repeat)' },
  { flag: 'no-push', input: 'push', kind: 'boolean', negates: true, help: 'build only' },
  { flag: 'one-shot', input: 'one-shot', kind: 'boolean', help: 'runs and exits' },
  { flag: 'json', kind: 'boolean', help: 'JSON' },
];

describe('flag tables', () => {
  it.each<[string, FlagTable, readonly string[]]>([
    ['build', buildFlags, BUILD_INPUTS],
    ['smoke', smokeFlags, SMOKE_INPUTS],
    // fuse-manifest's promote mode is `xplat promote`: the two together take every input.
    ['fuse and promote', [...fuseFlags, ...promoteFlags], FUSE_INPUTS],
  ])('xplat %s has a flag for every input of its action, and only those', (_n, flags, inputs) => {
    const mapped = new Set(flags.flatMap((f) => (f.input ? [f.input] : [])));
    expect([...mapped].filter((i) => i !== 'username').sort()).toEqual([...inputs].sort());
  });

  it('xplat promote takes only promote-from, the tags and their policy, and the check', () => {
    expect(promoteFlags.flatMap((f) => (f.input ? [f.input] : [])).sort()).toEqual([
      'dry-run',
      'expected-platforms',
      'image',
      'mutable-tags',
      'promote-force',
      'promote-from',
      'promote-missing',
      'promote-revision',
      'tags',
      'username',
    ]);
  });

  it.each<[string, FlagTable, string]>([
    ['build', buildFlags, 'NAME|REPO'],
    ['smoke', smokeFlags, 'NAME|REF'],
    ['fuse', fuseFlags, 'NAME|REPO'],
  ])(
    "xplat %s --image is the action's image input, and also an image of xplat.yml by name",
    (_n, flags, value) => {
      const image = flags.find((f) => f.flag === 'image')!;
      expect(image).toMatchObject({ input: 'image', kind: 'string', value });
      expect(image.help).toMatch(
        /^one image of xplat\.yml, by its name \(default: every image\); any other value is /,
      );
    },
  );

  it.each(['plan', 'lint', 'inspect'])(
    'xplat %s --image is a name only: no action input',
    (name) => {
      const image = commands.find((c) => c.name === name)!.flags!.find((f) => f.flag === 'image');
      expect(image).toEqual({
        flag: 'image',
        kind: 'string',
        value: 'NAME',
        help: expect.any(String),
      });
    },
  );

  it('every command that reads xplat.yml declares --dir and --config once, as projectFlags', () => {
    for (const command of commands.filter((c) => !['init', 'run'].includes(c.name))) {
      const rows = command.flags!.filter((f) => f.flag === 'dir' || f.flag === 'config');
      expect({ command: command.name, rows }).toEqual({
        command: command.name,
        rows: [...projectFlags],
      });
    }
  });

  it.each<[string, string[], Record<string, string>, Record<string, string>]>([
    ['nothing given: the defaults', [], { image: 'from/yml' }, { image: 'from/yml' }],
    ['a flag overrides xplat.yml', ['--image', 'x/y'], { image: 'from/yml' }, { image: 'x/y' }],
    [
      'lists are one per line',
      ['--build-arg', 'A=1', '--build-arg', 'B=2'],
      {},
      { 'build-args': 'A=1\nB=2' },
    ],
    ['a negating flag sets false', ['--no-push'], {}, { push: 'false' }],
    ['a flag sets true', ['--one-shot'], {}, { 'one-shot': 'true' }],
    ['CLI-only flags are no inputs', ['--json'], {}, {}],
  ])('%s', (_name, argv, defaults, inputs) => {
    expect(flagInputs(table, parseFlags(table, argv), defaults)).toEqual(inputs);
  });

  it.each<[string[], string]>([
    [['--imag', 'x'], "Unknown option '--imag'"],
    [['--image'], "Option '--image <value>' argument missing"],
  ])('%j is a usage error naming the flag', (argv, message) => {
    const parse = () => parseFlags(table, argv);
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });

  it.each<[XplatError, string]>([
    [
      new XplatError('is required: the repository', 'image'),
      '--image: is required: the repository',
    ],
    [new XplatError('"1X" is not NAME=value', 'build-args'), '--build-arg: "1X" is not NAME=value'],
    [new XplatError('bad field', 'xplat.yml:3:1'), 'xplat.yml:3:1: bad field'],
  ])('an error about an input names the flag: %s', (error, message) => {
    const named = nameFlag(table, error) as XplatError;
    expect(named.message).toBe(message);
  });

  it('keeps a usage error a usage error when it names the flag', () => {
    expect(nameFlag(table, new UsageError('no', 'image'))).toBeInstanceOf(UsageError);
  });

  it('help: one aligned row per flag, saying what xplat.yml gives', () => {
    expect(flagHelp(table).split('\n')).toEqual([
      '  --image REPO     repo (xplat.yml: image)',
      '  --build-arg K=V  arg (repeat)',
      '  --no-push        build only',
      '  --one-shot       runs and exits',
      '  --json           JSON',
    ]);
  });
});
