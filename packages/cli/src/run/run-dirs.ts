/**
 * `.xplat/` in the project (next to xplat.yml) holds the CLI's run state, never a shared
 * temp folder: runs/<run-id>/ (each leg's log, report.json), legs/<run-id>/ (leg results,
 * where `xplat build`/`smoke`/`fuse` put theirs too), registry/ (the embedded registry's
 * storage, kept across runs).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { legResultDir } from '../project.js';

export interface RunDirs {
  readonly runId: string;
  readonly runDir: string;
  readonly legDir: string;
  readonly registryDir: string;
}

export async function runDirs(projectDir: string, runId: string): Promise<RunDirs> {
  const state = path.join(projectDir, '.xplat');
  const dirs: RunDirs = {
    runId,
    runDir: path.join(state, 'runs', runId),
    legDir: legResultDir(projectDir, runId),
    registryDir: path.join(state, 'registry'),
  };
  await mkdir(dirs.runDir, { recursive: true });
  await mkdir(dirs.legDir, { recursive: true });
  return dirs;
}
