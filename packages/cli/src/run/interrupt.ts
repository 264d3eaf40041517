/**
 * Ctrl-C / SIGTERM during `xplat run`: abort (smoke tests stop probing and remove their
 * containers), end the docker CLI processes this run started (a build whose client goes
 * away is cancelled by the engine), and let the pipeline unwind so the embedded registry
 * is stopped. A second signal exits at once.
 *
 * A terminal's Ctrl-C reaches the whole process group, children included; a `kill` of
 * this process alone does not, so children are found and signalled here. Linux lists
 * them in /proc (written by hand: no library needed for one directory walk); elsewhere
 * the process group's own delivery is what stops them.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Direct children of `pid`, from /proc/<n>/stat (field 4 is the parent pid). */
export function childPids(pid: number, procDir = '/proc'): number[] {
  let entries: string[];
  try {
    entries = readdirSync(procDir);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`${procDir}/${entry}/stat`, 'utf8');
      // The command name (field 2) is in parentheses and may hold spaces: read after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

export interface Interrupt {
  readonly signal: AbortSignal;
  /** The signal that arrived, if one did. */
  readonly received: () => NodeJS.Signals | undefined;
  dispose(): void;
}

export function onInterrupt(say: (line: string) => void): Interrupt {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      say(`${signal} again: exiting now`);
      process.exit(130);
    }
    received = signal;
    say(`${signal}: stopping builds and containers, then the registry (again to exit at once)`);
    controller.abort();
    for (const pid of childPids(process.pid)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
