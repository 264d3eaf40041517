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
  [/(^|[-_.])1803($|[-_.])/, '10.0.17134'],
  [/(^|[-_.])1709($|[-_.])/, '10.0.16299'],
  [/ltsc2016|(^|[-_.])(1607|sac2016)($|[-_.])/, '10.0.14393'],
];

/** The os.version (build prefix or full) a tag names, e.g. `ltsc2022` -> 10.0.20348. */
export function windowsReleaseOfTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const t = tag.toLowerCase();
  const full = /10\.0\.(\d{5})(\.\d+)?/.exec(t);
  if (full) return full[0];
  return RELEASE_TAGS.find(([re]) => re.test(t))?.[1];
}

/**
 * Windows-only repositories: the OS images, .NET Framework, the Kubernetes HostProcess
 * base image, the retired Docker Hub names of the OS images, and Docker Hub's winamd64/
 * namespace (the Windows builds of official images).
 */
const WINDOWS_REPOSITORIES =
  /^(mcr\.microsoft\.com\/(windows|dotnet\/framework)(\/|$)|mcr\.microsoft\.com\/oss\/kubernetes\/windows-host-process-containers-base-image$|microsoft\/(windowsservercore|nanoserver|dotnet-framework|aspnet|iis)$|winamd64\/)/;

/**
 * Windows images that run on every Windows release by design, so no release is pinned:
 * the Kubernetes HostProcess base image (its files are copied onto the host, which runs
 * them; the image itself has no OS layer).
 */
const RELEASE_AGNOSTIC_WINDOWS =
  /^mcr\.microsoft\.com\/oss\/kubernetes\/windows-host-process-containers-base-image$/;

/** Known to be a Windows image by its name (repository or tag). */
export function isWindowsImageName(ref: ImageRef): boolean {
  if (WINDOWS_REPOSITORIES.test(ref.repository)) return true;
  const tag = ref.tag?.toLowerCase() ?? '';
  // gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-amd64-ltsc2022
  // is a Linux image that carries Windows files: a tag that says linux wins.
  if (/(^|[-_.])linux($|[-_.])/.test(tag)) return false;
  return /nanoserver|windowsservercore|servercore|ltsc20\d\d/.test(tag);
}

/** A Windows image that needs no release pinned (see RELEASE_AGNOSTIC_WINDOWS). */
export function isReleaseAgnosticWindowsImage(ref: ImageRef): boolean {
  return RELEASE_AGNOSTIC_WINDOWS.test(ref.repository);
}

/**
 * The Windows flavour a tag should name for this image: .NET Framework, python and
 * Windows Server Core based tags are `windowsservercore`, everything else `nanoserver`.
 */
export function windowsVariantFor(ref: ImageRef): 'windowsservercore' | 'nanoserver' {
  const tag = ref.tag?.toLowerCase() ?? '';
  if (tag.includes('nanoserver')) return 'nanoserver';
  if (/servercore/.test(tag)) return 'windowsservercore';
  if (
    /^(mcr\.microsoft\.com\/dotnet\/framework\/|microsoft\/(dotnet-framework|aspnet|iis)$)/.test(
      ref.repository,
    )
  ) {
    return 'windowsservercore';
  }
  if (/^(python|mcr\.microsoft\.com\/windows\/servercore(\/|$))/.test(ref.repository)) {
    return 'windowsservercore';
  }
  return 'nanoserver';
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
