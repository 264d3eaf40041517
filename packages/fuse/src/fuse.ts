/**
 * fuse: the gate, then one index from every platform image, written by each tag and
 * read back before success is reported. Order matters and is the point of this file:
 * everything that can fail is checked before the first write.
 */
import {
  evaluateGate,
  formatPlatform,
  platformMatches,
  renderGateTable,
  skipReason,
  summariseGateFailure,
  XplatError,
  type GateReport,
  type Logger,
  type Platform,
  type SmokeResult,
} from '@xplat/core';
import {
  formatReference,
  formatRepository,
  parseReference,
  type Repository,
  sameRepository,
} from '@xplat/oci';
import type { RegistryClient } from '@xplat/registry';
import { buildIndex, type IndexChild, type IndexDocument } from './index-document.js';
import type { FuseRequest } from './request.js';
import { resolveSource, type ResolvedSource } from './resolve.js';
import { GATE_ANNOTATION, gateMark } from './gate-mark.js';
import { firstFailure } from './settle.js';
import { assertTagsAllowed, planTags, type TagPlan } from './tag-policy.js';
import { verifyIndex } from './verify.js';

/** The gate said no: carries the report so callers can show the table. */
export class GateClosedError extends XplatError {
  constructor(readonly report: GateReport) {
    super(summariseGateFailure(report), 'expected-platforms');
    this.name = 'GateClosedError';
  }
}

export interface FuseEntry {
  readonly platform: string;
  readonly osVersion: string | undefined;
  readonly digest: string;
  readonly mediaType: string;
  readonly smoke: SmokeResult['status'] | 'unknown';
  /** Fused without a smoke test (skipped, and in allow-untested): the reason recorded with the skip. */
  readonly untested?: string;
  /** Where the image came from (repo@digest). */
  readonly source: string;
  /** Whether it had to be copied into the target repository. */
  readonly copied: boolean;
}

export interface FuseResult {
  readonly digest: string;
  readonly ref: string;
  readonly mediaType: string;
  readonly index: Record<string, unknown>;
  readonly entries: readonly FuseEntry[];
  readonly tags: readonly TagPlan[];
  readonly dryRun: boolean;
  readonly gate: GateReport | undefined;
  readonly warnings: readonly string[];
}

/** One image to fuse: where it is, which platform it must be, and its smoke verdict. */
interface PlannedSource {
  readonly ref: ReturnType<typeof parseReference>;
  /** The leg result file, or `sources`, for messages. */
  readonly origin: string;
  readonly want: Platform | undefined;
  readonly smoke: FuseEntry['smoke'];
  readonly untested?: string;
}

export async function fuse(
  request: FuseRequest,
  client: RegistryClient,
  logger: Logger,
): Promise<FuseResult> {
  const target = request.target;
  const targetName = formatRepository(target);

  // 1. The gate, from the leg results alone: no registry traffic yet.
  const { gate, planned } = planSources(request, targetName, logger);

  // 2. Everything that can be asked at once, asked at once (see readSources). Nothing is
  //    written before all of it is known.
  const { resolved, heads } = await readSources(request, client, planned, logger);
  if (!request.legs) checkSourcePlatforms(resolved, request.expected);

  // 3. The index, then what may be written.
  const children: IndexChild[] = resolved.map((r) => ({
    descriptor: r.descriptor,
    attestations: r.attestations,
  }));
  const document = buildIndex(children, {
    mediaType: request.mediaType,
    annotations: { ...markOf(gate, request, logger), ...request.annotations },
  });
  document.warnings.forEach((w) => logger.warning(w));
  const ref = `${targetName}@${document.digest}`;

  const current = new Map<string, string | undefined>(
    request.tags.map((tag, i) => [tag, heads[i]?.digest]),
  );
  const tags = planTags(request.tags, current, document.digest, request.mutableTags);
  assertTagsAllowed(tags, targetName);
  if (request.tags.length === 0)
    logger.warning('no tags given: the index is reachable by digest only');

  const result = {
    digest: document.digest,
    ref,
    mediaType: document.mediaType,
    index: document.manifest,
    entries: entriesOf(resolved, planned, target),
    tags,
    gate,
    warnings: document.warnings,
  };

  if (request.dryRun) {
    logger.info(
      `Dry run: would push ${ref}${describeTags(tags)}\n${document.bytes.toString('utf8')}`,
    );
    return { ...result, dryRun: true };
  }

  // 4. Writes: children into the target repository first (the registry checks that an
  //    index's children exist), all at once; then the index by each tag, all at once.
  await copyChildren(client, resolved, target, tags, ref, logger);
  await pushIndex(client, target, document, tags, logger);

  // 5. Read back by every tag (or the digest) and compare before reporting success.
  await verifyIndex(client, target, document, request.tags);
  logger.info(`Pushed ${ref}${describeTags(tags)}; read back and verified`);
  return { ...result, dryRun: false };
}

