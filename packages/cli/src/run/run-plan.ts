/**
 * Where each platform of xplat.yml runs on this machine, decided from facts alone (no
 * docker call here), so a Windows engine named in `engines:` is a plan test on Linux:
 *
 *   the local engine, natively          linux/amd64 on an amd64 Linux engine
 *   the local engine, through QEMU      a foreign Linux architecture: BuildKit + binfmt
 *   the local engine, buildx            a Windows platform with build-on: linux (see
 *                                       plan-build-on-linux.ts), smoke-tested on a Windows engine
 *   a named engine (context or URL)     engines: / --engine, e.g. a Windows host over ssh
 *   skipped, with the reason            what would make it run here, or where it runs in CI
 *
 * A leg that runs also says where its smoke test runs: on its engine, not at all
 * (`smoke: { skip }`: fused untested), or not here (built only, not fused).
 */
import { formatRunsOn } from '@xplat/core';
import {
  describeWindowsBuild,
  includesPlatform,
  nativePlatforms,
  windowsReleaseRefusal,
  type HostFacts,
} from '@xplat/engine';
import type { ResolvedLeg } from '@xplat/workflow';
import {
  engineLabel,
  isLocalEngineHost,
  LOCAL_ENGINE,
  type EngineEndpoint,
  type EngineProbe,
} from './endpoints.js';
import { planBuildOnLinux } from './plan-build-on-linux.js';
import { ciOnlySteps } from './prepare-steps.js';

export {
  isLocalEngineHost,
  LOCAL_ENGINE,
  type EngineEndpoint,
  type EngineProbe,
} from './endpoints.js';

export type LegMode = 'native' | 'qemu' | 'buildx';

/** Where a leg's smoke test runs. */
export type SmokePlan =
  /** On this engine (the build's, or the Windows engine of an image built on Linux). */
  | { readonly kind: 'here'; readonly engine: EngineEndpoint }
  /** `smoke: { skip }`: recorded as skipped, fused untested. */
  | { readonly kind: 'skip'; readonly reason: string }
  /** Built, not tested here (`built, not tested here: …`): not fused. */
  | { readonly kind: 'none'; readonly reason: string };

export interface PlannedLeg {
  readonly leg: ResolvedLeg;
  /** The engine that builds it. */
  readonly engine: EngineEndpoint;
  readonly status: 'run' | 'skip';
  /** For legs that run. */
  readonly mode?: LegMode;
  /** For legs that run: the facts of their engine, so the build need not probe it again. */
  readonly facts?: HostFacts;
  /** For legs that run. */
  readonly smoke?: SmokePlan;
  /** For legs that run: environment of the build (BUILDX_BUILDER for a Windows image on Linux). */
  readonly buildEnv?: Readonly<Record<string, string>>;
  /** The leg's `uses:` prepare steps: actions, which run in CI only. */
  readonly ciOnly: readonly string[];
  /** One line: where and how it runs, or why it is skipped and what would make it run. */
  readonly reason: string;
}

export interface RunPlanInput {
  readonly legs: readonly ResolvedLeg[];
  /** Platform name -> the engine named for it (engines:, --engine); absent: the local engine. */
  readonly engineFor: (leg: ResolvedLeg) => EngineEndpoint;
  readonly probe: (engine: EngineEndpoint) => EngineProbe;
  /** The registry is the embedded one on 127.0.0.1: only this machine's engines reach it. */
  readonly embeddedRegistry: boolean;
  /** This machine's engine (default `local`, as DOCKER_HOST / the context picks it). */
  readonly local?: EngineEndpoint;
  /** BUILDX_BUILDER of the environment: the builder a Windows image on Linux must use. */
  readonly buildxBuilder?: string;
}

type Decided = Omit<PlannedLeg, 'leg' | 'engine' | 'ciOnly'>;

function ciRunner(leg: ResolvedLeg): string {
  return formatRunsOn(leg.buildRunner.runsOn);
}

function needsEngineOf(leg: ResolvedLeg, facts: HostFacts, engine: EngineEndpoint): string {
  const os = leg.platform.os === 'windows' ? 'Windows' : 'Linux';
  const have = facts.engine.platform;
  return `needs a ${os} engine (${engineLabel(engine)} is ${have}): runs in CI on ${ciRunner(leg)}, or name one with --engine ${leg.name}=ssh://user@host (or engines: in xplat.yml)`;
}

