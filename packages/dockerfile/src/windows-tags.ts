/**
 * The tags Windows base repositories really publish, per Windows release: lint suggests
 * only these, and names the release without a tag for any other repository (or release
 * a repository does not publish). One table; each row names where its tags were read.
 *
 * Traps the table exists for: Nano Server and the full Windows image never had an
 * `ltsc2019` tag (Windows Server 2019 shipped them on the semi-annual channel as `1809`;
 * only Server Core has `ltsc2019`); `windows/server` starts with 2022; .NET names its
 * 2019 Nano Server images `nanoserver-1809` but its Server Core ones
 * `windowsservercore-ltsc2019`; .NET Framework 4.8.1 exists for 2022 and 2025 only; the
 * docker-library images have dropped (or are dropping) their 2019 (`-1809`) variants.
 */
import type { ImageRef } from './images.js';
import { windowsVariantFor } from './images.js';

export type ReleaseName = 'ltsc2019' | 'ltsc2022' | 'ltsc2025';
type PerRelease = Partial<Record<ReleaseName, string>>;

interface TagScheme {
  readonly repository: RegExp;
  /** The tag of `release` for an image like `ref` (its flavour and version kept), if published. */
  readonly tag: (release: ReleaseName, ref: ImageRef) => string | undefined;
}

/**
 * The version part of a tag: `4.8` of `4.8-windowsservercore-ltsc2019`, `8.0` of `8.0`;
 * '' when the tag starts with the flavour (`nanoserver-ltsc2022`, docker-library's
 * newest-version alias); undefined for no tag, `latest` or a bare release.
 */
function versionOf(ref: ImageRef): string | undefined {
  const tag = ref.tag;
  if (!tag || tag.toLowerCase() === 'latest') return undefined;
  if (/^(nanoserver|windowsservercore)(-|$)/i.test(tag)) return '';
  const cut = /-(nanoserver|windowsservercore)(-|$)/i.exec(tag);
  const version = cut ? tag.slice(0, cut.index) : tag;
  return /ltsc20\d\d|^\d{4}$|^10\.0\./i.test(version) ? undefined : version;
}

/** `8.0-`, or `<version>-` when the tag gives none (or `bare` is not published). */
function versionPrefix(ref: ImageRef, bareAllowed: boolean): string {
  const version = versionOf(ref);
  if (version === '' && bareAllowed) return '';
  return `${version || '<version>'}-`;
}

const same = (names: ReleaseName[]): PerRelease => Object.fromEntries(names.map((n) => [n, n]));

