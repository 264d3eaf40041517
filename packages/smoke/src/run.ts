/**
 * The smoke test: start the image, poll its probes until all pass (or one runs out of
 * time, or the container exits), stop it and judge the stop, and always remove it.
 * Returns a report for anything the image did; throws only for inputs the user must fix
 * or an engine that cannot be reached, so a thrown error never becomes a verdict.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  errorMessage,
  formatPlatform,
  ociPlatformString,
  parsePlatform,
  platformPair,
  readLegResult,
  silentLogger,
  XplatError,
  type Logger,
  type Platform,
} from '@xplat/core';
import {
  containerLogs,
  docker,
  DockerError,
  engineHost,
  inspectContainer,
  inspectImage,
  pullImage,
  removeContainer,
  stopContainer,
  waitContainer,
  type ContainerState,
  type DockerOptions,
  type ImageInfo,
} from '@xplat/engine';
import { DOCKER_BACKOFF, FAST_BACKOFF, poll, type PollResult } from './backoff.js';
import {
  buildSkewMessage,
  buildsInSkewError,
  hostDefaults,
  hostFromEngine,
  isBuildSkewError,
  type HostFacts,
} from './host.js';
import type { SmokeRequest } from './options.js';
import { planSmoke, type SmokePlan } from './plan.js';
import { attemptProbe, seconds, snippet } from './probes.js';
import {
  describeState,
  recordSmokeResult,
  renderChecks,
  SMOKE_REPORT_SCHEMA,
  writeReport,
  type CheckReport,
  type SmokeReport,
  type StopReport,
} from './report.js';

export interface SmokeDeps {
  readonly docker?: DockerOptions;
  readonly logger?: Logger;
  /** Aborting (a cancelled step, Ctrl-C) ends the probes; the container is still removed. */
  readonly signal?: AbortSignal;
  /** Called as soon as the container exists, so a post step can remove it if this process dies. */
  readonly onContainer?: (id: string) => void | Promise<void>;
  /** The host's facts; default: asked of the engine (`docker info`). */
  readonly host?: HostFacts;
  /** A free host port for publishing; default: one the OS hands out. */
  readonly freePort?: () => Promise<number>;
}

interface Exit {
  readonly code: number | undefined;
  readonly at: number;
}

interface Failure {
  readonly check: string;
  readonly reason: string;
}

export async function smokeTest(request: SmokeRequest, deps: SmokeDeps = {}): Promise<SmokeReport> {
  const logger = deps.logger ?? silentLogger;
  const dockerOptions: DockerOptions = { ...deps.docker, logger };
  const t0 = Date.now();

  // A leg result supplies the platform (and a Windows image's os.version) when the
  // inputs leave them out, and must agree with them when they do not.
  let legOsVersion: string | undefined;
  let platform = request.platform;
  if (request.resultFile) {
    const leg = await readLegResult(request.resultFile);
    const legPlatform = parsePlatform(leg.result.platform, `${request.resultFile}: platform`);
    legOsVersion = leg.result.osVersion;
    if (platform && !samePlatform(platform, legPlatform)) {
      throw new XplatError(
        `${formatPlatform(platform)} does not match ${leg.result.platform} in the leg result ${request.resultFile}`,
        'platform',
      );
    }
    platform ??= legOsVersion ? { ...legPlatform, osVersion: legOsVersion } : legPlatform;
  }

  const host = deps.host ?? hostFromEngine(await engineHost(dockerOptions));
  const checks: CheckReport[] = [];
  const run = new SmokeRun(request, host, checks, logger, dockerOptions, deps, t0);

  // The image: the engine's facts about it (platform, os.version, stop signal), pulled
  // first when it is not local so the platform can be checked before anything runs.
  let image: ImageInfo | undefined;
  try {
    image = await inspectImage(request.image, dockerOptions);
    if (!image) {
      logger.info(`Pulling ${request.image}${platform ? ` for ${formatPlatform(platform)}` : ''}`);
      await pullImage(
        request.image,
        platform ? ociPlatformString(platform) : undefined,
        dockerOptions,
      );
      image = await inspectImage(request.image, dockerOptions);
    }
  } catch (error) {
    return run.finish(undefined, {
      check: 'image',
      reason: `cannot get the image ${request.image}: ${errorMessage(error)}`,
    });
  }
  if (image && platform) {
    const actual = imagePlatform(image);
    if (actual && !samePlatform(platform, actual)) {
      return run.finish(undefined, {
        check: 'image',
        reason: `the image is ${formatPlatform(actual)}, not ${formatPlatform(platform)} as platform says: it was built for the wrong platform`,
      });
    }
  }

  const network = request.network === 'auto' ? hostDefaults(host.os).network : request.network;
  const ports = new Map<number, number>();
  if (network !== 'host' && !request.oneShot) {
    for (const port of [request.http?.port, request.tcpPort]) {
      if (port !== undefined && !ports.has(port))
        ports.set(port, await (deps.freePort ?? freePort)());
    }
  }
  const pair = platform ? platformPair(platform) : 'image';
  const plan = planSmoke({ ...request, ...(platform ? { platform } : {}) }, host, {
    containerName: `xplat-smoke-${pair}-${randomBytes(3).toString('hex')}`,
    hostPort: (p) => ports.get(p)!,
    ...(image ? { image } : {}),
    ...(legOsVersion ? { imageOsVersion: legOsVersion } : {}),
  });
  return run.execute(plan, image);
}

