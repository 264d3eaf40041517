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
import { isWindowsByName } from './dockerfile-files.js';
import { osEvidence } from './dockerfile-os.js';
import { windowsRun } from './dockerfile-stages.js';
import { releaseAssignments } from './release-args.js';

export interface ProposedPlatform {
  readonly platform: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly runsOn?: readonly string[];
  /** The Dockerfile this leg builds, from the repository root (default: the options'). */
  readonly dockerfile?: string;
  /** Its build context, from the repository root (default: the options'). */
  readonly context?: string;
  /** The stage to build, when it is not the last one. */
  readonly target?: string;
  /** A Windows leg BuildKit builds on a Linux runner (its Windows stages only copy files). */
  readonly buildOn?: 'linux';
  /** Why the leg is not smoke-tested (no runner of its release). */
  readonly smokeSkip?: string;
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

/** Why a release with no hosted runner is not smoke-tested when it is built on Linux. */
export function noRunnerReason(release: string): string {
  return `no GitHub-hosted ${release} runner to run it on`;
}

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

/**
 * The stages `platform` builds; Windows legs are planned with a Linux build machine, so
 * `FROM --platform=$BUILDPLATFORM` stages (cross-compilers) count as Linux, as BuildKit
 * runs them. Undefined when the file cannot be planned for it.
 */
function plan(
  parsed: ParsedDockerfile,
  platform: Platform,
  buildArgs: Record<string, string> = {},
  target?: string,
): StagePlan | undefined {
  try {
    return planStages(parsed, {
      platform,
      buildPlatform: platform.os === 'windows' ? LINUX : platform,
      buildArgs: { ...impliedPlatformArgs(parsed, platform), ...buildArgs },
      ...(target ? { target } : {}),
    });
  } catch {
    // A file that cannot be planned for this OS (a stage name that only exists for the
    // other one) does not build it.
    return undefined;
  }
}

/**
 * Global ARGs without a default that stand for the leg's platform, with its values:
 * azure-container-networking's cni/Dockerfile has `ARG ARCH` and `ARG OS`, `FROM
 * --platform=linux/${ARCH}` and `RUN GOOS=$OS go build`, and its Makefile passes both per
 * platform. Without them the file builds for no platform at all.
 */
export function impliedPlatformArgs(
  parsed: ParsedDockerfile,
  platform: Platform,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of parsed.globalArgs) {
    if (a.defaultValue !== null && a.defaultValue !== '') continue;
    if (/^(ARCH|GOARCH|TARGET_ARCH|ARCHITECTURE)$/i.test(a.name))
      out[a.name] = platform.architecture;
    else if (/^(OS|GOOS|TARGET_OS)$/i.test(a.name)) out[a.name] = platform.os;
  }
  return out;
}

/** Only the stages (and their base images) that build for `os`. */
function stagesOf(p: StagePlan, os: string): StagePlan {
  return {
    ...p,
    stages: p.stages.filter((s) => s.platform.os === os),
    baseImages: p.baseImages.filter((b) => b.stage.platform.os === os),
  };
}

/** Whether every Windows base image of `p` names `release`. */
function namesRelease(p: StagePlan | undefined, release: WindowsRelease): boolean {
  if (!p) return false;
  const bases = stagesOf(p, 'windows').baseImages;
  return (
    bases.some((b) => isWindowsImage(b.image) || releaseOfImage(b.image)) &&
    bases.every((b) => !isWindowsImage(b.image) || releaseOfImage(b.image)?.name === release.name)
  );
}

/**
 * The releases build args can pick, each with the args (every release-naming ARG that
 * feeds a FROM line, set together). The release the defaults already name gets them
 * explicitly too, so each leg says what it builds.
 */
function releasesByArgs(
  parsed: ParsedDockerfile,
  releases: readonly WindowsRelease[],
  target: string | undefined,
): ProposedPlatform[] | undefined {
  const base = plan(parsed, windowsPlatform(releases[0]!), {}, target);
  const stages = base ? stagesOf(base, 'windows').stages.map((s) => s.index) : undefined;
  const variants: ProposedPlatform[] = [];
  let picks = false;
  for (const release of releases) {
    const assignments = releaseAssignments(parsed, release, stages);
    if (namesRelease(plan(parsed, windowsPlatform(release), {}, target), release)) {
      // The defaults already build it: name the ARGs that would pick another release.
      const other = releases.find((r) => r !== release) ?? release;
      const names = Object.keys(releaseAssignments(parsed, other, stages)[0] ?? {});
      const defaults = Object.fromEntries(
        parsed.globalArgs
          .filter((a) => names.includes(a.name) && a.defaultValue)
          .map((a) => [a.name, a.defaultValue!]),
      );
      variants.push({
        platform: `windows/amd64:${release.name}`,
        ...(Object.keys(defaults).length ? { buildArgs: defaults } : {}),
      });
      continue;
    }
    const works = assignments.find((a) =>
      namesRelease(plan(parsed, windowsPlatform(release), a, target), release),
    );
    if (works) {
      picks = true;
      variants.push({ platform: `windows/amd64:${release.name}`, buildArgs: works });
    }
  }
  return picks ? variants : undefined;
}