/** A Linux leg on a Linux engine: native, or QEMU through BuildKit, or why neither. */
function planLinux(leg: ResolvedLeg, facts: HostFacts, engine: EngineEndpoint): Decided {
  const where = engineLabel(engine);
  if (includesPlatform(nativePlatforms(facts), leg.platform))
    return {
      status: 'run',
      mode: 'native',
      reason: `native on ${where} (${facts.engine.platform})`,
    };
  const buildkit = facts.cli.buildkitBuiltIn || facts.buildx !== undefined;
  const emulated = includesPlatform(facts.binfmt.emulated, leg.platform);
  const arch = leg.platform.architecture;
  if (!buildkit)
    return {
      status: 'skip',
      reason: `${leg.name} on ${where} (${facts.engine.platform}) needs BuildKit and the docker CLI ${facts.cli.version} has none: install the docker buildx plugin${emulated ? '' : `, and QEMU for ${arch} (apt-get install qemu-user-static binfmt-support, or docker run --privileged --rm tonistiigi/binfmt --install ${arch})`}; runs in CI on ${ciRunner(leg)}`,
    };
  if (!emulated)
    return {
      status: 'skip',
      reason: `${leg.name} on ${where} (${facts.engine.platform}) needs QEMU for ${arch}, and binfmt has no handler: apt-get install qemu-user-static binfmt-support, or docker run --privileged --rm tonistiigi/binfmt --install ${arch}; runs in CI on ${ciRunner(leg)}`,
    };
  return {
    status: 'run',
    mode: 'qemu',
    reason: `QEMU on ${where} (${facts.engine.platform}, BuildKit, binfmt ${arch})`,
  };
}

/** A Windows leg on a Windows engine: its release must run on that host. */
function planWindows(leg: ResolvedLeg, facts: HostFacts, engine: EngineEndpoint): Decided {
  const where = engineLabel(engine);
  const host = facts.engine.osVersion;
  const want = leg.platform.osVersion;
  if (host && want) {
    const refusal = windowsReleaseRefusal(host, want, 'process', 'platform');
    if (refusal)
      return {
        status: 'skip',
        reason: `${where} is Windows ${describeWindowsBuild(host)} and cannot build ${leg.name}: ${refusal.reason}`,
      };
  }
  return {
    status: 'run',
    mode: 'native',
    reason: `native on ${where} (Windows${host ? ` ${describeWindowsBuild(host)}` : ''})`,
  };
}

function smokeHere(leg: ResolvedLeg, engine: EngineEndpoint): SmokePlan {
  return leg.smokeSkip !== undefined
    ? { kind: 'skip', reason: leg.smokeSkip }
    : { kind: 'here', engine };
}

function planLeg(leg: ResolvedLeg, input: RunPlanInput): Decided & { engine: EngineEndpoint } {
  if (leg.platform.os === 'windows' && leg.buildOn === 'linux')
    return planBuildOnLinux(leg, input, input.local ?? { name: LOCAL_ENGINE, host: '' });
  const engine = input.engineFor(leg);
  const probed = input.probe(engine);
  if (!probed.ok)
    return {
      engine,
      status: 'skip',
      reason: `cannot reach ${engineLabel(engine)}: ${probed.error}`,
    };
  const { facts } = probed;
  if (facts.engine.os !== leg.platform.os)
    return { engine, status: 'skip', reason: needsEngineOf(leg, facts, engine) };
  if (input.embeddedRegistry && !isLocalEngineHost(engine.host))
    return {
      engine,
      status: 'skip',
      reason: `${engineLabel(engine)} (${engine.host}) is another machine and cannot push to the embedded registry on 127.0.0.1: pass --registry with a registry both machines reach`,
    };
  const decided =
    leg.platform.os === 'windows' ? planWindows(leg, facts, engine) : planLinux(leg, facts, engine);
  if (decided.status !== 'run') return { engine, ...decided };
  const smoke = smokeHere(leg, engine);
  const reason =
    smoke.kind === 'skip' ? `${decided.reason}; not smoke-tested: ${smoke.reason}` : decided.reason;
  return { engine, ...decided, reason, facts, smoke };
}

export function planRun(input: RunPlanInput): PlannedLeg[] {
  return input.legs.map((leg): PlannedLeg => ({
    leg,
    ...planLeg(leg, input),
    ciOnly: ciOnlySteps(leg),
  }));
}

/** Legs that cannot give the index a tested image here: skipped, or built but not tested. */
export function notHere(plan: readonly PlannedLeg[]): PlannedLeg[] {
  return plan.filter((p) => p.status === 'skip' || p.smoke?.kind === 'none');
}
