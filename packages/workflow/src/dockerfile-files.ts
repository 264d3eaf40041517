/**
 * The Dockerfiles of a repository as `xplat init` sees them: found by name (`Dockerfile`,
 * `Dockerfile.windows`, `windows.Dockerfile`, `app.nanoserver`, `windows/…/Dockerfile`),
 * the group that belongs together (one folder and its `windows/` subfolders), and the
 * build context each file most likely uses.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ParsedDockerfile } from '@xplat/dockerfile';

const SKIP = new Set(['node_modules', 'vendor', 'dist', 'build', 'target', 'testdata']);
/** How deep below the root init looks (windows/ltsc2022/Dockerfile under a service folder). */
const MAX_DEPTH = 3;

/** Extensions of files that sit next to Dockerfiles but are not one. */
const NOT_A_DOCKERFILE =
  /\.(dockerignore|md|txt|sh|ps1|bat|cmd|ya?ml|json|toml|orig|bak|rej|swp|tmpl|template|tpl|j2|in|erb|mustache)$/i;

/** A Dockerfile by its name: Dockerfile[.x], Containerfile[.x], x.Dockerfile, x.nanoserver. */
export function isDockerfileName(name: string): boolean {
  if (name.startsWith('.') || NOT_A_DOCKERFILE.test(name)) return false;
  return (
    /^(Dockerfile|Containerfile|dockerfile)([._-].+)?$/.test(name) ||
    /\.(Dockerfile|dockerfile|Containerfile)$/.test(name) ||
    /\.(nanoserver|servercore)$/i.test(name)
  );
}

/**
 * Windows by its path: a name part `windows`, `win`, `nanoserver`, `servercore` or an LTSC
 * release (`Dockerfile.windows`, `windows.Dockerfile`, `Dockerfile-win`,
 * `Dockerfile.ltsc2022`), or a folder named windows (`windows/ltsc2022/Dockerfile`).
 */
export function isWindowsByName(file: string): boolean {
  const parts = file.split('/');
  const base = parts.pop()!;
  if (parts.some((p) => /^windows$/i.test(p))) return true;
  return /(^|[._-])(windows|win|nanoserver|servercore|ltsc20\d\d)([._-]|$)/i.test(base);
}

/** Every Dockerfile by name, root first, then shallow before deep, then by path. */
export function findDockerfiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isFile() && isDockerfileName(entry.name)) found.push(child);
      else if (
        entry.isDirectory() &&
        depth < MAX_DEPTH &&
        !entry.name.startsWith('.') &&
        !SKIP.has(entry.name)
      )
        walk(child, depth + 1);
    }
  };
  walk('', 0);
  const depth = (p: string) => p.split('/').length;
  return found.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

/**
 * The files that describe one image: those in the folder of the shallowest Dockerfile,
 * and those under its `windows/` folder (a Windows variant per release is often kept
 * there). The rest are other images of the repository; init names them and leaves them.
 */
export function groupDockerfiles(found: readonly string[]): {
  group: string[];
  others: string[];
} {
  if (!found.length) return { group: [], others: [] };
  const home = path.posix.dirname(found[0]!);
  const prefix = home === '.' ? '' : `${home}/`;
  const inGroup = (f: string) => {
    if (!f.startsWith(prefix)) return false;
    const rest = f.slice(prefix.length).split('/');
    return rest.length === 1 || /^windows$/i.test(rest[0]!);
  };
  return { group: found.filter(inGroup), others: found.filter((f) => !inGroup(f)) };
}

/** Folders that hold Dockerfiles built with the repository root as context. */
const DOCKER_FOLDERS = /^(\.?docker|dockerfiles?|build|package|packaging|ci|images?|containers?)$/i;

/**
 * The build context of `file` (both from the repository root): the folder, from the
 * file's own up to the root, where most of its COPY/ADD sources exist. Ties go to the
 * file's own folder, except for a docker/ or dockerfiles/ folder (those hold files for
 * builds from the root). Sources with variables, URLs and --from are not looked at.
 */
export function guessContext(dir: string, file: string, parsed: ParsedDockerfile): string {
  const sources: string[] = [];
  for (const stage of parsed.stages)
    for (const i of stage.instructions) {
      if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.heredoc) continue;
      if (i.flags.some((f) => f.name === 'from')) continue;
      const words = i.json ?? i.args.trim().split(/\s+/);
      for (const word of words.slice(0, -1)) {
        if (/\$|:\/\/|^git@/.test(word)) continue;
        // A glob is looked up by the folder before its first wildcard.
        const glob = /[*?[]/.exec(word);
        const literal = glob ? word.slice(0, word.lastIndexOf('/', glob.index) + 1) : word;
        sources.push(literal.replace(/^\.\//, '').replace(/^\/+/, '') || '.');
      }
    }
  const own = path.posix.dirname(file);
  const candidates: string[] = [];
  for (let d = own; ; d = path.posix.dirname(d)) {
    candidates.push(d);
    if (d === '.') break;
  }
  if (!sources.length)
    return DOCKER_FOLDERS.test(path.posix.basename(own)) && candidates.length > 1
      ? candidates[1]!
      : own;
  const score = (context: string) =>
    sources.filter((s) => existsSync(path.join(dir, context, s))).length;
  let best = own;
  let bestScore = score(own);
  for (const candidate of candidates.slice(1)) {
    const s = score(candidate);
    const tieToParent =
      s === bestScore && best === own && DOCKER_FOLDERS.test(path.posix.basename(own));
    if (s > bestScore || tieToParent) {
      best = candidate;
      bestScore = s;
    }
  }
  return best;
}