/** Lifecycle of one smoke run; split from smokeTest() so each phase reads on its own. */
class SmokeRun {
  /** Set once `docker run` was tried: from then on a container may exist to clean up. */
  private ran = false;
  private containerId: string | undefined;
  private runReturned = 0;
  private containerStart = 0;
  private engineStart: Promise<void> = Promise.resolve();
  /** Settles when the container stops running (or is removed); never rejects. */
  private exited: Promise<Exit> = new Promise(() => undefined);
  private exitedAt: Exit | undefined;
  private readyAt: number | undefined;
  private stop: StopReport | undefined;
  private exitCode: number | undefined;
  private imageId: string | undefined;

  constructor(
    private readonly request: SmokeRequest,
    private readonly host: HostFacts,
    private readonly checks: CheckReport[],
    private readonly logger: Logger,
    private readonly docker: DockerOptions,
    private readonly deps: SmokeDeps,
    private readonly t0: number,
  ) {}

  async execute(plan: SmokePlan, image: ImageInfo | undefined): Promise<SmokeReport> {
    this.imageId = image?.id;
    for (const note of plan.notes) this.logger.info(`note: ${note}`);
    if (plan.blocked) return this.finish(plan, { check: 'start', reason: plan.blocked });

    let failure: Failure | undefined;
    try {
      failure = await this.start(plan);
      if (!failure) failure = plan.oneShot ? await this.oneShot(plan) : await this.service(plan);
      if (!failure && this.deps.signal?.aborted)
        failure = { check: 'cancelled', reason: 'cancelled before the smoke test finished' };
    } catch (error) {
      failure = { check: 'engine', reason: errorMessage(error) };
    }
    return this.finish(plan, failure);
  }

