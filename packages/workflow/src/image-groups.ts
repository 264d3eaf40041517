/**
 * The images of a repository, from its Dockerfiles: files belong to one image when their
 * folder and name stem agree once the platform words are taken out
 * (`cloud-node-manager.Dockerfile` + `cloud-node-manager-windows.Dockerfile`,
 * `src/dotnet/` + `src/dotnet-windows/`, `build/linux/` + `build/windows/`,
 * `docker/ecr/Dockerfile.linux.amd64` + `…windows.amd64.ltsc2022`). Each file also says,
 * by name, which platform it is for (`Dockerfile.linux.arm64`, `Dockerfile.arm64v8`,
 * `Dockerfile.windows.ltsc2022`), so no leg is built from another architecture's file.
 */
import path from 'node:path';
import { DOCKER_FOLDERS } from './dockerfile-files.js';

/** What a Dockerfile's path says about its platform. */
export interface NameHint {
  readonly os?: 'linux' | 'windows';
  readonly arch?: string;
  /** `ltsc2022`. */
  readonly release?: string;
}

export interface ImageGroup {
  /** `cloud-node-manager`: matrix keys and job names (^[a-z0-9]+(-[a-z0-9]+)*$). */
  readonly name: string;
  /** Its Dockerfiles, canonical first (Dockerfile before Dockerfile.alpine). */
  readonly files: readonly string[];
}

const OS_WORDS: Record<string, 'linux' | 'windows'> = {
  linux: 'linux',
  windows: 'windows',
  win: 'windows',
  nanoserver: 'windows',
  servercore: 'windows',
  // dotnet-framework-docker and docker-library: src/runtime/4.8/windowsservercore-ltsc2019/.
  windowsservercore: 'windows',
};
const ARCH_WORDS: Record<string, string> = {
  amd64: 'amd64',
  x86_64: 'amd64',
  x64: 'amd64',
  arm64: 'arm64',
  arm64v8: 'arm64',
  aarch64: 'arm64',
  arm: 'arm',
  armhf: 'arm',
  arm32v7: 'arm',
  armv7: 'arm',
  ppc64le: 'ppc64le',
  s390x: 's390x',
};
const RELEASE_WORDS: Record<string, string> = {
  ltsc2019: 'ltsc2019',
  '1809': 'ltsc2019',
  ltsc2022: 'ltsc2022',
  ltsc2025: 'ltsc2025',
};
/** Flavours of one image (another base distribution, a debug build): never an image of their own. */
const VARIANT_WORDS = new Set([
  'alpine',
  'debian',
  'ubuntu',
  'slim',
  'distroless',
  'chiseled',
  'bookworm',
  'bullseye',
  'ubi',
  'debug',
  'dev',
  'fips',
  'scratch',
  'nano',
  'coverage',
]);
/** A base distribution with its version (`centos7`, `ubuntu2204`, `ubi9`, `al2023`): a flavour too. */
const DISTRO_VARIANT =
  /^(alpine|debian|ubuntu|centos|rhel|ubi|fedora|rocky(linux)?|alma(linux)?|amazonlinux|al|opensuse|sles|mariner|azurelinux|photon|oraclelinux)\d+$/i;
const isVariantWord = (w: string) => VARIANT_WORDS.has(w.toLowerCase()) || DISTRO_VARIANT.test(w);
/** Folders and stems of images nobody publishes: tests, examples, developer tools. */
const SECONDARY =
  /^(e2e|tests?|testing|integration|conformance|examples?|samples?|docs?|hack|tools?|dev-?toolkit|toolkit|devcontainer|benchmarks?|fixtures?|tmpl|templates?|site|website|eng)$/i;

function words(part: string): string[] {
  return part.split(/[._-]+/).filter(Boolean);
}

function isPlatformWord(w: string): boolean {
  const l = w.toLowerCase();
  return l in OS_WORDS || l in ARCH_WORDS || l in RELEASE_WORDS;
}

/** The platform words of a path: `docker/Dockerfile.windows.amd64.ltsc2022` says windows, amd64, ltsc2022. */
export function nameHint(file: string): NameHint {
  let os: NameHint['os'];
  let arch: string | undefined;
  let release: string | undefined;
  for (const w of file.split('/').flatMap(words)) {
    const l = w.toLowerCase();
    os = OS_WORDS[l] ?? os;
    arch = ARCH_WORDS[l] ?? arch;
    release = RELEASE_WORDS[l] ?? release;
  }
  if (release) os = 'windows';
  return { ...(os ? { os } : {}), ...(arch ? { arch } : {}), ...(release ? { release } : {}) };
}

