import { existsSync } from 'node:fs';
import { XplatError } from '@xplat/core';
import { currentRun, fuse, parseFuseRequest, renderFuseText, type FuseRequest } from '@xplat/fuse';
import type { ResolvedImage } from '@xplat/workflow';
import type { Command, CommandContext } from '../command.js';
import {
  asUsage,
  bool,
  flagHelp,
  flagInputs,
  list,
  text,
  UsageError,
  type FlagTable,
  type ParsedFlags,
} from '../flags.js';
import { imageLegDir } from '../project.js';
import { imageFlag, jsonFlag, projectFlags, runIdFlag, runResultDir, shown } from './common.js';
import { runPerImage, type ImageTask } from './per-image.js';
import { registryClients, registryFlags } from './registry-flags.js';

/** Every fuse-manifest input (FUSE_INPUTS) as a flag, plus the CLI's own. */
export const fuseFlags: FlagTable = [
  imageFlag({
    value: 'REPO',
    help: 'the target repository, e.g. ghcr.io/org/app',
    fromConfig: 'image',
  }),
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
  jsonFlag('print the result as JSON'),
];

const usage = `usage: xplat fuse [options]

Fuse per-platform images into one multi-platform index, only when every expected
platform has a pushed image whose smoke test passed (the same as the fuse-manifest
action). With xplat.yml, no flag is needed: the image and the expected platforms come
from it, the leg results from this run's folder. A leg result of another repository
than the target is refused. A platform whose leg recorded a skipped smoke test (xplat
smoke --skip) is fused only when --allow-untested names it, and shows as "not tested:
<reason>".

With several images in xplat.yml, each is gated on its own leg results
(DIR/.xplat/legs/RUN-ID/NAME/) and fused into its own repository: one whose gate is
closed stops no other, and the exit code is 1 when any failed. --image NAME fuses that
image only; --image with a repository instead fuses the image of xplat.yml that pushes
there (or, without xplat.yml, the repository given).

${flagHelp(fuseFlags)}`;

export const fuseCommand: Command = {
  name: 'fuse',
  summary: 'gate on leg results and push one multi-platform index',
  usage,
  flags: fuseFlags,
  image: 'repository',
  async run(options, ctx) {
    const explicit = list(options, 'results').length > 0 || list(options, 'source').length > 0;
    if (ctx.several && explicit)
      throw new UsageError(
        `name the image they are for with --image NAME (${ctx.images.map((i) => i.name).join(', ')}): each image is gated on its own leg results`,
        list(options, 'results').length ? 'results' : 'source',
      );
    const runDir =
      ctx.images.length && !explicit ? await runResultDir(options, ctx, ctx.project) : '';
    // Every image's request first: a flag or file that cannot be used stops the command
    // before any registry is written (exit 2).
    const requests = [];
    for (const image of ctx.images.length ? ctx.images : [undefined])
      requests.push(await fuseRequest(options, ctx, image, runDir));
    if (requests.every((r) => r.missing))
      throw new UsageError(
        ctx.several
          ? `no leg results in ${shown(ctx, runDir)} for any image of ${ctx.project.configFile}; build and smoke-test first (xplat build, xplat smoke), or give --image NAME and --results`
          : requests[0]!.missing!,
        'results',
      );
    const clientFor = registryClients(options, ctx);
    const tasks: ImageTask[] = requests.map(({ image, request, missing }) => ({
      image,
      run: async () => {
        // Another image had leg results, this one none: its gate is closed (exit 1).
        if (!request) throw new XplatError(missing!);
        // A closed gate needs no extra output here: fuse() logged the gate table already.
        const result = await fuse(request, clientFor(request.target.registry), ctx.logger);
        return { code: 0, value: result, text: renderFuseText(result) };
      },
    }));
    return runPerImage(tasks, ctx, {
      command: 'fuse',
      flags: fuseFlags,
      json: bool(options, 'json'),
      several: ctx.several,
    });
  },
};

/**
 * One image's fuse request: xplat.yml's repository, expected platforms and leg results
 * folder under the flags; `missing` when that folder does not exist (nothing built yet).
 */
async function fuseRequest(
  options: ParsedFlags,
  ctx: CommandContext,
  image: ResolvedImage | undefined,
  runDir: string,
): Promise<{ image?: ResolvedImage; request?: FuseRequest; missing?: string }> {
  const defaults: Record<string, string> = { 'media-type': 'auto', 'mutable-tags': 'latest' };
  if (image) {
    defaults.image = image.image;
    defaults['expected-platforms'] = image.legs.map((l) => l.name).join(',');
    // A leg that xplat.yml says is not smoke-tested may be fused untested; only with
    // xplat.yml's own platforms, which it is one of.
    const untested = image.legs.filter((l) => l.smokeSkip !== undefined);
    if (untested.length && !text(options, 'expected-platforms'))
      defaults['allow-untested'] = untested.map((l) => l.name).join(',');
    if (runDir) {
      const dir = imageLegDir(runDir, ctx.project.config, image);
      if (!existsSync(dir)) {
        const build = ctx.several ? ` --image ${image.name}` : '';
        return {
          image,
          missing: `no leg results in ${shown(ctx, dir)}; build and smoke-test first (xplat build${build}, xplat smoke${build}), or give --results`,
        };
      }
      defaults.results = dir;
    }
  }
  const inputs = flagInputs(fuseFlags, options, defaults);
  // In a workflow's run: step, leg results of another run are refused, as by the action.
  const request = await asUsage(() =>
    parseFuseRequest(inputs, ctx.cwd, { run: currentRun(ctx.env) }),
  );
  return { ...(image ? { image } : {}), request };
}