  /** `docker run`; a Windows build mismatch gets the message that names both builds. */
  private async start(plan: SmokePlan): Promise<Failure | undefined> {
    this.logger.info(`Starting ${this.request.image}: docker ${plan.commands.run.join(' ')}`);
    const before = Date.now();
    this.ran = true;
    try {
      const out = await docker(plan.commands.run, this.docker);
      this.containerId = out.trim().split(/\s+/).pop();
    } catch (error) {
      const stderr = error instanceof DockerError ? error.stderr : errorMessage(error);
      const named = buildsInSkewError(stderr);
      const reason = isBuildSkewError(stderr)
        ? buildSkewMessage(
            named.host ?? this.host.osVersion,
            named.image ?? plan.imageOsVersion,
            this.request.isolation === 'auto'
              ? (this.host.isolation ?? 'process')
              : this.request.isolation,
          )
        : `the container did not start: ${errorMessage(error)}`;
      this.checks.push({ name: 'start', kind: 'start', status: 'failed', detail: reason });
      return { check: 'start', reason };
    }
    this.runReturned = Date.now();
    this.containerStart = this.runReturned;
    await this.deps.onContainer?.(this.containerId!);
    // The engine's own start time is closer to the truth than our clock after `docker run`
    // returned (which includes the CLI's exit); use it when it is plausible (same host).
    // Asked in parallel: the probes must not wait for it.
    this.engineStart = inspectContainer(this.containerId!, this.docker)
      .then((state) => {
        const started = state ? Date.parse(state.startedAt) : NaN;
        if (Number.isFinite(started) && started >= before - 1000 && started <= this.runReturned)
          this.containerStart = started;
      })
      .catch(() => undefined);
    this.checks.push({
      name: 'start',
      kind: 'start',
      status: 'passed',
      durationMs: this.runReturned - before,
      detail: `${plan.platform ? formatPlatform(plan.platform) : 'image platform'} on ${this.host.os}/${this.host.architecture}, network ${plan.network}`,
    });
    // Noticing an exit by waiting on the engine, not by polling it: `docker wait` returns
    // the moment the container stops (or is removed), so a crash fails the run at once.
    this.exited = waitContainer(this.containerId!, this.docker)
      .catch(() => undefined)
      .then((code) => (this.exitedAt = { code, at: Date.now() }));
    return undefined;
  }

  private async service(plan: SmokePlan): Promise<Failure | undefined> {
    // Ends every probe: a crash, a probe out of time, or the caller's cancel (which may
    // have come already, while the container was starting).
    const controller = new AbortController();
    const signal = this.deps.signal
      ? AbortSignal.any([this.deps.signal, controller.signal])
      : controller.signal;
    const overallDeadline = this.containerStart + plan.timeoutMs;
    const probeDeadline = Math.min(overallDeadline, this.containerStart + plan.probeTimeoutMs);

    let polling = true;
    void this.exited.then(() => polling && controller.abort());

    const outcomes = await Promise.all(
      plan.probes.map(async (probe): Promise<PollResult> => {
        const result = await poll({
          deadline: probeDeadline,
          backoff: probe.kind === 'http' || probe.kind === 'tcp' ? FAST_BACKOFF : DOCKER_BACKOFF,
          signal,
          attempt: (remaining) =>
            attemptProbe(probe, {
              containerId: this.containerId!,
              docker: this.docker,
              timeoutMs: Math.min(plan.attemptTimeoutMs, remaining),
              signal,
            }),
        });
        if (result.ok)
          this.logger.info(
            `✓ ${probe.name} passed ${result.at - this.containerStart} ms after start (${result.detail})`,
          );
        // One probe out of time decides the verdict; the others need not keep going.
        else if (!result.aborted) controller.abort();
        return result;
      }),
    );
    polling = false;
    await this.engineStart;

    // A cancel wins over what it caused: the runner signals the whole process tree, so
    // `docker wait` may have ended too, which would otherwise read as a crash.
    const cancelled = !!this.deps.signal?.aborted;
    const crashed = cancelled ? undefined : this.exitedAt;
    let failure: Failure | undefined;
    const firstFailed = cancelled
      ? -1
      : plan.probes.findIndex((_, i) => !outcomes[i]!.ok && !outcomes[i]!.aborted);
    plan.probes.forEach((probe, i) => {
      const r = outcomes[i]!;
      const durationMs = r.at - this.containerStart;
      if (r.ok) {
        this.checks.push({
          name: probe.name,
          kind: probe.kind,
          status: 'passed',
          durationMs,
          attempts: r.attempts,
          detail: r.detail,
        });
      } else if (i === firstFailed && !crashed) {
        const within = seconds(Math.min(plan.probeTimeoutMs, plan.timeoutMs));
        const detail = `no success within ${within} (${r.attempts} attempts); last: ${r.detail}`;
        this.checks.push({
          name: probe.name,
          kind: probe.kind,
          status: 'failed',
          durationMs,
          attempts: r.attempts,
          detail,
        });
        failure = { check: probe.name, reason: `${probe.name}: ${detail}` };
      } else {
        const why = crashed
          ? 'the container exited first'
          : firstFailed >= 0
            ? `${plan.probes[firstFailed]!.name} failed first`
            : 'cancelled';
        this.checks.push({
          name: probe.name,
          kind: probe.kind,
          status: 'skipped',
          durationMs,
          attempts: r.attempts,
          detail: `not passed: ${why}; last: ${r.detail}`,
        });
      }
    });
    if (crashed && !outcomes.every((r) => r.ok)) {
      const pending = plan.probes.filter((_, i) => !outcomes[i]!.ok).map((p) => p.name);
      const reason = `the container exited with code ${crashed.code ?? 'unknown'} ${crashed.at - this.containerStart} ms after start, before ${pending.join(', ')} passed`;
      this.checks.push({
        name: 'running',
        kind: 'start',
        status: 'failed',
        durationMs: crashed.at - this.containerStart,
        detail: reason,
      });
      return { check: 'running', reason };
    }
    if (failure || !outcomes.every((r) => r.ok))
      return failure ?? { check: 'cancelled', reason: 'cancelled before every probe passed' };

    this.readyAt = Math.max(this.containerStart, ...outcomes.map((r) => r.at));
    this.logger.info(`Ready ${this.readyAt - this.containerStart} ms after start`);
    return this.stopCheck(plan);
  }

