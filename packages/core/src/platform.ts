/**
 * Platforms as OCI writes them (`os/arch[/variant]`), plus the Windows release a Windows
 * leg carries: `windows/amd64:ltsc2022` or `windows/amd64:10.0.20348.2655`.
 *
 * Hand-written on purpose: no library parses this combined form, and containerd's
 * normalisation rules (arm64 = arm64/v8, aarch64 = arm64, ...) are short and stable.
 */
import { XplatError } from './errors.js';
import { echo } from './errors.js';
import {
  buildNumber,
  OS_VERSION_PATTERN,
  releaseByName,
  releaseForOsVersion,
  WINDOWS_ARM64_FIRST_BUILD,
} from './windows.js';

export type OperatingSystem = 'linux' | 'windows';

export interface Platform {
  readonly os: OperatingSystem;
  readonly architecture: string;
  /** Normalised: arm64 always `v8`, arm defaults to `v7`, amd64 has none. */
  readonly variant?: string;
  /** Windows only: a full `os.version` (10.0.20348.2655) or a build prefix (10.0.20348). */
  readonly osVersion?: string;
}

/** The `platform` object of an OCI index entry or image config. */
export interface OciPlatform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
  i386: '386',
};
const KNOWN_ARCHES = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64']);
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', arm: 'v7' };
const EXAMPLE = 'linux/amd64, linux/arm64, windows/amd64:ltsc2022';

function normaliseVariant(architecture: string, variant: string | undefined): string | undefined {
  const v = variant?.toLowerCase() || DEFAULT_VARIANT[architecture];
  // amd64/v1 is plain amd64 (containerd does the same); higher levels are kept.
  if (architecture === 'amd64' && v === 'v1') return undefined;
  return v;
}

/** Parse `os/arch[/variant][:release]`. Throws an XplatError naming `input` when malformed. */
export function parsePlatform(text: string, input = 'platform'): Platform {
  const raw = text.trim();
  const bad = (why: string): XplatError =>
    new XplatError(`"${echo(raw)}" is not a platform: ${why} (expected e.g. ${EXAMPLE})`, input);
  if (!raw) throw bad('it is empty');

  const colon = raw.indexOf(':');
  const head = colon >= 0 ? raw.slice(0, colon) : raw;
  const release = colon >= 0 ? raw.slice(colon + 1).trim() : undefined;
  const parts = head.toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_-]+$/.test(p))) {
    throw bad('write it as os/arch or os/arch/variant');
  }
  const [os, rawArch, rawVariant] = parts as [string, string, string | undefined];
  if (os !== 'linux' && os !== 'windows') {
    throw bad(`os "${os}" is not supported; xplat builds linux and windows images`);
  }
  const architecture = ARCH_ALIASES[rawArch] ?? rawArch;
  if (!KNOWN_ARCHES.has(architecture)) throw bad(`architecture "${rawArch}" is not known`);
  const variant = normaliseVariant(architecture, rawVariant);
  if (os === 'windows' && architecture !== 'amd64' && architecture !== 'arm64') {
    throw bad('Windows images are amd64 or arm64');
  }

  if (release === undefined) return { os, architecture, ...(variant ? { variant } : {}) };
  if (os !== 'windows') throw bad('only Windows platforms carry a release after ":"');
  const osVersion = parseWindowsVersion(release, input);
  const build = buildNumber(osVersion);
  if (architecture === 'arm64' && build !== undefined && build < WINDOWS_ARM64_FIRST_BUILD)
    throw bad(
      `Windows ${release} has no arm64 release; Windows container images for arm64 start with ltsc2025 (10.0.${WINDOWS_ARM64_FIRST_BUILD})`,
    );
  return { os, architecture, ...(variant ? { variant } : {}), osVersion };
}

/**
 * A Windows release as users write it, `ltsc2022` or an `os.version`, as an os.version
 * (the build prefix for a release name).
 */
export function parseWindowsVersion(text: string, input = 'windows-version'): string {
  const value = text.trim();
  const release = releaseByName(value);
  if (release) return release.build;
  if (OS_VERSION_PATTERN.test(value)) return value;
  throw new XplatError(
    `"${echo(value)}" is not a Windows release: use ltsc2019, ltsc2022, ltsc2025 or a full os.version such as 10.0.20348.2655`,
    input,
  );
}

/** Split a list input (commas, newlines or a JSON array) into parsed platforms. */
export function parsePlatformList(
  text: string | readonly string[],
  input = 'platforms',
): Platform[] {
  const items =
    typeof text === 'string' ? splitList(text) : text.map((t) => t.trim()).filter(Boolean);
  return items.map((item) => parsePlatform(item, input));
}

/** Items of a list input: a JSON array, or values separated by commas or newlines. */
export function splitList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map((v) => String(v).trim()).filter(Boolean);
    } catch {
      // Not JSON after all: fall through to the plain form.
    }
  }
  return trimmed
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `os/arch[/variant]` with the default variant of arm64 left out, as people write it. */
export function ociPlatformString(p: Pick<Platform, 'os' | 'architecture' | 'variant'>): string {
  const variant = p.variant && p.variant !== DEFAULT_VARIANT[p.architecture] ? `/${p.variant}` : '';
  return `${p.os}/${p.architecture}${variant}`;
}

/** The one-string form: `linux/arm64`, `windows/amd64:ltsc2022`, `windows/amd64:10.0.20348.2655`. */
export function formatPlatform(p: Platform): string {
  if (!p.osVersion) return ociPlatformString(p);
  const release = releaseForOsVersion(p.osVersion);
  const suffix = release && release.build === p.osVersion ? release.name : p.osVersion;
  return `${ociPlatformString(p)}:${suffix}`;
}

/** Names and tags: `linux-amd64`, `linux-arm-v6`, `windows-amd64-ltsc2022`. */
export function platformPair(p: Platform): string {
  const base = ociPlatformString(p).replace(/\//g, '-');
  if (!p.osVersion) return base;
  const release = releaseForOsVersion(p.osVersion);
  return `${base}-${release ? release.name : p.osVersion}`;
}

/** A Platform from the platform fields of an image config or index entry. */
export function fromOciPlatform(p: OciPlatform): Platform {
  const os = p.os.toLowerCase();
  if (os !== 'linux' && os !== 'windows') {
    throw new XplatError(`os "${p.os}" is not supported; xplat fuses linux and windows images`);
  }
  const architecture = ARCH_ALIASES[p.architecture] ?? p.architecture;
  const variant = normaliseVariant(architecture, p.variant);
  return {
    os,
    architecture,
    ...(variant ? { variant } : {}),
    ...(p['os.version'] ? { osVersion: p['os.version'] } : {}),
  };
}

/**
 * Whether `actual` (what an image is) satisfies `expected` (what was asked for). A
 * release name or build prefix matches every revision of that build; a full os.version
 * must match exactly; an expected platform without a version takes any.
 */
export function platformMatches(expected: Platform, actual: Platform): boolean {
  if (expected.os !== actual.os || expected.architecture !== actual.architecture) return false;
  if ((expected.variant ?? '') !== (actual.variant ?? '')) return false;
  if (!expected.osVersion) return true;
  if (!actual.osVersion) return false;
  if (expected.osVersion.split('.').length === 4) return expected.osVersion === actual.osVersion;
  return buildNumber(expected.osVersion) === buildNumber(actual.osVersion);
}
