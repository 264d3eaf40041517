import { parseArgs } from 'node:util';
import { fuse, parseFuseRequest, renderFuseSummary } from '@xplat/fuse';
import type { Command } from '../command.js';
import { clientFromFlags, registryOptions, registryUsage } from './registry-flags.js';

const usage = `usage: xplat fuse --image REPO --expected-platforms LIST (--results PATH... | --source REF...) [options]

Fuse per-platform images into one multi-platform index, only when every expected
platform has a pushed image whose smoke test passed (the same as the fuse-manifest action).

  --image REPO                  target repository, e.g. ghcr.io/org/app
  --tag TAG                     a tag for the index (repeat for more)
  --results PATH                leg result file, folder or glob (repeat for more)
  --source REF                  explicit repo@digest instead of results (repeat)
  --expected-platforms LIST     linux/amd64,linux/arm64,windows/amd64:ltsc2022
  --annotation KEY=VALUE        index annotation (repeat)
  --media-type auto|oci|docker  index format (default auto)
  --mutable-tag TAG             a tag that may move (repeat; default latest)
  --dry-run                     print the index, write nothing
  --json                        print the result as JSON
${registryUsage}`;

export const fuseCommand: Command = {
  name: 'fuse',
  summary: 'gate on leg results and push one multi-platform index',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        image: { type: 'string', default: '' },
        tag: { type: 'string', multiple: true, default: [] },
        results: { type: 'string', multiple: true, default: [] },
        source: { type: 'string', multiple: true, default: [] },
        'expected-platforms': { type: 'string', default: '' },
        annotation: { type: 'string', multiple: true, default: [] },
        'media-type': { type: 'string', default: 'auto' },
        'mutable-tag': { type: 'string', multiple: true, default: ['latest'] },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        ...registryOptions,
      },
    });
    const request = await parseFuseRequest(
      {
        image: values.image,
        tags: values.tag.join('\n'),
        results: values.results.join('\n'),
        sources: values.source.join('\n'),
        expectedPlatforms: values['expected-platforms'],
        annotations: values.annotation.join('\n'),
        mediaType: values['media-type'],
        mutableTags: values['mutable-tag'].join('\n'),
        dryRun: String(values['dry-run']),
      },
      io.cwd,
    );
    // A closed gate needs no extra output here: fuse() logged the gate table already.
    const result = await fuse(
      request,
      clientFromFlags(values, io, request.target.registry),
      io.logger,
    );
    io.stdout(values.json ? JSON.stringify(result, null, 2) : renderFuseSummary(result));
    return 0;
  },
};
