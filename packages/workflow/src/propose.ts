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
  isLinuxOnlyImageName,
  parseDockerfile,
  planStages,
  isWindowsImageName,
  splitImage,
  windowsReleaseOfTag,
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
import path from 'node:path';
import { Document } from 'yaml';
import { isWindowsByName } from './dockerfile-files.js';
import { osEvidence } from './dockerfile-os.js';
import { CONFIG_SCHEMA_MODELINE, XPLAT_NPX } from './npm.js';

export interface ProposedPlatform {
  readonly platform: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly runsOn?: readonly string[];
  /** The Dockerfile this leg builds, from the repository root (default: the options'). */
  readonly dockerfile?: string;
  /** Its build context, from the repository root (default: the options'). */
  readonly context?: string;
}

/** A platform init could have proposed but did not, and why. */
export interface LeftOut {
  /** `windows/amd64:ltsc2025`, several comma-separated, or '' for a whole file. */
  readonly platform: string;
  readonly dockerfile: string;
  readonly reason: string;
}

/** `windows/amd64:ltsc2025 from Dockerfile.windows: lints with errors: ...`. */
export function formatLeftOut(l: LeftOut): string {
  return `${l.platform ? `${l.platform} from ` : ''}${l.dockerfile}: ${l.reason}`;
}

export interface Proposal {
  readonly platforms: readonly ProposedPlatform[];
  /** The first port the target stage EXPOSEs, for the smoke test. */
  readonly port?: number;
  /** Why each platform was proposed (base images with their lines), for the header. */
  readonly notes: readonly string[];
  /** What was left out (a leg that lints with errors, a platform two files build). */
  readonly leftOut?: readonly LeftOut[];
}

const LINUX = parsePlatform('linux/amd64');

/**
 * Windows by name (mcr.microsoft.com/windows/*, a tag naming nanoserver, servercore or
 * an LTSC release): @xplat/dockerfile's rule, so init and lint agree on what is Windows.
 */
export function isWindowsImage(image: string): boolean {
  return isWindowsImageName(splitImage(image));
}

/** The known release a Windows image tag names (ltsc2019/1809, ltsc2022, ltsc2025, 10.0.x). */
export function releaseOfImage(image: string): WindowsRelease | undefined {
  const build = windowsReleaseOfTag(splitImage(image).tag);
  return build ? releaseForOsVersion(build.split('.').slice(0, 3).join('.')) : undefined;
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

/**
 * Values of a global ARG that make a base image name `release`: the default with its
 * release replaced (ltsc2022 -> ltsc2025, 2019 -> 2022 in `ltsc${WIN_VERSION}`, a build
 * number), or the release's name when the ARG has no default (`nanoserver:${BASE_TAG}`).
 */
export function releaseArgValues(defaultValue: string | null, release: WindowsRelease): string[] {
  if (defaultValue === null || defaultValue === '') return [release.name, release.build];
  const out = new Set<string>();
  for (const other of WINDOWS_RELEASES) {
    if (defaultValue.includes(other.name)) out.add(defaultValue.replace(other.name, release.name));
    if (defaultValue.includes(other.build))
      out.add(defaultValue.replace(other.build, release.build));
  }
  const year = (r: WindowsRelease) => r.name.replace(/^ltsc/, '');
  for (const other of WINDOWS_RELEASES)
    if (new RegExp(`(^|[^0-9])${year(other)}([^0-9]|$)`).test(defaultValue))
      out.add(defaultValue.replace(year(other), year(release)));
  if (/(^|[-_.])1809($|[-_.])/.test(defaultValue))
    out.add(defaultValue.replace('1809', release.name));
  out.delete(defaultValue);
  return [...out];
}

/** Whether a global ARG reaches a FROM line, directly or through another global ARG. */
function feedsFrom(parsed: ParsedDockerfile, name: string, seen = new Set<string>()): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const uses = new RegExp(`\\$\\{?${name}\\b`);
  if (parsed.stages.some((s) => uses.test(s.from) || uses.test(s.platformFlag ?? ''))) return true;
  return parsed.globalArgs.some(
    (a) => a.defaultValue !== null && uses.test(a.defaultValue) && feedsFrom(parsed, a.name, seen),
  );
}

/**
 * The releases of `hosted` that one global ARG of the file can pick, each with its value:
 * the first ARG (in file order) for which the planned base images then name that release.
 */
