/**
 * The engines of `xplat run` as the plan sees them: a name (`local`, a docker context, a
 * DOCKER_HOST URL), where it is, and what probing it gave.
 */
import type { HostFacts } from '@xplat/engine';
import { isLoopbackHost } from '@xplat/oci';

export const LOCAL_ENGINE = 'local';

/** An engine as `xplat run` reaches it. */
export interface EngineEndpoint {
  /** `local`, a docker context name, or a DOCKER_HOST URL. */
  readonly name: string;
  /** The engine's address when known (a context's host): decides whether it is this machine. */
  readonly host: string;
}

/** What probing an engine gave: its facts, or why it could not be reached. */
export type EngineProbe =
  { readonly ok: true; readonly facts: HostFacts } | { readonly ok: false; readonly error: string };

/** unix:// and npipe:// sockets and loopback TCP are this machine; ssh:// and other hosts are not. */
export function isLocalEngineHost(host: string): boolean {
  if (!host || /^(unix|npipe):\/\//.test(host)) return true;
  if (!host.startsWith('tcp://')) return false;
  try {
    return isLoopbackHost(new URL(host).hostname);
  } catch {
    return false;
  }
}

export function engineLabel(engine: EngineEndpoint): string {
  return engine.name === LOCAL_ENGINE ? 'the local engine' : `engine ${engine.name}`;
}
