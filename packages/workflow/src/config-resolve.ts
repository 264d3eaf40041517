/**
 * From the validated xplat.yml data to the resolved config: one ResolvedImage per image
 * (the file's one, or each entry of `images:` over the top-level defaults), each leg with
 * what it builds from, where it is built and where it is smoke-tested. Checks that span
 * fields (runners, duplicates, sections that apply to nothing) are made here, each
 * reported at the field the user should change.
 */
import path from 'node:path';
import {
  formatPlatform,
  legRunners,
  parsePlatform,
  platformPair,
  RunnerError,
  type LegRunners,
  type Platform,
} from '@xplat/core';
import { parseRepository } from '@xplat/oci';
import type { ProblemAt } from './config-problems.js';
import type {
  ActionSource,
  ConfigPath,
  ConfigProblem,
  RegistryLogin,
  ResolvedConfig,
  ResolvedImage,
  ResolvedLeg,
  ResolvedPrepareStep,
} from './config-types.js';
import { DEFAULT_XPLAT_USES } from './pins.js';
import { IMAGE_NAME, type PrepareStep, type XplatConfigData } from './schema.js';
import { DEFAULT_TAGS, parseTagTemplate } from './tags.js';

export const DEFAULT_BRANCHES: readonly string[] = ['main'];
export const DEFAULT_GIT_TAGS: readonly string[] = ['v*'];
export const DEFAULT_TIMEOUT_MINUTES = 60;
export const DEFAULT_FUSE_RUNNER = 'ubuntu-24.04';
export const GHCR = 'ghcr.io';

type ImageEntry = NonNullable<XplatConfigData['images']>[number];
/** The keys one image is made of (the top level's, or an entry's over them). */
type ImageData = Omit<ImageEntry, 'name' | 'image'> & { image?: string };
type Family = NonNullable<ImageData['windows']>;

/** An image's data and where in the file each of its keys is written. */
interface ImageSource {
  readonly name: string;
  readonly data: ImageData;
  /** The path of `key` as the user wrote it: the entry's own, else the top level's. */
  readonly at: (key: string) => ConfigPath;
  /** Added to messages about inherited keys, so a shared default names its image. */
  readonly label: string;
}

/** Maps merged key by key when an entry gives them over the top-level default. */
const MERGED = new Set(['build-args', 'labels', 'smoke']);

/** An entry of images: over the top-level defaults (see MERGED and mergeFamily). */
function overTop(top: XplatConfigData, entry: ImageEntry): ImageData {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(top)) {
    if (
      [
        'images',
        'engines',
        'triggers',
        'xplat',
        'pin-actions',
        'attest',
        'workflow',
        'image',
      ].includes(key)
    )
      continue;
    out[key] = value;
  }
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'name') continue;
    const base = out[key];
    if (MERGED.has(key) && base && typeof base === 'object')
      out[key] = { ...(base as object), ...(value as object) };
    else if ((key === 'linux' || key === 'windows') && base)
      out[key] = mergeFamily(base as Family, value as Family);
    else out[key] = value;
  }
  return out as ImageData;
}

function mergeFamily(base: Family, over: Family): Family {
  return {
    ...base,
    ...over,
    ...(base['build-args'] || over['build-args']
      ? { 'build-args': { ...(base['build-args'] ?? {}), ...(over['build-args'] ?? {}) } }
      : {}),
  };
}

/** `ghcr.io/org/hello_http` -> `hello-http`: a one-image file's name, from its repository. */
export function imageNameOf(repository: string): string {
  const last = repository.split('/').pop() ?? '';
  const name = last
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return IMAGE_NAME.test(name) ? name : 'image';
}

