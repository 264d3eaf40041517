/**
 * `xplat init` in a repository: find its Dockerfiles, group them into images (several
 * images: `images:`), propose platforms from each file and final stage, keep only legs
 * that xplat's own lint accepts (fixed by build args, target or build-on where it can),
 * name what the builds COPY that the repository lacks, and write xplat.yml, the workflow
 * and the .gitignore line for `.xplat/` (never over existing files unless forced).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePlatformList, formatPlatform, XplatError } from '@xplat/core';
import { allLegs, CONFIG_FILE, loadConfig, type ResolvedConfig } from './config.js';
import type { MissingSource } from './copy-sources.js';
import { findDockerfiles } from './dockerfile-files.js';
import { WORKFLOW_FILE } from './files.js';
import { generateWorkflow } from './generate.js';
import { ensureXplatIgnored, GITIGNORE_FILE, type GitignoreChange } from './gitignore.js';
import { groupImages, repositoryName as folderName, type ImageGroup } from './image-groups.js';
import {
  mergeCandidates,
  missingOf,
  preparePlaceholder,
  readSources,
  type Source,
} from './image-propose.js';
import {
  renderInitConfig,
  renderInitImages,
  type InitImage,
  type PreparePlaceholder,
} from './init-render.js';
import { XPLAT_NPX } from './npm.js';
import { checkLeg, leftOutReason } from './propose-check.js';
import { formatLeftOut, type Proposal, type ProposedPlatform } from './propose.js';

/** The repository's name: the last part of --image or the guessed image, else the folder's. */
function repositoryName(dir: string, request: InitRequest): string {
  const image = request.image ?? guessImage(dir, request.env ?? {});
  return image ? folderName(image.slice(image.lastIndexOf('/') + 1)) : folderName(dir);
}

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
  /** The first image's proposal. */
  readonly proposal: Proposal;
  /** Every image, in the order xplat.yml lists them. */
  readonly images: readonly ImageResult[];
  /** Dockerfiles found but not built (test images, images with no platform). */
  readonly skipped: readonly SkippedFile[];
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

/** A Dockerfile init found but builds no image from, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** One image init proposes: its name, repository, legs and the prepare placeholder. */
export interface ImageResult {
  readonly name: string;
  readonly image: string;
  readonly files: readonly string[];
  readonly proposal: Proposal;
  readonly missing: readonly MissingSource[];
  readonly prepare?: PreparePlaceholder;
}

