/**
 * The legs of one image, from its Dockerfiles: every file and every final stage of it
 * proposes platforms; each platform gets the candidate that suits it best (a file or
 * stage named for its OS, architecture or release; else the file's canonical name, the
 * default stage); each leg is linted as its runner will lint it and fixed (build args)
 * or left out with the reason. Also: the COPY sources the legs need that are not in the
 * repository, and the make target that writes them.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parsePlatform, type Platform } from '@xplat/core';
import {
  DockerfileError,
  parseDockerfile,
  planStages,
  type ParsedDockerfile,
} from '@xplat/dockerfile';
import { missingSources, type MissingSource } from './copy-sources.js';
import { guessContext, isWindowsByName } from './dockerfile-files.js';
import { finalStages, stageTarget } from './dockerfile-stages.js';
import { hintAllows, nameHint, type NameHint } from './image-groups.js';
import type { PreparePlaceholder } from './init-render.js';
import { makefileBuildArgs } from './make-build-args.js';
import { readMakefile, targetWriting } from './makefile.js';
import { checkLeg, legLintOptions, leftOutReason } from './propose-check.js';
import {
  proposeFromDockerfile,
  type LeftOut,
  type Proposal,
  type ProposedPlatform,
} from './propose.js';

export interface Source {
  readonly file: string;
  readonly context: string;
  readonly parsed: ParsedDockerfile;
  readonly hint: NameHint;
  /** Build args the Makefile's `docker build` of this file passes (see make-build-args.ts). */
  readonly makeArgs: Readonly<Record<string, string>>;
  /** One proposal per final stage (target undefined: the last stage, the only final one). */
  readonly proposals: readonly { target: string | undefined; proposal: Proposal }[];
}

/**
 * The sources of `files`. With `unparsable`, a file Docker could not read either (a
 * template: dotnet-framework-docker's eng/dockerfile-templates/ `FROM $REPO:{{VERSION}}`)
 * is listed there and left out; without it, its error is thrown (a file the user named).
 */
export async function readSources(
  dir: string,
  files: readonly string[],
  unparsable?: { file: string; reason: string }[],
): Promise<Source[]> {
  const sources: Source[] = [];
  for (const file of files) {
    const text = await readFile(path.resolve(dir, file), 'utf8');
    let parsed: ParsedDockerfile;
    try {
      parsed = parseDockerfile({ file, text });
    } catch (error) {
      if (!unparsable || !(error instanceof DockerfileError)) throw error;
      unparsable.push({ file, reason: `not a Dockerfile Docker can read: ${error.message}` });
      continue;
    }
    const finals = finalStages(parsed);
    const last = parsed.stages.length - 1;
    const targets = finals.length > 1 ? finals : [last];
    sources.push({
      file,
      context: guessContext(dir, file, parsed),
      parsed,
      hint: nameHint(file),
      makeArgs: makefileBuildArgs(dir, file, parsed),
      proposals: targets.map((index) => {
        const target = index === last ? undefined : stageTarget(parsed, index);
        return { target, proposal: proposeFromDockerfile(text, file, target ? { target } : {}) };
      }),
    });
  }
  return sources;
}

/** Linux before Windows, older releases first: the order xplat.yml lists platforms in. */
function platformOrder(p: string): number {
  const known = ['linux/amd64', 'linux/arm64'];
  const i = known.indexOf(p);
  if (i >= 0) return i;
  return p.startsWith('linux/') ? 5 : 10;
}

interface Candidate {
  readonly source: Source;
  readonly order: number;
  readonly target: string | undefined;
  readonly leg: ProposedPlatform;
  readonly notes: readonly string[];
}

/** How well a stage's name fits a platform: 0 names its release or architecture, 1 its OS, 2 nothing (the default), 3 another. */
function targetFit(target: string | undefined, platform: string): number {
  if (!target) return 2;
  const hint = nameHint(target);
  if (!hintAllows(hint, platform)) return 3;
  if (hint.release || hint.arch) return 0;
  return hint.os ? 1 : 2;
}

/**
 * Candidates for every platform, best first: the file Windows (or Linux) by name for its
 * OS; a file that names no architecture or release before one that does (the
 * multi-architecture main file over a legacy Dockerfile.arm64v8); a stage named for the
 * platform; the canonical file name (Dockerfile before Dockerfile.debug); file order.
 * A file or stage named for another platform never builds this one.
 */
