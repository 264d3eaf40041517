/**
 * XP027: a COPY/ADD source that is not in the build context. Projects that build their
 * binaries before `docker build` (kubernetes-csi's `COPY ./bin/...`, windows_exporter's
 * `COPY output/amd64/...`) fail at that COPY when the step that makes them did not run,
 * which on a fresh runner is the norm until xplat.yml says so (`prepare:`). Sources are
 * checked after ARG and ENV substitution for this leg; a glob counts as present when it
 * matches something. Bounded: only the directories a source names are read, at most
 * READ_BUDGET entries a lint, and a source whose value is not known here (an ENV of the
 * base image) is skipped.
 *
 * A leg with `prepare:` run steps (options.prepared) gets a warning instead: those steps
 * run before the build and are expected to write the file.
 *
 * .dockerignore is not read (xplat reads it nowhere yet): a source it excludes counts as
 * present here, and Docker will still fail the COPY.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { argDeclarations, expandVariables, referencedVariables } from '../args.js';
import { isWindowsOnLinux } from '../leg.js';
import type { ParsedInstruction } from '../types.js';
import { parsedStage, type LintContext } from './context.js';
import { contextSourcesOf, globToRegExp } from './context-files.js';

/** Directory entries one lint may read for globs and case-insensitive names. */
const READ_BUDGET = 10_000;

interface Lookup {
  root: string;
  /** Windows hosts read the context case-insensitively (NTFS). */
  ignoreCase: boolean;
  budget: number;
}

export async function checkContextSources(ctx: LintContext): Promise<void> {
  const root = ctx.options.contextDir;
  if (!root) return;
  // A context that is no local directory (a git URL, a tarball) has nothing to look at.
  if (!(await stat(root).catch(() => undefined))?.isDirectory()) return;
  const { options, parsed, plan } = ctx;
  const lookup: Lookup = {
    root,
    ignoreCase: options.platform.os === 'windows' && !isWindowsOnLinux(options),
    budget: READ_BUDGET,
  };
  for (const stage of plan.stages) {
    const ps = parsedStage(ctx, stage);
    const windows = stage.platform.os === 'windows';
    const scope = new Map<string, string | undefined>();
    for (const ins of ps.instructions.slice(1)) {
      track(ctx, ins, scope);
      const copy = contextSourcesOf(ins);
      if (!copy) continue;
      for (const written of copy.sources) {
        const names = referencedVariables(written, parsed.escapeChar);
        // A name this file does not set may come from the base image: not known here.
        if (names.some((n) => scope.get(n) === undefined)) continue;
        let source: string;
        try {
          source = expandVariables(written, Object.fromEntries(scope), parsed.escapeChar);
        } catch {
          continue;
        }
        if (windows) source = source.replace(/\\/g, '/');
        if (await present(lookup, source)) continue;
        const shown = source === written ? `"${source}"` : `"${source}" (${written})`;
        const missing = `${ins.keyword} source ${shown} ${/[*?[]/.test(source) ? 'matches nothing' : 'is not'} in the build context`;
        // The leg's prepare: steps run before its build (in CI and in xplat run): before
        // them, a missing source is what they are there to write, not yet a failure.
        if (options.prepared)
          ctx.add(
            'XP027',
            ins.line,
            `${missing} yet: the prepare: steps in xplat.yml must write it before the build, or it fails here`,
            'warning',
          );
        else
          ctx.add(
            'XP027',
            ins.line,
            `${missing}, so the build fails here; it must exist before the build: have a prepare: step in xplat.yml make it (e.g. prepare: [{ run: make build }]), or correct the path`,
          );
      }
    }
  }
}

/** The ARG and ENV values this instruction sets, for the COPY/ADD lines after it. */
function track(
  ctx: LintContext,
  ins: ParsedInstruction,
  scope: Map<string, string | undefined>,
): void {
  const { parsed, plan, options } = ctx;
  const buildArgs = options.buildArgs ?? {};
  const expand = (word: string): string | undefined => {
    if (referencedVariables(word, parsed.escapeChar).some((n) => scope.get(n) === undefined))
      return undefined;
    try {
      return expandVariables(word, Object.fromEntries(scope), parsed.escapeChar);
    } catch {
      return undefined;
    }
  };
  if (ins.keyword === 'ARG') {
    for (const d of argDeclarations(ins.args, parsed.escapeChar)) {
      const given = Object.hasOwn(buildArgs, d.name) ? buildArgs[d.name] : undefined;
      // Without a default: the global ARG's value (platform ARGs included), else empty.
      scope.set(
        d.name,
        given ?? (d.value !== null ? expand(d.value) : (plan.globalValues[d.name] ?? '')),
      );
    }
  } else if (ins.keyword === 'ENV') {
    const node = ins.node as unknown as {
      getProperties?: () => { getName(): string; getValue(): string | null }[];
    };
    for (const p of node.getProperties?.() ?? [])
      scope.set(p.getName(), expand(p.getValue() ?? ''));
  }
}

/** Whether a source (context-relative, `/`-separated, globs allowed) names something. */
async function present(lookup: Lookup, source: string): Promise<boolean> {
  // Docker resolves every source inside the context: a leading / or ../ stays at its root.
  const clean = path.posix.normalize(`/${source}`).replace(/^\/+/, '');
  const segments = clean.split('/').filter((s) => s && s !== '.');
  return matches(lookup, lookup.root, segments);
}

async function matches(lookup: Lookup, dir: string, segments: string[]): Promise<boolean> {
  const [segment, ...rest] = segments;
  if (segment === undefined) return true;
  // ** reaches any depth: present when the directory so far exists.
  if (segment === '**') return true;
  const glob = /[*?[]/.test(segment);
  if (!glob && !lookup.ignoreCase) {
    const info = await stat(path.join(dir, segment)).catch(() => undefined);
    if (!info) return false;
    return (
      rest.length === 0 || (info.isDirectory() && matches(lookup, path.join(dir, segment), rest))
    );
  }
  const entries = await readdir(dir).catch(() => undefined);
  if (!entries) return false;
  lookup.budget -= entries.length;
  // Out of budget: say nothing rather than guess.
  if (lookup.budget < 0) return true;
  const re = glob
    ? new RegExp(globToRegExp(segment).source, lookup.ignoreCase ? 'i' : '')
    : new RegExp(`^${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');
  for (const name of entries.filter((e) => re.test(e))) {
    if (rest.length === 0) return true;
    const info = await stat(path.join(dir, name)).catch(() => undefined);
    if (info?.isDirectory() && (await matches(lookup, path.join(dir, name), rest))) return true;
  }
  return false;
}
