/**
 * The fuse result for a terminal (`xplat fuse`): plain text, aligned columns. Markdown
 * (summary.ts) is only for GITHUB_STEP_SUMMARY, where it is rendered.
 */
import { releaseForOsVersion, renderTable, shortDigest } from '@xplat/core';
import type { FuseResult } from './fuse.js';

export function renderFuseText(result: FuseResult): string {
  const kind = result.mediaType.includes('oci') ? 'OCI index' : 'Docker manifest list';
  const tags = result.tags.length
    ? result.tags
        .map(
          (t) =>
            `${t.tag} (${t.action === 'unchanged' ? 'unchanged' : t.action === 'update' ? 'moved' : 'new'})`,
        )
        .join(', ')
    : 'none (by digest only)';
  const rows = result.entries.map((e) => {
    const release = e.osVersion ? releaseForOsVersion(e.osVersion) : undefined;
    return [
      e.platform.split(':')[0]!,
      e.osVersion ? `${e.osVersion}${release ? ` (${release.name})` : ''}` : '-',
      shortDigest(e.digest),
      e.untested !== undefined ? `not tested: ${e.untested}` : e.smoke,
      e.copied ? `copied from ${e.source.split('@')[0]!}` : 'in place',
    ];
  });
  return [
    ...(result.dryRun ? ['dry run: nothing written'] : []),
    `index   ${result.ref}`,
    `kind    ${kind}, ${result.entries.length} platform(s)`,
    `tags    ${tags}`,
    '',
    renderTable(['platform', 'os.version', 'digest', 'smoke', 'source'], rows),
    ...result.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}
