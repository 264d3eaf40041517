/**
 * `xplat inspect`: what a reference really is, like `docker buildx imagetools inspect`,
 * but with each entry's os.version, and a clear word when the reference is a single
 * platform image (hosts of other platforms cannot pull it).
 */
import { fromOciPlatform, formatPlatform, renderTable, type OciPlatform } from '@xplat/core';
import {
  formatReference,
  type ImageManifest,
  type ImageReference,
  isAttestation,
  isImageIndex,
  REFERENCE_DIGEST_ANNOTATION,
} from '@xplat/oci';
import type { RegistryClient } from '@xplat/registry';

export interface InspectEntry {
  readonly platform: string;
  readonly osVersion: string | undefined;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** For an attestation manifest, the digest of the image it describes. */
  readonly attests: string | undefined;
}

export interface InspectResult {
  readonly ref: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly isIndex: boolean;
  readonly entries: readonly InspectEntry[];
  readonly raw: string;
  readonly warning: string | undefined;
}

export async function inspectReference(
  client: RegistryClient,
  ref: ImageReference,
): Promise<InspectResult> {
  const repo = { registry: ref.registry, repository: ref.repository };
  const read = await client.getManifest(repo, ref.digest ?? ref.tag ?? 'latest');
  const base = {
    ref: formatReference(ref),
    digest: read.digest,
    mediaType: read.mediaType,
    raw: Buffer.from(read.bytes).toString('utf8'),
  };
  if (isImageIndex(read.manifest, read.mediaType)) {
    const entries = read.manifest.manifests.map((d): InspectEntry => ({
      platform: isAttestation(d) ? 'attestation' : d.platform ? describe(d.platform) : 'unknown',
      osVersion: d.platform?.['os.version'],
      digest: d.digest,
      mediaType: d.mediaType,
      size: d.size,
      attests: isAttestation(d) ? d.annotations?.[REFERENCE_DIGEST_ANNOTATION] : undefined,
    }));
    return { ...base, isIndex: true, entries, warning: undefined };
  }
  const config = await client.getConfig(repo, (read.manifest as ImageManifest).config);
  const platform = describe(config as OciPlatform);
  return {
    ...base,
    isIndex: false,
    entries: [
      {
        platform,
        osVersion: config['os.version'],
        digest: read.digest,
        mediaType: read.mediaType,
        size: read.size,
        attests: undefined,
      },
    ],
    warning: `${base.ref} is a single-platform image (${platform}), not an index: hosts of other platforms cannot pull it`,
  };
}

export function renderInspect(result: InspectResult): string {
  const rows = result.entries.map((e) => [
    e.platform,
    e.osVersion ?? '',
    e.digest,
    e.attests ? `attests ${e.attests.slice(0, 19)}` : shortMediaType(e.mediaType),
  ]);
  return [
    `Name:      ${result.ref}`,
    `MediaType: ${result.mediaType}`,
    `Digest:    ${result.digest}`,
    '',
    renderTable(['PLATFORM', 'OS.VERSION', 'DIGEST', 'KIND'], rows),
  ].join('\n');
}

function describe(p: OciPlatform): string {
  try {
    return formatPlatform({ ...fromOciPlatform(p), osVersion: undefined });
  } catch {
    return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
  }
}

function shortMediaType(mediaType: string): string {
  if (mediaType.includes('docker')) return 'docker manifest';
  if (mediaType.includes('oci')) return 'oci manifest';
  return mediaType;
}
