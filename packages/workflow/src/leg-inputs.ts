/**
 * One leg of xplat.yml as the inputs of the actions that build and smoke-test it, keyed by
 * the actions' own input names. The CLI (`xplat build`, `smoke`) takes its defaults from
 * here, so a leg built on a laptop gets the same file, target, build args and probes as
 * the generated workflow's matrix leg.
 */
import { XplatError } from '@xplat/core';
import type { ResolvedConfig, ResolvedImage, ResolvedLeg } from './config.js';
import { keyValueLines, smokeInputs } from './generate-steps.js';

/** build-platform-image's inputs for `leg` of `image` (only those xplat.yml sets; '' = unset). */
export function legBuildInputs(image: ResolvedImage, leg: ResolvedLeg): Record<string, string> {
  const inputs: Record<string, string> = {
    image: image.image,
    platform: leg.name,
    context: leg.context,
    file: leg.dockerfile,
    target: leg.target ?? '',
    'build-args': keyValueLines(leg.buildArgs),
    labels: keyValueLines(image.labels),
    'tag-template': image.legTag ?? '',
    cache: image.cache ?? '',
  };
  return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== ''));
}

/** smoke-test's inputs for `leg` (its smoke settings over the top-level ones). */
export function legSmokeInputs(leg: ResolvedLeg): Record<string, string> {
  return {
    platform: leg.name,
    ...Object.fromEntries(smokeInputs(leg.smoke).filter(([, v]) => v !== '')),
    ...(leg.smokeSkip !== undefined ? { skip: leg.smokeSkip } : {}),
  };
}

/**
 * The image a command works on: the one named (`--image NAME`), or the only one. A file
 * with several images and no name is an error that lists them.
 */
export function pickImage(
  config: ResolvedConfig,
  name: string | undefined,
  flag = '--image',
): ResolvedImage {
  if (name) {
    const found = config.images.find((i) => i.name === name);
    if (!found)
      throw new XplatError(
        `"${name}" is not an image of ${config.file}; its images: ${config.images.map((i) => i.name).join(', ')}`,
        flag,
      );
    return found;
  }
  if (config.images.length === 1) return config.images[0]!;
  throw new XplatError(
    `${config.file} has ${config.images.length} images (${config.images.map((i) => i.name).join(', ')}): name one with ${flag} NAME`,
    flag,
  );
}

/** The images a command works on: the one named, or every one. */
export function selectImages(
  config: ResolvedConfig,
  name: string | undefined,
  flag = '--image',
): ResolvedImage[] {
  return name ? [pickImage(config, name, flag)] : [...config.images];
}