function sources(
  data: XplatConfigData,
  problem: ProblemAt,
  problems: ConfigProblem[],
): ImageSource[] {
  if (!data.images) {
    if (data.image === undefined)
      problems.push(
        problem(['image'], 'is required: the repository to push to, e.g. ghcr.io/org/app'),
      );
    if (data.platforms === undefined)
      problems.push(
        problem(
          ['platforms'],
          'is required: list the platforms, e.g. [linux/amd64, linux/arm64, windows/amd64:ltsc2022]',
        ),
      );
    if (data.image === undefined || data.platforms === undefined) return [];
    return [{ name: imageNameOf(data.image), data, at: (key) => [key], label: '' }];
  }
  if (data.image !== undefined)
    problems.push(
      problem(
        ['image'],
        'with images:, each image names its own repository: move image: into the entries of images:',
        true,
      ),
    );
  const out: ImageSource[] = [];
  const names = new Map<string, number>();
  const repositories = new Map<string, number>();
  data.images.forEach((entry, k) => {
    const first = names.get(entry.name);
    if (first !== undefined) {
      problems.push(
        problem(['images', k, 'name'], `${entry.name} is used twice (also images[${first}])`),
      );
      return;
    }
    names.set(entry.name, k);
    const repo = entry.image.toLowerCase();
    const sameRepo = repositories.get(repo);
    if (sameRepo !== undefined) {
      problems.push(
        problem(
          ['images', k, 'image'],
          `${entry.image} is also the repository of images[${sameRepo}]: each image needs its own (their tags would overwrite each other)`,
        ),
      );
      return;
    }
    repositories.set(repo, k);
    const merged = overTop(data, entry);
    if (merged.platforms === undefined) {
      problems.push(
        problem(
          ['images', k],
          `lists no platforms: give platforms: here or at the top level (the default of every image)`,
        ),
      );
      return;
    }
    out.push({
      name: entry.name,
      data: merged,
      at: (key) => (key in entry ? ['images', k, key] : [key]),
      label: ` (image ${entry.name})`,
    });
  });
  return out;
}

function prepareSteps(
  steps: readonly PrepareStep[] | undefined,
  from: ResolvedPrepareStep['from'],
): ResolvedPrepareStep[] {
  return (steps ?? []).map((s) => ({
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.run !== undefined ? { run: s.run } : {}),
    ...(s.shell !== undefined ? { shell: s.shell } : {}),
    ...(s['working-directory'] !== undefined ? { workingDirectory: s['working-directory'] } : {}),
    ...(s.uses !== undefined ? { uses: s.uses } : {}),
    ...(s.with !== undefined ? { with: s.with } : {}),
    env: s.env ?? {},
    from,
  }));
}

