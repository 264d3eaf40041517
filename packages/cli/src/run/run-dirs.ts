/**
 * `.xplat/` in the project (next to xplat.yml) holds the CLI's run state, never a shared
 * temp folder: runs/<run-id>/ (each leg's log, report.json), legs/<run-id>/ (leg results),
 * registry/ (the embedded registry's storage, kept across runs).
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export const STATE_DIR = '.xplat';

/** `20261201-101500-3fa2`: sortable, unique enough for one machine, valid in a tag. */
export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export interface RunDirs {
  readonly runId: string;
  readonly runDir: string;
  readonly legDir: string;
  readonly registryDir: string;
}

export async function runDirs(projectDir: string, runId: string): Promise<RunDirs> {
  const state = path.join(projectDir, STATE_DIR);
  const dirs: RunDirs = {
    runId,
    runDir: path.join(state, 'runs', runId),
    legDir: path.join(state, 'legs', runId),
    registryDir: path.join(state, 'registry'),
  };
  await mkdir(dirs.runDir, { recursive: true });
  await mkdir(dirs.legDir, { recursive: true });
  return dirs;
}