const TABLE: readonly TagScheme[] = [
  {
    // microsoft/iis-docker: windowsservercore-ltsc2019/, -ltsc2022/, -ltsc2025/ (each
    // FROM mcr.microsoft.com/windows/servercore:<release>).
    repository: /^mcr\.microsoft\.com\/windows\/servercore\/iis$/,
    tag: (release) => `windowsservercore-${release}`,
  },
  {
    // Windows Server 2019 shipped Nano Server as 1809 only (the 2018 launch post on the
    // Windows containers blog: "the Nanoserver and Windows base images continue to be
    // Semi-Annual Channel releases only"); kubernetes-csi/node-driver-registrar
    // release-tools/prow.sh builds "nanoserver:1809 servercore:ltsc2019" and
    // "nanoserver:ltsc2022 servercore:ltsc2022"; docker-library/golang
    // 1.26/windows/nanoserver-ltsc2025/Dockerfile is FROM .../nanoserver:ltsc2025.
    repository: /^mcr\.microsoft\.com\/windows\/nanoserver$/,
    tag: (release) => ({ ltsc2019: '1809', ltsc2022: 'ltsc2022', ltsc2025: 'ltsc2025' })[release],
  },
  {
    // learn.microsoft.com "Update Windows Server containers" (docker pull
    // mcr.microsoft.com/windows/servercore:ltsc2019); prow.sh above; microsoft/iis-docker
    // windowsservercore-ltsc2025/Dockerfile is FROM .../servercore:ltsc2025.
    repository: /^mcr\.microsoft\.com\/windows\/servercore$/,
    tag: (release) => same(['ltsc2019', 'ltsc2022', 'ltsc2025'])[release],
  },
  {
    // The Windows Server image is new with 2022 (Windows containers blog, "Announcing a
    // New Windows Server Container Image Preview", 2021; gitlab-org/gitlab-runner#28168
    // lists windows/server:ltsc2022); ltsc2025 as public Dockerfiles pull it.
    repository: /^mcr\.microsoft\.com\/windows\/server$/,
    tag: (release) => same(['ltsc2022', 'ltsc2025'])[release],
  },
  {
    // The full Windows image (client-based) of 2019 is windows:1809
    // (StefanScherer/packer-windows#138: "mcr.microsoft.com/windows:1809"); it has no
    // 2022 or 2025 release (windows/server replaced it).
    repository: /^mcr\.microsoft\.com\/windows$/,
    tag: (release) => (release === 'ltsc2019' ? '1809' : undefined),
  },
  {
    // microsoft/dotnet-framework-docker src/runtime/: 3.5 and 4.8 for ltsc2019, 4.7.2 for
    // ltsc2019, 4.8 and 4.8.1 for ltsc2022, 4.8.1 (not 4.8) and 3.5 for ltsc2025; all
    // windowsservercore-<release>.
    repository: /^mcr\.microsoft\.com\/dotnet\/framework\/(runtime|sdk|aspnet|wcf)$/,
    tag: (release, ref) => {
      const published: Record<ReleaseName, string[]> = {
        ltsc2019: ['3.5', '4.7.2', '4.8'],
        ltsc2022: ['3.5', '4.8', '4.8.1'],
        ltsc2025: ['3.5', '4.8.1'],
      };
      const wanted = versionOf(ref);
      const version =
        wanted && published[release].includes(wanted)
          ? wanted
          : release === 'ltsc2019'
            ? '4.8'
            : '4.8.1';
      return `${version}-windowsservercore-${release}`;
    },
  },
  {
    // dotnet/dotnet-docker src/aspnet/10.0/nanoserver-1809/, nanoserver-ltsc2022/,
    // nanoserver-ltsc2025/; src/runtime/8.0/windowsservercore-ltsc2019/ (Nano Server of
    // 2019 is 1809, Server Core of 2019 is ltsc2019).
    repository: /^mcr\.microsoft\.com\/dotnet\/(runtime|aspnet|sdk)$/,
    tag: (release, ref) => {
      const variant = windowsVariantFor(ref);
      const suffix =
        variant === 'nanoserver' && release === 'ltsc2019'
          ? 'nanoserver-1809'
          : `${variant}-${release}`;
      return `${versionPrefix(ref, false)}${suffix}`;
    },
  },
  {
    // PowerShell/PowerShell-Docker#800 (2024): built and supported are lts-nanoserver-1809,
    // lts-nanoserver-ltsc2022 and lts-windowsservercore-ltsc2022 (Server Core 1809 ended
    // with #531); no 2025 image is published.
    repository: /^mcr\.microsoft\.com\/powershell$/,
    tag: (release, ref) =>
      windowsVariantFor(ref) === 'nanoserver'
        ? ({ ltsc2019: 'lts-nanoserver-1809', ltsc2022: 'lts-nanoserver-ltsc2022' } as PerRelease)[
            release
          ]
        : ({ ltsc2022: 'lts-windowsservercore-ltsc2022' } as PerRelease)[release],
  },
  {
    // docker-library: golang versions.json ("windows/windowsservercore-ltsc2025",
    // "-ltsc2022", "windows/nanoserver-ltsc2025", "-ltsc2022"; no 1809 any more), python
    // 3.13/windows/ (windowsservercore only), mongo 8.0/windows/, adoptium/containers
    // 21/jdk/windows/ (eclipse-temurin), openjdk (infosiftr "Add more Nano Server
    // variants"); winamd64/ mirrors the same tags. Their 2019 variants (-1809) come and go
    // per version, so none is suggested.
    repository: /^(winamd64\/)?(golang|python|mongo|eclipse-temurin|openjdk)$/,
    tag: (release, ref) =>
      release === 'ltsc2019'
        ? undefined
        : `${versionPrefix(ref, true)}${windowsVariantFor(ref)}-${release}`,
  },
];

function schemeOf(ref: ImageRef): TagScheme | undefined {
  return TABLE.find((s) => s.repository.test(ref.repository));
}

/** Whether the table knows which tags this repository publishes. */
export function knowsWindowsTags(ref: ImageRef): boolean {
  return schemeOf(ref) !== undefined;
}

/**
 * The tag this image's repository publishes for `release` (its flavour and version kept
 * where they exist for that release), or undefined: the repository publishes none, or the
 * table does not know the repository.
 */
export function publishedWindowsTag(ref: ImageRef, release: ReleaseName): string | undefined {
  return schemeOf(ref)?.tag(release, ref);
}

/**
 * Whether `ref`'s tag is the one the table expects for `release`; true for a repository
 * the table does not know (nothing to say against it).
 */
export function isPublishedOrUnknown(ref: ImageRef, release: ReleaseName): boolean {
  const scheme = schemeOf(ref);
  if (!scheme) return true;
  const tag = scheme.tag(release, ref);
  return tag !== undefined && tag.toLowerCase() === (ref.tag ?? '').toLowerCase();
}
