/**
 * The registry of an `xplat run` without --registry: a distribution registry bound to
 * 127.0.0.1 on a free port, its storage in `.xplat/registry/` so images survive the run
 * (and a later run reuses their blobs). The `registry` / `docker-registry` binary when
 * one is on PATH; otherwise the `registry:2` image through the local engine. The same
 * image is the way out for an engine that does not reach this machine's 127.0.0.1
 * (registry-reach.ts): run through that engine, its port is published where it pulls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { XplatError } from '@xplat/core';
import { freePort } from '@xplat/core/free-port';
import { runDocker, type DockerOptions } from '@xplat/engine';
import { dockerWords } from './docker-words.js';
import { LOCAL_ENGINE, type EngineEndpoint } from './endpoints.js';

export const REGISTRY_BINARIES = ['registry', 'docker-registry'] as const;
export const REGISTRY_IMAGE = 'registry:2';
/** How long the registry may take to answer /v2/ before the run gives up on it. */
const READY_TIMEOUT_MS = 15_000;

export interface EmbeddedRegistry {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** What serves it, for the log: `docker-registry (/usr/bin/docker-registry)`. */
  readonly description: string;
  readonly storage: string;
  /** How a user stops a kept registry: `kill 1234`, `docker rm -f xplat-registry-41000`. */
  readonly stopCommand: string;
  /** A process of this machine, or the registry:2 image run through an engine. */
  readonly served: 'binary' | 'container';
  /** Stops it; a second call does nothing. */
  stop(): Promise<void>;
}

export interface EmbeddedRegistryOptions {
  /** `.xplat/registry`: config.yml and data/ go here. */
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  /** For the registry:2 fallback: the engine that runs it (default the local one). */
  readonly docker: DockerOptions;
  readonly engine?: EngineEndpoint;
  /** `host` when the engine has no bridge network: the container then binds 127.0.0.1 itself. */
  readonly network?: string;
  /** Outlive this process (--keep-registry): detached, its log in registry.log. */
  readonly keep?: boolean;
}

/** The first registry binary on PATH (`XPLAT_REGISTRY_BINARY` names one explicitly). */
export function findRegistryBinary(env: NodeJS.ProcessEnv): string | undefined {
  if (env.XPLAT_REGISTRY_BINARY) return env.XPLAT_REGISTRY_BINARY;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of REGISTRY_BINARIES)
    for (const dir of dirs) {
      const file = path.join(dir, process.platform === 'win32' ? `${name}.exe` : name);
      if (existsSync(file)) return file;
    }
  return undefined;
}

/** distribution's config: loopback only, filesystem storage, deletes allowed, quiet. */
export function registryConfig(address: string, rootDirectory: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(rootDirectory)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${address}`,
    '',
  ].join('\n');
}

/** `docker run` of registry:2 as a plan: storage mounted, bound to loopback only. */
export function registryContainerArgs(
  name: string,
  port: number,
  storage: string,
  network: string | undefined,
): string[] {
  const bind =
    network === 'host'
      ? ['--network', 'host', '-e', `REGISTRY_HTTP_ADDR=127.0.0.1:${port}`]
      : ['-p', `127.0.0.1:${port}:5000`];
  return [
    'run',
    '--detach',
    '--name',
    name,
    '--label',
    'xplat.run=registry',
    ...bind,
    '-e',
    'REGISTRY_STORAGE_DELETE_ENABLED=true',
    '-v',
    `${storage}:/var/lib/registry`,
    REGISTRY_IMAGE,
  ];
}

/** Polls GET /v2/ until it answers (any status below 500), the process dies, or time runs out. */
async function waitReady(address: string, alive: () => string | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
    const died = alive();
    if (died) throw new XplatError(`the embedded registry stopped at once: ${died}`, '--registry');
    try {
      const response = await fetch(`http://${address}/v2/`, {
        signal: AbortSignal.timeout(1000),
      });
      await response.arrayBuffer();
      if (response.status < 500) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(delay);
  }
  throw new XplatError(
    `the embedded registry on ${address} did not answer within ${READY_TIMEOUT_MS / 1000} s (${last})`,
    '--registry',
  );
}

