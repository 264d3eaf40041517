/**
 * The smoke test as data: given the request and the host's facts, exactly which docker
 * commands run and what each probe talks to. Pure, so the Windows behaviour (NAT and a
 * published port, console shutdown, slower defaults, build skew) is tested as plans on a
 * Linux machine, and the runner executes the very same arrays.
 */
import { formatPlatform, ociPlatformString, XplatError, type Platform } from '@xplat/core';
import {
  inspectPlan,
  logsPlan,
  removePlan,
  runPlan,
  stopPlan,
  type PortMapping,
  type RunSpec,
} from '@xplat/engine';
import { checkPlatformForHost, hostDefaults, windowsSkewProblem, type SmokeHost } from './host.js';
import type { SmokeRequest } from './options.js';
import type { StatusMatcher } from './parse.js';

/** Every probe talks to the container through this address; never anywhere else. */
export const LOOPBACK = '127.0.0.1';

export type ProbeSpec =
  | {
      readonly kind: 'http';
      readonly name: string;
      readonly url: string;
      readonly method: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly expectStatus: StatusMatcher;
      readonly expectBody?: RegExp;
    }
  | { readonly kind: 'tcp'; readonly name: string; readonly host: string; readonly port: number }
  | { readonly kind: 'log'; readonly name: string; readonly pattern: RegExp }
  | {
      readonly kind: 'exec';
      readonly name: string;
      readonly command: readonly string[];
      readonly expectExitCode: number;
      readonly expectOutput?: RegExp;
    };

export interface OneShotSpec {
  readonly expectExitCode: number;
  readonly expectOutput?: RegExp;
  readonly expectLog?: RegExp;
}

export interface SmokePlan {
  readonly host: SmokeHost;
  /** The platform as the report names it (the request's, else the image's, else unknown). */
  readonly platform?: Platform;
  readonly containerName: string;
  readonly network: string;
  /** Container port -> host port, where the port is published (every network but host). */
  readonly published: readonly PortMapping[];
  readonly run: RunSpec;
  readonly probes: readonly ProbeSpec[];
  readonly oneShot?: OneShotSpec;
  readonly timeoutMs: number;
  readonly probeTimeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly stopTimeoutSeconds: number;
  /** What `docker stop` delivers: SIGTERM (or the image's STOPSIGNAL), or Windows' console event. */
  readonly stopSignal: string;
  /** The image's Windows build, from the engine, the leg result or the platform input. */
  readonly imageOsVersion?: string;
  /** Set when the image cannot run on this host: the smoke test fails with it before starting. */
  readonly blocked?: string;
  /** Host realities worth telling the user, in the report and the log. */
  readonly notes: readonly string[];
  /** The docker argument arrays, by step, with the container's name standing for its id. */
  readonly commands: {
    readonly run: readonly string[];
    readonly inspect: readonly string[];
    readonly logs: readonly string[];
    readonly stop?: readonly string[];
    readonly remove: readonly string[];
  };
}

export interface PlanContext {
  readonly containerName: string;
  /** The free host port to publish a container port on (NAT and other non-host networks). */
  readonly hostPort: (containerPort: number) => number;
  /** What the engine knows about the image, when it has it locally. */
  readonly image?: {
    readonly os: string;
    readonly architecture: string;
    readonly variant: string;
    readonly osVersion: string;
    readonly stopSignal: string;
  };
  /** A leg result's os.version, for Windows images the engine has not pulled yet. */
  readonly imageOsVersion?: string;
}

export function planSmoke(request: SmokeRequest, host: SmokeHost, context: PlanContext): SmokePlan {
  const defaults = hostDefaults(host.os);
  const platform = request.platform ?? imagePlatform(context.image);
  if (platform) checkPlatformForHost(platform.os, host);

  const network = request.network === 'auto' ? defaults.network : request.network;
  if (host.os === 'windows' && network === 'host') {
    throw new XplatError(
      '"host" does not exist on Windows: containers sit behind the engine\'s NAT; use auto (nat)',
      'network',
    );
  }
  const timeoutMs = request.timeoutMs ?? defaults.timeoutMs;
  const probeTimeoutMs = Math.min(request.probeTimeoutMs ?? timeoutMs, timeoutMs);
  const stopTimeoutSeconds = request.stopTimeoutSeconds ?? defaults.stopTimeoutSeconds;

  const published = publishPorts(request, host, network, context);
  const isolation = request.isolation === 'auto' ? undefined : request.isolation;
  const run = runSpecOf(request, host, context, { platform, network, published, isolation });
  const probes = request.oneShot ? [] : probesOf(request, published);

  const stopSignal =
    host.os === 'windows' ? defaults.stopSignal : context.image?.stopSignal || defaults.stopSignal;
  const imageOsVersion = context.image?.osVersion || context.imageOsVersion || platform?.osVersion;
  const effectiveIsolation = isolation ?? host.isolation ?? 'process';
  const blocked =
    host.os === 'windows' && host.osVersion && imageOsVersion
      ? windowsSkewProblem(host.osVersion, imageOsVersion, effectiveIsolation)
      : undefined;

  return {
    host,
    ...(platform ? { platform } : {}),
    containerName: context.containerName,
    network,
    published,
    run,
    probes,
    ...(request.oneShot
      ? {
          oneShot: {
            expectExitCode: request.expectExitCode,
            ...(request.expectOutput ? { expectOutput: request.expectOutput } : {}),
            ...(request.expectLog ? { expectLog: request.expectLog } : {}),
          },
        }
      : {}),
    timeoutMs,
    probeTimeoutMs,
    attemptTimeoutMs: Math.min(defaults.attemptTimeoutMs, probeTimeoutMs),
    stopTimeoutSeconds,
    stopSignal,
    ...(imageOsVersion ? { imageOsVersion } : {}),
    ...(blocked ? { blocked } : {}),
    notes: notes(host, platform, network, published, stopSignal, effectiveIsolation),
    commands: {
      run: runPlan(run),
      inspect: inspectPlan(context.containerName),
      logs: logsPlan(context.containerName, { tail: request.logLines, timestamps: true }),
      ...(request.oneShot ? {} : { stop: stopPlan(context.containerName, stopTimeoutSeconds) }),
      remove: removePlan(context.containerName),
    },
  };
}

