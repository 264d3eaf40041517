/**
 * What `xplat build` builds: for each image of xplat.yml it works on, the leg of this
 * engine's platform (or --platform), and build-platform-image's request for it from
 * xplat.yml under the flags. Kept apart from running the builds so that every request is
 * checked (exit 2) before the first build starts.
 */
import path from 'node:path';
import { formatPlatform } from '@xplat/core';
import {
  defaultBuildPlatform,
  parseBuildInputs,
  probeHost,
  type BuildInputs,
  type BuildRequest,
  type HostFacts,
} from '@xplat/engine';
import { legBuildInputs, type ResolvedImage, type ResolvedLeg } from '@xplat/workflow';
import type { CommandContext } from '../command.js';
import {
  asUsage,
  flagInputs,
  text,
  UsageError,
  type FlagTable,
  type ParsedFlags,
} from '../flags.js';
import { commandRunId, imageLegDir, pickLeg } from '../project.js';

/** One image's build: its leg, or why it is left out. No image: flags alone. */
export interface BuildTarget {
  readonly image?: ResolvedImage;
  readonly leg?: ResolvedLeg;
  readonly skipped?: string;
}

/**
 * The engine's facts, when xplat.yml must say which leg this engine builds (probed once,
 * and handed to the builds so they do not probe again). Every flag is checked before the
 * engine is asked anything; its paths come later, once the leg is known.
 */
export async function engineFacts(
  options: ParsedFlags,
  ctx: CommandContext,
  flags: FlagTable,
): Promise<HostFacts | undefined> {
  if (text(options, 'platform') || !ctx.project.config) return undefined;
  for (const image of ctx.images)
    asUsage(() =>
      parseBuildInputs(flagInputs(flags, options, configDefaults(image, undefined, ctx)), {
        cwd: ctx.cwd,
        env: ctx.docker.env,
        checkPaths: false,
      }),
    );
  asUsage(() => commandRunId(text(options, 'run-id'), ctx.env, 'unknown'));
  return probeHost({ ...ctx.docker, logger: ctx.logger });
}

/**
 * Each image's leg for --platform, else the engine's platform. One image: a platform it
 * does not list builds from its top-level values when --platform names it, and is refused
 * otherwise. Several: every image that lists it; one that does not is left out, and a
 * platform that none lists is refused.
 */
export function buildTargets(
  options: ParsedFlags,
  ctx: CommandContext,
  facts: HostFacts | undefined,
): BuildTarget[] {
  const { project } = ctx;
  if (!project.config) return [{}];
  const platform = text(options, 'platform') || undefined;
  const native = facts ? defaultBuildPlatform(facts) : undefined;
  const picks = ctx.images.map((image) => ({
    image,
    leg: asUsage(() => pickLeg(project, platform, native, '--platform', image)),
  }));
  const engine = `this engine builds ${native ? formatPlatform(native) : 'another platform'}`;
  const legNames = (image: ResolvedImage) => image.legs.map((l) => l.name).join(', ');
  if (!ctx.several) {
    if (!picks[0]!.leg && !platform)
      throw new UsageError(
        `${engine}, which ${project.configFile} does not list; give one of ${legNames(picks[0]!.image)}`,
        '--platform',
      );
    return picks;
  }
  if (!picks.some((p) => p.leg)) {
    const listed = ctx.images.map((i) => `${i.name}: ${legNames(i)}`).join('; ');
    throw new UsageError(
      platform
        ? `no image of ${project.configFile} lists ${platform} (${listed}); give one of those, or --image NAME to build it from that image's top-level values`
        : `${engine}, which no image of ${project.configFile} lists (${listed}); give --platform`,
      '--platform',
    );
  }
  const wanted = platform ?? formatPlatform(native!);
  return picks.map((p) =>
    p.leg ? p : { image: p.image, skipped: `${wanted} is not in its platforms: not built` },
  );
}

/** build-platform-image's request for one target; a flag or path that cannot be used is exit 2. */
export function buildRequest(
  options: ParsedFlags,
  ctx: CommandContext,
  flags: FlagTable,
  target: BuildTarget,
  runDir: string,
): BuildRequest {
  const context = options.positionals[0];
  const inputs: BuildInputs = flagInputs(
    flags,
    options,
    target.image ? configDefaults(target.image, target.leg, ctx) : {},
  );
  if (context) inputs.context = context;
  // Another context than xplat.yml's: its own Dockerfile, unless --file says otherwise.
  if ((context || text(options, 'context')) && !text(options, 'file')) delete inputs.file;
  // Each image's leg results in a folder of its own, so that each image's fuse finds its own.
  const resultDir = text(options, 'result-dir');
  inputs['result-dir'] = resultDir
    ? ctx.several && target.image
      ? path.join(resultDir, target.image.name)
      : resultDir
    : imageLegDir(runDir, ctx.project.config, target.image);
  return asUsage(() => parseBuildInputs(inputs, { cwd: ctx.cwd, env: ctx.docker.env }));
}

/**
 * build-platform-image's inputs from xplat.yml: the leg's, or only the top-level values
 * for a platform xplat.yml does not list. Paths in xplat.yml are from the project folder,
 * flags from the current one, so the config's are made absolute here.
 */
function configDefaults(
  image: ResolvedImage,
  leg: ResolvedLeg | undefined,
  ctx: CommandContext,
): Record<string, string> {
  const inputs: Record<string, string> = leg
    ? legBuildInputs(image, leg)
    : Object.fromEntries(
        Object.entries({
          image: image.image,
          context: image.context,
          file: image.dockerfile,
          target: image.target ?? '',
          'tag-template': image.legTag ?? '',
          cache: image.cache ?? '',
        }).filter(([, v]) => v !== ''),
      );
  if (!leg) delete inputs.platform;
  for (const key of ['context', 'file'] as const)
    if (inputs[key]) inputs[key] = path.resolve(ctx.project.dir, inputs[key]);
  return inputs;
}
