/**
 * What the registry holds after a push, read back over the distribution API rather than
 * trusted from the CLI's output: the digest a tag points at, the image's config (its
 * real os/architecture/os.version) and its size. A push that landed something else (a
 * wrong platform, a tag moved by a concurrent job) fails the leg here, before the leg
 * result claims it.
 */
import {
  fromOciPlatform,
  ociPlatformString,
  platformMatches,
  XplatError,
  type Platform,
} from '@xplat/core';
import {
  formatRepository,
  imageEntries,
  isImageIndex,
  type ImageConfig,
  type ImageManifest,
  type RegistryClient,
  type Repository,
} from '@xplat/registry';

export interface PushedImage {
  /** What the tag points at: the image manifest, or an index (buildx adds attestations). */
  readonly digest: string;
  readonly mediaType: string;
  /** The platform image's own manifest digest (the same as digest without an index). */
  readonly manifestDigest: string;
  readonly config: ImageConfig;
  /** The config's digest: the image ID engines show. */
  readonly configDigest: string;
  /** Compressed size: config plus layers, as pulled. */
  readonly size: number;
}

export async function readBackPushed(
  client: RegistryClient,
  repo: Repository,
  tag: string,
  platform: Platform,
): Promise<PushedImage> {
  const top = await client.getManifest(repo, tag);
  let manifest: ImageManifest;
  let manifestDigest = top.digest;
  if (isImageIndex(top.manifest, top.mediaType)) {
    const entry = imageEntries(top.manifest).find(
      (d) =>
        d.platform &&
        platformMatches({ ...platform, osVersion: undefined }, fromOciPlatform(d.platform)),
    );
    if (!entry)
      throw new XplatError(
        `${formatRepository(repo)}:${tag} was pushed as an index without a ${ociPlatformString(platform)} image`,
        'platform',
      );
    const inner = await client.getManifest(repo, entry.digest);
    manifest = inner.manifest as ImageManifest;
    manifestDigest = inner.digest;
  } else {
    manifest = top.manifest as ImageManifest;
  }
  const config = await client.getConfig(repo, manifest.config);
  const actual = fromOciPlatform(config);
  if (!platformMatches({ ...platform, osVersion: undefined }, actual))
    throw new XplatError(
      `${formatRepository(repo)}:${tag} is ${ociPlatformString(actual)}, not ${ociPlatformString(platform)}: the builder did not build the requested platform`,
      'platform',
    );
  if (platform.osVersion && !platformMatches(platform, actual))
    throw new XplatError(
      `${formatRepository(repo)}:${tag} has os.version ${actual.osVersion ?? '(none)'}, not ${platform.osVersion}: its base image is of another Windows release`,
      'windows-version',
    );
  const size = manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
  return {
    digest: top.digest,
    mediaType: top.mediaType,
    manifestDigest,
    config,
    configDigest: manifest.config.digest,
    size,
  };
}
