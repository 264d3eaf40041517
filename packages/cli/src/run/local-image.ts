/**
 * What `xplat run` leaves to run. The embedded registry stops with the run, its port with
 * it, so a `docker run 127.0.0.1:PORT/…` printed at the end would not work: the index's
 * leg for the local engine's own platform is put in that engine under a name of its own.
 *
 *   name   xplat.yml's repository path without its registry, with the index's first tag:
 *          ghcr.io/xplat-dev/hello-http -> xplat-dev/hello-http:local
 *   leg    the fused leg the local engine runs natively (on Windows: a release it runs)
 *   image  already in the engine by its digest (the engine built and pushed it), else
 *          pulled by its digest while the registry still runs; then tagged with the name
 */
import type { Platform } from '@xplat/core';
import {
  includesPlatform,
  nativePlatforms,
  runDocker,
  windowsReleaseRefusal,
  type HostFacts,
} from '@xplat/engine';
import { parseRepository } from '@xplat/oci';
import { dockerWords } from './docker-words.js';
import type { EngineDocker } from './leg-run.js';

/** `ghcr.io/xplat-dev/hello-http` and tag `local` -> `xplat-dev/hello-http:local`. */
export function localName(image: string, tag: string): string {
  return `${parseRepository(image, 'image').repository}:${tag}`;
}

/** A leg of the fused index: its platform and where it was pushed (`repo@digest`). */
export interface IndexLeg {
  readonly name: string;
  readonly platform: Platform;
  readonly ref: string;
}

/** The leg the engine runs as its own: its OS and architecture; on Windows, a release it runs. */
export function localLeg<L extends IndexLeg>(facts: HostFacts, legs: readonly L[]): L | undefined {
  const own = legs.filter((l) => includesPlatform(nativePlatforms(facts), l.platform));
  if (facts.engine.os !== 'windows') return own[0];
  const host = facts.engine.osVersion;
  const isolation = facts.engine.isolation === 'hyperv' ? 'hyperv' : 'process';
  const runs = (l: L) =>
    !host ||
    !l.platform.osVersion ||
    !windowsReleaseRefusal(host, l.platform.osVersion, isolation, 'platform');
  const build = (v: string) => v.split('.').slice(0, 3).join('.');
  // The host's own release first: it runs under process isolation with no surprises.
  return (
    own.find((l) => host && l.platform.osVersion && build(l.platform.osVersion) === build(host)) ??
    own.find(runs)
  );
}

export type DockerRun = (args: readonly string[]) => Promise<{
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}>;

export type LeftImage =
  | { readonly ok: true; readonly name: string; readonly pulled: boolean }
  | { readonly ok: false; readonly why: string };

/**
 * `docker image inspect REF` (already there?), else `docker pull REF` and inspect again,
 * then `docker tag ID NAME`: by the image ID, which every engine resolves, where a
 * `repo@digest` source is resolved only through the repo digests it recorded.
 */
export async function leaveImage(ref: string, name: string, run: DockerRun): Promise<LeftImage> {
  const inspect = async () => {
    const out = await run(['image', 'inspect', '--format', '{{.Id}}', ref]);
    return out.exitCode === 0 ? out.stdout.trim() : undefined;
  };
  let id = await inspect();
  const pulled = id === undefined;
  if (id === undefined) {
    const pull = await run(['pull', ref]);
    if (pull.exitCode !== 0)
      return { ok: false, why: `docker pull ${ref} failed: ${dockerWords(pull.stderr)}` };
    id = await inspect();
    if (id === undefined) return { ok: false, why: `the engine has no ${ref} after pulling it` };
  }
  const tag = await run(['tag', id, name]);
  if (tag.exitCode !== 0)
    return { ok: false, why: `docker tag ${name} failed: ${dockerWords(tag.stderr)}` };
  return { ok: true, name, pulled };
}

export function dockerRunOf(docker: EngineDocker): DockerRun {
  return (args) => runDocker(args, docker);
}

/** The printed command: the port the smoke test probed, on the run's --network. */
export function runCommandLine(image: string, port: number | undefined, network: string): string {
  // Host networking publishes nothing: the service is on the host's port already.
  const net = network ? ` --network ${network}` : '';
  const publish = port && network !== 'host' ? ` -p ${port}:${port}` : '';
  return `docker run --rm${net}${publish} ${image}`;
}
