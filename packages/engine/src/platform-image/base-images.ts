/**
 * The Windows release of each base image, asked of its registry before the build: the
 * tag says `ltsc2022`, but only the manifest's `os.version` is what the engine will try
 * to run. A base the host cannot run (ltsc2025 on a windows-2022 runner), or one of
 * another release than the leg's windows-version, fails here in one line naming the
 * Dockerfile line, instead of minutes into a pull with "The container operating system
 * does not match the host operating system".
 */
import {
  fromOciPlatform,
  platformMatches,
  XplatError,
  type Logger,
  type Platform,
} from '@xplat/core';
import {
  formatReference,
  imageEntries,
  type ImageManifest,
  isImageIndex,
  manifestReference,
  parseReference,
} from '@xplat/oci';
import type { RegistryClient } from '@xplat/registry';
import { describeWindowsBuild, windowsReleaseRefusal } from '../docker/windows-host.js';

export interface BaseImageRef {
  readonly image: string;
  readonly line: number;
}

export interface ResolvedBaseImage {
  readonly image: string;
  readonly line: number;
  /** The manifest (or index) digest the tag resolves to now. */
  readonly digest: string;
  /** The os.version of the entry for this platform. */
  readonly osVersion?: string;
}

export interface BaseCheckOptions {
  readonly platform: Platform;
  /** The Windows host build when the build runs on a Windows engine. */
  readonly hostOsVersion?: string;
  readonly isolation: 'process' | 'hyperv';
  /** The Dockerfile, as messages name it. */
  readonly file: string;
  readonly client: RegistryClient;
  readonly logger: Logger;
}

/** The os.version of every Windows image of the platform's architecture a reference offers. */
async function windowsVersionsOf(
  client: RegistryClient,
  image: string,
  platform: Platform,
): Promise<{ digest: string; versions: string[] }> {
  const ref = parseReference(image, 'file');
  const top = await client.getManifest(ref, manifestReference(ref));
  const wanted = { ...platform, osVersion: undefined };
  if (isImageIndex(top.manifest, top.mediaType)) {
    const versions = imageEntries(top.manifest)
      .filter((d) => d.platform && platformMatches(wanted, fromOciPlatform(d.platform)))
      .map((d) => d.platform?.['os.version'] ?? '')
      .filter(Boolean);
    return { digest: top.digest, versions };
  }
  const config = await client.getConfig(ref, (top.manifest as ImageManifest).config);
  const actual = fromOciPlatform(config);
  return {
    digest: top.digest,
    versions: platformMatches(wanted, actual) && actual.osVersion ? [actual.osVersion] : [],
  };
}

/**
 * Resolves each external base image of a Windows build and refuses those no entry of
 * which the host (or the leg's release) can use. A registry that cannot be reached only
 * warns: the lint rules already checked the tag, and the build will say the rest.
 */
export async function checkWindowsBaseImages(
  bases: readonly BaseImageRef[],
  options: BaseCheckOptions,
): Promise<ResolvedBaseImage[]> {
  const resolved: ResolvedBaseImage[] = [];
  for (const base of bases) {
    let found: { digest: string; versions: string[] };
    try {
      found = await windowsVersionsOf(options.client, base.image, options.platform);
    } catch (error) {
      options.logger.warning(
        `${options.file}:${base.line}: cannot check the Windows release of base image ${base.image} (${(error as Error).message}); the build will`,
      );
      continue;
    }
    const where = `${options.file}:${base.line}: base image ${base.image}`;
    if (!found.versions.length)
      throw new XplatError(
        `${where} has no ${options.platform.os}/${options.platform.architecture} image`,
        'file',
      );
    let candidates = found.versions;
    if (options.platform.osVersion) {
      const wanted = options.platform;
      candidates = candidates.filter((v) => platformMatches(wanted, { ...wanted, osVersion: v }));
      if (!candidates.length)
        throw new XplatError(
          `${where} is Windows ${found.versions.map(describeWindowsBuild).join(', ')}, not the leg's ${describeWindowsBuild(wanted.osVersion!)}; use the base image's tag for that release or change windows-version`,
          'windows-version',
        );
    }
    if (options.hostOsVersion) {
      const host = options.hostOsVersion;
      const runnable = candidates.filter(
        (v) => !windowsReleaseRefusal(host, v, options.isolation, 'file'),
      );
      if (!runnable.length) {
        const refusal = windowsReleaseRefusal(host, candidates[0]!, options.isolation, 'file')!;
        throw new XplatError(`${where}: ${refusal.reason}`, 'file');
      }
      candidates = runnable;
    }
    const osVersion = candidates[0];
    options.logger.info(
      `base image ${base.image} -> ${formatReference({ ...parseReference(base.image, 'file'), digest: found.digest })}${osVersion ? ` (os.version ${osVersion})` : ''}`,
    );
    resolved.push({
      image: base.image,
      line: base.line,
      digest: found.digest,
      ...(osVersion ? { osVersion } : {}),
    });
  }
  return resolved;
}
