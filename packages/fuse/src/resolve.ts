/**
 * Resolves each source (a leg result's repo@digest, or an explicit reference) to the
 * platform image that goes into the index: follows a source that is itself an index
 * (buildx pushes one with an attestation manifest even for a single platform), and reads
 * the platform from the image config, because that is where os.version and os.features
 * really live.
 */
import {
  fromOciPlatform,
  formatPlatform,
  platformMatches,
  XplatError,
  type OciPlatform,
  type Platform,
} from '@xplat/core';
import {
  attestationsFor,
  type Descriptor,
  formatRepository,
  imageEntries,
  type ImageManifest,
  type ImageReference,
  isImageIndex,
  type Repository,
} from '@xplat/oci';
import type { ManifestResult, RegistryClient } from '@xplat/registry';

export interface ResolvedSource {
  /** Where the image lives now. */
  readonly repository: Repository;
  /** The platform image manifest, platform taken from its config. */
  readonly descriptor: Descriptor & { platform: OciPlatform };
  readonly attestations: readonly Descriptor[];
  /** The platform image manifest as read (its exact bytes), so a copy need not read it again. */
  readonly manifest: ManifestResult;
  readonly platform: Platform;
  /** What the user gave, for messages: a leg result file or the `sources` input. */
  readonly origin: string;
}

export async function resolveSource(
  client: RegistryClient,
  ref: ImageReference,
  origin: string,
  want: Platform | undefined,
): Promise<ResolvedSource> {
  const repository: Repository = { registry: ref.registry, repository: ref.repository };
  const where = `${formatRepository(repository)}@${ref.digest ?? ref.tag}`;
  const top = await client.getManifest(repository, ref.digest ?? ref.tag ?? 'latest');

  let image = top;
  let attestations: Descriptor[] = [];
  if (isImageIndex(top.manifest, top.mediaType)) {
    const entries = imageEntries(top.manifest);
    const candidates = want
      ? entries.filter(
          (e) =>
            e.platform &&
            safePlatform(e.platform) &&
            platformMatches(want, safePlatform(e.platform)!),
        )
      : entries;
    if (candidates.length !== 1) {
      const listed =
        entries.map((e) => (e.platform ? describe(e.platform) : e.digest)).join(', ') || 'none';
      throw new XplatError(
        `${where} is an index whose images are ${listed}; ${want ? `exactly one must be ${formatPlatform(want)}` : 'give the digest of one platform image'}`,
        origin,
      );
    }
    const child = candidates[0]!;
    image = await client.getManifest(repository, child.digest);
    attestations = attestationsFor(top.manifest, child.digest);
  }
  if (isImageIndex(image.manifest, image.mediaType)) {
    throw new XplatError(`${where} nests an index inside an index; give a platform image`, origin);
  }

  const manifest = image.manifest as ImageManifest;
  const config = await client.getConfig(repository, manifest.config);
  const ociPlatform: OciPlatform = {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
    ...(config['os.version'] ? { 'os.version': config['os.version'] } : {}),
    ...(config['os.features']?.length ? { 'os.features': config['os.features'] } : {}),
  };
  const platform = fromOciPlatform(ociPlatform);
  if (want && !platformMatches(want, platform)) {
    throw new XplatError(
      `the image config of ${where} says ${formatPlatform(platform)}, not ${formatPlatform(want)}: the leg result does not describe this image`,
      origin,
    );
  }
  // Write the variant the way containerd normalises it (arm64 -> v8) so every client
  // matches the entry, even when a classic builder left the config without one.
  const entryPlatform: OciPlatform = {
    ...ociPlatform,
    ...(platform.variant ? { variant: platform.variant } : {}),
  };
  return {
    repository,
    descriptor: {
      mediaType: image.mediaType,
      digest: image.digest,
      size: image.size,
      platform: entryPlatform,
    },
    attestations,
    manifest: image,
    platform,
    origin,
  };
}

function safePlatform(p: OciPlatform): Platform | undefined {
  try {
    return fromOciPlatform(p);
  } catch {
    return undefined;
  }
}

function describe(p: OciPlatform): string {
  const platform = safePlatform(p);
  return platform ? formatPlatform(platform) : `${p.os}/${p.architecture}`;
}
