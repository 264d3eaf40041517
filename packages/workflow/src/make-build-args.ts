/**
 * The build args a repository's Makefile passes to `docker build` for one Dockerfile, for
 * the ARGs that file declares without a default: velero's Dockerfile-Windows runs
 * `go build -o /output/${BIN}.exe ${PKG}/cmd/${BIN}` and only `make container` sets BIN
 * and PKG (`--build-arg=BIN=$(BIN)`), so a leg built without them builds nothing. Values
 * that differ per platform (the architecture, the Windows release) are the legs' own and
 * are left to the proposal; values make computes (`$(shell git rev-parse HEAD)`) are left
 * out.
 */
import path from 'node:path';
import {
  argDeclarations,
  PLATFORM_ARG_NAMES,
  referencedVariables,
  type ParsedDockerfile,
} from '@xplat/dockerfile';
import { ANY, expandMake, readMakefile, type Makefile } from './makefile.js';
import { RELEASE_ARG_NAME } from './release-args.js';

const BUILDS = /\b(docker|podman|nerdctl)\s+(buildx\s+)?build\b/;
/** Names and values that are a leg's own: architecture and Windows release. */
const ARCH_NAME = /^(ARCH|GOARCH|TARGET_ARCH|ARCHITECTURE|BUILD_ARCH|OS_ARCH|GOOS|OS)$/i;
const PLATFORM_VALUE =
  /^(linux|windows|amd64|arm64|arm|x86_64|aarch64|x64|ltsc20\d\d|1809|10\.0\.\d+(\.\d+)?)$/i;

/** The ARGs of `parsed` without a default (or an empty one) that some instruction reads. */
function argsWithoutDefault(parsed: ParsedDockerfile): Set<string> {
  const declared = new Map<string, boolean>();
  const note = (name: string, value: string | null) =>
    declared.set(name, (declared.get(name) ?? false) || (value !== null && value !== ''));
  for (const a of parsed.globalArgs) note(a.name, a.defaultValue);
  for (const stage of parsed.stages)
    for (const i of stage.instructions)
      if (i.keyword === 'ARG')
        for (const d of argDeclarations(i.args, parsed.escapeChar)) note(d.name, d.value);
  const read = new Set<string>();
  for (const stage of parsed.stages) {
    for (const n of referencedVariables(stage.from, parsed.escapeChar)) read.add(n);
    for (const i of stage.instructions)
      if (i.keyword !== 'ARG')
        for (const n of referencedVariables(i.args, parsed.escapeChar)) read.add(n);
  }
  return new Set(
    [...declared].filter(([name, hasDefault]) => !hasDefault && read.has(name)).map(([n]) => n),
  );
}

/** `--build-arg NAME=VALUE` pairs of the recipes that build `file` (relative to make.dir). */
function recipeArgs(make: Makefile, file: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const want = path.posix.normalize(file);
  for (const rule of make.rules)
    for (const line of rule.recipe) {
      const text = expandMake(line, make.variables);
      if (!BUILDS.test(text)) continue;
      const named = /(?:^|\s)(?:-f|--file)[\s=]+["']?([^\s"']+)/.exec(text)?.[1];
      // No -f: the recipe builds the context's Dockerfile.
      if (path.posix.normalize(named ?? 'Dockerfile') !== want) continue;
      for (const m of text.matchAll(/--build-arg[\s=]+["']?([A-Za-z_]\w*)=([^\s"']*)/g)) {
        const values = out.get(m[1]!) ?? new Set<string>();
        values.add(m[2]!);
        out.set(m[1]!, values);
      }
    }
  return out;
}

/**
 * The build args to give every leg of `file` (from the repository root), read from the
 * Makefile of the repository root: one value each, known without running make, for an ARG
 * the file declares without a default, and not a platform's own.
 */
export function makefileBuildArgs(
  dir: string,
  file: string,
  parsed: ParsedDockerfile,
): Record<string, string> {
  const make = readMakefile(dir);
  if (!make) return {};
  const wanted = argsWithoutDefault(parsed);
  const out: Record<string, string> = {};
  for (const [name, values] of recipeArgs(make, file)) {
    const [value] = [...values];
    if (values.size !== 1 || value === undefined || value === '' || value.includes(ANY)) continue;
    if (!wanted.has(name) || (PLATFORM_ARG_NAMES as readonly string[]).includes(name)) continue;
    if (ARCH_NAME.test(name) || RELEASE_ARG_NAME.test(name) || PLATFORM_VALUE.test(value)) continue;
    out[name] = value;
  }
  return out;
}
