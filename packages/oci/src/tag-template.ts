/**
 * Tag templates: literal text and `{name}` placeholders. One grammar serves both kinds
 * xplat has: a platform image's leg tag (`{platform-pair}-{sha}`, rendered by the engine
 * when it builds) and an index tag of xplat.yml (`{major}.{minor}`, which workflow turns
 * into a docker/metadata-action line). Which placeholders there are, and what they mean,
 * is each kind's own (engine's tags.ts, workflow's tags.ts); how a template is split into
 * them, and when its braces are wrong, is decided only here.
 */

/**
 * The leg tag of a platform image built by `xplat build` and the build-platform-image
 * action when `tag-template` is empty (so also of a generated workflow's legs when
 * xplat.yml has no `leg-tag`): the commit names the image.
 */
export const DEFAULT_LEG_TAG = '{platform-pair}-{sha}';

/**
 * The leg tag of `xplat run` when xplat.yml has no `leg-tag`: the run names the image, as
 * a local run may have no commit (or one that is not what is built, with local changes).
 */
export const DEFAULT_RUN_LEG_TAG = '{platform-pair}-{run-id}';

const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * What is wrong with a template's braces, as one sentence that shows a placeholder of the
 * caller's kind (`example`, e.g. `sha`); undefined when every brace belongs to one.
 */
export function unmatchedBrace(template: string, example: string): string | undefined {
  if (!/[{}]/.test(template.replace(PLACEHOLDER, ''))) return undefined;
  return `"${template}" has an unmatched brace; placeholders look like {${example}}`;
}

/** The placeholder names of a template in order, as written between the braces. */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The template with each placeholder replaced by `value(name)` (name as written). */
export function fillTemplate(template: string, value: (name: string) => string): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => value(name));
}
