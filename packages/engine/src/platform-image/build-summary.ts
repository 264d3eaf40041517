/**
 * What a build reports: the action's outputs (DESIGN.md names them) and the job summary
 * a platform engineer reads at a glance (platform, builder, os.version, digest, size, time).
 */
import { releaseForOsVersion, shortDigest } from '@xplat/core';
import type { BuildOutcome } from './build-run.js';

export function buildOutputs(outcome: BuildOutcome): Record<string, string> {
  return {
    digest: outcome.pushed ? outcome.digest : '',
    'image-id': outcome.imageId,
    ref: outcome.ref,
    tag: outcome.tag,
    platform: outcome.platform,
    'os-version': outcome.osVersion,
    'result-file': outcome.resultFile,
    builder: outcome.builder,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const code = (text: string): string => `\`${text}\``;
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

export function renderBuildSummary(outcome: BuildOutcome): string {
  const release = outcome.osVersion ? releaseForOsVersion(outcome.osVersion) : undefined;
  const osVersion = outcome.osVersion
    ? `${outcome.osVersion}${release ? ` (${release.name})` : ''}`
    : '';
  const time = `${formatMs(outcome.buildMs)}${outcome.pushMs !== undefined ? ` + push ${formatMs(outcome.pushMs)}` : ''}`;
  const { cache } = outcome.prepared;
  return [
    '### xplat build',
    '',
    row(['Platform', 'Builder', 'os.version', 'Digest', 'Size', 'Time']),
    row(['---', '---', '---', '---', '---', '---']),
    row([
      code(outcome.platform),
      outcome.builder,
      osVersion,
      code(
        outcome.pushed
          ? shortDigest(outcome.digest)
          : `${shortDigest(outcome.digest)} (not pushed)`,
      ),
      outcome.size ? formatBytes(outcome.size) : '',
      time,
    ]),
    '',
    `**Tags** ${outcome.tags.map(code).join(', ')}`,
    '',
    `**Cache** ${cache.mode === 'none' ? 'none' : `${cache.mode} (${cache.reason})`}`,
    '',
    `**Reproducible** ${outcome.result.reproducible ? 'yes' : 'no'}: ${outcome.result.reproducibleReason ?? ''}`,
    ...(outcome.prepared.findings.length
      ? ['', `**Lint** ${outcome.prepared.findings.length} warning(s), shown as annotations`]
      : []),
    '',
  ].join('\n');
}
