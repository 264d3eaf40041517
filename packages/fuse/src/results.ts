/**
 * Finds and reads the leg results the gate judges. `results` takes files, folders (every
 * .json below them, as actions/download-artifact lays out one folder per artifact) and
 * globs; a pattern that finds nothing is an error, because a silently empty pattern
 * would turn "a leg is missing" into a confusing gate table.
 *
 * The search is bounded (depth, folders visited, files found). A pattern whose search
 * starts at the root of the filesystem (`/`, a glob such as `/` + `**` + `/*.json`, `C:\`,
 * or `../..` resolving there) is refused before anything is read: leg results are never
 * there, and what such a search finds first depends on the machine (any .json near `/`
 * would be read as a leg result), so the answer would too.
 */
import { readLegResult, XplatError, type LoadedLegResult } from '@xplat/core';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';

/** Folder levels searched below a folder or a glob's base (artifact/leg.json is 1). */
export const RESULTS_MAX_DEPTH = 4;
/** Folders looked into per pattern. */
export const RESULTS_MAX_FOLDERS = 2000;
/** Leg result files per pattern: far more than any fleet has legs. */
export const RESULTS_MAX_FILES = 500;

export async function findResultFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const absolute = path.resolve(cwd, pattern);
    if (searchBase(absolute) === path.parse(absolute).root)
      throw new XplatError(
        `"${pattern}" searches from the root of the filesystem (${path.parse(absolute).root}); point it at the folder the leg results were downloaded to, e.g. \${{ runner.temp }}/xplat-legs`,
        'results',
      );
    const info = await stat(absolute).catch(() => undefined);
    let files: string[];
    let searched: string;
    if (info?.isFile()) {
      files = [absolute];
      searched = absolute;
    } else if (info?.isDirectory()) {
      const walk = await jsonFilesBelow(absolute, pattern);
      files = walk.files;
      searched = `${absolute} and ${RESULTS_MAX_DEPTH} levels below (${walk.folders} folder${walk.folders === 1 ? '' : 's'})`;
    } else {
      // Globs take forward slashes on every OS; tinyglobby answers with absolute paths.
      const matches = await glob(toGlob(absolute), {
        absolute: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        expandDirectories: false,
        deep: RESULTS_MAX_DEPTH + 1,
      });
      files = matches.filter((f) => f.endsWith('.json')).map((f) => path.resolve(f));
      searched = `${toGlob(absolute)}, at most ${RESULTS_MAX_DEPTH + 1} levels deep`;
    }
    if (files.length > RESULTS_MAX_FILES)
      throw new XplatError(
        `"${pattern}" matched more than ${RESULTS_MAX_FILES} .json files (searched ${searched}); point it at the folder the leg results were downloaded to`,
        'results',
      );
    if (files.length === 0)
      throw new XplatError(
        `"${pattern}" matched no leg result file (searched ${searched}; relative paths are from ${cwd})`,
        'results',
      );
    files.forEach((f) => found.add(path.normalize(f)));
  }
  return [...found].sort();
}

/**
 * Every .json file in `dir` and up to RESULTS_MAX_DEPTH folder levels below, without
 * following symbolic links; refuses a folder holding more than the bounds allow.
 */
async function jsonFilesBelow(
  dir: string,
  pattern: string,
): Promise<{ files: string[]; folders: number }> {
  const files: string[] = [];
  let folders = 0;
  let level = [dir];
  for (let depth = 0; depth <= RESULTS_MAX_DEPTH && level.length; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      if (++folders > RESULTS_MAX_FOLDERS)
        throw new XplatError(
          `"${pattern}" has more than ${RESULTS_MAX_FOLDERS} folders within ${RESULTS_MAX_DEPTH} levels of ${dir}; point it at the folder the leg results were downloaded to`,
          'results',
        );
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        // Hidden entries are skipped, as the glob search always did (dot: false).
        if (entry.name.startsWith('.')) continue;
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) next.push(full);
        else if (entry.isFile() && entry.name.endsWith('.json')) {
          files.push(full);
          if (files.length > RESULTS_MAX_FILES) return { files, folders };
        }
      }
    }
    level = next;
  }
  return { files, folders };
}

export async function loadLegResults(
  patterns: readonly string[],
  cwd: string,
): Promise<LoadedLegResult[]> {
  const files = await findResultFiles(patterns, cwd);
  return Promise.all(files.map((file) => readLegResult(file)));
}

/** Characters that make a path segment a glob (tinyglobby / picomatch syntax). */
const GLOB_SYNTAX = /[*?[\]{}()!]/;

/**
 * Where a search for `absolute` starts: the path itself, or for a glob the folders before
 * its first segment with glob syntax (for `/a/b/**`, `/a/b`).
 */
export function searchBase(absolute: string): string {
  const { root } = path.parse(absolute);
  const segments = absolute.slice(root.length).split(/[\\/]/);
  const first = segments.findIndex((s) => GLOB_SYNTAX.test(s));
  return first < 0 ? path.normalize(absolute) : path.join(root, ...segments.slice(0, first));
}

function toGlob(file: string): string {
  return file.split(path.sep).join('/');
}
