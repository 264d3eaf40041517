/**
 * The engines of one `xplat run`: the local one (DOCKER_HOST / the current context, as
 * the docker CLI picks it) and those xplat.yml's `engines:` or `--engine` name, each a
 * docker context or a DOCKER_HOST URL. Each is probed once; legs on one engine share it.
 */
import { errorMessage, formatPlatform, parsePlatform, XplatError } from '@xplat/core';
import { probeHost, runDocker, type DockerOptions } from '@xplat/engine';
import type { ResolvedLeg } from '@xplat/workflow';
import { LOCAL_ENGINE, type EngineEndpoint, type EngineProbe } from './endpoints.js';

const URL_SCHEME = /^(unix|tcp|ssh|npipe):\/\//;

/** `--engine windows/amd64:ltsc2022=ssh://builder@winhost` (repeat), keyed by platform name. */
export function parseEngineFlags(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1)
      throw new XplatError(
        `"${item}" is not PLATFORM=ENDPOINT, e.g. windows/amd64:ltsc2022=ssh://builder@winhost or linux/arm64=my-arm-context`,
        '--engine',
      );
    const platform = formatPlatform(parsePlatform(item.slice(0, eq).trim(), '--engine'));
    out[platform] = item.slice(eq + 1).trim();
  }
  return out;
}

/** The environment the docker CLI needs to talk to `name` (a context wins only without DOCKER_HOST). */
export function endpointEnv(name: string, base: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  if (name === LOCAL_ENGINE) return env;
  if (URL_SCHEME.test(name)) {
    delete env.DOCKER_CONTEXT;
    env.DOCKER_HOST = name;
  } else {
    delete env.DOCKER_HOST;
    env.DOCKER_CONTEXT = name;
  }
  return env;
}

/** Where an endpoint's engine is: its URL, or the host its docker context points at. */
export async function resolveEndpoint(
  name: string,
  docker: DockerOptions & { env: Record<string, string> },
): Promise<EngineEndpoint> {
  if (name === LOCAL_ENGINE) return { name, host: docker.env.DOCKER_HOST ?? '' };
  if (URL_SCHEME.test(name)) return { name, host: name };
  const out = await runDocker(
    ['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}', name],
    docker,
  );
  // An unknown context is reported by the probe, with docker's own words.
  return { name, host: out.exitCode === 0 ? out.stdout.trim() : '' };
}

export interface RunEngines {
  readonly engineFor: (leg: ResolvedLeg) => EngineEndpoint;
  readonly probe: (engine: EngineEndpoint) => EngineProbe;
  /** The docker CLI options for an engine (its env). */
  readonly dockerOptions: (
    engine: EngineEndpoint,
  ) => DockerOptions & { env: Record<string, string> };
}

/** Resolves and probes every engine the legs need, concurrently, once each. */
export async function probeEngines(
  legs: readonly ResolvedLeg[],
  named: Readonly<Record<string, string>>,
  base: { env: NodeJS.ProcessEnv; docker?: string },
): Promise<RunEngines> {
  const names = [...new Set([LOCAL_ENGINE, ...legs.map((l) => named[l.name] ?? LOCAL_ENGINE)])];
  const options = (name: string) => ({
    env: endpointEnv(name, base.env),
    ...(base.docker ? { docker: base.docker } : {}),
  });
  const endpoints = new Map<string, EngineEndpoint>();
  const probes = new Map<string, EngineProbe>();
  await Promise.all(
    names.map(async (name) => {
      const endpoint = await resolveEndpoint(name, options(name));
      endpoints.set(name, endpoint);
      try {
        probes.set(name, { ok: true, facts: await probeHost(options(name)) });
      } catch (error) {
        probes.set(name, { ok: false, error: errorMessage(error).replace(/^docker: /, '') });
      }
    }),
  );
  return {
    engineFor: (leg) => endpoints.get(named[leg.name] ?? LOCAL_ENGINE)!,
    probe: (engine) => probes.get(engine.name)!,
    dockerOptions: (engine) => options(engine.name),
  };
}
