/**
 * `xplat init`: propose platforms from a Dockerfile's base images, and write the
 * xplat.yml for them.
 *
 * The Dockerfile is parsed and planned per target OS with @xplat/dockerfile, so the
 * TARGETOS pattern (`FROM base-${TARGETOS}`) resolves to the stages each OS really
 * uses. Linux is proposed when the Linux plan's base images are not Windows images;
 * Windows when the Windows plan's are. The Windows release comes from the base image's
 * tag (nanoserver:ltsc2022); when a global ARG picks it (`servercore:${WINDOWS_VERSION}`)
 * every hosted release the ARG can name is proposed, each with its build arg.
 */
import {
  parseDockerfile,
  planStages,
  type ParsedDockerfile,
  type StagePlan,
} from '@xplat/dockerfile';
import {
  parsePlatform,
  releaseForOsVersion,
  WINDOWS_RELEASES,
  type Platform,
  type WindowsRelease,
} from '@xplat/core';
import { Document } from 'yaml';

export interface ProposedPlatform {
  readonly platform: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly runsOn?: readonly string[];
}

export interface Proposal {
  readonly platforms: readonly ProposedPlatform[];
  /** The first port the target stage EXPOSEs, for the smoke test. */
  readonly port?: number;
  /** Why each platform was proposed (base images with their lines), for the header. */
  readonly notes: readonly string[];
}

const LINUX = parsePlatform('linux/amd64');

/**
 * Windows by name: mcr.microsoft.com/windows/*, or a tag naming nanoserver, servercore
 * or an LTSC release (mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022).
 * (A copy of @xplat/dockerfile's isWindowsImageName, which it does not export.)
 */
export function isWindowsImage(image: string): boolean {
  const { repository, tag } = splitImage(image);
  if (/^mcr\.microsoft\.com\/windows(\/|$)/.test(repository)) return true;
  return /nanoserver|windowsservercore|servercore|ltsc20\d\d/.test(tag);
}

/** The known release a Windows image tag names (ltsc2019/1809, ltsc2022, ltsc2025, 10.0.x). */
export function releaseOfImage(image: string): WindowsRelease | undefined {
  const { tag } = splitImage(image);
  const build = /10\.0\.(\d{5})/.exec(tag)?.[0];
  if (build) return releaseForOsVersion(build);
  if (/(^|[-_.])1809($|[-_.])/.test(tag))
    return WINDOWS_RELEASES.find((r) => r.name === 'ltsc2019');
  return WINDOWS_RELEASES.find((r) => tag.includes(r.name));
}

function splitImage(image: string): { repository: string; tag: string } {
  const rest = image.split('@')[0]!;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  return colon > slash
    ? { repository: rest.slice(0, colon).toLowerCase(), tag: rest.slice(colon + 1).toLowerCase() }
    : { repository: rest.toLowerCase(), tag: '' };
}

function windowsPlatform(release: WindowsRelease): Platform {
  return parsePlatform(`windows/amd64:${release.name}`);
}

function plan(
  parsed: ParsedDockerfile,
  platform: Platform,
  buildArgs: Record<string, string> = {},
): StagePlan | undefined {
  try {
    return planStages(parsed, { platform, buildPlatform: platform, buildArgs });
  } catch {
    // A file that cannot be planned for this OS (a stage name that only exists for the
    // other one) does not build it.
    return undefined;
  }
}

