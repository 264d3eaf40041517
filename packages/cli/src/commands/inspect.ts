import { inspectReference, renderInspect } from '@xplat/fuse';
import { parseReference } from '@xplat/oci';
import type { Command } from '../command.js';
import { asUsage, bool, flagHelp, UsageError, type FlagTable } from '../flags.js';
import { imageFlag, jsonFlag, projectFlags } from './common.js';
import { runPerImage, type ImageTask } from './per-image.js';
import { registryClients, registryFlags } from './registry-flags.js';

export const inspectFlags: FlagTable = [
  { flag: 'raw', kind: 'boolean', help: 'print the manifest exactly as the registry returned it' },
  jsonFlag('print the entries as JSON'),
  ...registryFlags,
  ...projectFlags,
  imageFlag(),
];

const usage = `usage: xplat inspect [REF] [options]

Show every platform entry of an image index with its digest and os.version (like
docker buildx imagetools inspect, which leaves os.version out), and warn when REF is a
single-platform image rather than an index. REF defaults to xplat.yml's image (its
latest tag): every image of xplat.yml, or the one --image names.

${flagHelp(inspectFlags)}`;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show the platforms (with os.version) of an image index',
  usage,
  flags: inspectFlags,
  positionals: {
    max: 1,
    refuse: () => new UsageError('give one image reference, e.g. ghcr.io/org/app:1.2.3', 'REF'),
  },
  image: 'name',
  async run(options, ctx) {
    const given = options.positionals[0];
    if (given && ctx.imageName)
      throw new UsageError('picks the default REF from xplat.yml; give REF or --image', '--image');
    const refs = given
      ? [{ image: undefined, text: given }]
      : ctx.images.map((image) => ({ image, text: image.image }));
    if (!refs.length)
      throw new UsageError(
        'give an image reference, e.g. ghcr.io/org/app:1.2.3 (or run where xplat.yml is)',
        'REF',
      );
    // Every reference is checked before the registry is asked anything.
    const parsedRefs = refs.map((r) => ({
      ...r,
      ref: asUsage(() => parseReference(r.text, 'REF')),
    }));
    const clientFor = registryClients(options, ctx);
    const raw = bool(options, 'raw');
    const tasks: ImageTask[] = parsedRefs.map(({ image, ref }) => ({
      image,
      run: async () => {
        const result = await inspectReference(clientFor(ref.registry), ref);
        if (result.warning) ctx.logger.warning(result.warning);
        // --raw wins over --json: the manifest exactly as the registry returned it.
        return {
          code: 0,
          value: { ...result, raw: undefined },
          text: raw ? result.raw : renderInspect(result),
        };
      },
    }));
    return runPerImage(tasks, ctx, {
      command: 'inspect',
      flags: inspectFlags,
      json: bool(options, 'json') && !raw,
      several: ctx.several && !given,
    });
  },
};
