import { parseArgs } from 'node:util';
import { XplatError } from '@xplat/core';
import { inspectReference, renderInspect } from '@xplat/fuse';
import { parseReference } from '@xplat/registry';
import type { Command } from '../command.js';
import { clientFromFlags, registryOptions, registryUsage } from './registry-flags.js';

const usage = `usage: xplat inspect REF [--raw | --json]

Show every platform entry of an image index with its digest and os.version (like
docker buildx imagetools inspect, which leaves os.version out), and warn when REF is a
single-platform image rather than an index.

  --raw    print the manifest exactly as the registry returned it
  --json   print the entries as JSON
${registryUsage}`;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show the platforms (with os.version) of an image index',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        raw: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        ...registryOptions,
      },
    });
    if (positionals.length !== 1)
      throw new XplatError('give exactly one image reference, e.g. ghcr.io/org/app:1.2.3', 'REF');
    const ref = parseReference(positionals[0]!, 'REF');
    const result = await inspectReference(clientFromFlags(values, io, ref.registry), ref);
    if (values.raw) io.stdout(result.raw);
    else if (values.json) io.stdout(JSON.stringify({ ...result, raw: undefined }, null, 2));
    else io.stdout(renderInspect(result));
    if (result.warning) io.logger.warning(result.warning);
    return 0;
  },
};
