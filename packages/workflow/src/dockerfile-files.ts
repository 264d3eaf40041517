/**
 * The Dockerfiles of a repository as `xplat init` sees them: found by name (`Dockerfile`,
 * `Dockerfile.windows`, `windows.Dockerfile`, `app.nanoserver`, `windows/…/Dockerfile`)
 * with a bounded walk, and the build context each file most likely uses. Grouping them
 * into images is image-groups.ts's job.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  argDeclarations,
  expandVariables,
  referencedVariables,
  type ParsedDockerfile,
} from '@xplat/dockerfile';
import { readMakefile, targetWriting } from './makefile.js';

/**
 * Never looked into: dependencies (vendored sources of other projects too: fluent-bit's
 * lib/nghttp2-1.65.0/), VCS data, build output and test data of other tools.
 */
const SKIP = new Set([
  'node_modules',
  'vendor',
  'third_party',
  'third-party',
  'thirdparty',
  '3rdparty',
  'external',
  'extern',
  'deps',
  'lib',
  'dist',
  'target',
  'testdata',
  'out',
]);
/** A folder named for a release of something (`nghttp2-1.65.0`, `librdkafka-2.15.0`): a vendored copy. */
const VERSIONED_FOLDER = /^[a-z][\w.]*-v?\d+\.\d+(\.\d+)?$/i;

/** The paths .gitmodules names: other repositories, not this one's images. */
function submodulePaths(dir: string): Set<string> {
  try {
    const text = readFileSync(path.join(dir, '.gitmodules'), 'utf8');
    return new Set([...text.matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)].map((m) => m[1]!));
  } catch {
    return new Set();
  }
}
/**
 * How deep below the root init looks: hostprocess/flannel/kube-proxy/Dockerfile (three
 * folders) and deploy/windows/ltsc2022/Dockerfile are real; deeper files are fixtures.
 */
const MAX_DEPTH = 4;
/** How many folders the walk reads at most: a bound on a huge monorepo, not a limit users meet. */
const MAX_FOLDERS = 5000;

/** Extensions of files that sit next to Dockerfiles but are not one. */
const NOT_A_DOCKERFILE =
  /\.(dockerignore|md|txt|sh|ps1|bat|cmd|ya?ml|json|toml|orig|bak|rej|swp|tmpl|template|tpl|j2|in|erb|mustache)$/i;

/**
 * A Dockerfile by its name: Dockerfile[.x|-x], Containerfile[.x], x.Dockerfile, x.nanoserver,
 * in any case (`dockerfile`, `DockerFile.windows`).
 */
export function isDockerfileName(name: string): boolean {
  if (name.startsWith('.') || NOT_A_DOCKERFILE.test(name)) return false;
  return (
    /^(dockerfile|containerfile)([._-].+)?$/i.test(name) ||
    /\.(dockerfile|containerfile)$/i.test(name) ||
    /\.(nanoserver|servercore)$/i.test(name)
  );
}

/**
 * Windows by its path: a name part `windows`, `win`, `nanoserver`, `servercore` or an LTSC
 * release (`Dockerfile.windows`, `windows.Dockerfile`, `Dockerfile-win`,
 * `Dockerfile.ltsc2022`), or a folder named windows (`windows/ltsc2022/Dockerfile`,
 * `src/dotnet-windows/Dockerfile`).
 */
export function isWindowsByName(file: string): boolean {
  const parts = file.split('/');
  const base = parts.pop()!;
  if (parts.some((p) => /(^|[._-])windows$/i.test(p))) return true;
  return /(^|[._-])(windows|win|nanoserver|servercore|windowsservercore|ltsc20\d\d)([._-]|$)/i.test(
    base,
  );
}

/**
 * Every Dockerfile by name, root first, then shallow before deep, then by path. The walk
 * is bounded (depth and folder count) and skips dependencies and hidden folders.
 */
export function findDockerfiles(dir: string): string[] {
  const found: string[] = [];
  const submodules = submodulePaths(dir);
  let folders = 0;
  const walk = (rel: string, depth: number) => {
    if (++folders > MAX_FOLDERS) return;
    let entries;
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isFile() && isDockerfileName(entry.name)) found.push(child);
      else if (
        entry.isDirectory() &&
        depth < MAX_DEPTH &&
        !entry.name.startsWith('.') &&
        !SKIP.has(entry.name.toLowerCase()) &&
        !VERSIONED_FOLDER.test(entry.name) &&
        !submodules.has(child)
      )
        walk(child, depth + 1);
    }
  };
  walk('', 0);
  const depth = (p: string) => p.split('/').length;
  return found.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

/** Folders that hold Dockerfiles built with the repository root as context. */
export const DOCKER_FOLDERS =
  /^(\.?docker|dockerfiles?|build|package|packaging|ci|images?|containers?|deploy|deployments?|release)$/i;

/**
 * The build context of `file` (both from the repository root): the folder, from the
 * file's own up to the root, where most of its COPY/ADD sources exist. Ties go to the
 * file's own folder, except for a docker/ or dockerfiles/ folder (those hold files for
 * builds from the root). Sources with variables, URLs and --from are not looked at.
 */
