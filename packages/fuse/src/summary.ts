/**
 * The job summary a platform engineer reads at a glance: what was fused (platform,
 * os.version, digest, smoke), where it went, and on a closed gate what is missing.
 */
import { releaseForOsVersion, shortDigest, type GateReport } from '@xplat/core';
import type { FuseResult } from './fuse.js';

const SMOKE_ICON: Record<string, string> = { passed: '✅', failed: '❌' };

/** `10.0.20348.2655 (ltsc2022)`: the build hosts match on, and the name people use. */
function osVersionCell(osVersion: string | undefined): string {
  if (!osVersion) return '';
  const release = releaseForOsVersion(osVersion);
  return release ? `${osVersion} (${release.name})` : osVersion;
}

const VERDICT_ICON: Record<string, string> = {
  passed: '✅',
  failed: '❌',
  missing: '⛔',
  duplicate: '⚠️',
  'not-pushed': '⚠️',
  'not-tested': '⚠️',
  'allowed-untested': '⏭️',
};

/** The smoke cell: an entry fused untested says so and why, never just "skipped". */
function smokeCell(e: FuseResult['entries'][number]): string {
  if (e.untested !== undefined) return `⏭️ not tested: ${e.untested}`;
  return `${SMOKE_ICON[e.smoke] ?? ''} ${e.smoke}`.trim();
}

/**
 * fuse-manifest's outputs for an index it wrote (or would write): `promoted` is false, as
 * nothing was promoted; a promote reports the same four of the index it tagged.
 */
export function fuseOutputs(
  result: Pick<FuseResult, 'digest' | 'ref' | 'entries' | 'index'>,
): Record<string, string> {
  return {
    promoted: 'false',
    digest: result.digest,
    ref: result.ref,
    platforms: JSON.stringify(result.entries.map((e) => e.platform)),
    index: JSON.stringify(result.index),
  };
}

export function renderFuseSummary(result: FuseResult): string {
  const title = result.dryRun ? '### xplat fuse (dry run: nothing written)' : '### xplat fuse';
  const rows = result.entries.map((e) =>
    row([
      code(e.platform.split(':')[0]!),
      osVersionCell(e.osVersion),
      code(shortDigest(e.digest)),
      smokeCell(e),
      e.copied ? `copied from ${code(e.source.split('@')[0]!)}` : 'in place',
    ]),
  );
  const tags = result.tags.length
    ? result.tags
        .map(
          (t) =>
            `${code(t.tag)} ${t.action === 'unchanged' ? '(unchanged)' : t.action === 'update' ? '(moved)' : '(new)'}`,
        )
        .join(', ')
    : 'none (by digest only)';
  return [
    title,
    '',
    `**Index** ${code(result.ref)} · ${result.mediaType.includes('oci') ? 'OCI index' : 'Docker manifest list'} · ${result.entries.length} platform(s)`,
    '',
    `**Tags** ${tags}`,
    '',
    row(['Platform', 'os.version', 'Digest', 'Smoke', 'Source']),
    row(['---', '---', '---', '---', '---']),
    ...rows,
    ...(result.warnings.length ? ['', ...result.warnings.map((w) => `> ⚠️ ${w}`)] : []),
    '',
  ].join('\n');
}

export function renderGateSummary(report: GateReport): string {
  const rows = report.rows.map((r) => {
    const leg = r.legs.length === 1 ? r.legs[0]!.result : undefined;
    return row([
      code(r.platform),
      `${VERDICT_ICON[r.verdict] ?? ''} ${r.verdict}`,
      leg ? code(shortDigest(leg.digest)) : '',
      leg?.smoke.status ?? '',
      r.detail,
    ]);
  });
  return [
    '### xplat fuse: gate closed, nothing written',
    '',
    row(['Platform', 'Verdict', 'Digest', 'Smoke', 'Detail']),
    row(['---', '---', '---', '---', '---']),
    ...rows,
    ...report.unexpected.map((l) =>
      row([
        code(l.result.platform),
        'unexpected',
        code(shortDigest(l.result.digest)),
        l.result.smoke.status,
        `not expected: ${l.file}`,
      ]),
    ),
    '',
  ].join('\n');
}

/** A table row; `<` escaped so a detail such as `skip: "<reason>"` is not taken for HTML. */
function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/</g, '&lt;')).join(' | ')} |`;
}

function code(text: string): string {
  return `\`${text}\``;
}
