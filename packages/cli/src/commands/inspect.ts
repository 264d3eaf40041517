import { inspectReference, renderInspect } from '@xplat/fuse';
import { parseReference } from '@xplat/registry';
import type { Command } from '../command.js';
import { asUsage, bool, flagHelp, parseFlags, UsageError, type FlagTable } from '../flags.js';
import { projectImage } from '../project.js';
import { projectFlags, projectOf } from './common.js';
import { clientFromFlags, registryFlags } from './registry-flags.js';

export const inspectFlags: FlagTable = [
  { flag: 'raw', kind: 'boolean', help: 'print the manifest exactly as the registry returned it' },
  { flag: 'json', kind: 'boolean', help: 'print the entries as JSON' },
  ...registryFlags,
  ...projectFlags,
];

const usage = `usage: xplat inspect [REF] [options]

Show every platform entry of an image index with its digest and os.version (like
docker buildx imagetools inspect, which leaves os.version out), and warn when REF is a
single-platform image rather than an index. REF defaults to xplat.yml's image (its
latest tag).

${flagHelp(inspectFlags)}`;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show the platforms (with os.version) of an image index',
  usage,
  flags: inspectFlags,
  async run(argv, io) {
    const parsed = parseFlags(inspectFlags, argv);
    if (parsed.positionals.length > 1)
      throw new UsageError('give one image reference, e.g. ghcr.io/org/app:1.2.3', 'REF');
    const project = await projectOf(parsed, io);
    const text = parsed.positionals[0] ?? asUsage(() => projectImage(project))?.image;
    if (!text)
      throw new UsageError(
        'give an image reference, e.g. ghcr.io/org/app:1.2.3 (or run where xplat.yml is)',
        'REF',
      );
    const ref = asUsage(() => parseReference(text, 'REF'));
    const result = await inspectReference(clientFromFlags(parsed, io, ref.registry), ref);
    if (bool(parsed, 'raw')) io.stdout(result.raw);
    else if (bool(parsed, 'json'))
      io.stdout(JSON.stringify({ ...result, raw: undefined }, null, 2));
    else io.stdout(renderInspect(result));
    if (result.warning) io.logger.warning(result.warning);
    return 0;
  },
};
