/**
 * `.xplat/` in the project (next to xplat.yml) holds the CLI's run state, never a shared
 * temp folder: runs/<run-id>/ (each leg's log, fuse.log, report.json), legs/<run-id>/ (leg
 * results, where `xplat build`/`smoke`/`fuse` put theirs too), registry/ (the embedded
 * registry's storage, kept across runs). A file with `images:` gets a folder per image in
 * both (`runs/<run-id>/<image>/<pair>.log`, `legs/<run-id>/<image>/`): two images build
 * the same platforms, and each image's fuse reads its own legs. A file without `images:`
 * keeps the paths it always had, so scripts that read them keep working.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig, ResolvedImage } from '@xplat/workflow';
import { imageLegDir, legResultDir } from '../project.js';

export interface RunDirs {
  readonly runId: string;
  readonly runDir: string;
  readonly legDir: string;
  readonly registryDir: string;
}

/** Where a run's state goes; nothing is made yet (see makeDirs). */
export function runDirs(projectDir: string, runId: string): RunDirs {
  const state = path.join(projectDir, '.xplat');
  return {
    runId,
    runDir: path.join(state, 'runs', runId),
    legDir: legResultDir(projectDir, runId),
    registryDir: path.join(state, 'registry'),
  };
}

/** Where one image's logs and leg results go. */
export interface ImageDirs {
  readonly logDir: string;
  readonly legDir: string;
}

/** The same per-image folders `xplat build`/`smoke`/`fuse --image` use (imageLegDir). */
export function imageDirs(dirs: RunDirs, config: ResolvedConfig, image: ResolvedImage): ImageDirs {
  return {
    logDir: imageLegDir(dirs.runDir, config, image),
    legDir: imageLegDir(dirs.legDir, config, image),
  };
}

/** Makes the folders, once the run is sure to start. */
export async function makeDirs(dirs: RunDirs, images: Iterable<ImageDirs>): Promise<void> {
  for (const dir of [dirs.runDir, dirs.legDir, ...[...images].flatMap((i) => [i.logDir, i.legDir])])
    await mkdir(dir, { recursive: true });
}
