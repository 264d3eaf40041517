/**
 * The smoke test's inputs: one typed request, parsed from the same names whether they
 * come from action inputs or CLI flags. Host-dependent defaults (timeouts, network) stay
 * unset here and are filled by the plan once the engine's host is known.
 */
import {
  parseBoolean,
  parseChoice,
  parseDuration,
  parsePlatform,
  parseSkipReason,
  XplatError,
  type Platform,
} from '@xplat/core';
import { parseReference } from '@xplat/oci';
import { IMAGE_ID_PATTERN } from './leg-image.js';
import {
  parseEnv,
  parseHeaders,
  parseInteger,
  parseMethod,
  parsePort,
  parseRegex,
  parseStatus,
  parseWords,
  type StatusMatcher,
} from './parse.js';

/** Every input by name, as strings (empty or absent = not given). */
export type SmokeInputs = Partial<Record<SmokeInputName, string>>;

export const SMOKE_INPUTS = [
  'image',
  'platform',
  'port',
  'path',
  'method',
  'headers',
  'expect-status',
  'expect-body',
  'tcp-port',
  'expect-log',
  'command',
  'expect-output',
  'expect-exit-code',
  'one-shot',
  'args',
  'env',
  'run-args',
  'network',
  'isolation',
  'timeout',
  'probe-timeout',
  'stop-timeout',
  'expect-graceful-stop',
  'result-file',
  'skip',
  'report-file',
  'log-lines',
] as const;
export type SmokeInputName = (typeof SMOKE_INPUTS)[number];

export interface SmokeRequest {
  /**
   * Empty: the image of the leg result (`<image>@<digest>`; resultFile is then set).
   * With a leg result, it must be the leg's image (see leg-image.ts).
   */
  readonly image: string;
  /** Absent: the image's own platform (or the leg result's, when one is given). */
  readonly platform?: Platform;
  readonly http?: {
    readonly port: number;
    readonly path: string;
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly expectStatus: StatusMatcher;
    readonly expectBody?: RegExp;
  };
  readonly tcpPort?: number;
  readonly expectLog?: RegExp;
  /** Service mode: run inside the container with `docker exec`. One-shot: what the container runs. */
  readonly command?: readonly string[];
  readonly expectOutput?: RegExp;
  readonly expectExitCode: number;
  readonly oneShot: boolean;
  /** Replaces the image's CMD. */
  readonly args?: readonly string[];
  readonly env: readonly string[];
  readonly runArgs: readonly string[];
  /** `auto`, `host`, or a network name (`nat`, a user network, ...). */
  readonly network: string;
  readonly isolation: 'auto' | 'process' | 'hyperv';
  /** Unset: the host's default (see hostDefaults). */
  readonly timeoutMs?: number;
  readonly probeTimeoutMs?: number;
  readonly stopTimeoutSeconds?: number;
  readonly expectGracefulStop: boolean;
  readonly resultFile?: string;
  /**
   * Why the smoke test does not run (a release with no runner to test on): nothing runs,
   * and the leg result (resultFile, then required) records `skipped` with this reason.
   */
  readonly skip?: string;
  readonly reportFile?: string;
  readonly logLines: number;
}

// Flags that would fight the smoke test's own handling of the container.
const OWNED_RUN_ARGS: Record<string, string> = {
  '--network': 'use the network input',
  '--net': 'use the network input',
  '--rm': 'the smoke test removes the container itself, after reading its logs',
  '-d': 'the smoke test always runs the container detached',
  '--detach': 'the smoke test always runs the container detached',
  '--name': 'the smoke test names the container so it can always remove it',
  '--platform': 'use the platform input',
  '--isolation': 'use the isolation input',
  '-i': 'there is no terminal to attach',
  '-t': 'there is no terminal to attach',
  '-it': 'there is no terminal to attach',
};

const MAX_TIMEOUT_MS = 60 * 60_000;
/** Container log lines shown when a smoke test fails (log-lines). */
export const DEFAULT_LOG_LINES = 50;

/** The raw action inputs, read by name: trimmed emptiness is "not given". */
interface InputReader {
  readonly get: (name: SmokeInputName) => string;
  readonly given: (name: SmokeInputName) => boolean;
}