/**
 * Ports: with host networking the service's own port is on 127.0.0.1. Anywhere else
 * it is published; on Windows without a host IP, because the NAT refuses one
 * ("Windows does not support host IP addresses in NAT settings").
 */
function publishPorts(
  request: SmokeRequest,
  host: SmokeHost,
  network: string,
  context: PlanContext,
): PortMapping[] {
  const containerPorts = [
    ...new Set([request.http?.port, request.tcpPort].filter((p): p is number => p !== undefined)),
  ];
  if (network === 'host' || request.oneShot) return [];
  return containerPorts.map((containerPort) => ({
    containerPort,
    hostPort: context.hostPort(containerPort),
    ...(host.os === 'linux' ? { hostIp: LOOPBACK } : {}),
  }));
}

/** The `docker run` of the smoke container: a one-shot runs its command, a service its args. */
function runSpecOf(
  request: SmokeRequest,
  host: SmokeHost,
  context: PlanContext,
  chosen: {
    readonly platform: Platform | undefined;
    readonly network: string;
    readonly published: readonly PortMapping[];
    readonly isolation: string | undefined;
  },
): RunSpec {
  const { platform, isolation } = chosen;
  return {
    image: request.image,
    name: context.containerName,
    ...(platform ? { platform: ociPlatformString(platform) } : {}),
    ...(host.os === 'windows' && isolation ? { isolation } : {}),
    network: chosen.network,
    publish: chosen.published,
    labels: { 'xplat.smoke': 'true' },
    env: request.env,
    extraArgs: request.runArgs,
    ...(request.oneShot
      ? { command: request.command ?? request.args ?? [] }
      : request.args
        ? { command: request.args }
        : {}),
  };
}

/**
 * The probes of a service container, in the order they run: http, tcp, log, exec. Each
 * talks to the loopback address, through the published port when there is one.
 */
function probesOf(request: SmokeRequest, published: readonly PortMapping[]): ProbeSpec[] {
  const reach = (port: number): number =>
    published.find((p) => p.containerPort === port)?.hostPort ?? port;
  const probes: ProbeSpec[] = [];
  if (request.http) {
    const h = request.http;
    probes.push({
      kind: 'http',
      name: `http ${h.method} ${h.path}`,
      url: `http://${LOOPBACK}:${reach(h.port)}${h.path}`,
      method: h.method,
      headers: h.headers,
      expectStatus: h.expectStatus,
      ...(h.expectBody ? { expectBody: h.expectBody } : {}),
    });
  }
  if (request.tcpPort !== undefined) {
    probes.push({
      kind: 'tcp',
      name: `tcp ${request.tcpPort}`,
      host: LOOPBACK,
      port: reach(request.tcpPort),
    });
  }
  if (request.expectLog)
    probes.push({
      kind: 'log',
      name: `log /${request.expectLog.source}/`,
      pattern: request.expectLog,
    });
  if (request.command) {
    probes.push({
      kind: 'exec',
      name: `exec ${request.command.join(' ')}`.slice(0, 80),
      command: request.command,
      expectExitCode: request.expectExitCode,
      ...(request.expectOutput ? { expectOutput: request.expectOutput } : {}),
    });
  }
  return probes;
}

function imagePlatform(image: PlanContext['image']): Platform | undefined {
  if (!image?.os || !image.architecture) return undefined;
  return {
    os: image.os === 'windows' ? 'windows' : 'linux',
    architecture: image.architecture,
    ...(image.variant ? { variant: image.variant } : {}),
  };
}

function notes(
  host: SmokeHost,
  platform: Platform | undefined,
  network: string,
  published: readonly PortMapping[],
  stopSignal: string,
  isolation: string,
): string[] {
  const out: string[] = [];
  if (network === 'host') {
    out.push('host networking: probes reach the service on 127.0.0.1 at its own port');
  } else if (published.length) {
    const ports = published.map((p) => `${p.containerPort} on host port ${p.hostPort}`).join(', ');
    const why =
      host.os === 'windows'
        ? "Windows has no host networking; the container sits behind the engine's NAT"
        : `network "${network}"`;
    out.push(`${why}: published ${ports}, probed at 127.0.0.1`);
  }
  if (host.os === 'windows') {
    out.push(
      `docker stop on Windows sends the container a console shutdown event (${stopSignal}), not SIGTERM: ` +
        "the app must handle it (SetConsoleCtrlHandler; .NET's generic host does) and exit within stop-timeout, or it is terminated",
    );
    out.push(
      `${isolation === 'hyperv' ? 'Hyper-V' : 'process'} isolation${host.osVersion ? ` on host build ${host.osVersion}` : ''}: ` +
        "the image's Windows build must be one this host runs; Windows containers start slower, so timeouts default longer",
    );
  } else {
    out.push(
      `docker stop sends ${stopSignal}; a process running as PID 1 ignores signals it does not handle, ` +
        'so the app must handle it (or run with --init) to stop gracefully',
    );
  }
  if (platform && platform.os === 'linux' && platform.architecture !== host.architecture) {
    out.push(
      `${formatPlatform(platform)} on a ${host.architecture} host runs under emulation (QEMU): expect a slower start`,
    );
  }
  return out;
}
