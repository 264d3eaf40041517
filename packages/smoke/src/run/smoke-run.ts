/**
 * One smoke run as its phases share it: the inputs every phase needs, and what the
 * phases have found so far (the container, its start and exit, the checks, the stop).
 * Each phase lives in its own file and reads and fills in this record.
 */
import type { Logger } from '@xplat/core';
import type { ContainerState, DockerOptions } from '@xplat/engine';
import type { SmokeHost } from '../host.js';
import type { SmokeRequest } from '../options.js';
import type { CheckReport, StopReport } from '../report.js';

export interface SmokeDeps {
  readonly docker?: DockerOptions;
  readonly logger?: Logger;
  /** Aborting (a cancelled step, Ctrl-C) ends the probes; the container is still removed. */
  readonly signal?: AbortSignal;
  /** Called as soon as the container exists, so a post step can remove it if this process dies. */
  readonly onContainer?: (id: string) => void | Promise<void>;
  /** The host's facts; default: asked of the engine (`docker info`). */
  readonly host?: SmokeHost;
  /** A free host port for publishing; default: one the OS hands out. */
  readonly freePort?: () => Promise<number>;
  /**
   * Log the checks table at the end (default true). The CLI prints the table on stdout
   * itself, so it turns this off to show it once.
   */
  readonly logChecks?: boolean;
}

export interface Exit {
  readonly code: number | undefined;
  readonly at: number;
}

export interface Failure {
  readonly check: string;
  readonly reason: string;
}

export interface SmokeRun {
  readonly request: SmokeRequest;
  readonly host: SmokeHost;
  readonly checks: CheckReport[];
  readonly logger: Logger;
  readonly docker: DockerOptions;
  readonly deps: SmokeDeps;
  readonly t0: number;
  /** Set once `docker run` was tried: from then on a container may exist to clean up. */
  ran: boolean;
  containerId: string | undefined;
  runReturned: number;
  containerStart: number;
  /** The engine's StartedAt (its clock, ms), when it gave one: relates its clock to ours. */
  engineStartedAt: number | undefined;
  engineStart: Promise<void>;
  /** Settles when the container stops running (or is removed); never rejects. */
  exited: Promise<Exit>;
  exitedAt: Exit | undefined;
  readyAt: number | undefined;
  stop: StopReport | undefined;
  exitCode: number | undefined;
  imageId: string | undefined;
  /**
   * The stopped container as a phase already saw it (state, and the last log lines when
   * fetched the way finishRun wants them), so finishRun does not ask the engine again.
   */
  final: { state: ContainerState | undefined; logs?: string[] } | undefined;
}

/** A run before any phase: no container yet, and an exit that never comes until one starts. */
export function newSmokeRun(
  request: SmokeRequest,
  host: SmokeHost,
  checks: CheckReport[],
  logger: Logger,
  docker: DockerOptions,
  deps: SmokeDeps,
  t0: number,
): SmokeRun {
  return {
    request,
    host,
    checks,
    logger,
    docker,
    deps,
    t0,
    ran: false,
    containerId: undefined,
    runReturned: 0,
    containerStart: 0,
    engineStartedAt: undefined,
    engineStart: Promise.resolve(),
    exited: new Promise(() => undefined),
    exitedAt: undefined,
    readyAt: undefined,
    stop: undefined,
    exitCode: undefined,
    imageId: undefined,
    final: undefined,
  };
}