export function proposeFromDockerfile(text: string, file = 'Dockerfile'): Proposal {
  const parsed = parseDockerfile({ file, text });
  const notes: string[] = [];
  const platforms: ProposedPlatform[] = [];
  const describe = (p: StagePlan) =>
    p.baseImages.length
      ? p.baseImages.map((b) => `${b.image} (line ${b.line})`).join(', ')
      : 'scratch';

  const linux = plan(parsed, LINUX);
  if (linux && linux.baseImages.every((b) => !isWindowsImage(b.image))) {
    platforms.push({ platform: 'linux/amd64' }, { platform: 'linux/arm64' });
    notes.push(`linux/amd64, linux/arm64 from ${describe(linux)}`);
  }

  const hosted = WINDOWS_RELEASES.filter((r) => r.hostedRunner);
  const first = plan(parsed, windowsPlatform(hosted[0]!));
  if (first && first.baseImages.length && first.baseImages.every((b) => isWindowsImage(b.image))) {
    const releases = new Set(first.baseImages.map((b) => releaseOfImage(b.image)?.name));
    const release = releases.size === 1 ? [...releases][0] : undefined;
    const found = WINDOWS_RELEASES.find((r) => r.name === release);
    if (!found) {
      const fallback = hosted[0]!;
      platforms.push({ platform: `windows/amd64:${fallback.name}` });
      notes.push(
        `windows/amd64:${fallback.name} from ${describe(first)}: its tag names no single LTSC release; check that the base image matches`,
      );
    } else {
      // A global ARG that names the release lets one Dockerfile build every release.
      const variants: ProposedPlatform[] = [];
      for (const arg of parsed.globalArgs) {
        if (!arg.defaultValue?.includes(found.name)) continue;
        for (const other of hosted) {
          const value = arg.defaultValue.replace(found.name, other.name);
          const p = plan(parsed, windowsPlatform(other), { [arg.name]: value });
          if (
            p &&
            p.baseImages.length &&
            p.baseImages.every((b) => releaseOfImage(b.image)?.name === other.name)
          )
            variants.push({
              platform: `windows/amd64:${other.name}`,
              buildArgs: { [arg.name]: value },
            });
        }
        if (variants.length) {
          notes.push(
            `${variants.map((v) => v.platform).join(', ')} from ${describe(first)}, the release picked by ARG ${arg.name}`,
          );
          break;
        }
      }
      if (variants.length) platforms.push(...variants);
      else if (found.hostedRunner) {
        platforms.push({ platform: `windows/amd64:${found.name}` });
        notes.push(`windows/amd64:${found.name} from ${describe(first)}`);
      } else {
        platforms.push({
          platform: `windows/amd64:${found.name}`,
          runsOn: ['self-hosted', 'windows', found.name],
        });
        notes.push(
          `windows/amd64:${found.name} from ${describe(first)}: no GitHub-hosted runner runs ${found.name}, so it needs a self-hosted runner with these labels`,
        );
      }
    }
  }

  const port = exposedPort(parsed, linux ?? first);
  return { platforms, ...(port !== undefined ? { port } : {}), notes };
}

/** The first port EXPOSEd by the target stage (else any stage of the plan). */
function exposedPort(parsed: ParsedDockerfile, p: StagePlan | undefined): number | undefined {
  const stages = p
    ? [p.target.index, ...p.stages.map((s) => s.index).reverse()]
    : parsed.stages.map((s) => s.index).reverse();
  for (const index of stages) {
    const stage = parsed.stages[index];
    for (const instruction of stage?.instructions ?? []) {
      if (instruction.keyword !== 'EXPOSE') continue;
      const port = /^(\d{1,5})(\/tcp)?$/i.exec(instruction.args.trim().split(/\s+/)[0] ?? '');
      if (port && Number(port[1]) > 0 && Number(port[1]) < 65536) return Number(port[1]);
    }
  }
  return undefined;
}

export interface InitOptions {
  readonly image: string;
  readonly context: string;
  /** Only written when it is not <context>/Dockerfile. */
  readonly dockerfile?: string;
  readonly smokePath?: string;
  /** Where the proposal came from, for the header. */
  readonly source: string;
}

/** The xplat.yml `xplat init` writes: a header saying where it came from, then the fields. */
export function renderInitConfig(proposal: Proposal, options: InitOptions): string {
  const data: Record<string, unknown> = { image: options.image };
  if (options.context !== '.') data.context = options.context;
  if (options.dockerfile) data.dockerfile = options.dockerfile;
  data.platforms = proposal.platforms.map((p) =>
    p.buildArgs || p.runsOn
      ? {
          platform: p.platform,
          ...(p.runsOn ? { 'runs-on': [...p.runsOn] } : {}),
          ...(p.buildArgs ? { 'build-args': { ...p.buildArgs } } : {}),
        }
      : p.platform,
  );
  if (proposal.port !== undefined)
    data.smoke = { port: proposal.port, path: options.smokePath ?? '/' };
  const doc = new Document(data, { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ` xplat.yml, written by \`xplat init\` from ${options.source}. Edit it, then run`,
    ' `xplat generate` to write .github/workflows/xplat.yml (`xplat plan` shows the matrix).',
    ...proposal.notes.map((n) => ` - ${n}`),
    ...(proposal.port === undefined
      ? [' No EXPOSE found: add smoke: { port: ..., path: ... } to probe the service over HTTP.']
      : []),
  ].join('\n');
  return doc.toString({ lineWidth: 0, singleQuote: true });
}
