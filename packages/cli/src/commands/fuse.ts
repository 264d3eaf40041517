import { existsSync } from 'node:fs';
import { currentRun, fuse, parseFuseRequest, rawFuseInputs, renderFuseText } from '@xplat/fuse';
import type { Command } from '../command.js';
import {
  asUsage,
  bool,
  flagHelp,
  flagInputs,
  list,
  parseFlags,
  text,
  UsageError,
  type FlagTable,
} from '../flags.js';
import { projectImage } from '../project.js';
import { projectFlags, projectOf, runIdFlag, runResultDir, shown } from './common.js';
import { clientFromFlags, registryFlags } from './registry-flags.js';

/** Every fuse-manifest input (FUSE_INPUTS) as a flag, plus the CLI's own. */
export const fuseFlags: FlagTable = [
  {
    flag: 'image',
    input: 'image',
    kind: 'string',
    value: 'REPO',
    help: 'target repository, e.g. ghcr.io/org/app',
    fromConfig: 'image',
  },
  { flag: 'tag', input: 'tags', kind: 'list', value: 'TAG', help: 'a tag for the index (repeat)' },
  {
    flag: 'results',
    input: 'results',
    kind: 'list',
    value: 'PATH',
    help: "leg result file, folder or glob (repeat; default: this run's, DIR/.xplat/legs/RUN-ID/)",
  },
  {
    flag: 'source',
    input: 'sources',
    kind: 'list',
    value: 'REF',
    help: 'explicit repo@digest instead of results (repeat)',
  },
  {
    flag: 'expected-platforms',
    input: 'expected-platforms',
    kind: 'string',
    value: 'LIST',
    help: 'linux/amd64,linux/arm64,windows/amd64:ltsc2022',
    fromConfig: 'platforms',
  },
  {
    flag: 'allow-untested',
    input: 'allow-untested',
    kind: 'list',
    value: 'P',
    help: 'a platform that may be fused with a skipped smoke test (repeat)',
    fromConfig: 'platforms whose smoke.skip is set, with its platforms',
  },
  {
    flag: 'annotation',
    input: 'annotations',
    kind: 'list',
    value: 'KEY=VALUE',
    help: 'index annotation (repeat)',
  },
  {
    flag: 'media-type',
    input: 'media-type',
    kind: 'string',
    value: 'auto|oci|docker',
    help: 'index format (default auto)',
  },
  {
    flag: 'mutable-tag',
    input: 'mutable-tags',
    kind: 'list',
    value: 'TAG',
    help: 'a tag that may move (repeat; default latest)',
  },
  { flag: 'dry-run', input: 'dry-run', kind: 'boolean', help: 'print the index, write nothing' },
  {
    flag: 'allow-foreign-runs',
    input: 'allow-foreign-runs',
    kind: 'boolean',
    help: 'on GitHub Actions, fuse leg results of another workflow run too',
  },
  ...registryFlags,
  runIdFlag,
  ...projectFlags,
  { flag: 'json', kind: 'boolean', help: 'print the result as JSON' },
];

const usage = `usage: xplat fuse [options]

Fuse per-platform images into one multi-platform index, only when every expected
platform has a pushed image whose smoke test passed (the same as the fuse-manifest
action). With xplat.yml, no flag is needed: the image and the expected platforms come
from it, the leg results from this run's folder. A leg result of another repository
than the target is refused. A platform whose leg recorded a skipped smoke test (xplat
smoke --skip) is fused only when --allow-untested names it, and shows as "not tested:
<reason>".

${flagHelp(fuseFlags)}`;

export const fuseCommand: Command = {
  name: 'fuse',
  summary: 'gate on leg results and push one multi-platform index',
  usage,
  flags: fuseFlags,
  async run(argv, io) {
    const parsed = parseFlags(fuseFlags, argv);
    if (parsed.positionals.length)
      throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
    const project = await projectOf(parsed, io);
    const defaults: Record<string, string> = { 'media-type': 'auto', 'mutable-tags': 'latest' };
    const image = asUsage(() => projectImage(project));
    if (image) {
      defaults.image = image.image;
      defaults['expected-platforms'] = image.legs.map((l) => l.name).join(',');
      // A leg that xplat.yml says is not smoke-tested may be fused untested; only with
      // xplat.yml's own platforms, which it is one of.
      const untested = image.legs.filter((l) => l.smokeSkip !== undefined);
      if (untested.length && !text(parsed, 'expected-platforms'))
        defaults['allow-untested'] = untested.map((l) => l.name).join(',');
      if (!list(parsed, 'results').length && !list(parsed, 'source').length) {
        const dir = await runResultDir(parsed, io, project);
        if (!existsSync(dir))
          throw new UsageError(
            `no leg results in ${shown(io, dir)}; build and smoke-test first (xplat build, xplat smoke), or give --results`,
            'results',
          );
        defaults.results = dir;
      }
    }
    const inputs = flagInputs(fuseFlags, parsed, defaults);
    // In a workflow's run: step, leg results of another run are refused, as by the action.
    const request = await asUsage(() =>
      parseFuseRequest(rawFuseInputs(inputs), io.cwd, { run: currentRun(io.env) }),
    );
    // A closed gate needs no extra output here: fuse() logged the gate table already.
    const result = await fuse(
      request,
      clientFromFlags(parsed, io, request.target.registry),
      io.logger,
    );
    io.stdout(bool(parsed, 'json') ? JSON.stringify(result, null, 2) : renderFuseText(result));
    return 0;
  },
};
