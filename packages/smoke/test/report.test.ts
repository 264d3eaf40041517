import { describe, expect, test } from '@jest/globals';
import { legSmoke, SMOKE_REPORT_SCHEMA, type SmokeReport } from '../src/report.js';
import { renderChecks, renderSummary, smokeOutputs } from '@xplat/smoke';

const failed: SmokeReport = {
  schema: SMOKE_REPORT_SCHEMA,
  image: 'ghcr.io/acme/app:windows-amd64-ltsc2022',
  platform: 'windows/amd64:ltsc2022',
  mode: 'service',
  host: { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348', network: 'nat' },
  passed: false,
  reason:
    'http GET /healthz: no success within 3 s (9 attempts); last: answered 500, expected 200-399; body: a|b',
  failedCheck: 'http GET /healthz',
  durationMs: 4210,
  startedAt: '2024-05-01T10:00:00.000Z',
  finishedAt: '2024-05-01T10:00:04.210Z',
  checks: [
    {
      name: 'start',
      kind: 'start',
      status: 'passed',
      durationMs: 900,
      detail: 'windows/amd64:ltsc2022 on windows/amd64, network nat',
    },
    {
      name: 'http GET /healthz',
      kind: 'http',
      status: 'failed',
      durationMs: 3001,
      attempts: 9,
      detail: 'answered 500 | body: a|b',
    },
  ],
  logs: ['Unhandled exception', '```injected```'],
  notes: [
    'docker stop on Windows sends the container a console shutdown event (CTRL_SHUTDOWN_EVENT), not SIGTERM',
  ],
};

describe('report views', () => {
  test('job summary: verdict, reason, probes with timings, logs folded, notes', () => {
    const md = renderSummary(failed);
    expect(md).toContain(
      '### Smoke test ❌ failed: `ghcr.io/acme/app:windows-amd64-ltsc2022` (windows/amd64:ltsc2022)',
    );
    expect(md).toContain(
      '**Reason:** http GET /healthz: no success within 3 s (9 attempts); last: answered 500, expected 200-399; body: a\\|b',
    );
    expect(md).toContain('total 4210 ms · host windows/amd64 10.0.20348, network nat');
    expect(md).toContain(
      '| http GET /healthz | ❌ failed | 3001 ms | answered 500 \\| body: a\\|b |',
    );
    expect(md).toContain(
      "<details><summary>Last log lines</summary>\n\n```\nUnhandled exception\n'''injected'''\n```\n</details>",
    );
    expect(md).toContain(
      '- docker stop on Windows sends the container a console shutdown event (CTRL_SHUTDOWN_EVENT), not SIGTERM',
    );
  });

  test('a pass shows the ready time and no logs', () => {
    const md = renderSummary({
      ...failed,
      passed: true,
      reason: undefined,
      readyMs: 812,
      checks: [failed.checks[0]!],
    } as SmokeReport);
    expect(md).toMatch(/^### Smoke test ✅ passed/);
    expect(md).toContain('ready in **812 ms** · total 4210 ms');
    expect(md).not.toContain('Last log lines');
    expect(md).not.toContain('Reason');
  });

  test('the leg result section: status, checks, timings, reason', () => {
    expect(legSmoke(failed)).toEqual({
      status: 'failed',
      checks: [
        {
          name: 'start',
          status: 'passed',
          durationMs: 900,
          detail: 'windows/amd64:ltsc2022 on windows/amd64, network nat',
        },
        {
          name: 'http GET /healthz',
          status: 'failed',
          durationMs: 3001,
          detail: 'answered 500 | body: a|b',
        },
      ],
      durationMs: 4210,
      reason: failed.reason,
      finishedAt: '2024-05-01T10:00:04.210Z',
    });
  });

  test('the log table', () => {
    expect(renderChecks(failed).split('\n')).toEqual([
      'check              status  time     detail',
      '-----------------  ------  -------  ----------------------------------------------------',
      'start              passed  900 ms   windows/amd64:ltsc2022 on windows/amd64, network nat',
      'http GET /healthz  failed  3001 ms  answered 500 | body: a|b',
    ]);
  });
});

describe('smokeOutputs', () => {
  test('a failed service test: no ready time, no exit code or stop it did not have', () => {
    expect(smokeOutputs(failed, '/tmp/r.json')).toEqual({
      passed: 'false',
      skipped: 'false',
      'ready-ms': '',
      'duration-ms': '4210',
      report: '/tmp/r.json',
    });
  });

  test('a one-shot test that passed reports its exit code; a stopped service its stop', () => {
    const out = smokeOutputs(
      { ...failed, passed: true, readyMs: 120, exitCode: 0, stop: { graceful: true } as never },
      'r.json',
    );
    expect(out).toMatchObject({ passed: 'true', 'ready-ms': '120', 'exit-code': '0' });
    expect(out['graceful-stop']).toBe('true');
  });
});
