/**
 * Finds and reads the leg results the gate judges. `results` takes files, folders (every
 * .json below them, as actions/download-artifact lays out one folder per artifact) and
 * globs; a pattern that finds nothing is an error, because a silently empty pattern
 * would turn "a leg is missing" into a confusing gate table.
 */
import { readLegResult, XplatError, type LoadedLegResult } from '@xplat/core';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';

export async function findResultFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const absolute = path.resolve(cwd, pattern);
    const info = await stat(absolute).catch(() => undefined);
    let files: string[];
    if (info?.isFile()) {
      files = [absolute];
    } else {
      // Globs take forward slashes on every OS; tinyglobby answers with absolute paths.
      const search = info?.isDirectory() ? `${toGlob(absolute)}/**/*.json` : toGlob(absolute);
      const matches = await glob(search, {
        absolute: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        expandDirectories: false,
      });
      files = matches.filter((f) => f.endsWith('.json')).map((f) => path.resolve(f));
    }
    if (files.length === 0) {
      throw new XplatError(`"${pattern}" matched no leg result file (looked in ${cwd})`, 'results');
    }
    files.forEach((f) => found.add(path.normalize(f)));
  }
  return [...found].sort();
}

export async function loadLegResults(
  patterns: readonly string[],
  cwd: string,
): Promise<LoadedLegResult[]> {
  const files = await findResultFiles(patterns, cwd);
  return Promise.all(files.map((file) => readLegResult(file)));
}

function toGlob(file: string): string {
  return file.split(path.sep).join('/');
}
