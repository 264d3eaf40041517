/**
 * The build context as the script checks see it: which context files each COPY/ADD
 * brings in (globs and directories expanded, bounded) and where they land.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ParsedInstruction, ParsedStage, Stage } from '../types.js';
import type { LintContext } from './context.js';
import { words } from './instruction-words.js';

export interface CopySource {
  ins: ParsedInstruction;
  stage: Stage;
  sources: string[];
  dest: string;
}

/**
 * The build-context sources and destination of a COPY/ADD, as written; undefined for one
 * that reads no context (COPY --from a stage or image, a here-document). URLs and git
 * remotes of ADD are left out.
 */
export function contextSourcesOf(
  ins: ParsedInstruction,
): { sources: string[]; dest: string } | undefined {
  if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') return undefined;
  if (ins.flags.some((f) => f.name === 'from') || ins.heredoc) return undefined;
  const parts = ins.json ?? words(ins);
  if (parts.length < 2) return undefined;
  const dest = parts[parts.length - 1] as string;
  const sources = parts.slice(0, -1).filter((s) => !/^([a-z]+:\/\/|git@)/i.test(s));
  return { sources, dest };
}

export function contextCopies(ctx: LintContext, stage: Stage, ps: ParsedStage): CopySource[] {
  const list: CopySource[] = [];
  for (const ins of ps.instructions) {
    const copy = contextSourcesOf(ins);
    if (copy) list.push({ ins, stage, ...copy });
  }
  return list;
}

export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'vendor']);
const MAX_FILES = 5000;

/** Files under `dir` (relative paths with "/"), bounded; skips .git and node_modules. */
export async function walk(dir: string, limit = MAX_FILES): Promise<string[]> {
  const out: string[] = [];
  const queue: string[] = [''];
  while (queue.length > 0 && out.length < limit) {
    const rel = queue.shift() as string;
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) queue.push(child);
      } else if (e.isFile()) {
        out.push(child);
      }
    }
  }
  return out;
}

/** Context files a COPY/ADD source names (globs in the last segment, directories walked). */
export async function expandSource(
  contextDir: string,
  source: string,
): Promise<{ file: string; fromDir: string | undefined }[]> {
  const clean = source.replace(/^\.?\/+/, '').replace(/\/+$/, '') || '.';
  const dirPart = path.posix.dirname(clean);
  const base = path.posix.basename(clean);
  const results: { file: string; fromDir: string | undefined }[] = [];
  const names = /[*?[]/.test(base)
    ? await readdir(path.join(contextDir, dirPart)).then(
        (all) => all.filter((n) => globToRegExp(base).test(n)),
        () => [] as string[],
      )
    : [base];
  for (const name of names) {
    const rel = clean === '.' ? '.' : path.posix.join(dirPart, name);
    const full = path.join(contextDir, rel);
    const info = await stat(full).catch(() => undefined);
    if (!info) continue;
    if (info.isDirectory()) {
      for (const f of await walk(full))
        results.push({ file: rel === '.' ? f : `${rel}/${f}`, fromDir: rel });
    } else if (info.isFile()) {
      results.push({ file: rel, fromDir: undefined });
    }
  }
  return results;
}

/** Where a copied file lands in the image. */
export function destinationOf(copy: CopySource, file: string, fromDir: string | undefined): string {
  if (fromDir !== undefined) {
    const inner = fromDir === '.' ? file : file.slice(fromDir.length + 1);
    return path.posix.join(copy.dest, inner);
  }
  if (copy.dest.endsWith('/') || copy.sources.length > 1)
    return path.posix.join(copy.dest, path.posix.basename(file));
  return copy.dest;
}
