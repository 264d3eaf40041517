/**
 * Container lifecycle through the docker CLI. Every operation has a *plan* (the argument
 * array, as data) and an executor that runs it and parses what came back. The plans are
 * what Windows-host tests assert on, since no Windows engine exists where tests run.
 */
import {
  docker,
  DockerError,
  isNotFound,
  runDocker,
  type DockerOptions,
  type DockerResult,
} from './docker.js';

export interface PortMapping {
  readonly containerPort: number;
  /** Omitted: the engine picks a free host port. */
  readonly hostPort?: number;
  /** Omitted: every interface. The Windows NAT refuses a host IP, so it is never set there. */
  readonly hostIp?: string;
  readonly protocol?: 'tcp' | 'udp';
}

export interface RunSpec {
  readonly image: string;
  /** `os/arch[/variant]`, passed to `--platform`. */
  readonly platform?: string;
  readonly name?: string;
  readonly network?: string;
  readonly publish?: readonly PortMapping[];
  /** `KEY=VALUE` entries, each passed as `--env`. */
  readonly env?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  /** Windows only: `process` or `hyperv`. */
  readonly isolation?: string;
  /** The user's extra `docker run` arguments, placed before the image. */
  readonly extraArgs?: readonly string[];
  /** Replaces the image's CMD. */
  readonly command?: readonly string[];
}

export function runPlan(spec: RunSpec): string[] {
  const args = ['run', '--detach'];
  if (spec.name) args.push('--name', spec.name);
  if (spec.platform) args.push('--platform', spec.platform);
  if (spec.isolation) args.push('--isolation', spec.isolation);
  if (spec.network) args.push('--network', spec.network);
  for (const p of spec.publish ?? []) args.push('--publish', publishArg(p));
  for (const [key, value] of Object.entries(spec.labels ?? {}))
    args.push('--label', `${key}=${value}`);
  for (const e of spec.env ?? []) args.push('--env', e);
  args.push(...(spec.extraArgs ?? []), spec.image, ...(spec.command ?? []));
  return args;
}

function publishArg(p: PortMapping): string {
  const container = `${p.containerPort}${p.protocol && p.protocol !== 'tcp' ? `/${p.protocol}` : ''}`;
  if (p.hostPort === undefined) return p.hostIp ? `${p.hostIp}::${container}` : container;
  return `${p.hostIp ? `${p.hostIp}:` : ''}${p.hostPort}:${container}`;
}

/** Starts a container detached; returns its full id. */
export async function runContainer(spec: RunSpec, options: DockerOptions = {}): Promise<string> {
  const out = await docker(runPlan(spec), options);
  const id = out.trim().split(/\s+/).pop() ?? '';
  if (!/^[a-f0-9]{12,64}$/.test(id))
    throw new Error(`docker run printed no container id: ${out.trim() || '(nothing)'}`);
  return id;
}

export const execPlan = (id: string, command: readonly string[]): string[] => [
  'exec',
  id,
  ...command,
];

/** Runs a command in a running container; the result's exitCode is the command's. */
export function execInContainer(
  id: string,
  command: readonly string[],
  options: DockerOptions = {},
): Promise<DockerResult> {
  return runDocker(execPlan(id, command), options);
}

export interface LogLine {
  readonly stream: 'stdout' | 'stderr';
  /** RFC 3339 time the engine stamped the line with; empty when not requested. */
  readonly time: string;
  readonly text: string;
}

export interface LogsOptions {
  /** Only the last N lines (per stream, as the engine counts). */
  readonly tail?: number;
  readonly timestamps?: boolean;
}

export function logsPlan(id: string, options: LogsOptions = {}): string[] {
  const args = ['logs'];
  if (options.timestamps) args.push('--timestamps');
  if (options.tail !== undefined) args.push('--tail', String(options.tail));
  args.push(id);
  return args;
}

/**
 * The container's output, stdout and stderr merged. With timestamps the two streams are
 * interleaved in the order the engine received them; without, stdout comes first.
 */
export async function containerLogs(
  id: string,
  logs: LogsOptions = {},
  options: DockerOptions = {},
): Promise<LogLine[]> {
  const out = await runDocker(logsPlan(id, logs), options);
  if (out.exitCode !== 0) throw new DockerError(out);
  const lines = [
    ...parseLogLines(out.stdout, 'stdout', !!logs.timestamps),
    ...parseLogLines(out.stderr, 'stderr', !!logs.timestamps),
  ];
  // Sort is stable, so lines with equal stamps keep their order within a stream.
  if (logs.timestamps) lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  if (logs.tail !== undefined) return lines.slice(-logs.tail);
  return lines;
}

export function parseLogLines(
  text: string,
  stream: LogLine['stream'],
  timestamps: boolean,
): LogLine[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((raw) => {
    const line = raw.replace(/\r$/, '');
    if (!timestamps) return { stream, time: '', text: line };
    const space = line.indexOf(' ');
    return space > 0
      ? { stream, time: line.slice(0, space), text: line.slice(space + 1) }
      : { stream, time: line, text: '' };
  });
}

export interface PortBinding {
  readonly containerPort: number;
  readonly protocol: string;
  readonly hostIp: string;
  readonly hostPort: number;
}

