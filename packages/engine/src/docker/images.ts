/** Images as the engine sees them: what platform a local image is, and pulling one. */
import { docker, isNotFound, runDocker, DockerError, type DockerOptions } from './docker.js';

export interface ImageInfo {
  readonly id: string;
  readonly os: string;
  readonly architecture: string;
  readonly variant: string;
  /** Windows images: the `os.version` of the base, e.g. 10.0.20348.2655. */
  readonly osVersion: string;
  readonly repoDigests: readonly string[];
  /** The image's STOPSIGNAL, empty for the engine default (SIGTERM). */
  readonly stopSignal: string;
}

export const imageInspectPlan = (ref: string): string[] => ['image', 'inspect', ref];

/** The local image's facts, or undefined when the engine does not have it. */
export async function inspectImage(
  ref: string,
  options: DockerOptions = {},
): Promise<ImageInfo | undefined> {
  const out = await runDocker(imageInspectPlan(ref), options);
  if (out.exitCode !== 0) {
    if (isNotFound(out)) return undefined;
    throw new DockerError(out);
  }
  return parseImageInspect(out.stdout);
}

interface RawImage {
  Id?: string;
  Os?: string;
  Architecture?: string;
  Variant?: string;
  OsVersion?: string;
  RepoDigests?: string[];
  Config?: { StopSignal?: string } | null;
}

export function parseImageInspect(json: string): ImageInfo {
  const parsed = JSON.parse(json) as RawImage[] | RawImage;
  const raw = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!raw?.Id) throw new Error('docker image inspect returned no image');
  return {
    id: raw.Id,
    os: raw.Os ?? '',
    architecture: raw.Architecture ?? '',
    variant: raw.Variant ?? '',
    osVersion: raw.OsVersion ?? '',
    repoDigests: raw.RepoDigests ?? [],
    stopSignal: raw.Config?.StopSignal ?? '',
  };
}

export function pullPlan(ref: string, platform?: string): string[] {
  return ['pull', ...(platform ? ['--platform', platform] : []), ref];
}

export async function pullImage(
  ref: string,
  platform: string | undefined,
  options: DockerOptions = {},
): Promise<void> {
  await docker(pullPlan(ref, platform), options);
}