function candidates(sources: readonly Source[]): Candidate[] {
  const out: Candidate[] = [];
  sources.forEach((source, order) => {
    for (const { target, proposal } of source.proposals)
      for (const leg of proposal.platforms) {
        if (!hintAllows(source.hint, leg.platform)) continue;
        if (targetFit(target, leg.platform) === 3) continue;
        out.push({ source, order, target, leg, notes: proposal.notes });
      }
  });
  const os = (p: string) => p.split('/')[0]!;
  const byOsName = (c: Candidate) =>
    isWindowsByName(c.source.file) === (os(c.leg.platform) === 'windows') ? 0 : 1;
  const specific = (c: Candidate) => (c.source.hint.arch || c.source.hint.release ? 1 : 0);
  return out.sort(
    (a, b) =>
      byOsName(a) - byOsName(b) ||
      specific(a) - specific(b) ||
      targetFit(a.target, a.leg.platform) - targetFit(b.target, b.leg.platform) ||
      a.source.file.length - b.source.file.length ||
      a.order - b.order,
  );
}

/** One line per file and reason: `linux/amd64, linux/arm64 (Dockerfile.debug): built from Dockerfile`. */
function collapse(leftOut: readonly LeftOut[]): LeftOut[] {
  const out: LeftOut[] = [];
  for (const l of leftOut) {
    const same = out.findIndex((o) => o.dockerfile === l.dockerfile && o.reason === l.reason);
    if (same < 0) out.push(l);
    else out[same] = { ...out[same]!, platform: `${out[same]!.platform}, ${l.platform}` };
  }
  return out;
}

export interface MergedProposal {
  readonly platforms: ProposedPlatform[];
  readonly leftOut: LeftOut[];
  readonly notes: string[];
}

/**
 * One leg per platform from the best candidate, linted (and fixed by build args where
 * the release is an ARG). The file that answers for a platform answers even when its leg
 * was left out: another file (Dockerfile.debug) is never swapped in silently.
 */
export async function mergeCandidates(
  dir: string,
  sources: readonly Source[],
): Promise<MergedProposal> {
  const platforms: ProposedPlatform[] = [];
  const leftOut: LeftOut[] = [];
  const notes: string[] = [];
  const taken = new Map<string, { file: string; ok: boolean }>();
  const noted = new Set<readonly string[]>();
  for (const { source, target, leg, notes: why } of candidates(sources)) {
    const by = taken.get(leg.platform);
    if (by) {
      if (by.file !== source.file)
        leftOut.push({
          platform: leg.platform,
          dockerfile: source.file,
          reason: by.ok ? `built from ${by.file}` : `${by.file} is its file (left out, see there)`,
        });
      continue;
    }
    const makeArgs = Object.keys(source.makeArgs).length
      ? { buildArgs: { ...source.makeArgs, ...(leg.buildArgs ?? {}) } }
      : {};
    const wanted: ProposedPlatform = {
      ...leg,
      ...makeArgs,
      dockerfile: source.file,
      context: source.context,
      ...(target ? { target } : {}),
    };
    const checked = await checkLeg(source.parsed, wanted, path.join(dir, source.context));
    if (checked.errors.length) {
      taken.set(leg.platform, { file: source.file, ok: false });
      leftOut.push({
        platform: leg.platform,
        dockerfile: target ? `${source.file} (target ${target})` : source.file,
        reason: leftOutReason(checked),
      });
      continue;
    }
    if (!noted.has(why)) {
      noted.add(why);
      const fromMake = Object.keys(source.makeArgs);
      if (fromMake.length)
        notes.push(
          `${source.file}: build args ${fromMake.join(', ')} as the Makefile's docker build passes them (the file gives them no default)`,
        );
      const prefix = `${source.file}${target ? ` (target ${target})` : ''}`;
      // A file for one architecture says so, not both (Dockerfile.linux.arm64).
      const arch = source.hint.arch;
      notes.push(
        ...why.map(
          (n) => `${prefix}: ${arch ? n.replace('linux/amd64, linux/arm64', `linux/${arch}`) : n}`,
        ),
      );
    }
    if (checked.fixedBy)
      notes.push(
        `${leg.platform}: build arg ${Object.entries(checked.fixedBy)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')} ${
          leg.platform.startsWith('linux/')
            ? `so it builds ${leg.platform.split('/')[1]} binaries (the default pins another architecture: XP026)`
            : `so its base image is ${leg.platform.split(':')[1]} (the default fails lint)`
        }`,
      );
    taken.set(leg.platform, { file: source.file, ok: true });
    platforms.push(checked.leg);
  }
  platforms.sort(
    (a, b) =>
      platformOrder(a.platform) - platformOrder(b.platform) || a.platform.localeCompare(b.platform),
  );
  return { platforms, leftOut: collapse(leftOut), notes };
}

