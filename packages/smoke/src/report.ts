/**
 * The smoke report: one JSON document per run that says what was checked, how long each
 * check took, and on failure which check failed, why, the container's state and its last
 * log lines. The job summary, the CLI's table and the leg result are views of it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  renderTable,
  updateLegResult,
  type LegResult,
  type SmokeCheck,
  type SmokeResult,
} from '@xplat/core';
import type { ContainerState } from '@xplat/engine';

export const SMOKE_REPORT_SCHEMA = 'xplat.smoke/v1';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckReport {
  readonly name: string;
  /** start | http | tcp | log | exec | exit | stop */
  readonly kind: string;
  readonly status: CheckStatus;
  /** Probes: ms from the container's start to the verdict. Stop: how long stopping took. */
  readonly durationMs?: number;
  readonly attempts?: number;
  readonly detail: string;
}

export interface StopReport {
  /** What `docker stop` delivered: SIGTERM (or the image's STOPSIGNAL) or CTRL_SHUTDOWN_EVENT. */
  readonly signal: string;
  readonly timeoutSeconds: number;
  readonly durationMs: number;
  readonly exitCode: number;
  /** Exited by itself within the timeout, rather than being killed. */
  readonly exitedOnOwn: boolean;
  /** Exited by itself with 0 or the signal's own code (128 + n). */
  readonly graceful: boolean;
  readonly required: boolean;
}

export interface SmokeReport {
  readonly schema: typeof SMOKE_REPORT_SCHEMA;
  readonly image: string;
  readonly imageId?: string;
  readonly platform?: string;
  readonly mode: 'service' | 'one-shot';
  readonly host: {
    readonly os: string;
    readonly architecture: string;
    readonly osVersion?: string;
    readonly network: string;
  };
  readonly passed: boolean;
  /** One line: which check failed and why. */
  readonly reason?: string;
  readonly failedCheck?: string;
  /** From the container's start until every probe had passed. */
  readonly readyMs?: number;
  /** The whole smoke test, from the first docker command to the container's removal. */
  readonly durationMs: number;
  readonly startedAt: string;
  readonly containerStartedAt?: string;
  readonly readyAt?: string;
  readonly finishedAt: string;
  readonly checks: readonly CheckReport[];
  readonly stop?: StopReport;
  readonly exitCode?: number;
  readonly container?: {
    readonly id: string;
    readonly name: string;
    readonly state?: ContainerState;
  };
  /** The container's last log lines (stdout and stderr, interleaved). */
  readonly logs: readonly string[];
  readonly notes: readonly string[];
  readonly command?: readonly string[];
}

export function describeState(state: ContainerState | undefined): string {
  if (!state) return 'state: container not found (already removed)';
  const parts = [
    `status ${state.status}`,
    `exit code ${state.exitCode}`,
    `OOM killed ${state.oomKilled ? 'yes' : 'no'}`,
    `restarts ${state.restartCount}`,
  ];
  if (state.error) parts.push(`error: ${state.error}`);
  return `state: ${parts.join(', ')}`;
}

/** Plain text for the log: one row per check. */
export function renderChecks(report: SmokeReport): string {
  return renderTable(
    ['check', 'status', 'time', 'detail'],
    report.checks.map((c) => [
      c.name,
      c.status,
      c.durationMs === undefined ? '-' : `${c.durationMs} ms`,
      c.detail || '-',
    ]),
  );
}

const mdCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/**
 * smoke-test's outputs for a test that ran; `reportFile` is where the report was written.
 * `exit-code` and `graceful-stop` only when the test produced them.
 */
export function smokeOutputs(report: SmokeReport, reportFile: string): Record<string, string> {
  return {
    passed: String(report.passed),
    skipped: 'false',
    'ready-ms': report.readyMs === undefined ? '' : String(report.readyMs),
    'duration-ms': String(report.durationMs),
    report: reportFile,
    ...(report.exitCode !== undefined ? { 'exit-code': String(report.exitCode) } : {}),
    ...(report.stop ? { 'graceful-stop': String(report.stop.graceful) } : {}),
  };
}

/** The job summary: verdict, probes with timings, and the reason when it failed. */
export function renderSummary(report: SmokeReport): string {
  const verdict = report.passed ? '✅ passed' : '❌ failed';
  const lines = [
    `### Smoke test ${verdict}: \`${mdCell(report.image)}\`${report.platform ? ` (${report.platform})` : ''}`,
    '',
  ];
  if (!report.passed && report.reason) lines.push(`**Reason:** ${mdCell(report.reason)}`, '');
  const facts = [
    report.readyMs !== undefined ? `ready in **${report.readyMs} ms**` : undefined,
    report.exitCode !== undefined ? `exit code **${report.exitCode}**` : undefined,
    `total ${report.durationMs} ms`,
    `host ${report.host.os}/${report.host.architecture}${report.host.osVersion ? ` ${report.host.osVersion}` : ''}, network ${report.host.network}`,
  ].filter(Boolean);
  lines.push(facts.join(' · '), '');
  lines.push('| check | status | time | detail |', '| --- | --- | --- | --- |');
  for (const c of report.checks) {
    const icon = c.status === 'passed' ? '✅' : c.status === 'failed' ? '❌' : '➖';
    lines.push(
      `| ${mdCell(c.name)} | ${icon} ${c.status} | ${c.durationMs === undefined ? '-' : `${c.durationMs} ms`} | ${mdCell(c.detail || '-')} |`,
    );
  }
  if (!report.passed && report.logs.length) {
    lines.push(
      '',
      '<details><summary>Last log lines</summary>',
      '',
      '```',
      ...report.logs.map((l) => l.replace(/```/g, "'''")),
      '```',
      '</details>',
    );
  }
  if (report.notes.length) lines.push('', ...report.notes.map((n) => `- ${mdCell(n)}`));
  return `${lines.join('\n')}\n`;
}

/** The leg result's `smoke` section for this report. */
export function legSmoke(report: SmokeReport): SmokeResult {
  const checks: SmokeCheck[] = report.checks.map((c) => ({
    name: c.name,
    status: c.status,
    ...(c.durationMs !== undefined ? { durationMs: c.durationMs } : {}),
    ...(c.detail ? { detail: c.detail } : {}),
  }));
  return {
    status: report.passed ? 'passed' : 'failed',
    checks,
    ...(report.readyMs !== undefined ? { readyMs: report.readyMs } : {}),
    durationMs: report.durationMs,
    ...(report.reason ? { reason: report.reason } : {}),
    finishedAt: report.finishedAt,
  };
}

/** Records the verdict in the leg result, so fuse-manifest gates on it. */
export function recordSmokeResult(file: string, report: SmokeReport): Promise<LegResult> {
  return updateLegResult(file, (result) => ({ ...result, smoke: legSmoke(report) }));
}

export async function writeReport(file: string, report: SmokeReport): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
}
