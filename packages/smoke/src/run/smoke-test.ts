/**
 * The smoke test: start the image, poll its probes until all pass (or one runs out of
 * time, or the container exits), stop it and judge the stop, and always remove it.
 * Returns a report for anything the image did; throws only for inputs the user must fix
 * or an engine that cannot be reached, so a thrown error never becomes a verdict.
 *
 * This file turns the request into a plan (platform, host, image, ports); the phases
 * that carry the plan out are its siblings, in the order execute-plan.ts runs them.
 */
import { randomBytes } from 'node:crypto';
import {
  errorMessage,
  formatPlatform,
  type LoadedLegResult,
  ociPlatformString,
  parsePlatform,
  type Platform,
  platformPair,
  readLegResult,
  silentLogger,
} from '@xplat/core';
import { freePort } from '@xplat/core/free-port';
import {
  engineHost,
  inspectImage,
  pullImage,
  type DockerOptions,
  type ImageInfo,
} from '@xplat/engine';
import { hostDefaults, hostFromEngine } from '../host.js';
import { checkLegImage, legImage, type LegImage } from '../leg-image.js';
import { platformOfLeg, samePlatform } from '../leg-platform.js';
import type { SmokeRequest } from '../options.js';
import { planSmoke } from '../plan.js';
import type { CheckReport, SmokeReport } from '../report.js';
import { executePlan } from './execute-plan.js';
import { finishRun } from './finish-run.js';
import { newSmokeRun, type SmokeDeps } from './smoke-run.js';

export async function smokeTest(input: SmokeRequest, deps: SmokeDeps = {}): Promise<SmokeReport> {
  const logger = deps.logger ?? silentLogger;
  const dockerOptions: DockerOptions = { ...deps.docker, logger };
  const t0 = Date.now();
  if (input.skip !== undefined)
    throw new Error(`a skip (${input.skip}) runs nothing: record it with skipSmokeTest`);

  // A leg result supplies the platform (and a Windows image's os.version) when the
  // inputs leave them out, and must agree with them when they do not; it names the image
  // to test when the inputs do not, and must be the image they name when they do.
  let platform = input.platform;
  let leg: LoadedLegResult | undefined;
  let target: LegImage = { image: input.image };
  if (input.resultFile) {
    leg = await readLegResult(input.resultFile);
    platform = platformOfLeg(platform, leg);
    target = legImage(input.image, leg);
  }
  const legOsVersion = leg?.result.osVersion;
  const request: SmokeRequest = { ...input, image: target.image };

  // The host's facts and the image's are independent: both asked at once.
  const local = inspectImage(request.image, dockerOptions).then(
    (info) => ({ info }),
    (error: unknown) => ({ error }),
  );
  const host = deps.host ?? hostFromEngine(await engineHost(dockerOptions));
  const checks: CheckReport[] = [];
  const run = newSmokeRun(request, host, checks, logger, dockerOptions, deps, t0);

  // The image: the engine's facts about it (platform, os.version, stop signal), pulled
  // first when it is not local so the platform can be checked before anything runs.
  let image: ImageInfo | undefined;
  try {
    const found = await local;
    if ('error' in found) throw found.error;
    image = found.info;
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
    return finishRun(run, undefined, {
      check: 'image',
      reason: `cannot get the image ${request.image}: ${errorMessage(error)}`,
    });
  }
  // Not a verdict: the image is not the leg's, and the leg result stays as it was.
  if (leg) checkLegImage(target, image, leg);
  if (image && platform) {
    const actual = imagePlatform(image);
    if (actual && !samePlatform(platform, actual)) {
      return finishRun(run, undefined, {
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
  return executePlan(run, plan, image);
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