/** An ARG the Linux stages take the architecture from instead of TARGETARCH (ARG ARCH=amd64). */
export function architectureArg(
  parsed: ParsedDockerfile,
  p: StagePlan,
): { name: string; defaultValue: string | null } | undefined {
  const reached = new Set(p.stages.map((s) => s.index));
  const decls = [
    ...parsed.globalArgs,
    ...parsed.stages
      .filter((s) => reached.has(s.index))
      .flatMap((s) => s.instructions.filter((i) => i.keyword === 'ARG'))
      .map((i) => {
        const [name, ...rest] = i.args.trim().split('=');
        return { name: name!.trim(), defaultValue: rest.length ? rest.join('=') : null };
      }),
  ];
  const reads = (text: string | null, names: ReadonlySet<string>) =>
    text !== null && [...names].some((n) => new RegExp(`\\$\\{?${n}\\b`).test(text));
  for (const d of decls) {
    if (!/^(ARCH|GOARCH|TARGET_ARCH|ARCHITECTURE|BUILD_ARCH|OS_ARCH)$/i.test(d.name)) continue;
    // It, and every ARG whose default is built from it (`ARG binary=./_output/${ARCH}/app`).
    const names = new Set([d.name]);
    for (const other of decls) if (reads(other.defaultValue, names)) names.add(other.name);
    const used = parsed.stages
      .filter((s) => reached.has(s.index))
      .some((s) => s.instructions.some((i) => i.keyword !== 'ARG' && reads(i.args, names)));
    if (used) return d;
  }
  return undefined;
}

/** An architecture ARG's value per leg, in the spelling of its default. */
export const ARCH_VALUES: Record<string, Record<string, string>> = {
  amd64: { amd64: 'amd64', arm64: 'arm64' },
  x86_64: { amd64: 'x86_64', arm64: 'aarch64' },
  x64: { amd64: 'x64', arm64: 'arm64' },
  arm64: { amd64: 'amd64', arm64: 'arm64' },
  aarch64: { amd64: 'x86_64', arm64: 'aarch64' },
};

