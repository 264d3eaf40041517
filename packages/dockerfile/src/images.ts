/**
 * What an image reference says about itself: its tag and digest, the Windows release a
 * tag names, and whether it is one of the well-known images that exist for one OS only.
 */

export interface ImageRef {
  /** Repository without Docker Hub's `docker.io/library/` prefix, lower case. */
  repository: string;
  tag?: string;
  digest?: string;
}

export function splitImage(reference: string): ImageRef {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const rest = at >= 0 ? reference.slice(0, at) : reference;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const tag = colon > slash ? rest.slice(colon + 1) : undefined;
  let repository = (colon > slash ? rest.slice(0, colon) : rest).toLowerCase();
  repository = repository.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  repository = repository.replace(/^library\//, '');
  return { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

const RELEASE_TAGS: [RegExp, string][] = [
  [/ltsc2025/, '10.0.26100'],
  [/ltsc2022/, '10.0.20348'],
  [/ltsc2019|(^|[-_.])1809($|[-_.])/, '10.0.17763'],
  [/(^|[-_.])20h2($|[-_.])/, '10.0.19042'],
  [/(^|[-_.])2004($|[-_.])/, '10.0.19041'],
  [/(^|[-_.])1909($|[-_.])/, '10.0.18363'],
  [/(^|[-_.])1903($|[-_.])/, '10.0.18362'],
];

/** The os.version (build prefix or full) a tag names, e.g. `ltsc2022` -> 10.0.20348. */
export function windowsReleaseOfTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const t = tag.toLowerCase();
  const full = /10\.0\.(\d{5})(\.\d+)?/.exec(t);
  if (full) return full[0];
  return RELEASE_TAGS.find(([re]) => re.test(t))?.[1];
}

/** Known to be a Windows image by its name (repository or tag). */
export function isWindowsImageName(ref: ImageRef): boolean {
  if (/^mcr\.microsoft\.com\/windows(\/|$)/.test(ref.repository)) return true;
  const tag = ref.tag?.toLowerCase() ?? '';
  return /nanoserver|windowsservercore|servercore|ltsc20\d\d/.test(tag);
}

/** Images that exist for Linux only (official images without Windows variants). */
const LINUX_ONLY_REPOSITORIES = new Set([
  'alpine',
  'busybox',
  'ubuntu',
  'debian',
  'centos',
  'fedora',
  'archlinux',
  'amazonlinux',
  'rockylinux',
  'almalinux',
  'oraclelinux',
  'nginx',
  'node',
  'redis',
  'postgres',
  'mysql',
  'mariadb',
  'httpd',
]);

const LINUX_TAG_HINTS =
  /(^|[-_.])(alpine|bookworm|bullseye|buster|trixie|jammy|noble|focal|slim|musl)($|[-_.\d])/;

/** Known to be a Linux-only image by its name. */
export function isLinuxOnlyImageName(ref: ImageRef): boolean {
  if (isWindowsImageName(ref)) return false;
  if (LINUX_ONLY_REPOSITORIES.has(ref.repository)) return true;
  if (
    /^(gcr\.io\/distroless\/|registry\.access\.redhat\.com\/ubi|redhat\/ubi)/.test(ref.repository)
  )
    return true;
  return LINUX_TAG_HINTS.test(ref.tag?.toLowerCase() ?? '');
}
