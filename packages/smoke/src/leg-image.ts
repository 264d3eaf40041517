/**
 * The image a smoke test with a leg result tests. The verdict goes into the leg result,
 * and the fuse then puts the leg's digest into the index: so the image tested must be that
 * digest, or a stale or tampered result would carry a verdict earned by another image.
 *
 * - image empty: the leg's `<image>@<digest>`, so a smoke job on another runner than the
 *   build's (a Windows image built on Linux) needs nothing but the leg result. The leg
 *   must have been pushed.
 * - image with a digest (`repo@sha256:…`, or the digest itself): it must be the leg's;
 *   anything else is refused here, before the engine is asked anything.
 * - image by a name the engine resolves (a tag; an image ID of a pushed leg): the image
 *   the engine has, or pulls, must be the leg's; checked before its container starts.
 */
import { XplatError, type LoadedLegResult } from '@xplat/core';
import type { ImageInfo } from '@xplat/engine';
import { parseReference } from '@xplat/oci';

/** An image ID or digest as docker takes it: `sha256:<hex>` or bare hex, 12 to 64 digits. */
export const IMAGE_ID_PATTERN = /^(sha256:)?[a-f0-9]{12,64}$/;

export interface LegImage {
  /** What to inspect, pull and run. */
  readonly image: string;
  /**
   * What the engine's facts about the image must show, when the name alone does not
   * prove it is the leg's image: its ID (a leg built without push: the leg's digest is
   * the image ID), or a registry digest (a pushed leg).
   */
  readonly verify?: { readonly id: string } | { readonly repoDigest: string };
}

export function legImage(image: string, { file, result }: LoadedLegResult): LegImage {
  const digest = result.digest;
  if (result.failure)
    throw new XplatError(
      `${file} is a failed build (${result.failure.reason}): there is no image to smoke-test`,
      'result-file',
    );
  const pulled = `${result.image}@${digest}`;
  if (!image) {
    if (!result.pushed)
      throw new XplatError(
        `${file} was built with push: false, so no registry holds its image to pull; give image (the build's tag or image-id) on the runner that built it, or push the leg`,
        'result-file',
      );
    return { image: pulled };
  }

  const refuse = (given: string): XplatError =>
    new XplatError(
      `${image} is ${given}, but the leg result ${file} is ${digest}: a verdict is recorded only for the image the leg built; ${remedy(result)}, or give the leg result of ${given}`,
      'image',
    );

  if (IMAGE_ID_PATTERN.test(image)) {
    const id = image.startsWith('sha256:') ? image : `sha256:${image}`;
    if (id === digest) return { image: result.pushed ? pulled : image };
    if (!result.pushed) {
      // An unpushed leg's digest is its image ID: a short ID is its prefix.
      if (id.length < digest.length && digest.startsWith(id)) return { image };
      throw refuse(id);
    }
    // A pushed leg's digest is the manifest's, an image ID the config's: only the
    // engine can say whether this ID is that image.
    return { image, verify: { repoDigest: digest } };
  }

  const reference = parseReference(image, 'image');
  if (reference.digest) {
    if (reference.digest !== digest) throw refuse(reference.digest);
    return { image };
  }
  return { image, verify: result.pushed ? { repoDigest: digest } : { id: digest } };
}

/**
 * Throws, naming both, when the image the engine has is not the leg's (a moved tag, a
 * stale local image). Called after the image was inspected or pulled, before it runs.
 */
export function checkLegImage(
  target: LegImage,
  info: ImageInfo | undefined,
  { file, result }: LoadedLegResult,
): void {
  const verify = target.verify;
  if (!verify) return;
  const want = 'id' in verify ? verify.id : verify.repoDigest;
  const matches =
    info !== undefined &&
    ('id' in verify
      ? info.id === verify.id
      : info.repoDigests.some((d) => d.endsWith(`@${verify.repoDigest}`)));
  if (matches) return;
  const found = !info
    ? 'not known to the engine'
    : 'id' in verify
      ? `the image ${info.id}`
      : info.repoDigests.length
        ? `${info.repoDigests.map((d) => d.slice(d.lastIndexOf('@') + 1)).join(', ')} (image ${info.id})`
        : `the image ${info.id}, which no registry digest names`;
  throw new XplatError(
    `${target.image} is ${found}, not ${want} of the leg result ${file}: the tag moved or names another build; ${remedy(result)}`,
    'image',
  );
}

function remedy(result: LoadedLegResult['result']): string {
  return result.pushed
    ? `leave image empty to test ${result.image}@${result.digest}`
    : `give the leg's image ID ${result.digest}`;
}