/** Linux legs, each with the architecture ARG set when the file takes it from one. */
function linuxLegs(parsed: ParsedDockerfile, p: StagePlan, notes: string[]): ProposedPlatform[] {
  const arg = architectureArg(parsed, p);
  const legs: ProposedPlatform[] = [{ platform: 'linux/amd64' }, { platform: 'linux/arm64' }];
  if (!arg) return legs;
  const style = ARCH_VALUES[(arg.defaultValue ?? 'amd64').replace(/^["']|["']$/g, '')];
  if (!style) {
    notes.push(
      `ARG ${arg.name}=${arg.defaultValue} picks the architecture, and init cannot tell its values: set it per platform (build-args)`,
    );
    return legs;
  }
  notes.push(
    `linux/arm64: build arg ${arg.name}=${style.arm64}: the file takes the architecture from ARG ${arg.name}, not TARGETARCH`,
  );
  return legs.map((l) => {
    const value = style[l.platform.split('/')[1]!]!;
    return value === arg.defaultValue && arg.defaultValue !== null
      ? l
      : { ...l, buildArgs: { [arg.name]: value } };
  });
}

/** Windows legs of a file (target) whose Windows plan is Windows by base image or content. */
function windowsLegs(
  parsed: ParsedDockerfile,
  first: StagePlan,
  why: string,
  target: string | undefined,
  notes: string[],
): ProposedPlatform[] {
  const run = windowsRun(parsed, first);
  const onLinux = !run;
  // Built by BuildKit on Linux, a release needs no host of its own: ltsc2019 too.
  const releases = WINDOWS_RELEASES.filter((r) => onLinux || r.hostedRunner);
  const withBuild = (leg: ProposedPlatform): ProposedPlatform => {
    if (!onLinux) return leg;
    const name = leg.platform.split(':')[1]!;
    const hosted = WINDOWS_RELEASES.find((r) => r.name === name)?.hostedRunner;
    return { ...leg, buildOn: 'linux', ...(hosted ? {} : { smokeSkip: noRunnerReason(name) }) };
  };
  const how = onLinux
    ? '; built by BuildKit on Linux (build-on: linux): its Windows stages have no RUN'
    : `; built on Windows: RUN on line ${run.line} (${run.stage}) needs a Windows host`;
  const byArgs = releasesByArgs(parsed, releases, target);
  if (byArgs) {
    const names = [...new Set(byArgs.flatMap((v) => Object.keys(v.buildArgs ?? {})))];
    notes.push(
      `${byArgs.map((v) => v.platform).join(', ')} from ${why}, the release picked by ${names.map((n) => `ARG ${n}`).join(' and ')}${how}`,
    );
    return byArgs.map(withBuild);
  }
  const found = new Set(
    stagesOf(first, 'windows')
      .baseImages.filter((b) => isWindowsImage(b.image) || releaseOfImage(b.image))
      .map((b) => releaseOfImage(b.image)?.name),
  );
  const release = WINDOWS_RELEASES.find((r) => found.size === 1 && r.name === [...found][0]);
  if (!release) {
    const fallback = WINDOWS_RELEASES.find((r) => r.hostedRunner)!;
    notes.push(
      `windows/amd64:${fallback.name} from ${why}: its tag names no single LTSC release; check that the base image matches${how}`,
    );
    return [withBuild({ platform: `windows/amd64:${fallback.name}` })];
  }
  if (release.hostedRunner || onLinux) {
    notes.push(`windows/amd64:${release.name} from ${why}${how}`);
    return [withBuild({ platform: `windows/amd64:${release.name}` })];
  }
  notes.push(
    `windows/amd64:${release.name} from ${why}: no GitHub-hosted runner runs ${release.name}, so it needs a self-hosted runner with these labels${how}`,
  );
  return [
    { platform: `windows/amd64:${release.name}`, runsOn: ['self-hosted', 'windows', release.name] },
  ];
}

export interface ProposeOptions {
  /** The stage to build (default: the last). */
  readonly target?: string;
}

/**
 * Platforms from one Dockerfile (and target): Linux (amd64, arm64) when the stages the
 * Linux plan reaches are not Windows; Windows, per release, when the Windows plan's are —
 * by base image first, then by content and by the file's name (`Dockerfile.windows`)
 * where the base image does not say.
 */
export function proposeFromDockerfile(
  text: string,
  file = 'Dockerfile',
  options: ProposeOptions = {},
): Proposal {
  const parsed = parseDockerfile({ file, text });
  const { target } = options;
  const notes: string[] = [];
  const platforms: ProposedPlatform[] = [];
  const describe = (p: StagePlan) =>
    p.baseImages.length
      ? p.baseImages.map((b) => `${b.image} (line ${b.line})`).join(', ')
      : 'scratch';
  const byName = isWindowsByName(file);

  const linux = plan(parsed, LINUX, {}, target);
  const linuxEvidence = linux ? osEvidence(parsed, linux) : undefined;
  const linuxIsWindows =
    !!linuxEvidence &&
    linuxEvidence.linux.length === 0 &&
    (linuxEvidence.windows.length > 0 || byName);
  if (linux && linux.baseImages.every((b) => !isWindowsImage(b.image)) && !linuxIsWindows) {
    const linuxNotes: string[] = [];
    platforms.push(...linuxLegs(parsed, linux, linuxNotes));
    notes.push(`linux/amd64, linux/arm64 from ${describe(linux)}`, ...linuxNotes);
  }

  const hosted = WINDOWS_RELEASES.filter((r) => r.hostedRunner);
  const whole = plan(parsed, windowsPlatform(hosted[0]!), {}, target);
  const first = whole ? stagesOf(whole, 'windows') : undefined;
  const evidence = first ? osEvidence(parsed, first) : undefined;
  const windowsBases =
    !!first &&
    first.baseImages.length > 0 &&
    first.baseImages.every((b) => isWindowsImage(b.image));
  const windowsByContent =
    !!evidence &&
    first!.stages.length > 0 &&
    evidence.linux.length === 0 &&
    first!.baseImages.every((b) => !isLinuxOnlyImageName(splitImage(b.image))) &&
    (evidence.windows.length > 0 || byName);
  if (first && (windowsBases || windowsByContent)) {
    const why = windowsBases
      ? describe(first)
      : `${describe(first)}, Windows by ${evidence!.windows.length ? evidence!.windows[0] : `its name (${file})`}`;
    platforms.push(...windowsLegs(parsed, first, why, target, notes));
  }

  // The legs say what the plan assumed (ARG OS and ARG ARCH without a default).
  platforms.forEach((leg, i) => {
    const implied = impliedPlatformArgs(parsed, parsePlatform(leg.platform));
    const missing = Object.entries(implied).filter(([k]) => !Object.hasOwn(leg.buildArgs ?? {}, k));
    if (missing.length)
      platforms[i] = {
        ...leg,
        buildArgs: { ...Object.fromEntries(missing), ...(leg.buildArgs ?? {}) },
      };
  });
  const port = exposedPort(
    parsed,
    platforms[0]?.platform.startsWith('linux') ? linux : (whole ?? linux),
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