/** The COPY sources of each leg that are not in the repository (deduplicated by path and line). */
export function missingOf(
  dir: string,
  sources: readonly Source[],
  legs: readonly ProposedPlatform[],
): MissingSource[] {
  const out = new Map<string, MissingSource>();
  for (const leg of legs) {
    const source = sources.find((s) => s.file === leg.dockerfile);
    if (!source) continue;
    const platform: Platform = parsePlatform(leg.platform);
    let plan;
    try {
      plan = planStages(source.parsed, legLintOptions(leg, platform, ''));
    } catch {
      continue;
    }
    const contextDir = path.join(dir, leg.context ?? '.');
    const os = platform.os === 'windows' ? 'windows' : 'linux';
    for (const m of missingSources(source.parsed, plan, contextDir, leg.buildArgs ?? {}))
      out.set(`${m.file}:${m.line}:${m.path}:${os}`, { ...m, os });
  }
  return [...out.values()];
}

/**
 * The `prepare:` placeholder for missing sources: the make target (of the context's
 * Makefile, else the repository root's) that writes them, run in that folder. When the
 * Linux and Windows legs miss different files that different targets write
 * (azuredisk-csi-driver: `make azuredisk` and `make azuredisk-windows`), one step per OS
 * family, so neither family runs the other's build.
 */
export function preparePlaceholder(
  dir: string,
  context: string,
  missing: readonly MissingSource[],
): PreparePlaceholder | undefined {
  if (!missing.length) return undefined;
  const oses = [...new Set(missing.map((m) => m.os))];
  const perOs = oses.map((os) => ({
    os,
    step: stepWriting(
      dir,
      context,
      missing.filter((m) => m.os === os),
      os,
    ),
  }));
  const runs = new Set(perOs.map((p) => p.step?.run));
  if (oses.length < 2 || (runs.size === 1 && perOs[0]!.step)) {
    const step = stepWriting(dir, context, missing, oses.length === 1 ? oses[0] : undefined);
    return { missing: dedupe(missing), steps: step ? [step] : [] };
  }
  const steps = perOs.flatMap((p) => (p.step && p.os ? [{ ...p.step, os: p.os }] : []));
  return { missing: dedupe(missing), steps };
}

/** One entry per path and line (a file both OS families miss is named once). */
function dedupe(missing: readonly MissingSource[]): MissingSource[] {
  const out = new Map<string, MissingSource>();
  for (const m of missing) out.set(`${m.file}:${m.line}:${m.path}`, m);
  return [...out.values()];
}

/** The make step that writes `missing`, from the context's Makefile, else the root's. */
function stepWriting(
  dir: string,
  context: string,
  missing: readonly MissingSource[],
  os: 'linux' | 'windows' | undefined,
): { run: string; writes: string[] } | undefined {
  for (const folder of [...new Set([context, '.'])]) {
    const make = readMakefile(path.join(dir, folder));
    if (!make) continue;
    const rel = (m: MissingSource) =>
      path.posix.relative(folder, path.posix.join(context, m.path)) || '.';
    const found = targetWriting(make, missing.map(rel), os);
    if (!found) continue;
    const chdir = folder === '.' ? '' : `-C ${folder} `;
    return {
      run: `make ${chdir}${found.target}${found.platformVariables.map((v) => ` ${v}`).join('')}`,
      writes: [...new Set(missing.map((m) => m.path))],
    };
  }
  return undefined;
}