  /** Stops the container as the engine would on shutdown and judges whether it exited on its own. */
  private async stopCheck(plan: SmokePlan): Promise<Failure | undefined> {
    // A service that quits right after answering is broken too.
    const running = await inspectContainer(this.containerId!, this.docker);
    if (!running?.running) {
      const reason = `the container exited with code ${running?.exitCode ?? 'unknown'} after the probes passed; a service must keep running until stopped`;
      this.checks.push({ name: 'stop', kind: 'stop', status: 'failed', detail: reason });
      return { check: 'stop', reason };
    }
    const timeout = plan.stopTimeoutSeconds;
    const before = Date.now();
    await stopContainer(this.containerId!, timeout, this.docker);
    const durationMs = Date.now() - before;
    const state = await inspectContainer(this.containerId!, this.docker);
    const exitCode = state?.exitCode ?? -1;
    const windows = this.host.os === 'windows';
    // Linux: 137 is SIGKILL, which `docker stop` sends when the timeout runs out.
    // Windows reports no such code, so there a stop that took the whole timeout was a kill.
    const killed = windows
      ? durationMs >= timeout * 1000 - 250
      : exitCode === 137 && !state?.oomKilled;
    const exitedOnOwn = !killed;
    const graceful =
      exitedOnOwn && (windows || exitCode === 0 || (exitCode > 128 && exitCode !== 137));
    const required = this.request.expectGracefulStop;
    this.stop = {
      signal: plan.stopSignal,
      timeoutSeconds: timeout,
      durationMs,
      exitCode,
      exitedOnOwn,
      graceful,
      required,
    };

    const detail = graceful
      ? `exited ${exitCode} ${durationMs} ms after ${plan.stopSignal}`
      : killed
        ? `did not exit within ${timeout} s of ${plan.stopSignal}: killed${windows ? '' : ` (exit ${exitCode})`}`
        : `exited ${exitCode} after ${plan.stopSignal}; a clean stop exits 0 or 128+signal`;
    if (graceful) {
      this.checks.push({ name: 'stop', kind: 'stop', status: 'passed', durationMs, detail });
      return undefined;
    }
    const advice = windows
      ? 'the app must handle the console shutdown event (SetConsoleCtrlHandler; .NET: the generic host) and exit in time'
      : `the app must handle ${plan.stopSignal} (or add --init to run-args so an init forwards it) and exit in time`;
    if (!required) {
      this.logger.warning(
        `stop was not graceful: ${detail}; ${advice} (not required: expect-graceful-stop is false)`,
      );
      this.checks.push({
        name: 'stop',
        kind: 'stop',
        status: 'skipped',
        durationMs,
        detail: `not graceful, not required: ${detail}`,
      });
      return undefined;
    }
    this.checks.push({ name: 'stop', kind: 'stop', status: 'failed', durationMs, detail });
    return { check: 'stop', reason: `stop: ${detail}; ${advice}` };
  }