/**
 * The images to fuse: from leg results through the gate (which throws when closed and
 * warns of legs fused untested or not expected), or the sources as given.
 */
function planSources(
  request: FuseRequest,
  targetName: string,
  logger: Logger,
): { gate: GateReport | undefined; planned: PlannedSource[] } {
  if (!request.legs) {
    const planned = (request.sources ?? []).map((ref) => ({
      ref,
      origin: 'sources',
      want: undefined,
      smoke: 'unknown' as const,
    }));
    return { gate: undefined, planned };
  }
  const gate = evaluateGate(request.expected, request.legs, {
    allowUntested: request.allowUntested,
  });
  logger.info(`Gate for ${targetName}:\n${renderGateTable(gate)}`);
  if (!gate.passed) throw new GateClosedError(gate);
  for (const leg of gate.unexpected)
    logger.warning(
      `${leg.file}: ${leg.result.platform} is not in expected-platforms; left out of the index`,
    );
  const planned = gate.rows.map((row, i) => {
    const leg = row.legs[0]!;
    const untested = row.verdict === 'allowed-untested' ? skipReason(leg.result) : undefined;
    // Visible in the run's annotations, not only in the table.
    if (untested !== undefined)
      logger.warning(`${row.platform} is fused untested (allow-untested): ${untested}`);
    return {
      ref: parseReference(`${leg.result.image}@${leg.result.digest}`, `${leg.file}: image`),
      origin: leg.file,
      want: request.expected[i],
      smoke: leg.result.smoke.status,
      ...(untested !== undefined ? { untested } : {}),
    };
  });
  return { gate, planned };
}

/**
 * Every source (its manifest, then its config), what each tag points at now, and
 * (unless a dry run) whether the target can be pushed to, all asked at once.
 */
async function readSources(
  request: FuseRequest,
  client: RegistryClient,
  planned: readonly PlannedSource[],
  logger: Logger,
): Promise<{
  resolved: ResolvedSource[];
  heads: Awaited<ReturnType<RegistryClient['headManifest']>>[];
}> {
  const target = request.target;
  const resolving = Promise.all(planned.map((p) => resolveSource(client, p.ref, p.origin, p.want)));
  const asking = Promise.all(request.tags.map((tag) => client.headManifest(target, tag)));
  const access = request.dryRun ? Promise.resolve() : client.checkAccess(target, 'push');
  const [resolved, heads] = await firstFailure(resolving, asking, access);
  await logger.group(`Read ${planned.length} platform image(s)`, async () => {
    resolved.forEach((source, i) =>
      logger.info(
        `${formatPlatform(source.platform).padEnd(32)} ${source.descriptor.digest}  (${formatReference(planned[i]!.ref)})`,
      ),
    );
  });
  return { resolved, heads };
}

/** The index's entries as the result reports them: platform, digest, smoke, origin. */
function entriesOf(
  resolved: readonly ResolvedSource[],
  planned: readonly PlannedSource[],
  target: Repository,
): FuseEntry[] {
  return resolved.map((r, i): FuseEntry => ({
    platform: formatPlatform(r.platform),
    osVersion: r.descriptor.platform['os.version'],
    digest: r.descriptor.digest,
    mediaType: r.descriptor.mediaType,
    smoke: planned[i]!.smoke,
    ...(planned[i]!.untested !== undefined ? { untested: planned[i]!.untested } : {}),
    source: `${formatRepository(r.repository)}@${r.descriptor.digest}`,
    copied: !sameRepository(r.repository, target),
  }));
}

/**
 * Copies the images from other repositories into the target, all at once, so the index
 * can name them. A tag that already points at this very index proves they are there.
 */
