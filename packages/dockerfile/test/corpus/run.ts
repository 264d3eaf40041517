/**
 * Running a corpus leg: its lint options, and a temporary build context when it names
 * files (removed after the run).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parsePlatform } from '@xplat/core';
import { lintDockerfile, parseDockerfile, type Finding, type LintOptions } from '@xplat/dockerfile';
import type { CorpusEntry, CorpusLeg } from './windows-dockerfiles.js';

const made: string[] = [];

/** A folder holding `files` (path -> content), marked as a git repository root. */
export async function corpusContext(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-corpus-'));
  made.push(dir);
  await mkdir(path.join(dir, '.git'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

export async function removeCorpusContexts(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Lint one corpus leg as the corpus test does: native unless the leg says otherwise. */
export async function lintCorpusLeg(entry: CorpusEntry, leg: CorpusLeg): Promise<Finding[]> {
  const parsed = parseDockerfile({ file: 'Dockerfile', text: `${entry.lines.join('\n')}\n` });
  const platform = parsePlatform(leg.platform);
  const { buildPlatform, ...rest } = leg.options ?? {};
  const options: LintOptions = {
    platform,
    buildPlatform: buildPlatform ? parsePlatform(buildPlatform) : platform,
    ...rest,
    ...(leg.files ? { contextDir: await corpusContext(leg.files) } : {}),
  };
  return lintDockerfile(parsed, options);
}
