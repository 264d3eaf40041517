/**
 * A Windows platform with `build-on: linux` in `xplat run`: built as CI builds it, by
 * BuildKit in a container on the local Linux engine (a buildx builder whose driver keeps
 * its own image store: docker-container, remote, kubernetes), pushed to the run's
 * registry, then smoke-tested on the Windows engine named for the platform (engines: /
 * --engine), which pulls the pushed digest. Without such an engine the image is built and
 * listed as not tested here, and not fused: only a tested platform joins the index.
 */
import { formatRunsOn } from '@xplat/core';
import {
  buildsWindowsOnLinux,
  describeWindowsBuild,
  windowsReleaseRefusal,
  type HostFacts,
} from '@xplat/engine';
import type { ResolvedLeg } from '@xplat/workflow';
import { engineLabel, isLocalEngineHost, type EngineEndpoint } from './endpoints.js';
import type { PlannedLeg, RunPlanInput, SmokePlan } from './run-plan.js';

/** What `xplat run` asks a user to create: BuildKit in a container, on the host network. */
export const CREATE_BUILDER =
  'docker buildx create --driver docker-container --driver-opt network=host --use';

type Decided = Omit<PlannedLeg, 'leg' | 'engine' | 'ciOnly'>;

function skip(leg: ResolvedLeg, why: string): Decided {
  return {
    status: 'skip',
    reason: `${leg.name} is built on Linux (build-on: linux) by BuildKit in a container, and ${why}; runs in CI on ${formatRunsOn(leg.buildRunner.runsOn)}`,
  };
}

/**
 * The builder a Windows image is built with on this Linux engine: BUILDX_BUILDER when it
 * names one, else the current builder, else the first that can; or why there is none.
 */
function pickBuilder(
  leg: ResolvedLeg,
  facts: HostFacts,
  named: string | undefined,
): { name: string; driver: string } | Decided {
  const buildx = facts.buildx;
  if (!buildx)
    return skip(
      leg,
      `docker CLI ${facts.cli.version} has no buildx plugin: install it (apt-get install docker-buildx-plugin), then ${CREATE_BUILDER}`,
    );
  if (named) {
    const builder = buildx.builders.find((b) => b.name === named);
    if (!builder)
      return skip(
        leg,
        `BUILDX_BUILDER=${named} names no builder (builders: ${buildx.builders.map((b) => b.name).join(', ') || 'none'}): unset it, or ${CREATE_BUILDER}`,
      );
    if (!buildsWindowsOnLinux(builder))
      return skip(
        leg,
        `BUILDX_BUILDER=${named} uses the ${builder.driver} driver, whose image store (the engine's) cannot hold a Windows image: unset it, or ${CREATE_BUILDER}`,
      );
    return builder;
  }
  const current = buildx.builders.find((b) => b.current);
  const usable = [current, ...buildx.builders].find((b) => b && buildsWindowsOnLinux(b));
  if (usable) return usable;
  const names = buildx.builders.map((b) => `${b.name} (${b.driver})`).join(', ') || 'none';
  return skip(
    leg,
    `no buildx builder here keeps its own image store (builders: ${names}; the docker driver stores images in the engine, which cannot hold a Windows image): ${CREATE_BUILDER}`,
  );
}

/** Where the image built on Linux is smoke-tested here, or why it is not. */
function smokePlan(leg: ResolvedLeg, input: RunPlanInput, local: EngineEndpoint): SmokePlan {
  if (leg.smokeSkip !== undefined) return { kind: 'skip', reason: leg.smokeSkip };
  const none = (why: string): SmokePlan => ({
    kind: 'none',
    reason: `built, not tested here: ${why}`,
  });
  const engine = input.engineFor(leg);
  if (engine.name === local.name)
    return none(`needs a Windows engine (--engine ${leg.name}=ssh://…)`);
  const probed = input.probe(engine);
  if (!probed.ok) return none(`cannot reach ${engineLabel(engine)}: ${probed.error}`);
  const { engine: facts } = probed.facts;
  if (facts.os !== 'windows')
    return none(`${engineLabel(engine)} is ${facts.platform}, not a Windows engine`);
  if (facts.osVersion && leg.platform.osVersion) {
    const refusal = windowsReleaseRefusal(
      facts.osVersion,
      leg.platform.osVersion,
      'process',
      'platform',
    );
    if (refusal)
      return none(
        `${engineLabel(engine)} is Windows ${describeWindowsBuild(facts.osVersion)} and cannot run ${leg.name}: ${refusal.reason}`,
      );
  }
  if (input.embeddedRegistry && !isLocalEngineHost(engine.host))
    return none(`${engine.name} cannot reach the embedded registry; pass --registry`);
  return { kind: 'here', engine };
}

export function planBuildOnLinux(
  leg: ResolvedLeg,
  input: RunPlanInput,
  local: EngineEndpoint,
): Decided & { readonly engine: EngineEndpoint } {
  const probed = input.probe(local);
  if (!probed.ok)
    return { engine: local, ...skip(leg, `the local engine cannot be reached: ${probed.error}`) };
  const { facts } = probed;
  if (facts.engine.os !== 'linux')
    return {
      engine: local,
      ...skip(leg, `the local engine is ${facts.engine.platform}, not a Linux engine`),
    };
  const builder = pickBuilder(leg, facts, input.buildxBuilder);
  if ('status' in builder) return { engine: local, ...builder };
  const smoke = smokePlan(leg, input, local);
  const tested =
    smoke.kind === 'here'
      ? `smoke-tested on ${engineLabel(smoke.engine)}`
      : smoke.kind === 'skip'
        ? `not smoke-tested: ${smoke.reason}`
        : smoke.reason;
  return {
    engine: local,
    status: 'run',
    mode: 'buildx',
    facts,
    smoke,
    buildEnv: { BUILDX_BUILDER: builder.name },
    reason: `buildx builder "${builder.name}" (${builder.driver}) on the local engine (${facts.engine.platform}); ${tested}`,
  };
}