export function parseSmokeInputs(raw: SmokeInputs): SmokeRequest {
  const get = (name: SmokeInputName): string => raw[name] ?? '';
  const given = (name: SmokeInputName): boolean => get(name).trim() !== '';
  const inputs: InputReader = { get, given };

  const { skip, image } = parseSubject(inputs);
  const platform = given('platform') ? parsePlatform(get('platform'), 'platform') : undefined;
  const oneShot = parseBoolean(get('one-shot'), 'one-shot', false);
  const port = parsePort(get('port'), 'port');
  const tcpPort = parsePort(get('tcp-port'), 'tcp-port');
  const command = given('command') ? parseWords(get('command'), 'command') : undefined;
  const args = given('args') ? parseWords(get('args'), 'args') : undefined;

  requirePortForHttp(
    (['path', 'method', 'headers', 'expect-status', 'expect-body'] as const).filter(given),
    port,
  );
  const path = checkProbePath(get('path'), 'path');
  checkModeInputs(inputs, { oneShot, skip, port, tcpPort, command, args });

  const runArgs = checkRunArgs(parseWords(get('run-args'), 'run-args'));
  const network = parseNetwork(get('network'), port, tcpPort);
  const { timeoutMs, probeTimeoutMs, stopMs } = parseTimeouts(inputs);

  return {
    image,
    ...(platform ? { platform } : {}),
    ...(port !== undefined
      ? {
          http: {
            port,
            path,
            method: parseMethod(get('method'), 'method'),
            headers: parseHeaders(get('headers'), 'headers'),
            expectStatus: parseStatus(get('expect-status'), 'expect-status'),
            ...optional('expectBody', parseRegex(get('expect-body'), 'expect-body')),
          },
        }
      : {}),
    ...(tcpPort !== undefined ? { tcpPort } : {}),
    ...optional('expectLog', parseRegex(get('expect-log'), 'expect-log')),
    ...(command ? { command } : {}),
    ...optional('expectOutput', parseRegex(get('expect-output'), 'expect-output')),
    expectExitCode: parseInteger(get('expect-exit-code'), 'expect-exit-code', 0, 0, 255),
    oneShot,
    ...(args ? { args } : {}),
    env: parseEnv(get('env'), 'env'),
    runArgs,
    network,
    isolation: parseChoice(
      get('isolation'),
      'isolation',
      ['auto', 'process', 'hyperv'] as const,
      'auto',
    ),
    ...optional('timeoutMs', timeoutMs),
    ...optional('probeTimeoutMs', probeTimeoutMs),
    // docker stop takes whole seconds; round up so "1500ms" still allows 1.5 s.
    ...optional('stopTimeoutSeconds', stopMs === undefined ? undefined : Math.ceil(stopMs / 1000)),
    expectGracefulStop: parseBoolean(get('expect-graceful-stop'), 'expect-graceful-stop', false),
    ...optional('resultFile', get('result-file').trim() || undefined),
    ...optional('skip', skip),
    ...optional('reportFile', get('report-file').trim() || undefined),
    logLines: parseInteger(get('log-lines'), 'log-lines', DEFAULT_LOG_LINES, 1, 10_000),
  };
}

/**
 * What is tested: the image, or the image of the leg result; a skip needs the leg
 * result, which records why.
 */
function parseSubject({ get, given }: InputReader): {
  skip: string | undefined;
  image: string;
} {
  const skip = parseSkipReason(get('skip'), 'skip');
  if (skip !== undefined && !given('result-file'))
    throw new XplatError(
      'is required with skip: the leg result that records why the smoke test was skipped',
      'result-file',
    );
  const image = get('image').trim();
  if (!image && !given('result-file'))
    throw new XplatError(
      'is required: the image (tag, repo@digest or image id) to smoke-test, or result-file to test the image of a leg result',
      'image',
    );
  if (image && !IMAGE_ID_PATTERN.test(image)) parseReference(image, 'image');
  return { skip, image };
}

/**
 * The inputs that fit the mode: a one-shot container has nothing listening and runs
 * either command or args; a service needs a probe. expect-output and expect-exit-code
 * check a command's, so need one (or one-shot).
 */
function checkModeInputs(
  { given }: InputReader,
  mode: {
    readonly oneShot: boolean;
    readonly skip: string | undefined;
    readonly port: number | undefined;
    readonly tcpPort: number | undefined;
    readonly command: readonly string[] | undefined;
    readonly args: readonly string[] | undefined;
  },
): void {
  const { oneShot, skip, port, tcpPort, command, args } = mode;
  if (oneShot) {
    for (const name of ['port', 'tcp-port', 'stop-timeout', 'expect-graceful-stop'] as const) {
      if (given(name))
        throw new XplatError(
          'does not apply with one-shot: true (the container runs and exits; nothing listens)',
          name,
        );
    }
    if (command && args)
      throw new XplatError(
        'give either command or args with one-shot: true, not both (both set what the container runs)',
        'args',
      );
  } else {
    requireProbe({ skip, port, tcpPort, expectLog: given('expect-log'), command });
  }
  if (given('expect-output') && !command && !oneShot) {
    throw new XplatError(
      'checks the output of command: give command too (or one-shot: true)',
      'expect-output',
    );
  }
  if (given('expect-exit-code') && !command && !oneShot) {
    throw new XplatError(
      'checks the exit code of command: give command too (or one-shot: true)',
      'expect-exit-code',
    );
  }
}