  /** An image that runs and exits: its exit code and output are the check. */
  private async oneShot(plan: SmokePlan): Promise<Failure | undefined> {
    const spec = plan.oneShot!;
    const remaining = Math.max(0, this.containerStart + plan.timeoutMs - Date.now());
    const timer = new AbortController();
    const signal = this.deps.signal
      ? AbortSignal.any([this.deps.signal, timer.signal])
      : timer.signal;
    await Promise.race([
      this.exited,
      sleep(remaining, undefined, { signal }).catch(() => undefined),
    ]);
    timer.abort();
    const name = `exit ${spec.expectExitCode}`;
    await this.engineStart;
    // `docker wait` can also end because the cancel signal reached it: only an inspect
    // that shows the container stopped counts as an exit.
    const state = this.exitedAt
      ? await inspectContainer(this.containerId!, this.docker)
      : undefined;
    if (!this.exitedAt || this.deps.signal?.aborted || state?.running) {
      const detail = this.deps.signal?.aborted
        ? 'cancelled while waiting for the container to exit'
        : `still running after ${seconds(plan.timeoutMs)}`;
      this.checks.push({
        name,
        kind: 'exit',
        status: 'failed',
        durationMs: Date.now() - this.containerStart,
        detail,
      });
      return { check: name, reason: `one-shot: ${detail}` };
    }
    const code = state?.exitCode ?? this.exitedAt.code ?? -1;
    this.exitCode = code;
    const durationMs = this.exitedAt.at - this.containerStart;
    const lines = await containerLogs(this.containerId!, {}, this.docker);
    const output = lines.map((l) => l.text).join('\n');
    const problems: string[] = [];
    if (code !== spec.expectExitCode)
      problems.push(
        `exited ${code}, expected ${spec.expectExitCode}${state?.oomKilled ? ' (OOM killed)' : ''}`,
      );
    if (spec.expectOutput && !spec.expectOutput.test(output))
      problems.push(`output does not match /${spec.expectOutput.source}/: ${snippet(output)}`);
    if (spec.expectLog && !lines.some((l) => spec.expectLog!.test(l.text)))
      problems.push(`no log line matches /${spec.expectLog.source}/`);
    if (problems.length === 0) {
      this.checks.push({
        name,
        kind: 'exit',
        status: 'passed',
        durationMs,
        detail: `exited ${code} after ${durationMs} ms`,
      });
      return undefined;
    }
    const detail = problems.join('; ');
    this.checks.push({ name, kind: 'exit', status: 'failed', durationMs, detail });
    return { check: name, reason: `one-shot: ${detail}` };
  }