export function guessContext(dir: string, file: string, parsed: ParsedDockerfile): string {
  const sources: string[] = [];
  for (const stage of parsed.stages) {
    const values = argDefaults(parsed, stage.index);
    for (const i of stage.instructions) {
      if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.heredoc) continue;
      if (i.flags.some((f) => f.name === 'from')) continue;
      const words = i.json ?? i.args.trim().split(/\s+/);
      for (const written of words.slice(0, -1)) {
        const word = withDefaults(written, values, parsed.escapeChar);
        if (word === undefined || /\$|:\/\/|^git@/.test(word)) continue;
        // A glob is looked up by the folder before its first wildcard.
        const glob = /[*?[]/.exec(word);
        const literal = glob ? word.slice(0, word.lastIndexOf('/', glob.index) + 1) : word;
        sources.push(literal.replace(/^\.\//, '').replace(/^\/+/, '') || '.');
      }
    }
  }
  const own = path.posix.dirname(file);
  const candidates: string[] = [];
  for (let d = own; ; d = path.posix.dirname(d)) {
    candidates.push(d);
    if (d === '.') break;
  }
  // `COPY . .` alone says nothing about where the context is; the paths RUN reads from the
  // copy do (azure-container-networking's cni/Dockerfile: `go build ./cni/network/plugin`).
  if (!sources.some((s) => s !== '.')) sources.push(...runPaths(parsed));
  if (!sources.length)
    return DOCKER_FOLDERS.test(path.posix.basename(own)) && candidates.length > 1
      ? candidates[1]!
      : own;
  // A source counts where it exists, or where that folder's Makefile writes it (bin/app,
  // built before docker build).
  const score = (context: string) => {
    const make = readMakefile(path.join(dir, context));
    return sources.filter(
      (s) => existsSync(path.join(dir, context, s)) || (make && targetWriting(make, [s])),
    ).length;
  };
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
  // Nothing resolves anywhere (all built before docker build): past the platform and
  // docker folders (build/windows/, docker/ecr/) to the folder that holds them.
  // Nothing resolves anywhere (all built before docker build): the folder that holds the
  // outermost docker folder (docker/ecr/ -> the root), else past platform folders.
  if (bestScore === 0) {
    const parts = best === '.' ? [] : best.split('/');
    const outer = parts.findIndex((p) => DOCKER_FOLDERS.test(p));
    if (outer >= 0) return parts.slice(0, outer).join('/') || '.';
    while (best !== '.' && PLATFORM_FOLDER.test(path.posix.basename(best)))
      best = path.posix.dirname(best);
  }
  return best;
}

/**
 * Relative paths with a folder (`cni/network/plugin/main.go`, `./cns/sidecar`) in the RUN
 * lines of stages that copy the whole context: what the build reads from it.
 */
function runPaths(parsed: ParsedDockerfile): string[] {
  const out: string[] = [];
  for (const stage of parsed.stages) {
    const copiesAll = stage.instructions.some(
      (i) =>
        (i.keyword === 'COPY' || i.keyword === 'ADD') &&
        !i.flags.some((f) => f.name === 'from') &&
        (i.json ?? i.args.trim().split(/\s+/))[0]?.replace(/^\.\/?$/, '.') === '.',
    );
    if (!copiesAll) continue;
    for (const i of stage.instructions) {
      if (i.keyword !== 'RUN') continue;
      for (const word of i.args.split(/[\s"'=;&|()]+/)) {
        // A glob (`cns/service/*.go`) counts by its folder.
        const literal = word.replace(/\/[^/]*\*[^/]*$/, '');
        if (/^(\.\/)?[\w.-]+(\/[\w.-]+)+\/?$/.test(literal) && !literal.startsWith('..'))
          out.push(literal.replace(/^\.\//, '').replace(/\/$/, ''));
      }
    }
  }
  return out;
}

/** Folders named for a platform: windows/, linux/, ltsc2022/, amd64/. */
const PLATFORM_FOLDER =
  /^(linux|windows|win|nanoserver|servercore|ltsc20\d\d|1809|amd64|arm64|arm64v8|x86_64|aarch64)$/i;

/**
 * The ARG defaults a stage sees (the global ones, then its own ARG lines in order), for
 * COPY sources written with them: `ARG binary=./_output/${ARCH}/app` then `COPY ${binary}`
 * (azuredisk-csi-driver). A value that is not known stays unset.
 */
function argDefaults(parsed: ParsedDockerfile, index: number): Map<string, string> {
  const globals = new Map<string, string>();
  for (const a of parsed.globalArgs) {
    const value =
      a.defaultValue === null
        ? undefined
        : withDefaults(a.defaultValue, globals, parsed.escapeChar);
    if (value !== undefined) globals.set(a.name, value);
  }
  const values = new Map<string, string>();
  for (const i of parsed.stages[index]!.instructions) {
    if (i.keyword !== 'ARG') continue;
    for (const d of argDeclarations(i.args, parsed.escapeChar)) {
      const value =
        d.value === null ? globals.get(d.name) : withDefaults(d.value, values, parsed.escapeChar);
      if (value === undefined) values.delete(d.name);
      else values.set(d.name, value);
    }
  }
  return values;
}

/** `word` with its variables replaced, or undefined when one of them has no known value. */
function withDefaults(
  word: string,
  values: ReadonlyMap<string, string>,
  escapeChar: string,
): string | undefined {
  const names = referencedVariables(word, escapeChar);
  if (names.some((n) => !values.has(n))) return undefined;
  if (!names.length) return word;
  try {
    return expandVariables(word, Object.fromEntries(values), escapeChar, { quotes: true });
  } catch {
    return undefined;
  }
}