/** Whether a leg for `platform` (`linux/arm64`, `windows/amd64:ltsc2022`) may come from `file`. */
export function hintAllows(hint: NameHint, platform: string): boolean {
  const [os, rest] = platform.split('/') as [string, string];
  const [arch, release] = rest.split(':') as [string, string | undefined];
  if (hint.os && hint.os !== os) return false;
  if (hint.arch && hint.arch !== arch) return false;
  if (hint.release && release && hint.release !== release) return false;
  return true;
}

/** The stem of a Dockerfile name: `cloud-node-manager-windows` of `cloud-node-manager-windows.Dockerfile`. */
function stemOf(base: string): string {
  const m =
    /^(?:dockerfile|containerfile)(?:[._-](.*))?$/i.exec(base) ??
    /^(.*)\.(?:dockerfile|containerfile|nanoserver|servercore)$/i.exec(base);
  return m ? (m[1] ?? '') : base;
}

interface Keyed {
  readonly file: string;
  /** The folder with platform words taken out. */
  readonly folder: string;
  /** The stem with platform and variant words taken out. */
  readonly stem: string;
  readonly variant: boolean;
  readonly secondary: boolean;
}

function keyOf(file: string): Keyed {
  const parts = file.split('/');
  const base = parts.pop()!;
  // A folder that only names a flavour (docker-library's `3.5/alpine/`, `3.5/scratch/`) is
  // a variant of the image its parent folder holds, as a flavour word in a file name is.
  const flavourFolder = (p: string) => {
    const w = words(p).filter((x) => !isPlatformWord(x));
    return w.length > 0 && w.every(isVariantWord);
  };
  const folder = parts
    .map((p) =>
      flavourFolder(p)
        ? ''
        : words(p)
            .filter((w) => !isPlatformWord(w))
            .join('-'),
    )
    .filter(Boolean);
  const stemWords = words(stemOf(base)).filter((w) => !isPlatformWord(w));
  const variant = stemWords.some(isVariantWord) || parts.some(flavourFolder);
  const stem = stemWords.filter((w) => !isVariantWord(w)).join('-');
  const secondary = [...parts, stem].some((p) => SECONDARY.test(p));
  return { file, folder: folder.join('/'), stem: stem.toLowerCase(), variant, secondary };
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The images of `files` (as findDockerfiles returns them), each with a name: the stem
 * when the file names one, else the last folder that is not a docker/ or build/ folder,
 * else `fallback` (the repository's name). Names that collide take their parent folder
 * (`flannel-kube-proxy`, `calico-kube-proxy`). Test, example and tool images are left
 * out unless there is nothing else.
 */
export function groupImages(
  files: readonly string[],
  fallback: string,
): { images: ImageGroup[]; secondary: string[] } {
  const keyed = files.map(keyOf);
  const primary = keyed.filter((k) => !k.secondary);
  const used = primary.length ? primary : keyed;
  const groups = new Map<string, Keyed[]>();
  for (const k of used) {
    const key = `${k.folder}|${k.stem}`;
    groups.set(key, [...(groups.get(key) ?? []), k]);
  }
  const nameFor = (k: Keyed, depth: number): string => {
    const folders = k.folder.split('/').filter((f) => f && !DOCKER_FOLDERS.test(f));
    const parts = [...folders, ...(k.stem ? [k.stem] : [])];
    const picked = parts.slice(Math.max(0, parts.length - depth));
    return slug(picked.join('-')) || slug(fallback) || 'app';
  };
  const entries = [...groups.values()].map((members) => ({
    members: [...members].sort(
      (a, b) => Number(a.variant) - Number(b.variant) || a.file.length - b.file.length,
    ),
    depth: 1,
  }));
  // Widen colliding names by one folder at a time, up to the whole path.
  for (let round = 0; round < 4; round++) {
    const names = entries.map((e) => nameFor(e.members[0]!, e.depth));
    const clash = entries.filter((_, i) => names.filter((n) => n === names[i]).length > 1);
    if (!clash.length) break;
    for (const e of clash) e.depth++;
  }
  // Root first, then as found (shallow before deep).
  const first = (e: (typeof entries)[number]) =>
    Math.min(...e.members.map((m) => files.indexOf(m.file)));
  entries.sort((a, b) => first(a) - first(b));
  const images = entries.map((e) => ({
    name: nameFor(e.members[0]!, e.depth),
    files: e.members.map((m) => m.file),
  }));
  return {
    images,
    secondary: used === keyed ? [] : keyed.filter((k) => k.secondary).map((k) => k.file),
  };
}

/** The repository's name, for an image at its root: the folder name, as a slug. */
export function repositoryName(dir: string): string {
  return slug(path.basename(path.resolve(dir))) || 'app';
}
