/**
 * What a promote reports: the fuse's table (the index is the same kind of thing) under a
 * title that says where it came from, or one line when there was nothing to promote.
 */
import type { PromoteResult } from './promote.js';
import { fuseOutputs, renderFuseSummary } from './summary.js';
import { renderFuseText } from './text.js';

export function renderPromoteSummary(result: PromoteResult): string {
  if (!result.promoted)
    return `### xplat promote: nothing promoted\n\n${result.reason}; the run builds instead.\n`;
  return renderFuseSummary(result).replace(
    /^### xplat fuse/,
    `### xplat promote from \`${result.from}\`${result.revision ? ` (commit \`${result.revision.slice(0, 12)}\`)` : ''}`,
  );
}

export function renderPromoteText(result: PromoteResult): string {
  if (!result.promoted) return `nothing promoted: ${result.reason}`;
  return [
    `from    ${result.from}${result.revision ? ` (commit ${result.revision.slice(0, 12)})` : ''}`,
    renderFuseText(result),
  ].join('\n');
}

/** The action's outputs: those of a fuse, and whether anything was promoted. */
export function promoteOutputs(result: PromoteResult): Record<string, string> {
  if (!result.promoted) return { promoted: 'false' };
  return { ...fuseOutputs(result), promoted: 'true' };
}
