/**
 * Test containers: the test bed's busybox fixture (FROM scratch + static busybox, with
 * /www/index.html) running small sh scripts. Services listen on 127.0.0.1 only, with
 * host networking, on a port no other test uses.
 */
import { testbed } from './testbed.js';

export interface Bed {
  readonly docker: { docker: string };
  readonly amd64: string;
  readonly arm64Ref: string;
}

/** Fails (never skips) when the test bed is not up. */
export function bed(): Bed {
  const tb = testbed();
  return {
    docker: { docker: tb.docker },
    amd64: tb.env('XPLAT_LOCAL_IMAGE_LINUX_AMD64'),
    arm64Ref: tb.env('XPLAT_FIXTURE_LINUX_ARM64_REF'),
  };
}

/** sh that exits 0 on SIGTERM: as PID 1 it would otherwise ignore the signal. */
const GRACEFUL = `trap 'echo "got TERM"; exit 0' TERM`;

export interface ServiceScript {
  /** Seconds before the server starts listening. */
  readonly delay?: number;
  /** Run before the server starts (after the delay). */
  readonly before?: string;
  /** Exit 0 on SIGTERM (default) or ignore it, as a bare PID 1 does. */
  readonly graceful?: boolean;
  /** httpd's document root (default the fixture's /www). */
  readonly root?: string;
}

/**
 * The container command for an HTTP service on 127.0.0.1:port. It logs its own start
 * and "listening" times ($EPOCHREALTIME) so tests can measure the true delay.
 */
export function httpService(port: number, s: ServiceScript = {}): string {
  const httpd = `httpd -f -p 127.0.0.1:${port} -h ${s.root ?? '/www'}`;
  const steps = [
    'echo "start $EPOCHREALTIME"',
    s.delay ? `sleep ${s.delay}` : '',
    s.before ?? '',
    'echo "listening $EPOCHREALTIME"',
    s.graceful === false ? `exec ${httpd}` : `${GRACEFUL}; ${httpd} & wait`,
  ].filter(Boolean);
  return JSON.stringify(['sh', '-c', steps.join('; ')]);
}

/** A long-running container that answers nothing. */
export function idle(script = ''): string {
  return JSON.stringify([
    'sh',
    '-c',
    `${script ? `${script}; ` : ''}${GRACEFUL}; sleep 3600 & wait`,
  ]);
}

/** The epoch milliseconds a line "<word> <EPOCHREALTIME>" in the logs carries. */
export function stamp(logs: readonly string[], word: string): number {
  const line = logs.find((l) => l.startsWith(`${word} `));
  if (!line) throw new Error(`no "${word}" line in the logs:\n${logs.join('\n')}`);
  return Math.round(Number(line.split(' ')[1]) * 1000);
}