/** The legs of one image; `seen` collects every platform name (for engines:). */
function resolveLegs(
  source: ImageSource,
  problem: ProblemAt,
  problems: ConfigProblem[],
  seen: Set<string>,
): ResolvedLeg[] {
  const { data, at, label } = source;
  const context = data.context ?? '.';
  const topArgs = data['build-args'] ?? {};
  const topSmoke = data.smoke ?? {};
  const legs: ResolvedLeg[] = [];
  const mine = new Map<string, number>();
  const base = at('platforms');
  const say = (p: ConfigPath, message: string) => problems.push(problem(p, `${message}${label}`));

  if (topSmoke.skip !== undefined)
    problems.push(
      problem(
        [...at('smoke'), 'skip'],
        'goes on a platform entry (platforms[i].smoke.skip): skipping every platform leaves nothing tested',
        true,
      ),
    );

  (data.platforms ?? []).forEach((entry, i) => {
    const object = typeof entry === 'string' ? undefined : entry;
    const entryPath: ConfigPath = [...base, i];
    const platformPath: ConfigPath = object ? [...entryPath, 'platform'] : entryPath;
    let platform: Platform;
    try {
      platform = parsePlatform(object ? object.platform : (entry as string), '');
    } catch (error) {
      say(platformPath, (error as Error).message);
      return;
    }
    const name = formatPlatform(platform);
    const first = mine.get(name);
    if (first !== undefined) {
      say(
        platformPath,
        `${name} is listed twice (also ${[...base, first].join('.').replace(/\.(\d+)/g, '[$1]')})`,
      );
      return;
    }
    mine.set(name, i);
    seen.add(name);
    const family = platform.os === 'windows' ? data.windows : data.linux;
    const skip = object?.smoke?.skip;
    if (object?.['build-on'] !== undefined && platform.os !== 'windows') {
      say(
        [...entryPath, 'build-on'],
        `applies to Windows platforms; ${name} builds on a Linux runner already (remove build-on)`,
      );
      return;
    }
    const buildOn =
      object?.['build-on'] ??
      (platform.os === 'windows' ? data.windows?.['build-on'] : undefined) ??
      platform.os;
    let runners: LegRunners;
    try {
      runners = legRunners(
        platform,
        {
          ...(object?.['runs-on'] !== undefined ? { runsOn: object['runs-on'] } : {}),
          ...(object?.qemu !== undefined ? { qemu: object.qemu } : {}),
          buildOn,
          smokeSkipped: skip !== undefined,
        },
        '',
      );
    } catch (error) {
      if (!(error instanceof RunnerError)) throw error;
      const field = error.field === 'platform' ? undefined : error.field;
      say(
        field && object?.[field] !== undefined ? [...entryPath, field] : platformPath,
        error.message,
      );
      return;
    }
    const legContext = object?.context ?? family?.context ?? context;
    const { skip: _skip, ...legSmoke } = { ...topSmoke, ...(object?.smoke ?? {}) };
    legs.push({
      imageName: source.name,
      platform,
      name,
      pair: platformPair(platform),
      buildOn,
      buildRunner: runners.build,
      smokeRunner: runners.smoke,
      smokeSkip: skip,
      context: legContext,
      dockerfile:
        object?.dockerfile ??
        family?.dockerfile ??
        data.dockerfile ??
        path.posix.join(legContext, 'Dockerfile'),
      target: object?.target ?? family?.target ?? data.target,
      buildArgs: {
        ...topArgs,
        ...(family?.['build-args'] ?? {}),
        ...(object?.['build-args'] ?? {}),
      },
      smoke: legSmoke,
      prepare: [
        ...prepareSteps(data.prepare, 'image'),
        ...prepareSteps(family?.prepare, platform.os),
      ],
    });
  });
  return legs;
}

function loginFor(
  data: ImageData,
  registry: string,
  at: ImageSource['at'],
  problem: ProblemAt,
  problems: ConfigProblem[],
): RegistryLogin | undefined {
  const reg = data.registry ?? {};
  if (reg.username !== undefined && reg['username-secret'] !== undefined)
    problems.push(
      problem(
        [...at('registry'), 'username-secret'],
        'give username or username-secret, not both',
        true,
      ),
    );
  const ghcr = registry === GHCR;
  const passwordSecret = reg['password-secret'] ?? (ghcr ? 'GITHUB_TOKEN' : 'REGISTRY_PASSWORD');
  const username =
    reg.username ??
    (reg['username-secret']
      ? `\${{ secrets.${reg['username-secret']} }}`
      : ghcr
        ? '${{ github.actor }}'
        : '${{ secrets.REGISTRY_USERNAME }}');
  return reg.login === false
    ? undefined
    : {
        host: registry,
        username,
        password: `\${{ secrets.${passwordSecret} }}`,
        githubToken: passwordSecret === 'GITHUB_TOKEN',
      };
}

