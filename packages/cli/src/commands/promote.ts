import { parseFuseRequest, promote, renderPromoteText, type PromoteSpec } from '@xplat/fuse';
import { formatRepository, parseReference, parseRepository } from '@xplat/oci';
import type { Command } from '../command.js';
import { asUsage, bool, flagHelp, flagInputs, text, UsageError, type FlagTable } from '../flags.js';
import { imageFlag, jsonFlag, projectFlags } from './common.js';
import { imageOfReference } from './images.js';
import { registryClients, registryFlags } from './registry-flags.js';

/**
 * fuse-manifest's promote mode (promote-from and its inputs) as flags; with fuseFlags they
 * cover every fuse-manifest input (flags.test.ts).
 */
export const promoteFlags: FlagTable = [
  {
    flag: 'from',
    input: 'promote-from',
    kind: 'string',
    value: 'REF',
    help: "the index to promote: registry/repo:tag or @digest, or a tag of --to's repository (sha-1a2b3c4)",
  },
  {
    flag: 'tag',
    input: 'tags',
    kind: 'list',
    value: 'TAG',
    help: 'a tag to give it (repeat; at least one)',
  },
  {
    flag: 'to',
    input: 'image',
    kind: 'string',
    value: 'REPO',
    help: "the repository the tags go to, copied there when the index lives elsewhere (default: --from's repository)",
    fromConfig: "image (--image NAME's), when --from is a tag alone",
  },
  {
    flag: 'mutable-tag',
    input: 'mutable-tags',
    kind: 'list',
    value: 'TAG',
    help: 'a tag that may move (repeat; default latest); any other existing tag is never moved',
  },
  {
    flag: 'expected-platforms',
    input: 'expected-platforms',
    kind: 'string',
    value: 'LIST',
    help: 'platforms the index must hold, each with its os.version',
    fromConfig: 'platforms, when the index is of its image',
  },
  {
    flag: 'revision',
    input: 'promote-revision',
    kind: 'string',
    value: 'SHA',
    help: 'the commit the index must be of (its org.opencontainers.image.revision)',
  },
  {
    flag: 'force',
    input: 'promote-force',
    kind: 'boolean',
    help: "promote an index without xplat's gate mark (dev.xplat.gate)",
  },
  {
    flag: 'missing',
    input: 'promote-missing',
    kind: 'string',
    value: 'fail|skip',
    help: 'when --from does not exist: fail (default), or skip and write nothing',
  },
  { flag: 'dry-run', input: 'dry-run', kind: 'boolean', help: 'check everything, write nothing' },
  ...registryFlags,
  ...projectFlags,
  imageFlag(),
  jsonFlag('print the result as JSON'),
];

const usage = `usage: xplat promote --from REF --tag TAG [--tag TAG2] [--to REPO] [options]

Give an index that already passed the gate new tags, without building anything: the
release is the very bits that were tested (the same as fuse-manifest with promote-from).
The index must carry xplat's gate mark (a fuse from passing leg results writes it) unless
--force, hold every expected platform with its os.version, and be of --revision when
given. Within one repository only the tags are written; into another repository or
registry the index is copied unchanged first (blob mounts where the registry allows,
copies otherwise). An existing tag that points elsewhere is refused unless it is a
--mutable-tag. The credentials (--username) are for --to's registry; the source's come
from Docker's config.json. With several images in xplat.yml, --image NAME says which
image a tag alone (--from sha-1a2b3c4) is of.

${flagHelp(promoteFlags)}`;

export const promoteCommand: Command = {
  name: 'promote',
  summary: 'give an index that passed the gate new tags, across repositories and registries',
  usage,
  flags: promoteFlags,
  image: 'name',
  async run(options, ctx) {
    const from = text(options, 'from').trim();
    if (!from)
      throw new UsageError(
        'is required: the index to promote, e.g. ghcr.io/org/app:sha-1a2b3c4',
        'promote-from',
      );
    const fromRepository = /[/@]/.test(from)
      ? formatRepository(asUsage(() => parseReference(from, 'promote-from')))
      : undefined;
    const only = ctx.images.length === 1 ? ctx.images[0] : undefined;
    const target = text(options, 'to') || fromRepository || only?.image;
    if (!target)
      throw new UsageError(
        ctx.several
          ? `"${from}" is a tag alone: name the image it is of with --image NAME (${ctx.images.map((i) => i.name).join(', ')}), or give --to`
          : `"${from}" is a tag alone: give the repository it is in (--to ghcr.io/org/app), or run where xplat.yml is`,
        'image',
      );
    const defaults: Record<string, string> = { image: target, 'mutable-tags': 'latest' };
    // xplat.yml's platforms are the check only for an index of one of its images.
    const config = ctx.project.config;
    const image = config
      ? only && sameRepository(only.image, target)
        ? only
        : imageOfReference(config, target)
      : undefined;
    if (image) defaults['expected-platforms'] = image.legs.map((l) => l.name).join(',');
    const inputs = flagInputs(promoteFlags, options, defaults);
    const request = await asUsage(() => parseFuseRequest(inputs, ctx.cwd));
    const spec: PromoteSpec = request.promote!;
    const client = registryClients(options, ctx)(request.target.registry);
    const result = await promote({ ...request, promote: spec }, client, ctx.logger);
    ctx.stdout(bool(options, 'json') ? JSON.stringify(result, null, 2) : renderPromoteText(result));
    return 0;
  },
};

/** Whether two repository names are the same repository (docker.io/library/x = x). */
function sameRepository(a: string, b: string): boolean {
  try {
    return formatRepository(parseRepository(a)) === formatRepository(parseRepository(b));
  } catch {
    return false;
  }
}