async function copyChildren(
  client: RegistryClient,
  resolved: readonly ResolvedSource[],
  target: Repository,
  tags: readonly TagPlan[],
  ref: string,
  logger: Logger,
): Promise<void> {
  const targetName = formatRepository(target);
  const foreign = resolved.filter((r) => !sameRepository(r.repository, target));
  if (foreign.length && tags.some((t) => t.action === 'unchanged')) {
    logger.info(`${ref} is in ${targetName} already, and with it every image it names`);
  } else if (foreign.length) {
    await logger.group(`Copying ${foreign.length} image(s) into ${targetName}`, async () => {
      await firstFailure(...foreign.map((source) => copyInto(client, source, target)));
      for (const source of foreign)
        logger.info(
          `${formatPlatform(source.platform).padEnd(32)} from ${formatRepository(source.repository)}`,
        );
    });
  }
}

/**
 * The gate's mark on the index (gate-mark.ts), when the index comes from leg results that
 * passed it. A Docker manifest list carries no annotations: then there is no mark, and
 * promote refuses the index unless forced.
 */
function markOf(
  gate: GateReport | undefined,
  request: FuseRequest,
  logger: Logger,
): Record<string, string> {
  if (!gate) return {};
  if (request.mediaType === 'docker') {
    logger.warning(
      `a Docker manifest list carries no annotations, so this index has no ${GATE_ANNOTATION} mark: xplat promote will refuse it unless forced (use media-type auto or oci)`,
    );
    return {};
  }
  const untested = gate.rows.filter((r) => r.verdict === 'allowed-untested').map((r) => r.platform);
  const mark = gateMark(
    gate.rows.map((r) => r.legs[0]!),
    untested,
  );
  mark.notes.forEach((n) => logger.warning(n));
  return mark.annotations;
}

async function copyInto(
  client: RegistryClient,
  source: ResolvedSource,
  target: Repository,
): Promise<void> {
  // The image manifest was read while resolving: handed over, not fetched again. The
  // target is not asked first: a fresh index's children are usually missing, and
  // copying one that is there is a mount and a PUT of the same bytes.
  await firstFailure(
    ...[source.descriptor, ...source.attestations].map((descriptor) =>
      client.copyImage({ ...source.repository, digest: descriptor.digest }, target, {
        checkTarget: false,
        ...(descriptor.digest === source.manifest.digest ? { manifest: source.manifest } : {}),
      }),
    ),
  );
}

async function pushIndex(
  client: RegistryClient,
  target: Repository,
  document: IndexDocument,
  tags: readonly TagPlan[],
  logger: Logger,
): Promise<void> {
  const writes = tags.filter((t) => t.action !== 'unchanged');
  if (tags.length === 0) {
    await client.putManifest(target, document.digest, document.bytes, document.mediaType);
    return;
  }
  for (const plan of tags.filter((t) => t.action === 'unchanged'))
    logger.info(`${plan.tag}: already ${document.digest}, unchanged`);
  await firstFailure(
    ...writes.map((plan) =>
      client.putManifest(target, plan.tag, document.bytes, document.mediaType),
    ),
  );
  for (const plan of writes)
    logger.info(
      `${plan.tag}: ${plan.action === 'update' ? `moved from ${plan.previous} to` : 'created at'} ${document.digest}`,
    );
}

/** With explicit sources the gate is only: every expected platform exactly once, no platform twice. */
function checkSourcePlatforms(
  resolved: readonly ResolvedSource[],
  expected: readonly Platform[],
): void {
  for (let i = 0; i < resolved.length; i++) {
    for (let j = i + 1; j < resolved.length; j++) {
      if (formatPlatform(resolved[i]!.platform) === formatPlatform(resolved[j]!.platform)) {
        throw new XplatError(
          `two sources are ${formatPlatform(resolved[i]!.platform)}: an index holds one image per platform`,
          'sources',
        );
      }
    }
  }
  const missing = expected.filter((e) => !resolved.some((r) => platformMatches(e, r.platform)));
  if (missing.length) {
    throw new XplatError(
      `no source is ${missing.map(formatPlatform).join(', ')} (sources are ${resolved.map((r) => formatPlatform(r.platform)).join(', ')})`,
      'expected-platforms',
    );
  }
}

function describeTags(tags: readonly TagPlan[]): string {
  return tags.length ? ` as ${tags.map((t) => t.tag).join(', ')}` : '';
}
