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
  releaseForOsVersion,
  XplatError,
  type Platform,
} from '@xplat/core';
import {
  formatRepository,
  type ImageConfig,
  imageEntries,
  type ImageManifest,
  isImageIndex,
  type Repository,
} from '@xplat/oci';
import type { ManifestResult, RegistryClient } from '@xplat/registry';

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
  /** The platform image manifest as read (its exact bytes). */
  readonly image: ManifestResult;
}

/** The pushed image is not what the leg asked for; `digest` is what the tag points at. */
export class PushedImageMismatch extends XplatError {
  constructor(
    message: string,
    input: string,
    readonly digest: string,
  ) {
    super(message, input);
    this.name = 'PushedImageMismatch';
  }
}

/** `10.0.20348.2655 (ltsc2022)`: an os.version the way these messages name it. */
function release(osVersion: string): string {
  const known = releaseForOsVersion(osVersion);
  return known ? `${osVersion} (${known.name})` : osVersion;
}

export async function readBackPushed(
  client: RegistryClient,
  repo: Repository,
  tag: string,
  platform: Platform,
): Promise<PushedImage> {
  const top = await client.getManifest(repo, tag);
  let manifest: ImageManifest;
  let image = top;
  let manifestDigest = top.digest;
  if (isImageIndex(top.manifest, top.mediaType)) {
    const entry = imageEntries(top.manifest).find(
      (d) =>
        d.platform &&
        platformMatches({ ...platform, osVersion: undefined }, fromOciPlatform(d.platform)),
    );
    if (!entry)
      throw new PushedImageMismatch(
        `${formatRepository(repo)}:${tag} was pushed as an index without a ${ociPlatformString(platform)} image`,
        'platform',
        top.digest,
      );
    const inner = await client.getManifest(repo, entry.digest);
    manifest = inner.manifest as ImageManifest;
    manifestDigest = inner.digest;
    image = inner;
  } else {
    manifest = top.manifest as ImageManifest;
  }
  const config = await client.getConfig(repo, manifest.config);
  const actual = fromOciPlatform(config);
  const where = `${formatRepository(repo)}:${tag}`;
  if (!platformMatches({ ...platform, osVersion: undefined }, actual))
    throw new PushedImageMismatch(
      `${where} is ${ociPlatformString(actual)}, not ${ociPlatformString(platform)}: the builder did not build the requested platform`,
      'platform',
      top.digest,
    );
  // Windows hosts pick their image by os.version, and the index keeps it from this config.
  // BuildKit copies it from the Windows base image's config (moby/buildkit#3619: "In image
  // config OSVersion was already set before by the base image"), so a config without one
  // had no Windows base: an index entry without os.version would follow.
  if (platform.os === 'windows' && !actual.osVersion)
    throw new PushedImageMismatch(
      `${where} has no os.version in its config, so no Windows host can tell which release it is: its final stage is not FROM a Windows base image (scratch, or a base without os.version); build it FROM mcr.microsoft.com/windows/nanoserver or servercore of the leg's release, whose config carries os.version`,
      'file',
      top.digest,
    );
  if (platform.osVersion && !platformMatches(platform, actual))
    throw new PushedImageMismatch(
      `${where} has os.version ${release(actual.osVersion!)}, not the leg's ${release(platform.osVersion)}: it was built FROM a base image of another Windows release; use the base image tag of ${releaseForOsVersion(platform.osVersion)?.name ?? platform.osVersion} or change windows-version`,
      'windows-version',
      top.digest,
    );
  const size = manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
  return {
    digest: top.digest,
    mediaType: top.mediaType,
    manifestDigest,
    config,
    configDigest: manifest.config.digest,
    size,
    image,
  };
}
