/**
 * One leg of xplat.yml as the inputs of the actions that build and smoke-test it, keyed by
 * the actions' own input names. The CLI (`xplat build`, `smoke`, `run`) takes its defaults
 * from here, so a leg built on a laptop gets the same file, target, build args and probes
 * as the generated workflow's matrix leg.
 */
import type { ResolvedConfig, ResolvedLeg } from './config.js';
import { keyValueLines, smokeInputs } from './generate.js';

/** build-platform-image's inputs for `leg` (only those xplat.yml sets; '' = unset). */
export function legBuildInputs(config: ResolvedConfig, leg: ResolvedLeg): Record<string, string> {
  const inputs: Record<string, string> = {
    image: config.image,
    platform: leg.name,
    context: leg.context,
    file: leg.dockerfile,
    target: leg.target ?? '',
    'build-args': keyValueLines(leg.buildArgs),
    labels: keyValueLines(config.labels),
    'tag-template': config.legTag ?? '',
    cache: config.cache ?? '',
  };
  return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== ''));
}

/** smoke-test's inputs for `leg` (its smoke settings over the top-level ones). */
export function legSmokeInputs(leg: ResolvedLeg): Record<string, string> {
  return {
    platform: leg.name,
    ...Object.fromEntries(smokeInputs(leg.smoke).filter(([, v]) => v !== '')),
  };
}
