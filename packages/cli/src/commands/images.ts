/**
 * Which images of xplat.yml a command works on, from `--image`. build, smoke and fuse had
 * an --image flag before xplat.yml could list several images: the action input `image`
 * (build, fuse: the repository; smoke: the image reference). So the flag means both:
 *
 * - absent: every image of xplat.yml;
 * - the name of an image of xplat.yml (`csi-node`): that image, with xplat.yml's repository;
 * - anything else: the action input as before. With one image, that image's defaults
 *   under it; with several, the image whose repository it names (they would otherwise
 *   all push to one repository), else a usage error listing the names.
 *
 * plan, lint and inspect have no such input: their --image is a name or an error.
 */
import { echo } from '@xplat/core';
import { parseReference } from '@xplat/oci';
import type { ResolvedConfig, ResolvedImage } from '@xplat/workflow';
import { UsageError } from '../flags.js';

/** What --image may be besides a name: nothing, a repository (build, fuse), a reference (smoke). */
export type ImageRole = 'name' | 'repository' | 'reference';

export interface ImageChoice {
  /** The images of xplat.yml the command works on; empty without xplat.yml. */
  readonly images: readonly ResolvedImage[];
  /** --image named the image: it is not an input of the action. */
  readonly named: boolean;
  /** --image is the action's input (a repository or a reference), as given. */
  readonly input?: string;
}

export function chooseImages(
  config: ResolvedConfig | undefined,
  value: string | undefined,
  role: ImageRole,
): ImageChoice {
  if (!value) return { images: config?.images ?? [], named: false };
  if (!config) {
    if (role === 'name')
      throw new UsageError(
        `"${echo(value)}" would name an image of xplat.yml, and there is none here; give --dir or --config, or leave --image out`,
        '--image',
      );
    return { images: [], named: false, input: value };
  }
  const named = config.images.find((i) => i.name === value);
  if (named) return { images: [named], named: true };
  if (role !== 'name') {
    if (config.images.length === 1) return { images: config.images, named: false, input: value };
    const owner = imageOfReference(config, value);
    if (owner) return { images: [owner], named: false, input: value };
  }
  throw new UsageError(unknownImage(config, value, role), '--image');
}

/**
 * The image of xplat.yml whose repository `reference` names (a tag or digest aside),
 * when exactly one does; a value that is no reference names none.
 */
export function imageOfReference(
  config: ResolvedConfig,
  reference: string,
): ResolvedImage | undefined {
  const wanted = repositoryOf(reference);
  if (!wanted) return undefined;
  const found = config.images.filter((i) => repositoryOf(i.image) === wanted);
  return found.length === 1 ? found[0] : undefined;
}

/** `registry/repository` of a reference, for comparing (docker.io/library/x = x). */
function repositoryOf(reference: string): string | undefined {
  try {
    const ref = parseReference(reference);
    return `${ref.registry}/${ref.repository}`;
  } catch {
    return undefined;
  }
}

/** One line: what --image was, what it may be, and the names to choose from. */
export function unknownImage(config: ResolvedConfig, value: string, role: ImageRole): string {
  const names = config.images.map((i) => i.name).join(', ');
  const first = config.images[0]?.name ?? 'NAME';
  const what =
    role === 'repository'
      ? `neither the name of an image of ${config.file} nor the repository of one`
      : role === 'reference'
        ? `neither the name of an image of ${config.file} nor a reference to one's repository`
        : `not the name of an image of ${config.file}`;
  return `"${echo(value)}" is ${what}; its images: ${names} (e.g. --image ${first})`;
}