function releasesByArg(
  parsed: ParsedDockerfile,
  hosted: readonly WindowsRelease[],
): { arg: string; variants: ProposedPlatform[] } | undefined {
  for (const arg of parsed.globalArgs) {
    if (!feedsFrom(parsed, arg.name)) continue;
    const variants: ProposedPlatform[] = [];
    for (const release of hosted) {
      for (const value of [
        arg.defaultValue ?? '',
        ...releaseArgValues(arg.defaultValue, release),
      ]) {
        if (!value) continue;
        const p = plan(parsed, windowsPlatform(release), { [arg.name]: value });
        if (
          p &&
          p.baseImages.length &&
          p.baseImages.some((b) => isWindowsImage(b.image)) &&
          p.baseImages.every(
            (b) => !isWindowsImage(b.image) || releaseOfImage(b.image)?.name === release.name,
          )
        ) {
          variants.push({
            platform: `windows/amd64:${release.name}`,
            buildArgs: { [arg.name]: value },
          });
          break;
        }
      }
    }
    // An ARG that names only the release the default already has picks nothing.
    if (variants.length > 1 || (variants.length === 1 && arg.defaultValue === null))
      return { arg: arg.name, variants };
  }
  return undefined;
}

/**
 * Platforms from one Dockerfile: Linux (amd64, arm64) when the stages the Linux plan
 * reaches are not Windows; Windows, per release, when the Windows plan's are — by base
 * image first, then by content and by the file's name (`Dockerfile.windows`) where the
 * base image does not say.
 */
export function proposeFromDockerfile(text: string, file = 'Dockerfile'): Proposal {
  const parsed = parseDockerfile({ file, text });
  const notes: string[] = [];
  const platforms: ProposedPlatform[] = [];
  const describe = (p: StagePlan) =>
    p.baseImages.length
      ? p.baseImages.map((b) => `${b.image} (line ${b.line})`).join(', ')
      : 'scratch';
  const byName = isWindowsByName(file);

  const linux = plan(parsed, LINUX);
  const linuxEvidence = linux ? osEvidence(parsed, linux) : undefined;
  const linuxIsWindows =
    !!linuxEvidence &&
    linuxEvidence.linux.length === 0 &&
    (linuxEvidence.windows.length > 0 || byName);
  if (linux && linux.baseImages.every((b) => !isWindowsImage(b.image)) && !linuxIsWindows) {
    platforms.push({ platform: 'linux/amd64' }, { platform: 'linux/arm64' });
    notes.push(`linux/amd64, linux/arm64 from ${describe(linux)}`);
  }

  const hosted = WINDOWS_RELEASES.filter((r) => r.hostedRunner);
  const first = plan(parsed, windowsPlatform(hosted[0]!));
  const evidence = first ? osEvidence(parsed, first) : undefined;
  const windowsBases =
    !!first &&
    first.baseImages.length > 0 &&
    first.baseImages.every((b) => isWindowsImage(b.image));
  const windowsByContent =
    !!evidence &&
    evidence.linux.length === 0 &&
    first!.baseImages.every((b) => !isLinuxOnlyImageName(splitImage(b.image))) &&
    (evidence.windows.length > 0 || byName);
  if (first && (windowsBases || windowsByContent)) {
    const why = windowsBases
      ? describe(first)
      : `${describe(first)}, Windows by ${evidence!.windows.length ? evidence!.windows[0] : `its name (${file})`}`;
    const releases = new Set(
      first.baseImages
        .filter((b) => isWindowsImage(b.image))
        .map((b) => releaseOfImage(b.image)?.name),
    );
    const release = releases.size === 1 ? [...releases][0] : undefined;
    const found = WINDOWS_RELEASES.find((r) => r.name === release);
    // A global ARG that names the release lets one Dockerfile build every release.
    const byArg = releasesByArg(parsed, hosted);
    if (byArg) {
      platforms.push(...byArg.variants);
      notes.push(
        `${byArg.variants.map((v) => v.platform).join(', ')} from ${why}, the release picked by ARG ${byArg.arg}`,
      );
    } else if (!found) {
      const fallback = hosted[0]!;
      platforms.push({ platform: `windows/amd64:${fallback.name}` });
      notes.push(
        `windows/amd64:${fallback.name} from ${why}: its tag names no single LTSC release; check that the base image matches`,
      );
    } else if (found.hostedRunner) {
      platforms.push({ platform: `windows/amd64:${found.name}` });
      notes.push(`windows/amd64:${found.name} from ${why}`);
    } else {
      platforms.push({
        platform: `windows/amd64:${found.name}`,
        runsOn: ['self-hosted', 'windows', found.name],
      });
      notes.push(
        `windows/amd64:${found.name} from ${why}: no GitHub-hosted runner runs ${found.name}, so it needs a self-hosted runner with these labels`,
      );
    }
  }

  const port = exposedPort(
    parsed,
    platforms[0]?.platform.startsWith('linux') ? linux : (first ?? linux),
  );
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
  /** The context of legs that do not name their own. */
  readonly context: string;
  /** The Dockerfile of legs that do not name their own (default <context>/Dockerfile). */
  readonly dockerfile?: string;
  readonly smokePath?: string;
  /** Where the proposal came from, for the header. */
  readonly source: string;
}

