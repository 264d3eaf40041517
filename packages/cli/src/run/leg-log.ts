/**
 * The logs of a run, `.xplat/runs/<run-id>/<pair>.log` per leg (and fuse.log): every line
 * the libraries log for that leg (build output included, streamed as it comes), each with
 * the time since the leg started. The terminal shows phases only; these files are what to
 * read on failure.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Logger } from '@xplat/core';

export interface RunLog extends Logger {
  readonly file: string;
  close(): Promise<void>;
}

export function openRunLog(file: string, now: () => number = Date.now): RunLog {
  const stream: WriteStream = createWriteStream(file, { flags: 'w' });
  const start = now();
  const write = (prefix: string, message: string) => {
    const stamp = `[${((now() - start) / 1000).toFixed(1).padStart(6)}s] `;
    for (const line of message.split(/\r?\n/)) stream.write(`${stamp}${prefix}${line}\n`);
  };
  return {
    file,
    debug: (m) => write('debug: ', m),
    info: (m) => write('', m),
    warning: (m) => write('warning: ', m),
    async group(title, fn) {
      write('== ', title);
      return fn();
    },
    close: () =>
      new Promise<void>((resolve) => {
        stream.end(() => resolve());
      }),
  };
}

/** The last `count` lines of a log, for the terminal when a leg failed. */
export async function logTail(file: string, count: number): Promise<string[]> {
  try {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim());
    return lines.slice(-count);
  } catch {
    return [];
  }
}
