/**
 * The pushed image's times set from the commit, through xplat's registry client: for
 * builders that stamp the config with their own times (dockerd 20.10's BuildKit predates
 * SOURCE_DATE_EPOCH; the classic builder never had it). The config's `created` becomes
 * SOURCE_DATE_EPOCH and every history entry later than it is clamped to it, so the config,
 * and with it the manifest digest, is a function of the layers and the commit alone. The
 * new config is uploaded and the manifest pushed again under the leg's tags, before the
 * smoke test: the digest that is tested is the one that is fused and recorded.
 *
 * A builder that honoured SOURCE_DATE_EPOCH already (BuildKit 0.11+) leaves nothing to
 * do: the config is unchanged and nothing is written.
 */
import { formatRepository, type ImageManifest, type Repository, sha256Digest } from '@xplat/oci';
import type { RegistryClient } from '@xplat/registry';
import { epochTime } from './source-date.js';
import type { PushedImage } from './readback.js';

export interface SettledImage {
  readonly digest: string;
  readonly configDigest: string;
  readonly size: number;
  /** Whether a new config and manifest were pushed. */
  readonly rewritten: boolean;
  /** Set when the times could not be set: why (the leg is then not reproducible). */
  readonly problem?: string;
}

type Json = Record<string, unknown>;

function later(value: unknown, epoch: number): boolean {
  if (typeof value !== 'string') return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && time > epoch * 1000;
}

/** The config with its times from SOURCE_DATE_EPOCH: `created`, and history clamped. */
export function configWithTimes(config: Json, epoch: number): Json {
  const time = epochTime(epoch);
  const history = Array.isArray(config.history)
    ? (config.history as unknown[]).map((entry) =>
        entry && typeof entry === 'object' && later((entry as Json).created, epoch)
          ? { ...(entry as Json), created: time }
          : entry,
      )
    : config.history;
  return {
    ...config,
    created: time,
    ...(config.history !== undefined ? { history } : {}),
  };
}

/** Whether the config's times are those configWithTimes gives (compared as times). */
export function hasTimes(config: Json, epoch: number): boolean {
  const created = typeof config.created === 'string' ? Date.parse(config.created) : NaN;
  if (created !== epoch * 1000) return false;
  const history = Array.isArray(config.history) ? (config.history as Json[]) : [];
  return !history.some((h) => h && later(h.created, epoch));
}

export async function settleImageTimes(
  client: RegistryClient,
  repo: Repository,
  pushed: PushedImage,
  tags: readonly string[],
  epoch: number,
): Promise<SettledImage> {
  const unchanged = {
    digest: pushed.digest,
    configDigest: pushed.configDigest,
    size: pushed.size,
    rewritten: false,
  };
  if (pushed.digest !== pushed.manifestDigest) {
    // An index (buildx attestations) names the image by digest: a new config would need a
    // new index and new attestations. BuildKit 0.11+ set the times already; older cannot.
    if (hasTimes(pushed.config as Json, epoch)) return unchanged;
    return {
      ...unchanged,
      problem: `${formatRepository(repo)}@${pushed.digest} is an index (attestations) whose image times are not the commit's, and xplat cannot rewrite an image inside an index; use BuildKit 0.11 or later`,
    };
  }
  // The manifest and config as the read-back got them: nothing is asked twice.
  const top = pushed.image;
  const manifest = top.manifest as ImageManifest;
  const raw = pushed.config as Json;
  if (hasTimes(raw, epoch)) return unchanged;

  const config = Buffer.from(JSON.stringify(configWithTimes(raw, epoch)));
  await client.putBlob(repo, config);
  const next: ImageManifest = {
    ...manifest,
    config: { ...manifest.config, digest: sha256Digest(config), size: config.length },
  };
  const bytes = Buffer.from(JSON.stringify(next, null, 3));
  // Every tag of the leg moves to the settled manifest (a leg has at least its template's).
  const digest = sha256Digest(bytes);
  await Promise.all(tags.map((tag) => client.putManifest(repo, tag, bytes, top.mediaType)));
  client.logger.info(
    `set the image times of ${formatRepository(repo)} to the commit's (${epochTime(epoch)}): ${pushed.digest} -> ${digest}`,
  );
  return {
    digest,
    configDigest: next.config.digest,
    size: pushed.size - manifest.config.size + config.length,
    rewritten: true,
  };
}
