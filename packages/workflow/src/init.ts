/**
 * `xplat init` in a repository: find the Dockerfiles of the image (`Dockerfile` and
 * `Dockerfile.windows` side by side is the common layout), propose platforms from each,
 * keep only legs that xplat's own lint accepts, and write xplat.yml, the workflow and
 * the .gitignore line for `.xplat/` (never over existing files unless forced).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePlatformList, formatPlatform, XplatError } from '@xplat/core';
import { parseDockerfile, type ParsedDockerfile } from '@xplat/dockerfile';
import { allLegs, CONFIG_FILE, loadConfig, type ResolvedConfig } from './config.js';
import {
  findDockerfiles,
  groupDockerfiles,
  guessContext,
  isWindowsByName,
} from './dockerfile-files.js';
import { WORKFLOW_FILE } from './files.js';
import { generateWorkflow } from './generate.js';
import { ensureXplatIgnored, GITIGNORE_FILE, type GitignoreChange } from './gitignore.js';
import { XPLAT_NPX } from './npm.js';
import { checkLeg, leftOutReason } from './propose-check.js';
import {
  formatLeftOut,
  proposeFromDockerfile,
  renderInitConfig,
  type LeftOut,
  type Proposal,
  type ProposedPlatform,
} from './propose.js';

export interface InitRequest {
  /** The repository root. */
  readonly dir: string;
  /** Relative to dir; found when absent. */
  readonly dockerfile?: string;
  /** Several Dockerfiles of one image (Dockerfile and Dockerfile.windows); over dockerfile. */
  readonly dockerfiles?: readonly string[];
  readonly image?: string;
  /** Instead of the proposal. */
  readonly platforms?: string;
  readonly port?: number;
  readonly path?: string;
  readonly force?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export interface InitResult {
  /** The first Dockerfile (the one the top level of xplat.yml names). */
  readonly dockerfile: string;
  /** Every Dockerfile a leg builds from. */
  readonly dockerfiles: readonly string[];
  readonly proposal: Proposal;
  readonly config: ResolvedConfig;
  readonly configText: string;
  readonly written: readonly string[];
  /** What happened to .gitignore's `.xplat/` line. */
  readonly gitignore: GitignoreChange;
  /** Things the user should look at (a guessed image name, other Dockerfiles). */
  readonly warnings: readonly string[];
}

/** ghcr.io/<owner>/<repo> from GITHUB_REPOSITORY or the origin remote in .git/config. */
export function guessImage(dir: string, env: NodeJS.ProcessEnv = {}): string | undefined {
  const fromSlug = (slug: string) => `ghcr.io/${slug.toLowerCase().replace(/\.git$/, '')}`;
  if (env.GITHUB_REPOSITORY && /^[\w.-]+\/[\w.-]+$/.test(env.GITHUB_REPOSITORY))
    return fromSlug(env.GITHUB_REPOSITORY);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const gitConfig = path.join(d, '.git', 'config');
    if (existsSync(gitConfig)) {
      const text = readFileSync(gitConfig, 'utf8');
      const origin = /\[remote "origin"\][^[]*?url\s*=\s*(\S+)/.exec(text)?.[1];
      const slug = origin && /github\.com[:/]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(origin)?.[1];
      return slug ? fromSlug(slug) : undefined;
    }
    if (path.dirname(d) === d) return undefined;
  }
}

interface Source {
  readonly file: string;
  readonly context: string;
  readonly parsed: ParsedDockerfile;
  readonly proposal: Proposal;
}

/** Linux before Windows, older releases first: the order xplat.yml lists platforms in. */
function platformOrder(p: string): number {
  const known = ['linux/amd64', 'linux/arm64'];
  const i = known.indexOf(p);
  if (i >= 0) return i;
  return p.startsWith('linux/') ? 5 : 10;
}

/**
 * The files a Windows leg prefers: a file Windows by name (Dockerfile.windows) over a
 * file that builds both (the TARGETOS pattern); a Linux leg the other way round.
 */
function preferenceFor(os: string, file: string): number {
  return isWindowsByName(file) === (os === 'windows') ? 0 : 1;
}

/**
 * Proposals from every source, merged: one leg per platform, from the file that suits
 * it best; each linted (and fixed by a build arg where the release is an ARG). The rest
 * is left out, with the reason.
 */
