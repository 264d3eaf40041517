/**
 * `xplat init` in a repository: find the Dockerfile, propose platforms from its base
 * images, and write xplat.yml and the workflow (never over existing files unless forced).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePlatformList, formatPlatform, XplatError } from '@xplat/core';
import { CONFIG_FILE, loadConfig, type ResolvedConfig } from './config.js';
import { WORKFLOW_FILE } from './files.js';
import { generateWorkflow } from './generate.js';
import { proposeFromDockerfile, renderInitConfig, type Proposal } from './propose.js';

export interface InitRequest {
  /** The repository root. */
  readonly dir: string;
  /** Relative to dir; found when absent. */
  readonly dockerfile?: string;
  readonly image?: string;
  /** Instead of the proposal. */
  readonly platforms?: string;
  readonly port?: number;
  readonly path?: string;
  readonly force?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export interface InitResult {
  readonly dockerfile: string;
  readonly proposal: Proposal;
  readonly config: ResolvedConfig;
  readonly configText: string;
  readonly written: readonly string[];
  /** Things the user should look at (a guessed image name, other Dockerfiles). */
  readonly warnings: readonly string[];
}

const NAMES = ['Dockerfile', 'Containerfile', 'dockerfile'];
const SKIP = new Set(['node_modules', 'vendor', 'dist', 'build', 'target']);

/** The Dockerfile of a repository: at the root, else the shallowest one (two levels deep). */
export function findDockerfiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isFile() && NAMES.includes(entry.name)) found.push(child);
    }
    if (depth >= 2) return;
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIP.has(entry.name))
        walk(rel ? `${rel}/${entry.name}` : entry.name, depth + 1);
    }
  };
  walk('', 0);
  const depth = (p: string) => p.split('/').length;
  return found.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
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

export async function initRepository(request: InitRequest): Promise<InitResult> {
  const { dir } = request;
  const warnings: string[] = [];
  let dockerfile = request.dockerfile?.replace(/\\/g, '/');
  if (!dockerfile) {
    const found = findDockerfiles(dir);
    if (!found.length)
      throw new XplatError(
        `no Dockerfile in ${dir} (nor two levels below): give its path with --dockerfile`,
        'dockerfile',
      );
    dockerfile = found[0]!;
    if (found.length > 1)
      warnings.push(
        `found ${found.length} Dockerfiles; using ${dockerfile} (give --dockerfile for another: ${found.slice(1).join(', ')})`,
      );
  }
  const dockerfilePath = path.resolve(dir, dockerfile);
  if (!existsSync(dockerfilePath))
    throw new XplatError(`${dockerfile} does not exist in ${dir}`, 'dockerfile');

  const targets = [CONFIG_FILE, WORKFLOW_FILE];
  const existing = targets.filter((t) => existsSync(path.join(dir, t)));
  if (existing.length && !request.force)
    throw new XplatError(
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}: not overwriting (use --force to replace, or edit xplat.yml and run xplat generate)`,
    );

  const text = await readFile(dockerfilePath, 'utf8');
  let proposal = proposeFromDockerfile(text, dockerfile);
  if (request.platforms) {
    const platforms = parsePlatformList(request.platforms, 'platforms').map((p) => ({
      platform: formatPlatform(p),
    }));
    proposal = {
      ...proposal,
      platforms,
      notes: [`platforms as given: ${platforms.map((p) => p.platform).join(', ')}`],
    };
  }
  if (!proposal.platforms.length)
    throw new XplatError(
      `could not tell from the base images of ${dockerfile} which platforms it builds: give --platforms (e.g. linux/amd64,windows/amd64:ltsc2022)`,
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

  const context = path.posix.dirname(dockerfile);
  const base = path.posix.basename(dockerfile);
  const configText = renderInitConfig(proposal, {
    image,
    context,
    ...(base !== 'Dockerfile' ? { dockerfile } : {}),
    ...(request.path ? { smokePath: request.path } : {}),
    source: dockerfile,
  });
  // What init writes must load: a proposal that does not is a bug here, not the user's.
  let config: ResolvedConfig;
  try {
    config = loadConfig(configText, CONFIG_FILE);
  } catch (error) {
    throw new XplatError(
      `the xplat.yml for these options would not be valid (nothing written):\n${(error as Error).message}`,
    );
  }
  const workflow = generateWorkflow(config, { configPath: CONFIG_FILE });

  await writeFile(path.join(dir, CONFIG_FILE), configText);
  await mkdir(path.join(dir, path.dirname(WORKFLOW_FILE)), { recursive: true });
  await writeFile(path.join(dir, WORKFLOW_FILE), workflow);
  return { dockerfile, proposal, config, configText, written: targets, warnings };
}