/** The images to propose: the files given (one image), else every image found. */
function chooseImages(dir: string, request: InitRequest, skipped: SkippedFile[]): ImageGroup[] {
  const given = [
    ...(request.dockerfiles ?? []),
    ...(request.dockerfile && !request.dockerfiles?.length ? [request.dockerfile] : []),
  ].map((f) => f.replace(/\\/g, '/').replace(/^\.\//, ''));
  if (given.length) {
    for (const f of given)
      if (!existsSync(path.resolve(dir, f)))
        throw new XplatError(`${f} does not exist in ${dir}`, 'dockerfile');
    return [{ name: repositoryName(dir, request), files: given }];
  }
  const found = findDockerfiles(dir);
  if (!found.length)
    throw new XplatError(
      `no Dockerfile in ${dir} (nor four folders below it, node_modules, vendor and hidden folders skipped): give its path with --dockerfile`,
      'dockerfile',
    );
  const { images, secondary } = groupImages(found, repositoryName(dir, request));
  for (const file of secondary)
    skipped.push({ file, reason: 'a test, example or tool image (give --dockerfile to use it)' });
  return images;
}

/** The legs of one image, linted, with what was left out, and what it COPYs that is missing. */
async function proposeImage(
  dir: string,
  group: ImageGroup,
  unparsable?: SkippedFile[],
): Promise<{ proposal: Proposal; missing: MissingSource[]; sources: Source[] }> {
  const sources = await readSources(dir, group.files, unparsable);
  const merged = await mergeCandidates(dir, sources);
  const used = new Set(merged.platforms.map((p) => p.dockerfile));
  const unused = sources.filter(
    (s) => !used.has(s.file) && !merged.leftOut.some((l) => l.dockerfile.startsWith(s.file)),
  );
  const leftOut = [
    ...merged.leftOut,
    ...unused.map((s) => ({
      platform: '',
      dockerfile: s.file,
      reason: s.proposals.some((p) => p.proposal.platforms.length)
        ? 'its platforms are built from another file'
        : 'its base images name no platform xplat builds',
    })),
  ];
  let proposal: Proposal = { platforms: merged.platforms, notes: merged.notes, leftOut };
  const port = sources
    .filter((s) => used.has(s.file))
    .flatMap((s) => s.proposals.map((p) => p.proposal.port))
    .find((p) => p !== undefined);
  if (port !== undefined) proposal = { ...proposal, port };
  return { proposal, missing: missingOf(dir, sources, merged.platforms), sources };
}

/** The repository of each image: the one given or guessed; with several, `<owner path>/<name>`. */
function imageRepositories(
  dir: string,
  request: InitRequest,
  names: readonly string[],
  warnings: string[],
): string[] {
  let image = request.image ?? guessImage(dir, request.env ?? {});
  if (!image) {
    image = `ghcr.io/your-org/${repositoryName(dir, request)}`;
    warnings.push(`could not tell the repository: image is ${image}; set image: in xplat.yml`);
  }
  if (names.length === 1) return [image];
  const owner = image.slice(0, image.lastIndexOf('/'));
  return names.map((n) => `${owner}/${n}`);
}

/** What init would write, before it is checked and written. */
export interface InitProposal {
  readonly images: readonly ImageResult[];
  readonly skipped: readonly SkippedFile[];
  readonly configText: string;
  readonly warnings: readonly string[];
}

/** Proposes the images and renders xplat.yml, without checking or writing anything. */
export async function proposeInit(request: InitRequest): Promise<InitProposal> {
  const { dir } = request;
  const warnings: string[] = [];
  const skipped: SkippedFile[] = [];
  const groups = chooseImages(dir, request, skipped);

  const proposed: { group: ImageGroup; proposal: Proposal; missing: MissingSource[] }[] = [];
  // Files init found (not given) that Docker could not read are left out, not fatal.
  const found = !request.dockerfile && !request.dockerfiles?.length;
  for (const group of groups) {
    const unparsable: SkippedFile[] = [];
    const { proposal, missing, sources } = await proposeImage(
      dir,
      group,
      found ? unparsable : undefined,
    );
    skipped.push(...unparsable);
    if (!sources.length) continue;
    let final = proposal;
    if (request.platforms)
      final = await explicitPlatforms(dir, request.platforms, sources, proposal, warnings);
    if (request.port !== undefined) final = { ...final, port: request.port };
    if (final.platforms.length) {
      proposed.push({ group, proposal: final, missing });
      continue;
    }
    const why = final.leftOut?.length
      ? final.leftOut.map(formatLeftOut).join('; ')
      : 'their base images name no OS';
    if (groups.length === 1)
      throw new XplatError(
        `could not propose a platform from ${group.files.join(', ')} (${why}); give --platforms (e.g. linux/amd64,windows/amd64:ltsc2022)`,
        'platforms',
      );
    for (const file of group.files) skipped.push({ file, reason: `no platform: ${why}` });
  }
  if (!proposed.length)
    throw new XplatError(
      `could not propose a platform from any Dockerfile (${skipped.map((s) => `${s.file}: ${s.reason}`).join('; ')}); give --dockerfile and --platforms`,
      'platforms',
    );

  const repositories = imageRepositories(
    dir,
    request,
    proposed.map((p) => p.group.name),
    warnings,
  );
  const images: ImageResult[] = proposed.map((p, i) => {
    const context = p.proposal.platforms[0]!.context ?? '.';
    const prepare = preparePlaceholder(dir, context, p.missing);
    return {
      name: p.group.name,
      image: repositories[i]!,
      files: p.group.files,
      proposal: p.proposal,
      missing: p.missing,
      ...(prepare ? { prepare } : {}),
    };
  });
  for (const image of images) {
    if (!image.missing.length) continue;
    const where = [...new Set(image.missing.map((m) => `${m.path} (${m.file}:${m.line})`))];
    const fix = image.prepare?.steps.length
      ? `prepare: ${image.prepare.steps.map((s) => `${s.run}${s.os ? ` (${s.os})` : ''}`).join('; ')} writes them: check it builds for each platform`
      : 'the prepare: step in xplat.yml fails until you replace it with the commands that write them';
    warnings.push(
      `${images.length > 1 ? `${image.name}: ` : ''}the build COPYs ${where.length === 1 ? 'a file' : `${where.length} files`} not in the repository (built before docker build?): ${where.join(', ')}; ${fix}`,
    );
  }
  if (images.length > 1)
    warnings.push(
      `found ${images.length} images (${images.map((i) => i.name).join(', ')}): xplat.yml lists each under images:`,
    );
  for (const s of skipped) warnings.push(`left out ${s.file}: ${s.reason}`);

  const source = (image: ImageResult) =>
    [...new Set(image.proposal.platforms.map((p) => p.dockerfile))].join(' and ');
  const initImages: InitImage[] = images.map((image) => ({
    ...(images.length > 1 ? { name: image.name } : {}),
    proposal: image.proposal,
    options: {
      image: image.image,
      context: image.proposal.platforms[0]!.context ?? '.',
      ...(request.path ? { smokePath: request.path } : {}),
      source: source(image),
    },
    ...(image.prepare ? { prepare: image.prepare } : {}),
  }));
  const configText =
    initImages.length === 1
      ? renderInitConfig(initImages[0]!.proposal, initImages[0]!.options, initImages[0]!.prepare)
      : renderInitImages(initImages, images.map((i) => i.files.join(', ')).join('; '));
  return { images, skipped, configText, warnings };
}

export async function initRepository(request: InitRequest): Promise<InitResult> {
  const { dir } = request;
  const targets = [CONFIG_FILE, WORKFLOW_FILE];
  const existing = targets.filter((t) => existsSync(path.join(dir, t)));
  if (existing.length && !request.force)
    throw new XplatError(
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}: not overwriting (use --force to replace, or edit xplat.yml and run ${XPLAT_NPX} generate)`,
    );
  const { images, skipped, configText, warnings } = await proposeInit(request);
  const config = validate(configText, images);
  const workflow = generateWorkflow(config, { configPath: CONFIG_FILE });

  await writeFile(path.join(dir, CONFIG_FILE), configText);
  await mkdir(path.join(dir, path.dirname(WORKFLOW_FILE)), { recursive: true });
  await writeFile(path.join(dir, WORKFLOW_FILE), workflow);
  const gitignore = await ensureXplatIgnored(dir);
  const first = images[0]!;
  return {
    dockerfile: first.proposal.platforms[0]!.dockerfile!,
    dockerfiles: [
      ...new Set(images.flatMap((i) => i.proposal.platforms.map((p) => p.dockerfile!))),
    ],
    proposal: first.proposal,
    images,
    skipped,
    config,
    configText,
    written: gitignore === 'present' ? targets : [...targets, GITIGNORE_FILE],
    gitignore,
    warnings,
  };
}

/**
 * What init writes must load, and build each leg from its file: otherwise it is a bug
 * here, not the user's.
 */
function validate(configText: string, images: readonly ImageResult[]): ResolvedConfig {
  let config: ResolvedConfig;
  try {
    config = loadConfig(configText, CONFIG_FILE);
  } catch (error) {
    throw new XplatError(
      `the xplat.yml for these options would not be valid (nothing written):\n${(error as Error).message}`,
    );
  }
  const legs = allLegs(config);
  const want = images.flatMap((i) => i.proposal.platforms);
  legs.forEach((leg, i) => {
    const w = want[i]!;
    if (leg.dockerfile !== w.dockerfile || leg.context !== w.context || leg.target !== w.target)
      throw new XplatError(
        `internal: ${leg.name} would build ${leg.dockerfile} in ${leg.context}${leg.target ? ` (target ${leg.target})` : ''}, not ${w.dockerfile} in ${w.context}${w.target ? ` (target ${w.target})` : ''} (nothing written)`,
      );
  });
  return config;
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
      ...(same ?? sameOs ?? {}),
      platform: name,
      dockerfile: source.file,
      context: source.context,
      ...(same?.buildArgs ? { buildArgs: same.buildArgs } : { buildArgs: undefined }),
      ...(same?.runsOn ? { runsOn: same.runsOn } : { runsOn: undefined }),
      ...(same?.smokeSkip ? { smokeSkip: same.smokeSkip } : { smokeSkip: undefined }),
    };
    const clean = Object.fromEntries(
      Object.entries(leg).filter(([, v]) => v !== undefined),
    ) as unknown as ProposedPlatform;
    const checked = await checkLeg(source.parsed, clean, path.join(dir, source.context));
    if (checked.errors.length)
      warnings.push(`${name} from ${source.file} ${leftOutReason(checked)}`);
    platforms.push(checked.leg);
  }
  return {
    ...proposal,
    platforms,
    notes: [`platforms as given: ${platforms.map((p) => p.platform).join(', ')}`],
    leftOut: [],
  };
}
