/**
 * Which OS a Dockerfile's stages are written for, from what they contain: base images
 * known by name, and instructions only one OS can run (PowerShell, C:\, .exe, apt-get,
 * /bin/sh). `xplat init` uses it where base images alone cannot tell — a Windows
 * HostProcess base (`windows-host-process-containers-base-image:v1.0.0`) or an image in
 * a variable — so that a Windows-only file never gets Linux legs.
 */
import {
  isLinuxOnlyImageName,
  isWindowsImageName,
  splitImage,
  type ParsedDockerfile,
  type StagePlan,
} from '@xplat/dockerfile';

export interface OsEvidence {
  /** Why the stages look like Windows / Linux: `line 3: SHELL ["powershell", …]`. */
  readonly windows: readonly string[];
  readonly linux: readonly string[];
}

const WINDOWS_CONTENT: readonly RegExp[] = [
  /\b(powershell|pwsh)(\.exe)?\b/i,
  /\b[a-zA-Z]:[\\/]/,
  /\.(exe|bat|cmd|ps1)\b/i,
  /\b(Invoke-WebRequest|Expand-Archive|New-Item|Remove-Item|Set-ItemProperty|setx|icacls)\b/,
  /\bContainer(Administrator|User)\b/,
];
const LINUX_CONTENT: readonly RegExp[] = [
  /\b(apt-get|apt|apk|yum|dnf|microdnf|zypper|pacman)\s+(add|install|update|upgrade|-)/,
  /(^|[\s"'[,])\/(bin|usr|etc|var|opt|tmp|home|root)\//,
  /\b(chmod|chown|useradd|adduser|groupadd|addgroup|ldconfig)\b/,
];

/** A Windows-only repository name that isWindowsImageName does not know (mcr.microsoft.com/oss/...). */
const WINDOWS_REPOSITORY = /(^|[/_-])(windows|nanoserver|servercore)([/_-]|$)/;

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 50 ? `${one.slice(0, 47)}...` : one;
}

/** The evidence of the stages `plan` reaches (all stages when there is no plan). */
export function osEvidence(parsed: ParsedDockerfile, plan: StagePlan | undefined): OsEvidence {
  const windows: string[] = [];
  const linux: string[] = [];
  const indices = plan
    ? new Set(plan.stages.map((s) => s.index))
    : new Set(parsed.stages.map((s) => s.index));
  for (const base of plan?.baseImages ?? []) {
    const ref = splitImage(base.image);
    if (isWindowsImageName(ref) || WINDOWS_REPOSITORY.test(ref.repository))
      windows.push(`line ${base.line}: ${base.image}`);
    else if (isLinuxOnlyImageName(ref)) linux.push(`line ${base.line}: ${base.image}`);
  }
  if (parsed.escapeChar === '`') windows.push('# escape=` (the PowerShell escape)');
  for (const stage of parsed.stages) {
    if (!indices.has(stage.index)) continue;
    for (const i of stage.instructions) {
      if (i.keyword === 'FROM' || i.keyword === 'LABEL' || i.keyword === 'ARG') continue;
      const text = i.json ? i.json.join(' ') : i.args;
      const what = `line ${i.line}: ${i.keyword} ${snippet(text)}`;
      if (WINDOWS_CONTENT.some((re) => re.test(text))) windows.push(what);
      else if (LINUX_CONTENT.some((re) => re.test(text))) linux.push(what);
    }
  }
  return { windows, linux };
}
