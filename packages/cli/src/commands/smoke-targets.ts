/**
 * What `xplat smoke` tests: for each image of xplat.yml it works on, the leg of --platform
 * (else the engine's platform), probed with that leg's smoke settings, and, when no image
 * is given, the image this run built for it, whose leg result then records the verdict.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parsePlatform, readLegResult, type Platform } from '@xplat/core';
import { engineHost } from '@xplat/engine';
import { parseSmokeInputs, type SmokeInputs } from '@xplat/smoke';
import { legSmokeInputs, type ResolvedImage, type ResolvedLeg } from '@xplat/workflow';
import type { CliIO, CommandContext } from '../command.js';
import {
  asUsage,
  flagInputs,
  text,
  toUsage,
  UsageError,
  type FlagTable,
  type ParsedFlags,
} from '../flags.js';
import { imageLegDir, pickLeg } from '../project.js';
import { runResultDir, shown } from './common.js';

/** One image's smoke test: its inputs, why it is left out, or why it cannot run. */
export interface SmokeTarget {
  readonly image?: ResolvedImage;
  readonly inputs?: SmokeInputs;
  readonly skipped?: string;
  /** Its leg result cannot be tested (its build failed): reported for this image alone. */
  readonly error?: unknown;
}

/**
 * The smoke-test inputs of each image in `images`: xplat.yml's leg under the flags, `ref`
 * (IMAGE or --image as a reference) or else the image of this run's leg result.
 */
export async function smokeTargets(
  options: ParsedFlags,
  ctx: CommandContext,
  flags: FlagTable,
  images: readonly ResolvedImage[],
  several: boolean,
  ref: string | undefined,
): Promise<SmokeTarget[]> {
  const { project } = ctx;
  const withRef = (inputs: SmokeInputs): SmokeInputs => (ref ? { ...inputs, image: ref } : inputs);
  if (!project.config) return [{ inputs: withRef(flagInputs(flags, options)) }];
  const platform = text(options, 'platform');
  // The flags are checked before the engine is asked anything: refused when they fit no
  // leg of xplat.yml (the leg's own settings are checked again once known).
  if (!platform)
    precheckSmokeFlags(
      flagInputs(flags, options),
      ref,
      images.flatMap((i) => i.legs),
    );
  const native = platform ? undefined : await enginePlatform(ctx);
  const fromResult = !ref && !text(options, 'result-file');
  const runDir = fromResult ? await runResultDir(options, ctx, project) : '';
  const targets: SmokeTarget[] = [];
  for (const image of images) {
    const leg = asUsage(() => pickLeg(project, platform || undefined, native, '--platform', image));
    if (!leg && several) {
      targets.push({ image, skipped: `${platform || 'this platform'} is not in its platforms` });
      continue;
    }
    let defaults: Record<string, string> = leg ? legSmokeInputs(leg) : {};
    // No image given: the one this run built for the leg, and its result records the
    // verdict. A --result-file given names the image itself (the smoke library reads it).
    if (leg && fromResult) {
      const file = path.join(imageLegDir(runDir, project.config, image), `${leg.pair}.json`);
      if (several && !existsSync(file)) {
        targets.push({ image, skipped: `no leg result at ${shown(ctx, file)}: not built yet` });
        continue;
      }
      try {
        defaults = { ...defaults, ...(await fromLegResult(file, ctx)) };
      } catch (error) {
        if (!several) throw error;
        targets.push({ image, error });
        continue;
      }
    }
    targets.push({ image, inputs: withRef(flagInputs(flags, options, defaults)) });
  }
  if (targets.every((t) => t.skipped !== undefined))
    throw new UsageError(
      `nothing to smoke-test: ${targets.map((t) => `${t.image?.name}: ${t.skipped}`).join('; ')}; build first (xplat build) or give --image NAME and IMAGE`,
      'image',
    );
  return targets;
}

/** The engine's platform, when it is one xplat knows (else legs are picked by flag only). */
async function enginePlatform(ctx: CommandContext): Promise<Platform | undefined> {
  const host = await engineHost({ ...ctx.docker, logger: ctx.logger });
  try {
    return parsePlatform(`${host.os}/${host.architecture}`);
  } catch {
    return undefined;
  }
}

/** The image and result file of a built leg, or a usage error saying how to get one. */
async function fromLegResult(file: string, io: CliIO): Promise<Record<string, string>> {
  if (!existsSync(file))
    throw new UsageError(
      `no image given and no leg result at ${shown(io, file)}; build first (xplat build) or give IMAGE`,
      'image',
    );
  const { result } = await asUsage(() => readLegResult(file));
  if (result.failure)
    throw new UsageError(
      `the build of ${result.platform} failed (${shown(io, file)}): ${result.failure.reason}`,
      'image',
    );
  return {
    image: result.pushed ? `${result.image}@${result.digest}` : result.digest,
    'result-file': file,
  };
}

/** Throws the first leg's error when the flags fit no leg's smoke settings. */
function precheckSmokeFlags(
  flags: Record<string, string>,
  image: string | undefined,
  legs: readonly ResolvedLeg[],
): void {
  let first: unknown;
  for (const leg of legs) {
    try {
      // Placeholders for what this run's leg result gives once the leg is known.
      parseSmokeInputs({
        ...legSmokeInputs(leg),
        ...flags,
        image: image || 'localhost/placeholder',
        'result-file': flags['result-file'] || 'placeholder.json',
      });
      return;
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== undefined) throw toUsage(first);
}
