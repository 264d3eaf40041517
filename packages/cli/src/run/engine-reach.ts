/**
 * Does an engine reach the run's registry? Asked of the engine itself, since only it
 * knows where its 127.0.0.1 is: Docker Desktop's and Colima's engines run in a VM, a
 * rootless or namespaced dockerd in a network namespace of its own, and there "127.0.0.1"
 * is not this machine. The engine pulls a manifest that cannot exist:
 *
 *   docker pull 127.0.0.1:PORT/xplat/reachability@sha256:000…000
 *
 * Any answer of the registry (manifest unknown, not found, unauthorized) means the engine
 * reached it; connection refused, a timeout, or no answer within the bound means it did
 * not, and a push from it would fail only after the build.
 */
import { execFile } from 'node:child_process';
import { dockerWords } from './docker-words.js';
import type { EngineDocker } from './leg-run.js';

export const REACH_REPOSITORY = 'xplat/reachability';
/** No registry can hold a manifest whose digest is all zeros: the answer is always an error. */
export const REACH_DIGEST = `sha256:${'0'.repeat(64)}`;
/** How long an engine may take to answer before it counts as not reaching the registry. */
export const REACH_TIMEOUT_MS = 10_000;

export type Reach =
  | { readonly reached: true }
  | {
      readonly reached: false;
      /** The engine's own words, or the timeout. */ readonly why: string;
    };

export function reachProbePlan(registry: string): string[] {
  return ['pull', `${registry}/${REACH_REPOSITORY}@${REACH_DIGEST}`];
}

/** The registry answered: whatever it said about a manifest, the engine got there. */
const ANSWERED =
  /manifest unknown|manifest for .* not found|not found: manifest|unauthorized|no basic auth credentials|denied|authentication required/i;
/** The engine never got an HTTP answer. Checked first: these messages quote the URL. */
const NO_ANSWER =
  /dial tcp|connection refused|connection reset|no route to host|network is unreachable|i\/o timeout|deadline exceeded|timeout|no such host|\bEOF\b|TLS handshake/i;

export interface ProbeResult {
  readonly exitCode: number;
  readonly stderr: string;
  /** The probe was ended after REACH_TIMEOUT_MS. */
  readonly timedOut: boolean;
}

export function classifyReach(result: ProbeResult, timeoutMs = REACH_TIMEOUT_MS): Reach {
  if (result.timedOut) return { reached: false, why: `no answer within ${timeoutMs / 1000} s` };
  if (result.exitCode === 0) return { reached: true };
  const words = dockerWords(result.stderr);
  if (!NO_ANSWER.test(words) && ANSWERED.test(words)) return { reached: true };
  // Anything else (the engine refusing the pull itself) would fail the push the same way.
  return { reached: false, why: words || `docker pull exited with ${result.exitCode}` };
}

/**
 * The probe, bounded in time. @actions/exec can neither time a command out nor hand back
 * its process, and an engine whose 127.0.0.1 drops packets would hold the run for its
 * own dial timeout; so this one command runs through execFile: still an argument array
 * and no shell, ended (SIGTERM: the CLI cancels its request) after `timeoutMs`.
 */
export function probeReach(
  registry: string,
  docker: EngineDocker,
  options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {},
): Promise<Reach> {
  const timeoutMs = options.timeoutMs ?? REACH_TIMEOUT_MS;
  const binary = docker.docker || docker.env.XPLAT_DOCKER || 'docker';
  return new Promise((resolve) => {
    execFile(
      binary,
      reachProbePlan(registry),
      {
        env: docker.env,
        timeout: timeoutMs,
        killSignal: 'SIGTERM',
        windowsHide: true,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, _stdout, stderr) => {
        const failed = error as (Error & { code?: unknown; killed?: boolean }) | null;
        if (failed && typeof failed.code === 'string')
          // ENOENT and the like: the CLI itself could not start.
          return resolve({ reached: false, why: `cannot run ${binary}: ${failed.message}` });
        resolve(
          classifyReach(
            {
              exitCode: failed ? (typeof failed.code === 'number' ? failed.code : 1) : 0,
              stderr: String(stderr),
              timedOut: failed?.killed === true && !options.signal?.aborted,
            },
            timeoutMs,
          ),
        );
      },
    );
  });
}
