/**
 * Before anything is built, every engine the run uses must reach the embedded registry:
 * the build engines push to it and the smoke engines pull from it. An engine whose
 * 127.0.0.1 is not this machine's (Docker Desktop, Colima, a dockerd in a network
 * namespace of its own) would otherwise fail only at the push, after the build.
 *
 *   every engine reaches it            run as planned
 *   one engine on this machine does    the registry runs as the registry:2 image through
 *   not, the registry is a process     that engine instead (its published port is on the
 *                                      engine's 127.0.0.1 and, for a VM, forwarded to
 *                                      this machine's); then every engine is asked again
 *   otherwise                          refused (exit 2), one line: pass --registry
 */
import { XplatError } from '@xplat/core';
import { UsageError } from '../flags.js';
import { REGISTRY_IMAGE, type EmbeddedRegistry } from './embedded-registry.js';
import { engineLabel, isLocalEngineHost, type EngineEndpoint } from './endpoints.js';
import type { Reach } from './engine-reach.js';
import type { PlannedLeg } from './run-plan.js';

/** An engine the run uses, and the platforms it builds or smoke-tests. */
export interface EngineUse {
  readonly engine: EngineEndpoint;
  readonly platforms: readonly string[];
}

export interface EngineReach extends EngineUse {
  readonly reach: Reach;
}

/** Each runnable leg's build engine and, when another, the engine of its smoke test. */
export function enginesUsed(planned: readonly PlannedLeg[]): EngineUse[] {
  const uses = new Map<string, { engine: EngineEndpoint; platforms: string[] }>();
  const add = (engine: EngineEndpoint, platform: string) => {
    const use = uses.get(engine.name) ?? { engine, platforms: [] };
    if (!use.platforms.includes(platform)) use.platforms.push(platform);
    uses.set(engine.name, use);
  };
  for (const p of planned) {
    if (p.status !== 'run') continue;
    add(p.engine, p.leg.name);
    if (p.smoke?.kind === 'here') add(p.smoke.engine, p.leg.name);
  }
  return [...uses.values()];
}

export type ReachPlan =
  | { readonly kind: 'ok' }
  /** Run the registry as the registry:2 image through this engine, then ask again. */
  | { readonly kind: 'container'; readonly engine: EngineEndpoint }
  | { readonly kind: 'refuse'; readonly message: string };

export interface ReachInput {
  readonly address: string;
  readonly served: EmbeddedRegistry['served'];
  readonly checks: readonly EngineReach[];
  /** The registry:2 image was tried through this engine; `error`: it would not run. */
  readonly fallback?: { readonly engine: EngineEndpoint; readonly error?: string };
}

const whyNot = (reach: Reach): string => (reach.reached ? '' : reach.why);

/** `the local engine at unix:///…/docker.sock (linux/amd64, linux/arm64)`. */
function describeUse(use: EngineUse): string {
  const { engine } = use;
  const at = engine.host && engine.host !== engine.name ? ` at ${engine.host}` : '';
  return `${engineLabel(engine)}${at} (${use.platforms.join(', ')})`;
}

/** The one line of a refusal: each engine that missed, what was tried, what to pass. */
export function refusal(input: ReachInput): string {
  const missed = input.checks.filter((c) => !c.reach.reached);
  const who = missed
    .map((c) => `${describeUse(c)} cannot reach it (${whyNot(c.reach)})`)
    .join('; ');
  const { fallback } = input;
  const tried = !fallback
    ? ''
    : fallback.error !== undefined
      ? `; the ${REGISTRY_IMAGE} image would not run through ${engineLabel(fallback.engine)} instead (${fallback.error})`
      : `, not even as the ${REGISTRY_IMAGE} image run through ${engineLabel(fallback.engine)}`;
  const them = missed.length === 1 ? 'that engine both reach' : 'those engines all reach';
  return `the embedded registry is on ${input.address} and ${who}${tried}: pass --registry HOST:PORT that this machine and ${them}; nothing was built`;
}

export function planReach(input: ReachInput): ReachPlan {
  const missed = input.checks.filter((c) => !c.reach.reached);
  if (!missed.length) return { kind: 'ok' };
  const [only] = missed;
  // One engine on this machine: a VM or namespace whose published ports reach it too.
  if (
    !input.fallback &&
    input.served === 'binary' &&
    missed.length === 1 &&
    isLocalEngineHost(only!.engine.host)
  )
    return { kind: 'container', engine: only!.engine };
  return { kind: 'refuse', message: refusal(input) };
}

export interface ReachDeps {
  /** Asks `engine` to reach the registry at `address` (engine-reach.ts). */
  readonly probe: (engine: EngineEndpoint, address: string) => Promise<Reach>;
  /** The registry:2 image through `engine`, on the same storage. */
  readonly startContainer: (engine: EngineEndpoint) => Promise<EmbeddedRegistry>;
  readonly note: (line: string) => void;
}

/**
 * The registry every engine of the run reaches: `registry` itself, or the registry:2
 * image run through the engine that did not reach it. Refused with a UsageError
 * (`--registry`), after stopping whatever registry it had, when there is none.
 */
export async function reachableRegistry(
  registry: EmbeddedRegistry,
  used: readonly EngineUse[],
  deps: ReachDeps,
): Promise<EmbeddedRegistry> {
  const check = (address: string) =>
    Promise.all(
      used.map(async (u): Promise<EngineReach> => ({
        ...u,
        reach: await deps.probe(u.engine, address),
      })),
    );
  const refuse = async (message: string, running?: EmbeddedRegistry) => {
    await running?.stop();
    return new UsageError(message, '--registry');
  };
  const checks = await check(registry.address);
  const first = planReach({ address: registry.address, served: registry.served, checks });
  if (first.kind === 'ok') return registry;
  if (first.kind === 'refuse') throw await refuse(first.message, registry);

  const { engine } = first;
  const missed = checks.find((c) => c.engine.name === engine.name)!;
  deps.note(
    `${engineLabel(engine)} cannot reach ${registry.address} (${whyNot(missed.reach)}): running the registry as the ${REGISTRY_IMAGE} image through it instead`,
  );
  await registry.stop();
  let container: EmbeddedRegistry;
  try {
    container = await deps.startContainer(engine);
  } catch (error) {
    const why = error instanceof XplatError ? error.reason : (error as Error).message;
    const { address, served } = registry;
    // The process was stopped above and the container never ran: nothing left to stop.
    throw await refuse(refusal({ address, served, checks, fallback: { engine, error: why } }));
  }
  const again = planReach({
    address: container.address,
    served: container.served,
    checks: await check(container.address),
    fallback: { engine },
  });
  if (again.kind === 'refuse') throw await refuse(again.message, container);
  return container;
}