export interface ContainerState {
  readonly id: string;
  readonly name: string;
  /** created | running | paused | restarting | removing | exited | dead */
  readonly status: string;
  readonly running: boolean;
  readonly exitCode: number;
  readonly oomKilled: boolean;
  readonly restartCount: number;
  /** The engine's own error for a container that could not start. */
  readonly error: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly imageId: string;
  readonly platform: string;
  readonly networkMode: string;
  readonly ports: readonly PortBinding[];
}

export const inspectPlan = (id: string): string[] => ['container', 'inspect', id];

/** The container's state, or undefined when no such container exists (any more). */
export async function inspectContainer(
  id: string,
  options: DockerOptions = {},
): Promise<ContainerState | undefined> {
  const out = await runDocker(inspectPlan(id), options);
  if (out.exitCode !== 0) {
    if (isNotFound(out)) return undefined;
    throw new DockerError(out);
  }
  return parseContainerInspect(out.stdout);
}

interface RawInspect {
  Id?: string;
  Name?: string;
  Image?: string;
  Platform?: string;
  RestartCount?: number;
  State?: {
    Status?: string;
    Running?: boolean;
    ExitCode?: number;
    OOMKilled?: boolean;
    Error?: string;
    StartedAt?: string;
    FinishedAt?: string;
  };
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: {
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
  };
}

export function parseContainerInspect(json: string): ContainerState {
  const parsed = JSON.parse(json) as RawInspect[] | RawInspect;
  const raw = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!raw?.Id) throw new Error('docker container inspect returned no container');
  const state = raw.State ?? {};
  const ports: PortBinding[] = [];
  for (const [key, bindings] of Object.entries(raw.NetworkSettings?.Ports ?? {})) {
    const [port, protocol = 'tcp'] = key.split('/');
    for (const b of bindings ?? []) {
      ports.push({
        containerPort: Number(port),
        protocol,
        hostIp: b.HostIp ?? '',
        hostPort: Number(b.HostPort),
      });
    }
  }
  return {
    id: raw.Id,
    name: (raw.Name ?? '').replace(/^\//, ''),
    status: state.Status ?? 'unknown',
    running: !!state.Running,
    exitCode: state.ExitCode ?? 0,
    oomKilled: !!state.OOMKilled,
    restartCount: raw.RestartCount ?? 0,
    error: state.Error ?? '',
    startedAt: state.StartedAt ?? '',
    finishedAt: state.FinishedAt ?? '',
    imageId: raw.Image ?? '',
    platform: raw.Platform ?? '',
    networkMode: raw.HostConfig?.NetworkMode ?? '',
    ports,
  };
}

export const portPlan = (id: string, containerPort: number, protocol = 'tcp'): string[] => [
  'port',
  id,
  `${containerPort}/${protocol}`,
];

/** Host bindings of a published container port (`0.0.0.0:49153`, `[::]:49153`). */
export async function containerPort(
  id: string,
  port: number,
  options: DockerOptions = {},
): Promise<PortBinding[]> {
  const out = await runDocker(portPlan(id, port), options);
  if (out.exitCode !== 0) return [];
  return out.stdout
    .split(/\r?\n/)
    .map((l) => /^\[?([^\]]*)\]?:(\d+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ containerPort: port, protocol: 'tcp', hostIp: m[1]!, hostPort: Number(m[2]) }));
}

/** `-t` rather than `--time`/`--timeout`: the one spelling every docker CLI since 1.x accepts. */
export const stopPlan = (id: string, timeoutSeconds: number): string[] => [
  'stop',
  '-t',
  String(timeoutSeconds),
  id,
];

/**
 * Asks the container to stop (the image's stop signal, SIGTERM by default, on Linux; a
 * console shutdown event on Windows) and kills it after `timeoutSeconds`.
 */
export async function stopContainer(
  id: string,
  timeoutSeconds: number,
  options: DockerOptions = {},
): Promise<void> {
  const out = await runDocker(stopPlan(id, timeoutSeconds), options);
  if (out.exitCode !== 0 && !isNotFound(out)) throw new DockerError(out);
}

export const removePlan = (id: string): string[] => ['rm', '--force', '--volumes', id];

/**
 * Removes the container whatever its state; a container already gone is not an error
 * (`rm --force` says nothing about it on newer engines, and older ones say "No such").
 */
export async function removeContainer(id: string, options: DockerOptions = {}): Promise<void> {
  const out = await runDocker(removePlan(id), options);
  if (out.exitCode !== 0 && !isNotFound(out)) throw new DockerError(out);
}

export const waitPlan = (id: string): string[] => ['wait', id];

/**
 * Resolves with the exit code when the container stops running (at once if it already
 * has). Used to notice a crash while probes poll, without polling the engine: it also
 * returns, with `undefined`, when the container is removed.
 */
export async function waitContainer(
  id: string,
  options: DockerOptions = {},
): Promise<number | undefined> {
  const out = await runDocker(waitPlan(id), options);
  const code = Number(out.stdout.trim());
  return out.exitCode === 0 && out.stdout.trim() !== '' && Number.isInteger(code)
    ? code
    : undefined;
}