/** The `linux:`/`windows:` sections that apply to no platform: a leftover or a typo. */
function unusedFamilies(
  data: XplatConfigData,
  images: readonly ImageSource[],
  resolved: readonly ResolvedImage[],
  problem: ProblemAt,
  problems: ConfigProblem[],
): void {
  if (problems.length) return; // a platform that failed to resolve may be the one
  const has = (image: ResolvedImage | undefined, os: string) =>
    !!image?.legs.some((l) => l.platform.os === os);
  for (const os of ['linux', 'windows'] as const) {
    const fix = `remove ${os}: or add a ${os === 'linux' ? 'Linux' : 'Windows'} platform`;
    if (!data.images) {
      if (data[os] !== undefined && !has(resolved[0], os))
        problems.push(
          problem(
            [os],
            `applies to no platform: platforms: lists no ${os}/… platform; ${fix}`,
            true,
          ),
        );
      continue;
    }
    // A top-level section is every image's default: unused only when no image has the OS.
    if (data[os] !== undefined && !resolved.some((image) => has(image, os)))
      problems.push(
        problem([os], `applies to no platform: no image lists a ${os}/… platform; ${fix}`, true),
      );
    images.forEach((source, k) => {
      const own = source.at(os);
      if (own[0] === 'images' && !has(resolved[k], os))
        problems.push(
          problem(
            own,
            `applies to no platform: this image lists no ${os}/… platform; ${fix}`,
            true,
          ),
        );
    });
  }
}

export function resolve(
  data: XplatConfigData,
  file: string,
  problem: ProblemAt,
): { config: ResolvedConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const images = sources(data, problem, problems);
  const resolved: ResolvedImage[] = images.map((source) => {
    const { data: d } = source;
    const repository = d.image!;
    // Checked by the schema already: this cannot throw here.
    const registry = parseRepository(repository, '').registry;
    const context = d.context ?? '.';
    return {
      name: source.name,
      image: repository,
      registry,
      login: loginFor(d, registry, source.at, problem, problems),
      context,
      dockerfile: d.dockerfile ?? path.posix.join(context, 'Dockerfile'),
      target: d.target,
      labels: d.labels ?? {},
      cache: d.cache,
      legTag: d['leg-tag'],
      legs: resolveLegs(source, problem, problems, seen),
      tags: (d.tags ?? DEFAULT_TAGS).map(parseTagTemplate),
    };
  });
  unusedFamilies(data, images, resolved, problem, problems);

  // engines: keys are platforms; each must be one some image builds.
  const engines: Record<string, string> = {};
  for (const [key, endpoint] of Object.entries(data.engines ?? {})) {
    let name: string;
    try {
      name = formatPlatform(parsePlatform(key, ''));
    } catch (error) {
      problems.push(problem(['engines', key], (error as Error).message, true));
      continue;
    }
    if (!seen.has(name)) {
      problems.push(
        problem(
          ['engines', key],
          `${name} is not in platforms: (${[...seen].join(', ')}); name one of those`,
          true,
        ),
      );
      continue;
    }
    engines[name] = endpoint;
  }

  const uses = data.xplat?.uses ?? DEFAULT_XPLAT_USES;
  const actions: ActionSource = uses.startsWith('./')
    ? { kind: 'local', dir: uses.replace(/\/+$/, '') }
    : {
        kind: 'remote',
        repository: uses.slice(0, uses.indexOf('@')),
        ref: uses.slice(uses.indexOf('@') + 1),
      };

  const config: ResolvedConfig = {
    file,
    images: resolved,
    several: data.images !== undefined,
    engines,
    triggers: {
      branches: data.triggers?.branches ?? DEFAULT_BRANCHES,
      tags: data.triggers?.tags ?? DEFAULT_GIT_TAGS,
      pullRequests: data.triggers?.['pull-requests'] ?? true,
      workflowDispatch: data.triggers?.['workflow-dispatch'] ?? true,
      schedule: data.triggers?.schedule ?? [],
    },
    actions,
    pinActions: data['pin-actions'] ?? false,
    attest: data.attest ?? true,
    workflow: {
      name: data.workflow?.name ?? 'xplat',
      timeoutMinutes: data.workflow?.['timeout-minutes'] ?? DEFAULT_TIMEOUT_MINUTES,
      fuseRunsOn: data.workflow?.['fuse-runs-on'] ?? DEFAULT_FUSE_RUNNER,
    },
  };
  return { config, problems };
}