  /** Gathers state and logs, shows them on failure, removes the container, builds the report. */
  async finish(plan: SmokePlan | undefined, failure: Failure | undefined): Promise<SmokeReport> {
    await this.engineStart;
    // By name when `docker run` failed: it may have created the container before failing to start it.
    const ref = this.ran ? (this.containerId ?? plan?.containerName) : undefined;
    let state: ContainerState | undefined;
    let logs: string[] = [];
    if (ref && plan) {
      state = await inspectContainer(ref, this.docker).catch(() => undefined);
      if (state) {
        const lines = await containerLogs(
          ref,
          { tail: this.request.logLines, timestamps: true },
          this.docker,
        ).catch(() => []);
        logs = lines.map((l) => (l.stream === 'stderr' ? `[stderr] ${l.text}` : l.text));
      }
    }
    if (failure) {
      if (!this.checks.some((c) => c.status === 'failed')) {
        this.checks.push({
          name: failure.check,
          kind: 'start',
          status: 'failed',
          detail: failure.reason,
        });
      }
      // Nothing to show when it failed before any container existed (image, platform, skew).
      if (ref) {
        await this.logger.group(`Container state and last ${logs.length} log lines`, async () => {
          this.logger.info(describeState(state));
          for (const line of logs) this.logger.info(line);
        });
      }
    }
    if (ref && plan) {
      // Never cancelled: removing is the one thing that must happen however the run ended.
      await removeContainer(ref, this.docker).catch((error: unknown) =>
        this.logger.warning(`could not remove container ${ref}: ${errorMessage(error)}`),
      );
    }
    const finished = Date.now();
    const report: SmokeReport = {
      schema: SMOKE_REPORT_SCHEMA,
      image: this.request.image,
      ...(this.imageId ? { imageId: this.imageId } : {}),
      ...(plan?.platform
        ? { platform: formatPlatform(plan.platform) }
        : this.request.platform
          ? { platform: formatPlatform(this.request.platform) }
          : {}),
      mode: this.request.oneShot ? 'one-shot' : 'service',
      host: {
        os: this.host.os,
        architecture: this.host.architecture,
        ...(this.host.osVersion ? { osVersion: this.host.osVersion } : {}),
        network: plan?.network ?? this.request.network,
      },
      passed: !failure,
      ...(failure ? { reason: failure.reason, failedCheck: failure.check } : {}),
      ...(this.readyAt !== undefined ? { readyMs: this.readyAt - this.containerStart } : {}),
      durationMs: finished - this.t0,
      startedAt: new Date(this.t0).toISOString(),
      ...(this.containerStart
        ? { containerStartedAt: new Date(this.containerStart).toISOString() }
        : {}),
      ...(this.readyAt !== undefined ? { readyAt: new Date(this.readyAt).toISOString() } : {}),
      finishedAt: new Date(finished).toISOString(),
      checks: this.checks,
      ...(this.stop ? { stop: this.stop } : {}),
      ...(this.exitCode !== undefined ? { exitCode: this.exitCode } : {}),
      ...(ref && plan
        ? {
            container: {
              id: this.containerId ?? '',
              name: plan.containerName,
              ...(state ? { state } : {}),
            },
          }
        : {}),
      logs,
      notes: plan?.notes ?? [],
      ...(plan ? { command: plan.commands.run } : {}),
    };
    this.logger.info(renderChecks(report));
    this.logger.info(
      report.passed
        ? `Smoke test passed${report.readyMs !== undefined ? ` (ready in ${report.readyMs} ms)` : ''}`
        : `Smoke test failed: ${report.reason}`,
    );
    if (this.request.reportFile) await writeReport(this.request.reportFile, report);
    if (this.request.resultFile) await recordSmokeResult(this.request.resultFile, report);
    return report;
  }
}

function imagePlatform(image: ImageInfo): Platform | undefined {
  if (!image.os || !image.architecture) return undefined;
  try {
    return parsePlatform(
      `${image.os}/${image.architecture}${image.variant ? `/${image.variant}` : ''}`,
    );
  } catch {
    return undefined;
  }
}

/** os, architecture and variant agree (os.version is checked against the host, not here). */
function samePlatform(a: Platform, b: Platform): boolean {
  return (
    a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '')
  );
}

/** A port nothing listens on right now, from the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
