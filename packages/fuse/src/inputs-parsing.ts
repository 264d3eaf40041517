/**
 * Parsing of the list-shaped inputs fuse-manifest shares with `xplat fuse`. Each error
 * names its input and says what a valid value looks like.
 */
import { keyValueLines, splitList, XplatError } from '@xplat/core';
import { formatRepository, parseReference, validateTag } from '@xplat/oci';

export function parseAnnotations(text: string): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const { line, key, value } of keyValueLines(text)) {
    if (!key || /\s/.test(key)) {
      throw new XplatError(
        `"${line}" is not key=value (e.g. org.opencontainers.image.source=https://github.com/org/app)`,
        'annotations',
      );
    }
    // buildx accepts "index:key=value"; only the index level exists here, so take it.
    annotations[key.replace(/^index:/, '')] = value.trim();
  }
  return annotations;
}

/**
 * Tags as names (`v1.2.3`) or as full references of the target repository
 * (`ghcr.io/org/app:v1.2.3`, as docker/metadata-action writes them).
 */
export function parseTags(text: string, repository: string, input = 'tags'): string[] {
  const tags: string[] = [];
  for (const item of splitList(text)) {
    let tag = item;
    if (item.includes('/')) {
      const ref = parseReference(item, input);
      if (
        formatRepository(ref) !== repository ||
        ref.tag === undefined ||
        ref.digest !== undefined
      ) {
        throw new XplatError(
          `"${item}" is not a tag of the target repository ${repository}; give the tag alone (1.2.3) or ${repository}:1.2.3`,
          input,
        );
      }
      tag = ref.tag;
    }
    tag = validateTag(tag, input);
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

export function parseMediaTypeChoice(text: string): 'auto' | 'oci' | 'docker' {
  const value = text.trim().toLowerCase() || 'auto';
  if (value === 'auto' || value === 'oci' || value === 'docker') return value;
  throw new XplatError(
    `"${text}" is not a media type choice: use auto, oci or docker`,
    'media-type',
  );
}