interface BuildPlace {
  context: string;
  dockerfile: string;
}

/**
 * Where each leg builds from, written as briefly as xplat.yml allows: the first leg's
 * file and context at the top level, an OS family's at `linux:`/`windows:` when it
 * differs (Dockerfile + Dockerfile.windows), a leg's own on its entry. Resolved the way
 * loadConfig resolves them: entry, then family, then top level, then <context>/Dockerfile.
 */
function placeFields(
  proposal: Proposal,
  options: InitOptions,
): {
  top: Record<string, string>;
  families: Record<string, Record<string, string>>;
  entries: Record<string, string>[];
} {
  const place = (p: ProposedPlatform): BuildPlace => {
    const context = p.context ?? options.context;
    return {
      context,
      dockerfile: p.dockerfile ?? options.dockerfile ?? path.posix.join(context, 'Dockerfile'),
    };
  };
  const places = proposal.platforms.map(place);
  const first = places[0] ?? { context: options.context, dockerfile: options.dockerfile ?? '' };
  const top: Record<string, string> = {};
  if (first.context !== '.') top.context = first.context;
  if (first.dockerfile !== path.posix.join(first.context, 'Dockerfile'))
    top.dockerfile = first.dockerfile;
  const topContext = first.context;
  const defaultFile = (context: string, family: Record<string, string>) =>
    family.dockerfile ?? top.dockerfile ?? path.posix.join(context, 'Dockerfile');

  const families: Record<string, Record<string, string>> = {};
  for (const os of ['linux', 'windows']) {
    const mine = places.filter((_, i) => proposal.platforms[i]!.platform.startsWith(`${os}/`));
    // Only a place every leg of the OS shares; per-release files stay on their entries.
    const want = mine[0];
    if (!want || mine.some((m) => m.context !== want.context || m.dockerfile !== want.dockerfile))
      continue;
    const family: Record<string, string> = {};
    if (want.context !== topContext) family.context = want.context;
    if (want.dockerfile !== defaultFile(want.context, family)) family.dockerfile = want.dockerfile;
    if (Object.keys(family).length) families[os] = family;
  }
  const entries = proposal.platforms.map((p, i) => {
    const family = families[p.platform.split('/')[0]!] ?? {};
    const familyContext = family.context ?? topContext;
    const want = places[i]!;
    const entry: Record<string, string> = {};
    if (want.context !== familyContext) entry.context = want.context;
    if (
      want.dockerfile !==
      (family.dockerfile ?? top.dockerfile ?? path.posix.join(want.context, 'Dockerfile'))
    )
      entry.dockerfile = want.dockerfile;
    return entry;
  });
  return { top, families, entries };
}

/** The xplat.yml `xplat init` writes: the schema for editors, a header saying where it came from, then the fields. */
export function renderInitConfig(proposal: Proposal, options: InitOptions): string {
  const { top, families, entries } = placeFields(proposal, options);
  const data: Record<string, unknown> = { image: options.image, ...top };
  for (const [os, family] of Object.entries(families)) data[os] = family;
  data.platforms = proposal.platforms.map((p, i) =>
    p.buildArgs || p.runsOn || Object.keys(entries[i]!).length
      ? {
          platform: p.platform,
          ...entries[i],
          ...(p.runsOn ? { 'runs-on': [...p.runsOn] } : {}),
          ...(p.buildArgs ? { 'build-args': { ...p.buildArgs } } : {}),
        }
      : p.platform,
  );
  if (proposal.port !== undefined)
    data.smoke = { port: proposal.port, path: options.smokePath ?? '/' };
  const doc = new Document(data, { aliasDuplicateObjects: false });
  doc.commentBefore = [
    // First, so editors with the YAML language server complete and check the file.
    ` ${CONFIG_SCHEMA_MODELINE}`,
    ` xplat.yml, written by \`xplat init\` from ${options.source}. Edit it, then run`,
    ` \`${XPLAT_NPX} generate\` to write .github/workflows/xplat.yml (\`${XPLAT_NPX} plan\` shows the matrix).`,
    ...proposal.notes.map((n) => ` - ${n}`),
    ...(proposal.leftOut ?? []).map((l) => ` - left out ${formatLeftOut(l)}`),
    ...(proposal.port === undefined
      ? [' No EXPOSE found: add smoke: { port: ..., path: ... } to probe the service over HTTP.']
      : []),
  ].join('\n');
  return doc.toString({ lineWidth: 0, singleQuote: true });
}