/**
 * A long-running server needs its process handle to be stopped, which @actions/exec does
 * not give: this one child is spawned directly, still with an argument array (no shell).
 */
async function startBinary(
  binary: string,
  options: EmbeddedRegistryOptions,
): Promise<EmbeddedRegistry> {
  const storage = path.join(options.dir, 'data');
  await mkdir(storage, { recursive: true });
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const config = path.join(options.dir, 'config.yml');
  await writeFile(config, registryConfig(address, storage), 'utf8');
  // A kept registry must not hold this process open: detached, output to a file, unref'd.
  const logFd = options.keep ? openSync(path.join(options.dir, 'registry.log'), 'a') : undefined;
  const child: ChildProcess = spawn(binary, ['serve', config], {
    stdio: ['ignore', logFd ?? 'ignore', logFd ?? 'pipe'],
    env: options.env,
    detached: options.keep === true,
  });
  if (logFd !== undefined) closeSync(logFd);
  let stderr = '';
  let exit: string | undefined;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.on('error', (error) => (exit = error.message));
  child.on('exit', (code, signal) => {
    exit ??= `exit ${signal ?? code}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`;
  });
  try {
    await waitReady(address, () => exit);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  if (options.keep) child.unref();
  return {
    address,
    description: `${path.basename(binary)} (${binary}), pid ${child.pid}`,
    storage,
    stopCommand: `kill ${child.pid}`,
    served: 'binary',
    async stop() {
      if (exit !== undefined) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The engine would not run the registry:2 image (no such image, no way to pull it). */
export class RegistryRunFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryRunFailed';
  }
}

/** `docker`, or `docker --context NAME` / `docker -H URL` for an engine named in engines:. */
export function engineDockerCommand(engine: EngineEndpoint | undefined): string {
  if (!engine || engine.name === LOCAL_ENGINE) return 'docker';
  return /^[a-z]+:\/\//.test(engine.name)
    ? `docker -H ${engine.name}`
    : `docker --context ${engine.name}`;
}

/** The registry:2 image, run through `options.engine` (default the local engine). */
export async function startRegistryContainer(
  options: EmbeddedRegistryOptions,
): Promise<EmbeddedRegistry> {
  const storage = path.resolve(options.dir, 'data');
  await mkdir(storage, { recursive: true });
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const name = `xplat-registry-${port}`;
  const run = await runDocker(
    registryContainerArgs(name, port, storage, options.network),
    options.docker,
  );
  if (run.exitCode !== 0) {
    // A container created but not started (a port taken, a bad mount) must not be left.
    await runDocker(['rm', '--force', name], options.docker);
    throw new RegistryRunFailed(
      `docker run ${REGISTRY_IMAGE} failed: ${dockerWords(run.stderr) || `exit ${run.exitCode}`}`,
    );
  }
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    await runDocker(['rm', '--force', name], options.docker);
  };
  try {
    await waitReady(address, () => undefined);
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    address,
    description: `the ${REGISTRY_IMAGE} image (container ${name}${options.engine && options.engine.name !== LOCAL_ENGINE ? ` on engine ${options.engine.name}` : ''})`,
    storage,
    stopCommand: `${engineDockerCommand(options.engine)} rm --force ${name}`,
    served: 'container',
    stop: remove,
  };
}

async function startContainer(options: EmbeddedRegistryOptions): Promise<EmbeddedRegistry> {
  try {
    return await startRegistryContainer(options);
  } catch (error) {
    if (!(error instanceof RegistryRunFailed)) throw error;
    throw new XplatError(
      `no registry binary on PATH (${REGISTRY_BINARIES.join(', ')}) and ${error.message}; install one (apt-get install docker-registry) or pass --registry`,
      '--registry',
    );
  }
}

export async function startEmbeddedRegistry(
  options: EmbeddedRegistryOptions,
): Promise<EmbeddedRegistry> {
  const binary = findRegistryBinary(options.env);
  return binary ? startBinary(binary, options) : startContainer(options);
}