async function propose(
  dir: string,
  sources: readonly Source[],
): Promise<{ platforms: ProposedPlatform[]; leftOut: LeftOut[]; notes: string[] }> {
  const candidates = sources.flatMap((source, order) =>
    source.proposal.platforms.map((leg) => ({ source, order, leg })),
  );
  const os = (p: string) => p.split('/')[0]!;
  // The canonical name first (Dockerfile before Dockerfile.debug), then file order.
  candidates.sort(
    (a, b) =>
      preferenceFor(os(a.leg.platform), a.source.file) -
        preferenceFor(os(b.leg.platform), b.source.file) ||
      a.source.file.length - b.source.file.length ||
      a.order - b.order,
  );
  const platforms: ProposedPlatform[] = [];
  const leftOut: LeftOut[] = [];
  const notes: string[] = [];
  // The file that answers for a platform, even when its leg was left out: another file
  // (Dockerfile.debug) is never swapped in silently.
  const taken = new Map<string, { file: string; ok: boolean }>();
  for (const { source, leg } of candidates) {
    const by = taken.get(leg.platform);
    if (by) {
      leftOut.push({
        platform: leg.platform,
        dockerfile: source.file,
        reason: by.ok ? `built from ${by.file}` : `${by.file} is its file (left out, see there)`,
      });
      continue;
    }
    const checked = await checkLeg(source.parsed, leg, path.join(dir, source.context));
    if (checked.errors.length) {
      taken.set(leg.platform, { file: source.file, ok: false });
      leftOut.push({
        platform: leg.platform,
        dockerfile: source.file,
        reason: leftOutReason(checked),
      });
      continue;
    }
    if (checked.fixedBy)
      notes.push(
        `${leg.platform}: build arg ${Object.entries(checked.fixedBy)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')} so its base image is ${leg.platform.split(':')[1]} (the default fails lint)`,
      );
    taken.set(leg.platform, { file: source.file, ok: true });
    platforms.push({ ...checked.leg, dockerfile: source.file, context: source.context });
  }
  platforms.sort(
    (a, b) =>
      platformOrder(a.platform) - platformOrder(b.platform) || a.platform.localeCompare(b.platform),
  );
  return { platforms, leftOut: collapse(leftOut), notes };
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

/** The files of the image: as given, else the group init finds (and the others it names). */
function chooseFiles(dir: string, request: InitRequest, warnings: string[]): string[] {
  const given = [
    ...(request.dockerfiles ?? []),
    ...(request.dockerfile && !request.dockerfiles?.length ? [request.dockerfile] : []),
  ].map((f) => f.replace(/\\/g, '/').replace(/^\.\//, ''));
  if (given.length) {
    for (const f of given)
      if (!existsSync(path.resolve(dir, f)))
        throw new XplatError(`${f} does not exist in ${dir}`, 'dockerfile');
    return given;
  }
  const found = findDockerfiles(dir);
  if (!found.length)
    throw new XplatError(
      `no Dockerfile in ${dir} (nor three levels below): give its path with --dockerfile`,
      'dockerfile',
    );
  const { group, others } = groupDockerfiles(found);
  if (others.length)
    warnings.push(
      `found ${found.length} Dockerfiles; using ${group.join(', ')} (give --dockerfile for others: ${others.join(', ')})`,
    );
  return group;
}

export async function initRepository(request: InitRequest): Promise<InitResult> {
  const { dir } = request;
  const warnings: string[] = [];
  const files = chooseFiles(dir, request, warnings);

  const targets = [CONFIG_FILE, WORKFLOW_FILE];
  const existing = targets.filter((t) => existsSync(path.join(dir, t)));
  if (existing.length && !request.force)
    throw new XplatError(
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}: not overwriting (use --force to replace, or edit xplat.yml and run ${XPLAT_NPX} generate)`,
    );

  const sources: Source[] = [];
  for (const file of files) {
    const text = await readFile(path.resolve(dir, file), 'utf8');
    const parsed = parseDockerfile({ file, text });
    sources.push({
      file,
      context: guessContext(dir, file, parsed),
      parsed,
      proposal: proposeFromDockerfile(text, file),
    });
  }
  const merged = await propose(dir, sources);
  // One Linux file among several (Dockerfile.alpine, Dockerfile.debug): the others stay.
  const used = new Set(merged.platforms.map((p) => p.dockerfile));
  const unused = sources.filter((s) => !used.has(s.file)).map((s) => s.file);
  const notes = [
    ...sources
      .filter((s) => used.has(s.file))
      .flatMap((s) => s.proposal.notes.map((n) => `${s.file}: ${n}`)),
    ...merged.notes,
  ];
  let proposal: Proposal = {
    platforms: merged.platforms,
    notes,
    leftOut: [
      ...merged.leftOut,
      ...unused
        .filter((f) => !merged.leftOut.some((l) => l.dockerfile === f))
        .map((f) => ({
          platform: '',
          dockerfile: f,
          reason: sources.find((s) => s.file === f)!.proposal.platforms.length
            ? 'its platforms are built from another file'
            : 'its base images name no platform xplat builds',
        })),
    ],
  };
  const usedSources = sources.filter((s) => used.has(s.file));
  const port = usedSources.map((s) => s.proposal.port).find((p) => p !== undefined);
  if (port !== undefined) proposal = { ...proposal, port };

  if (request.platforms)
    proposal = await explicitPlatforms(dir, request.platforms, sources, proposal, warnings);
  if (!proposal.platforms.length)
    throw new XplatError(
      `could not propose a platform from ${files.join(', ')}${proposal.leftOut?.length ? ` (${proposal.leftOut.map(formatLeftOut).join('; ')})` : ': their base images name no OS'}; give --platforms (e.g. linux/amd64,windows/amd64:ltsc2022)`,
      'platforms',
    );
  if (request.port !== undefined) proposal = { ...proposal, port: request.port };

  let image = request.image;
  if (!image) {
    image = guessImage(dir, request.env ?? {});
    if (!image) {
      const name =
        path
          .basename(path.resolve(dir))
          .toLowerCase()
          .replace(/[^a-z0-9._-]+/g, '-') || 'app';
      image = `ghcr.io/your-org/${name}`;
      warnings.push(`could not tell the repository: image is ${image}; set image: in xplat.yml`);
    }
  }

  const primary = proposal.platforms[0]!;
  const configText = renderInitConfig(proposal, {
    image,
    context: primary.context ?? '.',
    ...(request.path ? { smokePath: request.path } : {}),
    source: [...new Set(proposal.platforms.map((p) => p.dockerfile))].join(' and '),
  });
  // What init writes must load, and build each leg from its file: otherwise it is a bug
  // here, not the user's.
  let config: ResolvedConfig;
  try {
    config = loadConfig(configText, CONFIG_FILE);
  } catch (error) {
    throw new XplatError(
      `the xplat.yml for these options would not be valid (nothing written):\n${(error as Error).message}`,
    );
  }
  allLegs(config).forEach((leg, i) => {
    const want = proposal.platforms[i]!;
    if (leg.dockerfile !== want.dockerfile || leg.context !== want.context)
      throw new XplatError(
        `internal: ${leg.name} would build ${leg.dockerfile} in ${leg.context}, not ${want.dockerfile} in ${want.context} (nothing written)`,
      );
  });
  const workflow = generateWorkflow(config, { configPath: CONFIG_FILE });

  await writeFile(path.join(dir, CONFIG_FILE), configText);
  await mkdir(path.join(dir, path.dirname(WORKFLOW_FILE)), { recursive: true });
  await writeFile(path.join(dir, WORKFLOW_FILE), workflow);
  const gitignore = await ensureXplatIgnored(dir);
  return {
    dockerfile: primary.dockerfile!,
    dockerfiles: [...new Set(proposal.platforms.map((p) => p.dockerfile!))],
    proposal,
    config,
    configText,
    written: gitignore === 'present' ? targets : [...targets, GITIGNORE_FILE],
    gitignore,
    warnings,
  };
}

/**
 * --platforms instead of the proposal: each platform from the file proposed for its OS
 * (else the first file), with the build args the proposal had for it. The user asked for
 * them, so a leg that lints with errors stays, with a warning.
 */
async function explicitPlatforms(
  dir: string,
  list: string,
  sources: readonly Source[],
  proposal: Proposal,
  warnings: string[],
): Promise<Proposal> {
  const platforms: ProposedPlatform[] = [];
  for (const p of parsePlatformList(list, 'platforms')) {
    const name = formatPlatform(p);
    const same = proposal.platforms.find((q) => q.platform === name);
    const sameOs = proposal.platforms.find((q) => q.platform.startsWith(`${p.os}/`));
    const source = sources.find((s) => s.file === (same ?? sameOs)?.dockerfile) ?? sources[0]!;
    const leg: ProposedPlatform = {
      platform: name,
      ...(same?.buildArgs ? { buildArgs: same.buildArgs } : {}),
      ...(same?.runsOn ? { runsOn: same.runsOn } : {}),
    };
    const checked = await checkLeg(source.parsed, leg, path.join(dir, source.context));
    if (checked.errors.length)
      warnings.push(`${name} from ${source.file} ${leftOutReason(checked)}`);
    platforms.push({ ...checked.leg, dockerfile: source.file, context: source.context });
  }
  return {
    ...proposal,
    platforms,
    notes: [`platforms as given: ${platforms.map((p) => p.platform).join(', ')}`],
    leftOut: [],
  };
}
