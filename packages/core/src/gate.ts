/**
 * The gate: an index is written only when every expected platform has exactly one leg
 * result that was pushed and whose smoke test passed, or, for a platform the fuse was
 * told may go untested (allow-untested), whose smoke test was skipped with a reason.
 * Pure: it reads nothing and writes nothing, so the action can fail with the whole table
 * before touching a registry.
 */
import { XplatError } from './errors.js';
import type { LoadedLegResult } from './leg-result.js';
import { formatPlatform, parsePlatform, platformMatches, type Platform } from './platform.js';
import { renderTable } from './table.js';

export type GateVerdict =
  | 'passed'
  /** Skipped on purpose (smoke-test skip) and listed in allow-untested: opens the gate. */
  | 'allowed-untested'
  | 'failed'
  | 'not-tested'
  | 'not-pushed'
  | 'missing'
  | 'duplicate';

/** The verdicts that open the gate; every other one closes it. */
export const OPEN_VERDICTS: readonly GateVerdict[] = ['passed', 'allowed-untested'];

export interface GateOptions {
  /**
   * Platforms that may be fused with a skipped smoke test (a release with no runner to
   * test on). Each must be one of the expected platforms.
   */
  readonly allowUntested?: readonly Platform[];
}

export interface GateRow {
  /** The expected platform as the user wrote it, normalised. */
  readonly platform: string;
  readonly verdict: GateVerdict;
  /** Why, in a few words, for verdicts other than passed (`not tested: <reason>` for allowed-untested). */
  readonly detail: string;
  /** The matching leg results (one for passed; several for duplicate). */
  readonly legs: readonly LoadedLegResult[];
}

export interface GateReport {
  /** The gate is open: every row passed or is allowed-untested. */
  readonly passed: boolean;
  readonly rows: readonly GateRow[];
  /** Leg results that match no expected platform: reported, never fused. */
  readonly unexpected: readonly LoadedLegResult[];
}

/** The platform a leg result describes, with its os.version folded in. */
export function legPlatform(leg: LoadedLegResult): Platform {
  const platform = parsePlatform(leg.result.platform, `${leg.file}: platform`);
  return leg.result.osVersion ? { ...platform, osVersion: leg.result.osVersion } : platform;
}

export function evaluateGate(
  expected: readonly Platform[],
  legs: readonly LoadedLegResult[],
  options: GateOptions = {},
): GateReport {
  if (expected.length === 0) {
    throw new XplatError(
      'no platforms given: list every platform the index must contain',
      'expected-platforms',
    );
  }
  const seen = new Set<string>();
  for (const platform of expected) {
    const key = formatPlatform(platform);
    if (seen.has(key)) throw new XplatError(`${key} is listed twice`, 'expected-platforms');
    seen.add(key);
  }
  const untested = checkAllowUntested(expected, options.allowUntested ?? []);

  const placed = new Set<LoadedLegResult>();
  const rows = expected.map((platform): GateRow => {
    const matches = legs.filter((leg) => platformMatches(platform, legPlatform(leg)));
    matches.forEach((leg) => placed.add(leg));
    const key = formatPlatform(platform);
    return { platform: key, ...judge(matches, untested.has(key)), legs: matches };
  });
  return {
    passed: rows.every((row) => OPEN_VERDICTS.includes(row.verdict)),
    rows,
    unexpected: legs.filter((leg) => !placed.has(leg)),
  };
}

/**
 * allow-untested names expected platforms only: one that is not expected is a typo or a
 * stale list, and would silently allow nothing. Returns the platforms as gate keys.
 */
export function checkAllowUntested(
  expected: readonly Platform[],
  allowUntested: readonly Platform[],
): Set<string> {
  const keys = new Set(expected.map(formatPlatform));
  const allowed = new Set<string>();
  for (const platform of allowUntested) {
    const key = formatPlatform(platform);
    if (!keys.has(key))
      throw new XplatError(
        `${key} is not in expected-platforms (${[...keys].join(', ')}); list only platforms the index must contain`,
        'allow-untested',
      );
    allowed.add(key);
  }
  return allowed;
}

function judge(
  matches: readonly LoadedLegResult[],
  mayBeUntested: boolean,
): { verdict: GateVerdict; detail: string } {
  if (matches.length === 0)
    return { verdict: 'missing', detail: 'no leg result for this platform' };
  if (matches.length > 1) {
    return {
      verdict: 'duplicate',
      detail: `${matches.length} leg results: ${matches.map((m) => m.file).join(', ')}`,
    };
  }
  const { result } = matches[0]!;
  if (result.failure)
    return { verdict: 'failed', detail: `build failed: ${result.failure.reason}` };
  if (!result.pushed)
    return { verdict: 'not-pushed', detail: 'built with push: false; nothing to fuse' };
  switch (result.smoke.status) {
    case 'passed':
      return { verdict: 'passed', detail: '' };
    case 'failed':
      return {
        verdict: 'failed',
        detail: `smoke test failed${result.smoke.reason ? `: ${result.smoke.reason}` : ''}`,
      };
    case 'skipped': {
      const reason = skipReason(result);
      if (mayBeUntested) return { verdict: 'allowed-untested', detail: `not tested: ${reason}` };
      return {
        verdict: 'not-tested',
        detail: `smoke test skipped (${reason}); to fuse it untested, give this platform smoke: { skip: "<reason>" } in xplat.yml or list it in allow-untested`,
      };
    }
    case 'pending':
      // allow-untested admits a skip someone recorded, never a smoke job that did not run.
      return {
        verdict: 'not-tested',
        detail: mayBeUntested
          ? 'smoke test has not run (allow-untested admits only a recorded skip: smoke-test skip: "<reason>")'
          : 'smoke test has not run',
      };
  }
}

/** Why a skipped leg was not tested, as the gate table and the fuse summary show it. */
export function skipReason(result: LoadedLegResult['result']): string {
  return result.smoke.reason || '(no reason recorded)';
}

/** The gate as a plain-text table for the log and error output. */
export function renderGateTable(report: GateReport): string {
  const rows = report.rows.map((row) => {
    const leg = row.legs.length === 1 ? row.legs[0]!.result : undefined;
    return [
      row.platform,
      row.verdict,
      leg ? shortDigest(leg.digest) || '-' : '-',
      leg?.smoke.status ?? '-',
      row.detail || '-',
    ];
  });
  for (const leg of report.unexpected) {
    rows.push([
      leg.result.platform,
      'unexpected',
      shortDigest(leg.result.digest),
      leg.result.smoke.status,
      `not expected: ${leg.file}`,
    ]);
  }
  return renderTable(['platform', 'verdict', 'digest', 'smoke', 'detail'], rows);
}

/** One line for the error: which platforms failed the gate and why. */
export function summariseGateFailure(report: GateReport): string {
  const failing = report.rows.filter((row) => !OPEN_VERDICTS.includes(row.verdict));
  const parts = failing.map(
    (row) => `${row.platform} ${row.verdict}${row.detail ? ` (${row.detail})` : ''}`,
  );
  return `gate closed: ${failing.length} of ${report.rows.length} expected platforms did not pass: ${parts.join('; ')}`;
}

export function shortDigest(digest: string): string {
  return digest.startsWith('sha256:') ? `sha256:${digest.slice(7, 19)}` : digest;
}