/** The network input: a docker network name, default auto; none leaves no port to reach. */
function parseNetwork(text: string, port: number | undefined, tcpPort: number | undefined): string {
  const network = text.trim() || 'auto';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(network)) {
    throw new XplatError(
      `"${network}" is not a network name: use auto, host, nat or the name of a docker network`,
      'network',
    );
  }
  if (network === 'none' && (port !== undefined || tcpPort !== undefined)) {
    throw new XplatError(
      '"none" leaves nothing to reach port or tcp-port through: use auto',
      'network',
    );
  }
  return network;
}

/** timeout, probe-timeout (within timeout) and stop-timeout; unset ones are the host's. */
function parseTimeouts({ get, given }: InputReader): {
  timeoutMs: number | undefined;
  probeTimeoutMs: number | undefined;
  stopMs: number | undefined;
} {
  const timeoutMs = smokeTimeout(get('timeout'), 'timeout');
  const probeTimeoutMs = smokeTimeout(get('probe-timeout'), 'probe-timeout');
  if (timeoutMs !== undefined && probeTimeoutMs !== undefined && probeTimeoutMs > timeoutMs) {
    throw new XplatError(
      `${get('probe-timeout').trim()} is longer than timeout (${get('timeout').trim()}); each probe runs inside the overall timeout`,
      'probe-timeout',
    );
  }
  const stopMs = given('stop-timeout')
    ? parseDuration(get('stop-timeout'), 'stop-timeout', 0)
    : undefined;
  return { timeoutMs, probeTimeoutMs, stopMs };
}

/**
 * The checks below hold for a request however it was made: parseSmokeInputs calls them on
 * action inputs, `xplat run` on xplat.yml's smoke settings (naming its fields).
 */

/** HTTP checks (path, expect-status, ...) need the port they probe; `given` are their inputs. */
export function requirePortForHttp(given: readonly string[], port: number | undefined): void {
  if (port === undefined && given.length)
    throw new XplatError(
      'is an HTTP check and needs port (the port the service listens on)',
      given[0],
    );
}

/** The HTTP path of the probe: from the root, no whitespace; default `/`. */
export function checkProbePath(text: string, input: string): string {
  const path = text.trim() || '/';
  if (!path.startsWith('/'))
    throw new XplatError(`"${path}" must start with "/", e.g. /healthz`, input);
  if (/\s/.test(path))
    throw new XplatError(`"${path}" must not contain whitespace; percent-encode it`, input);
  return path;
}

/**
 * A service-mode smoke test must check something. A skip runs nothing, so it needs
 * nothing to check (xplat.yml's probes may still be given).
 */
export function requireProbe(
  given: {
    readonly skip: string | undefined;
    readonly port: number | undefined;
    readonly tcpPort: number | undefined;
    readonly expectLog: boolean;
    readonly command: readonly string[] | undefined;
  },
  inputs: { readonly port: string; readonly command: string } = {
    port: 'port',
    command: 'command',
  },
): void {
  const { skip, port, tcpPort, expectLog, command } = given;
  if (skip === undefined && port === undefined && tcpPort === undefined && !expectLog && !command)
    throw new XplatError(
      'nothing to check: give port (HTTP), tcp-port, expect-log or command, or one-shot: true for an image that runs and exits',
      inputs.port,
    );
  if (command?.length === 0) throw new XplatError('is empty', inputs.command);
}

/** docker run arguments, without the flags the smoke test sets itself. */
export function checkRunArgs(runArgs: readonly string[], input = 'run-args'): string[] {
  for (const arg of runArgs) {
    const flag = arg.split('=')[0]!;
    const why = OWNED_RUN_ARGS[flag];
    if (why) throw new XplatError(`"${arg}" is not allowed here: ${why}`, input);
  }
  return [...runArgs];
}

/** A smoke timeout: unset when empty, else longer than zero and at most 60 minutes. */
export function smokeTimeout(text: string, input: string): number | undefined {
  if (!text.trim()) return undefined;
  const ms = parseDuration(text, input, 0);
  if (ms <= 0) throw new XplatError(`"${text.trim()}" must be longer than zero`, input);
  if (ms > MAX_TIMEOUT_MS)
    throw new XplatError(`"${text.trim()}" is longer than the 60 minute limit`, input);
  return ms;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
