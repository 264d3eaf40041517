/**
 * The lint rule table: per rule, fixtures that must produce exactly the given findings of
 * that rule, and fixtures that must produce none. Shared by lint.test.ts (the rules) and
 * messages.test.ts (what every message may say).
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parsePlatform } from '@xplat/core';
import { lintDockerfile, type Finding, type LintOptions } from '@xplat/dockerfile';
import { df, native } from './helpers.js';

const dirs: string[] = [];

/** Remove the temporary contexts the cases made (call it in afterAll). */
export async function removeContexts(): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

export type Files = Record<string, string | { content: string; mode: number }>;

/** A build context in a temporary folder, marked as a git repository root. */
export async function context(files: Files): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-lint-'));
  dirs.push(dir);
  await mkdir(path.join(dir, '.git'));
  for (const [name, spec] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    const { content, mode } = typeof spec === 'string' ? { content: spec, mode: 0o644 } : spec;
    await writeFile(file, content);
    await chmod(file, mode);
  }
  return dir;
}

export interface Case {
  name: string;
  lines: string[];
  platform?: string;
  options?: Partial<LintOptions>;
  files?: Files;
  /** The findings of this rule: [line, severity] (empty: the passing fixture). */
  expected: [number, 'error' | 'warning'][];
  message?: RegExp;
}

export async function lintCase(c: Case): Promise<Finding[]> {
  const contextDir = c.files ? await context(c.files) : undefined;
  return lintDockerfile(df(...c.lines), {
    ...native(c.platform ?? 'linux/amd64'),
    ...(contextDir ? { contextDir } : {}),
    ...c.options,
  });
}

const WIN = 'windows/amd64:ltsc2022';
const NANO = 'mcr.microsoft.com/windows/nanoserver';
const CORE = 'mcr.microsoft.com/windows/servercore';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const SH = '#!/bin/sh\nexec "$@"\n';
/** A Windows leg built by BuildKit on a Linux machine (`build-on: linux`). */
const ON_LINUX: Partial<LintOptions> = {
  builder: 'buildx',
  buildPlatform: parsePlatform('linux/amd64'),
};

/** Per rule id: cases that fail with exactly these findings of that rule, and cases that pass. */
export const LINT_CASES: Record<string, Case[]> = {
  XP001: [
    {
      name: 'no tag',
      lines: [`FROM ${NANO}`],
      platform: WIN,
      expected: [[1, 'error']],
      message:
        /has no tag; Windows images are per release, pin one: mcr.microsoft.com\/windows\/nanoserver:ltsc2022/,
    },
    {
      name: ':latest',
      lines: [`FROM ${NANO}:latest`],
      platform: WIN,
      expected: [[1, 'error']],
      message: /uses :latest/,
    },
    {
      name: 'pinned release (passes)',
      lines: [`FROM ${NANO}:ltsc2022`],
      platform: WIN,
      expected: [],
    },
    {
      name: 'digest (passes)',
      lines: [`FROM ${NANO}@sha256:${'a'.repeat(64)}`],
      platform: WIN,
      expected: [],
    },
    {
      name: 'a tag ARG without value names the ARG',
      lines: ['ARG OSVERSION', `FROM ${NANO}:\${OSVERSION}`],
      platform: WIN,
      expected: [[2, 'error']],
      message:
        /has no tag because ARG OSVERSION is empty; .*, e\.g\. with build-args: \{ OSVERSION: ltsc2022 \} on this platform in xplat\.yml \(--build-arg OSVERSION=ltsc2022\) or a default in the ARG$/,
    },
    {
      name: 'the HostProcess base image is release-agnostic (passes)',
      lines: [
        'FROM mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0',
      ],
      platform: WIN,
      expected: [],
    },
  ],
  XP002: [
    {
      name: 'tag without release',
      lines: ['FROM mcr.microsoft.com/dotnet/aspnet:8.0'],
      platform: WIN,
      expected: [[1, 'warning']],
    },
    {
      name: '.NET Framework: Server Core advice, no nanoserver',
      lines: ['FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8'],
      platform: WIN,
      expected: [[1, 'warning']],
      message:
        /e\.g\. mcr\.microsoft\.com\/dotnet\/framework\/aspnet:4\.8-windowsservercore-ltsc2022,/,
    },
    {
      name: 'a release ARG with a placeholder default names the ARG',
      lines: [
        'ARG VARIANT=unknown',
        'FROM mcr.microsoft.com/powershell:lts-windowsservercore-${VARIANT}',
      ],
      platform: WIN,
      expected: [[2, 'warning']],
      message:
        /the release comes from ARG VARIANT \(now "unknown"\): set it for this leg, build-args: \{ VARIANT: ltsc2022 \} on this platform in xplat\.yml \(--build-arg VARIANT=ltsc2022\)$/,
    },
    {
      name: 'tag with release (passes)',
      lines: ['FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022'],
      platform: WIN,
      expected: [],
    },
    {
      name: 'the HostProcess base image needs no release (passes)',
      lines: [
        'ARG BASE=mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0',
        'FROM $BASE',
      ],
      platform: WIN,
      expected: [],
    },
  ],
  XP003: [
    {
      name: 'ltsc2025 on windows-2022',
      lines: [`FROM ${NANO}:ltsc2025`],
      platform: 'windows/amd64:ltsc2025',
      options: { runner: 'windows-2022' },
      expected: [[1, 'error']],
      message:
        /is Windows ltsc2025 \(10.0.26100\), which a windows-2022 host \(10.0.20348\) cannot run with process isolation .*build this leg on windows-2025 \(runs-on: windows-2025 in xplat\.yml, --runner windows-2025 for xplat lint\); or build this leg on Linux with BuildKit \(build-on: linux in xplat\.yml; its Windows stages only copy files\)$/,
    },
    {
      name: 'ltsc2019 on windows-2025',
      lines: ['FROM mcr.microsoft.com/windows/servercore:ltsc2019'],
      platform: 'windows/amd64:ltsc2019',
      options: { runner: 'windows-2025' },
      expected: [[1, 'error']],
    },
    {
      name: 'ltsc2019 on windows-2022 by host build',
      lines: [`FROM ${NANO}:1809`],
      platform: 'windows/amd64:ltsc2019',
      options: { hostOsVersion: '10.0.20348.2849' },
      expected: [[1, 'error']],
    },
    {
      name: 'ltsc2019 without a host: no hosted runner',
      lines: [`FROM ${NANO}:1809`],
      platform: 'windows/amd64:ltsc2019',
      expected: [[1, 'error']],
      message:
        /no GitHub-hosted runner runs with process isolation .*; move to an ltsc2022 or ltsc2025 base, or build it on your own runner of that release \(runs-on: its label in xplat\.yml, --host-os-version for xplat lint\); or build this leg on Linux with BuildKit \(build-on: linux in xplat\.yml; its Windows stages only copy files\)$/,
    },
    {
      name: 'ltsc2019 with a RUN: building on Linux is no way out',
      lines: [`FROM ${CORE}:ltsc2019`, 'RUN echo hi'],
      platform: 'windows/amd64:ltsc2019',
      expected: [[1, 'error']],
      message: /\(runs-on: its label in xplat\.yml, --host-os-version for xplat lint\)$/,
    },
    {
      name: 'ltsc2022 on windows-2025 (passes)',
      lines: [`FROM ${NANO}:ltsc2022`],
      platform: WIN,
      options: { runner: 'windows-2025' },
      expected: [],
    },
    {
      name: 'ltsc2019 built on Linux: no Windows host to run it (passes)',
      lines: [`FROM ${NANO}:1809`],
      platform: 'windows/amd64:ltsc2019',
      options: { ...ON_LINUX, runner: 'ubuntu-24.04', hostOsVersion: '10.0.20348.2849' },
      expected: [],
    },
    {
      name: 'ltsc2025 built on Linux, whatever the Windows host flags say (passes)',
      lines: [`FROM ${NANO}:ltsc2025`],
      platform: 'windows/amd64:ltsc2025',
      options: { ...ON_LINUX, runner: 'windows-2022' },
      expected: [],
    },
    {
      name: 'ltsc2019 on an ltsc2019 host (passes)',
      lines: [`FROM ${NANO}:1809`],
      platform: 'windows/amd64:ltsc2019',
      options: { hostOsVersion: '10.0.17763.6414' },
      expected: [],
    },
  ],
  XP004: [
    {
      name: 'leg ltsc2025, base ltsc2022',
      lines: [`FROM ${NANO}:ltsc2022`],
      platform: 'windows/amd64:ltsc2025',
      options: { runner: 'windows-2025' },
      expected: [[1, 'error']],
      message: /this leg is windows\/amd64:ltsc2025; use the ltsc2025 base/,
    },
    {
      name: 'tag and digest: the tag still names the release',
      lines: [`FROM ${NANO}:ltsc2022@${DIGEST}`],
      platform: 'windows/amd64:ltsc2025',
      options: { runner: 'windows-2025' },
      expected: [[1, 'error']],
    },
    {
      name: 'release from an ARG: names the ARG to set',
      lines: ['ARG WIN_VERSION=2019', `FROM ${NANO}:ltsc\${WIN_VERSION}`],
      platform: WIN,
      options: { hostOsVersion: '10.0.20348.2849' },
      expected: [[2, 'error']],
      message:
        /the release comes from ARG WIN_VERSION \(now "2019"\): set it for this leg, build-args: \{ WIN_VERSION: 2022 \} on this platform in xplat\.yml \(--build-arg WIN_VERSION=2022\)$/,
    },
    {
      name: 'quoted tag from an ARG',
      lines: ['ARG WINDOWS_VERSION=1809', `FROM ${CORE}:"\${WINDOWS_VERSION}" AS base`],
      platform: WIN,
      expected: [[2, 'error']],
      message: /\(--build-arg WINDOWS_VERSION=ltsc2022\)$/,
    },
    {
      name: 'build number tag',
      lines: [`FROM ${CORE}:10.0.17763.6414`],
      platform: WIN,
      expected: [[1, 'error']],
    },
    {
      name: '-ltsc2025 suffix of another image',
      lines: ['FROM golang:1.23-windowsservercore-ltsc2025'],
      platform: WIN,
      options: { runner: 'windows-2025' },
      expected: [[1, 'error']],
      message: /e\.g\. golang:1\.23-windowsservercore-ltsc2022/,
    },
    {
      name: 'a --build-arg picks the leg release (passes)',
      lines: ['ARG WINDOWS_VERSION=1809', `FROM ${CORE}:"\${WINDOWS_VERSION}"`],
      platform: WIN,
      options: { buildArgs: { WINDOWS_VERSION: 'ltsc2022' } },
      expected: [],
    },
    {
      name: 'leg and base agree (passes)',
      lines: [`FROM ${NANO}:ltsc2025`],
      platform: 'windows/amd64:ltsc2025',
      options: { runner: 'windows-2025' },
      expected: [],
    },
  ],
  XP005: [
    {
      name: 'Linux-only image in a Windows stage',
      lines: ['FROM alpine:3.20'],
      platform: WIN,
      expected: [[1, 'error']],
    },
    {
      name: '$BUILDPLATFORM is Windows on a Windows runner',
      lines: [
        'FROM --platform=$BUILDPLATFORM node:20 AS build',
        `FROM ${NANO}:ltsc2022`,
        'COPY --from=build /app /app',
      ],
      platform: WIN,
      expected: [[1, 'error']],
      message:
        /on a Windows runner \$BUILDPLATFORM is Windows too\); or build this leg on Linux with BuildKit \(build-on: linux in xplat\.yml; where \$BUILDPLATFORM is Linux\)$/,
    },
    {
      name: 'a --platform stage of a leg built on Linux: no word about Windows runners',
      lines: [
        'FROM --platform=$TARGETPLATFORM alpine:3.20 AS tools',
        `FROM ${NANO}:ltsc2022`,
        'COPY --from=tools /bin/busybox C:/busybox',
      ],
      platform: WIN,
      options: ON_LINUX,
      expected: [[1, 'error']],
      message: /move this step into a Linux-only stage that the Windows target does not reach$/,
    },
    {
      name: 'Windows image in a Linux stage',
      lines: ['FROM mcr.microsoft.com/windows/servercore:ltsc2022'],
      expected: [[1, 'error']],
    },
    {
      name: 'a Linux image that carries Windows files, by its linux tag (passes)',
      lines: [
        'FROM gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-amd64-ltsc2022',
      ],
      expected: [],
    },
    {
      name: 'per-OS stages (passes)',
      lines: [
        'ARG TARGETOS',
        'FROM alpine:3.20 AS install-linux',
        `FROM ${NANO}:ltsc2022 AS install-windows`,
        'FROM install-${TARGETOS}',
      ],
      expected: [],
    },
  ],
  XP006: [
    {
      name: 'C:/tmp in PowerShell is no POSIX path (passes)',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        'RUN powershell -Command Invoke-WebRequest -Uri https://example.com/usr/x.zip -OutFile C:/tmp/x.zip',
      ],
      platform: WIN,
      expected: [],
    },
    {
      name: 'RUN chmod',
      lines: [`FROM ${NANO}:ltsc2022`, 'RUN chmod +x C:\\app\\run.cmd'],
      platform: WIN,
      expected: [[2, 'error']],
      message: /RUN uses "chmod", which does not exist on Windows, .*icacls/,
    },
    {
      name: 'RUN /bin/sh',
      lines: [`FROM ${NANO}:ltsc2022`, 'RUN /bin/sh -c "echo hi"'],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: 'ENTRYPOINT /usr path',
      lines: [`FROM ${NANO}:ltsc2022`, 'ENTRYPOINT ["/usr/local/bin/app"]'],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: 'Windows commands, /app destinations (passes)',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        'WORKDIR /app',
        'COPY app/ /app/',
        'RUN icacls C:\\app /grant Users:F',
        'CMD ["cmd", "/S", "/C", "app.exe"]',
      ],
      platform: WIN,
      expected: [],
    },
  ],
  XP007: [
    {
      name: 'drive letter',
      lines: ['FROM alpine:3.20', 'WORKDIR C:\\app'],
      expected: [[2, 'error']],
      message: /uses the Windows path "C:\\\.\.\." in stage 0 \(linux\/amd64\); use a POSIX path/,
    },
    {
      name: 'drive letter in RUN',
      lines: ['FROM alpine:3.20', 'RUN copy C:/app/x /x'],
      expected: [[2, 'error']],
    },
    {
      name: 'backslash path in COPY',
      lines: ['FROM alpine:3.20', 'COPY ["bin\\\\app", "/app/"]'],
      expected: [[2, 'error']],
      message: /backslash path "bin\\app".*write bin\/app/,
    },
    {
      name: 'POSIX paths, escapes in RUN (passes)',
      lines: [
        'FROM alpine:3.20',
        'WORKDIR /app',
        "RUN printf 'a\\nb' > /app/x && curl http://127.0.0.1/",
      ],
      expected: [],
    },
  ],
  XP008: [
    {
      name: 'entrypoint script without --chmod',
      lines: [
        'FROM alpine:3.20',
        'COPY entrypoint.sh /usr/local/bin/',
        'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]',
      ],
      files: { 'entrypoint.sh': SH, '.gitattributes': '*.sh text eol=lf\n' },
      expected: [[2, 'warning']],
      message:
        /entrypoint.sh is the entrypoint\/cmd but is copied without --chmod.*COPY --chmod=755/,
    },
    {
      name: 'without a context, by name',
      lines: ['FROM alpine:3.20', 'COPY docker/start.sh /start.sh', 'CMD /start.sh'],
      expected: [[2, 'warning']],
    },
    {
      name: 'COPY --chmod (passes)',
      lines: [
        'FROM alpine:3.20',
        'COPY --chmod=755 entrypoint.sh /usr/local/bin/',
        'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]',
      ],
      files: { 'entrypoint.sh': SH, '.gitattributes': '*.sh text eol=lf\n' },
      expected: [],
    },
    {
      name: 'RUN chmod after the copy (passes)',
      lines: [
        'FROM alpine:3.20',
        'COPY entrypoint.sh /usr/local/bin/',
        'RUN chmod +x /usr/local/bin/entrypoint.sh',
        'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]',
      ],
      expected: [],
    },
    {
      name: 'executable in the context (passes)',
      lines: ['FROM alpine:3.20', 'COPY . /app', 'ENTRYPOINT ["/app/bin/entrypoint.sh"]'],
      files: {
        'bin/entrypoint.sh': { content: SH, mode: 0o755 },
        '.gitattributes': '*.sh text eol=lf\n',
      },
      expected: [],
    },
    {
      name: 'run through sh (passes)',
      lines: ['FROM alpine:3.20', 'COPY entrypoint.sh /e.sh', 'ENTRYPOINT ["sh", "/e.sh"]'],
      expected: [],
    },
  ],
  XP009: [
    {
      name: 'CRLF entrypoint',
      lines: ['FROM alpine:3.20', 'COPY --chmod=755 entrypoint.sh /e.sh', 'ENTRYPOINT ["/e.sh"]'],
      files: { 'entrypoint.sh': SH.replace(/\n/g, '\r\n') },
      expected: [[2, 'error']],
      message: /entrypoint.sh has CRLF line endings;.*convert it to LF .*"\*\.sh text eol=lf"/,
    },
    {
      name: 'CRLF script inside a copied folder',
      lines: ['FROM alpine:3.20', 'COPY . /app'],
      files: { 'scripts/run.sh': 'echo hi\r\n' },
      expected: [[2, 'error']],
      message: /scripts\/run.sh has CRLF/,
    },
    {
      name: 'glob source',
      lines: ['FROM alpine:3.20', 'COPY *.sh /bin/'],
      files: { 'a.sh': 'echo a\r\n', 'b.sh': 'echo b\n' },
      expected: [[2, 'error']],
      message: /^a\.sh has CRLF/,
    },
    {
      name: 'LF script (passes)',
      lines: ['FROM alpine:3.20', 'COPY --chmod=755 entrypoint.sh /e.sh', 'ENTRYPOINT ["/e.sh"]'],
      files: { 'entrypoint.sh': SH },
      expected: [],
    },
    {
      name: 'CRLF script in a Windows stage (passes)',
      lines: [`FROM ${NANO}:ltsc2022`, 'COPY run.sh C:/run.sh'],
      platform: WIN,
      files: { 'run.sh': 'echo\r\n' },
      expected: [],
    },
  ],
  XP010: [
    {
      name: 'ENV from TARGETOS without ARG',
      lines: ['FROM golang:1.23', 'ENV GOOS=${TARGETOS}'],
      expected: [[2, 'error']],
      message:
        /ENV uses TARGETOS, but stage 0 \(linux\/amd64\) does not declare it, so it is empty here .*add "ARG TARGETOS"/,
    },
    {
      name: 'RUN with $TARGETARCH',
      lines: ['FROM golang:1.23', 'RUN echo $TARGETARCH'],
      expected: [[2, 'error']],
    },
    {
      name: 'global ARG alone is not enough',
      lines: ['ARG TARGETOS', 'FROM golang:1.23', 'RUN echo ${TARGETOS}'],
      expected: [[3, 'error']],
    },
    {
      name: 'cmd %TARGETARCH% on Windows',
      lines: [`FROM ${NANO}:ltsc2022`, 'RUN echo %TARGETARCH%'],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: 'COPY --from resolved in the global scope (passes)',
      lines: [
        'FROM alpine:3.20 AS bin-linux',
        'FROM alpine:3.20',
        'COPY --from=bin-${TARGETOS} /x /x',
      ],
      expected: [],
    },
    {
      name: 'declared (passes)',
      lines: [
        'FROM golang:1.23',
        'ARG TARGETOS TARGETARCH',
        'ENV GOOS=${TARGETOS} GOARCH=$TARGETARCH',
        'RUN echo $TARGETOS \\$TARGETVARIANT',
      ],
      expected: [],
    },
  ],
  XP011: [
    {
      name: 'two ENVs with per-OS values in a file for both OSes',
      lines: [
        'ARG TARGETOS',
        'FROM alpine:3.20 AS install-linux',
        `FROM ${NANO}:ltsc2022 AS install-windows`,
        'FROM install-${TARGETOS}',
        'ENV APP=app-linux',
        'ENV APP=app-windows.exe',
      ],
      expected: [[6, 'warning']],
      message:
        /ENV APP is set on line 5 and again here; ENV does not switch on TARGETOS.*set it once in each OS's own stage \(this file has install-linux \(linux\), install-windows \(windows\)\)$/,
    },
    {
      name: 'a file for one OS only (passes)',
      lines: ['FROM alpine:3.20', 'ENV APP=app-linux', 'ENV APP=app-windows.exe'],
      expected: [],
    },
    {
      name: 'appending to PATH (passes)',
      lines: ['FROM alpine:3.20', 'ENV PATH=/opt/linux/bin', 'ENV PATH=$PATH:/opt/tools'],
      expected: [],
    },
    {
      name: 'per-OS values in per-OS stages (passes)',
      lines: [
        'ARG TARGETOS',
        'FROM alpine:3.20 AS install-linux',
        'ENV APP=app-linux',
        `FROM ${NANO}:ltsc2022 AS install-windows`,
        'ENV APP=app-windows.exe',
        'FROM install-${TARGETOS}',
      ],
      expected: [],
    },
  ],
  XP012: [
    {
      name: 'RUN --network=host on Windows',
      lines: [`FROM ${NANO}:ltsc2022`, 'RUN --network=host curl.exe -fsSO http://127.0.0.1/x'],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: 'plain RUN on Windows (passes)',
      lines: [`FROM ${NANO}:ltsc2022`, 'RUN curl.exe -fsSO http://127.0.0.1/x'],
      platform: WIN,
      expected: [],
    },
  ],
  XP013: [
    {
      name: 'RUN --network=host on Linux',
      lines: ['FROM alpine:3.20', 'RUN --network=host wget http://127.0.0.1/x'],
      options: { builder: 'buildx' },
      expected: [[2, 'warning']],
    },
    {
      name: 'plain RUN on Linux (passes)',
      lines: ['FROM alpine:3.20', 'RUN wget http://127.0.0.1/x'],
      expected: [],
    },
  ],
  XP014: [
    {
      name: 'POSIX shell form on Windows',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        'HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1',
      ],
      platform: WIN,
      expected: [[2, 'error']],
      message:
        /runs with cmd \/S \/C in stage 0 \(windows\/amd64:ltsc2022\), which does not understand \/dev\/null/,
    },
    {
      name: 'POSIX exec form on Windows',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        'HEALTHCHECK CMD ["/bin/sh", "-c", "curl -f http://localhost/"]',
      ],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: 'CMD-SHELL with $( on Windows',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        'HEALTHCHECK CMD ["CMD-SHELL", "test $(curl -s localhost) = ok"]',
      ],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: 'curl.exe exec form (passes)',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        'HEALTHCHECK --interval=5s CMD ["curl.exe", "-f", "http://localhost/"]',
      ],
      platform: WIN,
      expected: [],
    },
    {
      name: 'PowerShell in the shell form (passes)',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        `HEALTHCHECK CMD powershell -Command "try { $r = Invoke-WebRequest -UseBasicParsing 'http://localhost/'; exit 0 } catch { exit 1 }"`,
      ],
      platform: WIN,
      expected: [],
    },
    {
      name: 'cmd-compatible shell form (passes)',
      lines: [`FROM ${NANO}:ltsc2022`, 'HEALTHCHECK CMD curl.exe -f http://localhost/ || exit 1'],
      platform: WIN,
      expected: [],
    },
    {
      name: 'POSIX shell form on Linux (passes)',
      lines: [
        'FROM alpine:3.20',
        'HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1',
      ],
      expected: [],
    },
  ],
  XP015: [
    {
      name: '--start-interval, engine unknown',
      lines: ['FROM alpine:3.20', 'HEALTHCHECK --start-interval=1s CMD ["true"]'],
      expected: [[2, 'warning']],
    },
    {
      name: '--start-interval on engine 20.10',
      lines: ['FROM alpine:3.20', 'HEALTHCHECK --start-interval=1s CMD ["true"]'],
      options: { engineVersion: '20.10.24' },
      expected: [[2, 'error']],
      message: /needs Docker Engine 25 or later \(this engine is 20.10.24\)/,
    },
    {
      name: '--start-interval on engine 27 (passes)',
      lines: ['FROM alpine:3.20', 'HEALTHCHECK --start-interval=1s CMD ["true"]'],
      options: { engineVersion: '27.5.1' },
      expected: [],
    },
    {
      name: '--start-period (passes)',
      lines: ['FROM alpine:3.20', 'HEALTHCHECK --start-period=5s CMD ["true"]'],
      expected: [],
    },
  ],
  XP016: [
    {
      name: 'scripts without .gitattributes',
      lines: ['FROM alpine:3.20', 'COPY app /app'],
      files: { 'app/run.sh': SH, 'tools/x.sh': SH },
      expected: [[2, 'warning']],
      message:
        /the context has shell scripts \(app\/run.sh and 1 more\) but no .gitattributes rule keeps them LF/,
    },
    {
      name: 'a rule that does not set eol',
      lines: ['FROM alpine:3.20'],
      files: { 'run.sh': SH, '.gitattributes': '* text=auto\n' },
      expected: [[1, 'warning']],
    },
    {
      name: '*.sh text eol=lf (passes)',
      lines: ['FROM alpine:3.20'],
      files: { 'run.sh': SH, '.gitattributes': '# scripts\n*.sh text eol=lf\n' },
      expected: [],
    },
    {
      name: '* text=auto eol=lf (passes)',
      lines: ['FROM alpine:3.20'],
      files: { 'run.sh': SH, '.gitattributes': '* text=auto eol=lf\n' },
      expected: [],
    },
    {
      name: 'no scripts (passes)',
      lines: ['FROM alpine:3.20'],
      files: { 'app.txt': 'x' },
      expected: [],
    },
  ],
  XP017: [
    {
      name: 'RUN --mount on Windows',
      lines: [`FROM ${NANO}:ltsc2022`, 'RUN --mount=type=cache,target=C:/cache build.cmd'],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: 'COPY --chmod with the classic builder',
      lines: ['FROM alpine:3.20', 'COPY --chmod=755 a /a'],
      options: { builder: 'classic' },
      expected: [[2, 'error']],
    },
    {
      name: 'COPY --chmod with buildx (passes)',
      lines: ['FROM alpine:3.20', 'COPY --chmod=755 a /a'],
      options: { builder: 'buildx' },
      expected: [],
    },
    {
      name: 'RUN --mount on a Windows leg built on Linux: BuildKit, no classic builder (passes)',
      lines: [
        'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
        'RUN --mount=type=cache,target=/root/.cache go build -o /out/app.exe .',
        `FROM ${NANO}:ltsc2022`,
        'COPY --chmod=755 --from=build /out/app.exe C:/app.exe',
      ],
      platform: WIN,
      options: { buildPlatform: parsePlatform('linux/amd64') },
      expected: [],
    },
    {
      name: 'COPY --link on Engine 20.10 (rejects it)',
      lines: [`FROM ${NANO}:ltsc2022`, 'COPY --link app C:/app'],
      platform: WIN,
      options: { engineVersion: '20.10.24' },
      expected: [[2, 'error']],
      message: /Engine 20\.10\.24 rejects it/,
    },
    {
      name: 'COPY --link, engine unknown',
      lines: [`FROM ${NANO}:ltsc2022`, 'COPY --link app C:/app'],
      platform: WIN,
      expected: [[2, 'warning']],
    },
    {
      name: 'COPY --link on Engine 27 (parses and ignores it, passes)',
      lines: [`FROM ${NANO}:ltsc2022`, 'COPY --link app C:/app'],
      platform: WIN,
      options: { engineVersion: '27.5.1' },
      expected: [],
    },
  ],
  XP018: [
    {
      name: 'variable not declared before FROM',
      lines: ['FROM node:${NODE_VERSION}', 'ARG NODE_VERSION=20'],
      expected: [[1, 'error']],
      message:
        /FROM uses \$\{NODE_VERSION\}, which is not declared before the first FROM.*ARG NODE_VERSION=<default>/,
    },
    {
      name: 'per-platform stage that does not exist',
      lines: ['ARG TARGETOS', 'FROM alpine:3.20 AS install-linux', 'FROM install-${TARGETOS}'],
      platform: WIN,
      expected: [[3, 'error']],
      message:
        /resolves to "install-windows" for windows\/amd64:ltsc2022, which is no stage of this file \(there are install-linux\)/,
    },
    {
      name: 'declared globally (passes)',
      lines: ['ARG NODE_VERSION=20', 'FROM node:${NODE_VERSION}'],
      expected: [],
    },
  ],
  XP019: [
    {
      name: 'ARG with a trailing comment',
      lines: ['ARG TOOLS_VERSION # only used on nanoserver', 'FROM alpine:3.20'],
      expected: [[1, 'warning']],
      message:
        /"# only used on nanoserver" is no comment here: .*also declares "#", "only", .*; move the comment to its own line above the ARG$/,
    },
    {
      name: 'ARG NAME value',
      lines: ['ARG WINDOWS_VERSION ltsc2022', 'FROM alpine:3.20'],
      expected: [[1, 'warning']],
      message: /if "ltsc2022" is meant as the default, write ARG WINDOWS_VERSION=ltsc2022$/,
    },
    {
      name: 'ARG name that is no variable name',
      lines: ['FROM alpine:3.20', 'ARG 9LIVES=1'],
      expected: [[2, 'warning']],
    },
    {
      name: 'several ARGs on one line (passes)',
      lines: ['FROM alpine:3.20', 'ARG TARGETOS TARGETARCH', 'RUN echo $TARGETOS $TARGETARCH'],
      expected: [],
    },
    {
      name: 'an unused second ARG of the same style (passes)',
      lines: ['FROM alpine:3.20', 'ARG TARGETOS TARGETARCH', 'RUN echo $TARGETOS'],
      expected: [],
    },
  ],
  XP020: [
    {
      name: 'ENV PATH=...;${PATH} on Nano Server',
      lines: [`FROM ${NANO}:ltsc2022`, 'ENV PATH="C:\\tools;${PATH}"'],
      platform: WIN,
      expected: [[2, 'error']],
      message:
        /so \$\{PATH\} is empty here and this PATH drops C:\\Windows\\system32; append instead with RUN setx \/M PATH "%PATH%;C:\\tools"/,
    },
    {
      name: '%PATH% in ENV is literal',
      lines: [`FROM ${CORE}:ltsc2022`, 'ENV PATH=%PATH%;C:\\go\\bin'],
      platform: WIN,
      expected: [[2, 'error']],
      message: /Docker does not expand %PATH% in ENV/,
    },
    {
      name: 'a base that may set PATH itself: a warning',
      lines: ['FROM example.com/agent:1.0-nanoserver-ltsc2022', 'ENV PATH=C:\\tools;$PATH'],
      platform: WIN,
      expected: [[2, 'warning']],
      message: /unless example\.com\/agent:1\.0-nanoserver-ltsc2022 sets ENV PATH itself/,
    },
    {
      name: 'the whole PATH written out (passes)',
      lines: [`FROM ${NANO}:ltsc2022`, 'ENV PATH="C:\\tools;C:\\Windows\\system32;C:\\Windows"'],
      platform: WIN,
      expected: [],
    },
    {
      name: 'extending a PATH this file set (passes)',
      lines: [
        `FROM ${NANO}:ltsc2022 AS base`,
        'ENV PATH="C:\\Windows\\system32;C:\\Windows"',
        'FROM base',
        'ENV PATH="C:\\tools;${PATH}"',
      ],
      platform: WIN,
      expected: [],
    },
    {
      name: 'Linux keeps PATH in the config (passes)',
      lines: ['FROM alpine:3.20', 'ENV PATH=/opt/tools/bin:$PATH'],
      expected: [],
    },
  ],
  XP021: [
    {
      name: 'export under cmd',
      lines: [`FROM ${CORE}:ltsc2022`, 'RUN export GOFLAGS=-mod=vendor && go build ./...'],
      platform: WIN,
      expected: [[2, 'error']],
      message:
        /RUN uses "export GOFLAGS=\.\.\.", POSIX shell syntax, but stage 0 \(windows\/amd64:ltsc2022\) runs RUN with cmd \(the default shell of mcr\.microsoft\.com\/windows\/servercore:ltsc2022\); cmd has no export/,
    },
    {
      name: '$VAR under cmd',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        'ARG VERSION=1.0',
        'RUN curl.exe -fsSLo app.zip https://example.com/app-$VERSION.zip',
      ],
      platform: WIN,
      expected: [[3, 'error']],
      message: /write %VERSION%/,
    },
    {
      name: 'one-command variable prefix under cmd',
      lines: [`FROM ${CORE}:ltsc2022`, 'RUN GOOS=windows go build -o app.exe .'],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: '&& under Windows PowerShell 5.1 (SHELL)',
      lines: [
        `FROM ${CORE}:ltsc2022`,
        'SHELL ["powershell", "-Command"]',
        'RUN npm ci && npm run build',
      ],
      platform: WIN,
      expected: [[3, 'error']],
      message:
        /runs RUN with Windows PowerShell 5\.1 \(powershell\.exe\) \(SHELL on line 2\); Windows PowerShell 5\.1 has no &&/,
    },
    {
      name: '&& inside powershell -Command "..." run from cmd',
      lines: [`FROM ${CORE}:ltsc2022`, 'RUN powershell -Command "npm ci && npm run build"'],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: 'python Server Core images run PowerShell 5.1',
      lines: [
        'FROM python:3.12-windowsservercore-ltsc2022',
        'RUN pip install -r requirements.txt && pip check',
      ],
      platform: WIN,
      expected: [[2, 'error']],
    },
    {
      name: '&& under pwsh 7 (passes)',
      lines: [`FROM ${NANO}:ltsc2022`, 'SHELL ["pwsh", "-Command"]', 'RUN npm ci && npm run build'],
      platform: WIN,
      expected: [],
    },
    {
      name: 'cmd with %VAR% and && (passes)',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        'ARG VERSION=1.0',
        'RUN curl.exe -fsSLo app.zip https://example.com/app-%VERSION%.zip && tar -xf app.zip',
      ],
      platform: WIN,
      expected: [],
    },
    {
      name: 'PowerShell variables inside powershell -Command from cmd (passes)',
      lines: [
        `FROM ${CORE}:ltsc2022`,
        `RUN powershell -Command "$ErrorActionPreference = 'Stop'; Invoke-WebRequest https://example.com/x.zip -OutFile x.zip" && del x.zip`,
      ],
      platform: WIN,
      expected: [],
    },
    {
      name: 'an image whose shell is unknown (passes)',
      lines: ['FROM example.com/tools:1.0-windowsservercore-ltsc2022', 'RUN make && make install'],
      platform: WIN,
      expected: [],
    },
  ],
  XP022: [
    {
      name: 'global ARG in LABEL without redeclaring',
      lines: [
        'ARG VERSION=1.2.3',
        'FROM alpine:3.20',
        'LABEL org.opencontainers.image.version=$VERSION',
      ],
      expected: [[3, 'warning']],
      message:
        /LABEL uses VERSION, the global ARG of line 1, but stage 0 \(linux\/amd64\) does not declare it again, so it is empty here .*UndefinedVar\); add "ARG VERSION" after this stage's FROM$/,
    },
    {
      name: 'global ARG as %VAR% in a Windows RUN',
      lines: [
        'ARG GIT_VERSION=2.47.1',
        `FROM ${NANO}:ltsc2022`,
        'RUN curl.exe -fsSLO https://example.com/git-%GIT_VERSION%.zip',
      ],
      platform: WIN,
      expected: [[3, 'warning']],
    },
    {
      name: 'redeclared in the stage (passes)',
      lines: ['ARG VERSION=1.2.3', 'FROM alpine:3.20', 'ARG VERSION', 'LABEL version=$VERSION'],
      expected: [],
    },
    {
      name: 'used only in FROM (passes)',
      lines: ['ARG BASE=alpine:3.20', 'FROM ${BASE}', 'RUN echo hi'],
      expected: [],
    },
    {
      name: 'an ENV of the parent stage (passes)',
      lines: [
        'ARG HOME_DIR=/app',
        'FROM alpine:3.20 AS base',
        'ENV HOME_DIR=/srv',
        'FROM base',
        'WORKDIR $HOME_DIR',
      ],
      expected: [],
    },
  ],
  XP023: [
    {
      name: 'FROM --platform twice',
      lines: ['FROM --platform=linux/amd64 --platform=linux/arm64 alpine:3.20'],
      expected: [[1, 'error']],
      message: /FROM has --platform twice \(line 1 and here\); Docker refuses the file/,
    },
    {
      name: 'in a stage the target does not reach',
      lines: ['FROM alpine:3.20 AS unused', 'COPY --chown=1 --chown=2 a /a', 'FROM alpine:3.20'],
      expected: [[2, 'error']],
    },
    {
      name: 'RUN --mount twice (passes)',
      lines: [
        'FROM alpine:3.20',
        'RUN --mount=type=cache,target=/a --mount=type=cache,target=/b true',
      ],
      options: { builder: 'buildx' },
      expected: [],
    },
  ],
  XP024: [
    {
      name: '$BUILDPLATFORM stage with a POSIX RUN on a Windows classic leg',
      lines: [
        'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app.exe .',
        `FROM ${NANO}:ltsc2022`,
        'COPY --from=build /out/app.exe C:/app.exe',
      ],
      platform: WIN,
      expected: [[1, 'error']],
      message:
        /so RUN on line 3 \("GOOS=\$TARGETOS \.\.\.", written for a POSIX shell\) runs in a Windows golang container, not on Linux; make the stage Windows-native \(a Windows-tagged base and Windows commands\); or build this leg on Linux with BuildKit \(build-on: linux in xplat\.yml; where \$BUILDPLATFORM is Linux\)$/,
    },
    {
      name: 'the same with BuildKit on a Linux build machine (passes)',
      lines: [
        'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app.exe .',
        `FROM ${NANO}:ltsc2022`,
        'COPY --from=build /out/app.exe C:/app.exe',
      ],
      platform: WIN,
      options: { builder: 'buildx', buildPlatform: parsePlatform('linux/amd64') },
      expected: [],
    },
    {
      name: 'RUN steps that work on Windows too (passes)',
      lines: [
        'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
        'RUN go build -o C:/out/app.exe .',
        `FROM ${NANO}:ltsc2022`,
        'COPY --from=build C:/out/app.exe C:/app.exe',
      ],
      platform: WIN,
      expected: [],
    },
  ],
  XP025: [
    {
      name: 'RUN in the Windows stage of a leg built on Linux',
      lines: [
        `FROM ${CORE}:ltsc2022 AS core`,
        'RUN powershell -Command Expand-Archive C:\\app.zip C:\\app',
        `FROM ${NANO}:ltsc2022`,
        'COPY --from=core C:/app C:/app',
        'RUN icacls C:\\app /grant Users:F',
      ],
      platform: WIN,
      options: ON_LINUX,
      expected: [
        [2, 'error'],
        [5, 'error'],
      ],
      message:
        /^RUN in stage "core" \(windows\/amd64:ltsc2022\) cannot run: this leg is built by BuildKit on Linux \(build-on: linux\), which cannot execute Windows commands; move the step to a Linux stage \(FROM --platform=\$BUILDPLATFORM \.\.\.\) and COPY --from its output, or build this leg on Windows \(drop build-on: linux in xplat\.yml\)$/,
    },
    {
      name: 'the same RUN on a Windows leg built on Windows (passes)',
      lines: [`FROM ${NANO}:ltsc2022`, 'RUN icacls C:\\app /grant Users:F'],
      platform: WIN,
      options: { runner: 'windows-2022' },
      expected: [],
    },
    {
      name: 'RUN in a $BUILDPLATFORM stage and a Linux stage, Windows stage only copies (passes)',
      lines: [
        'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app.exe .',
        'FROM --platform=linux/amd64 alpine:3.20 AS fetch',
        'RUN wget -O /netapi32.dll https://example.com/netapi32.dll',
        `FROM ${NANO}:ltsc2022`,
        'COPY --from=build /out/app.exe C:/app.exe',
        'COPY --from=fetch /netapi32.dll C:/Windows/System32/netapi32.dll',
      ],
      platform: WIN,
      options: ON_LINUX,
      expected: [],
    },
    {
      name: 'RUN in a Windows stage the target does not reach (passes)',
      lines: [
        `FROM ${CORE}:ltsc2022 AS unused`,
        'RUN echo unused',
        `FROM ${NANO}:ltsc2022`,
        'COPY app.exe C:/app.exe',
      ],
      platform: WIN,
      options: ON_LINUX,
      expected: [],
    },
  ],
  XP026: [
    {
      // kubernetes-sigs/cloud-provider-azure Dockerfile: a linux/amd64 builder stage
      // cross-compiles for ARCH, which the repository's Makefile passes per platform.
      name: 'ARG ARCH=amd64 in a builder stage, passed to make, on linux/arm64',
      lines: [
        'FROM --platform=linux/amd64 golang:1.23 AS builder',
        'ARG ARCH=amd64',
        'COPY . .',
        'RUN make bin/node-manager ARCH=${ARCH}',
        'FROM gcr.io/distroless/base:latest',
        'COPY --from=builder /go/bin/node-manager /usr/local/bin/node-manager',
      ],
      platform: 'linux/arm64',
      expected: [[2, 'error']],
      message:
        /^ARG ARCH defaults to amd64 and line 4 \(RUN\) uses it, so the linux\/arm64 image would get amd64 binaries; set it for this platform, build-args: \{ ARCH: arm64 \} on this platform in xplat\.yml \(--build-arg ARCH=arm64\), or use TARGETARCH, which BuildKit sets per platform \(ARG TARGETARCH without a default\)$/,
    },
    {
      name: 'ARG TARGETARCH=amd64: BuildKit keeps the default',
      lines: [
        'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
        'ARG TARGETARCH=amd64',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
      ],
      platform: 'linux/arm64',
      options: { buildPlatform: parsePlatform('linux/amd64') },
      expected: [[2, 'error']],
      message:
        /^ARG TARGETARCH=amd64 pins TARGETARCH: BuildKit sets a platform ARG only when it has no default, so it stays amd64 for linux\/arm64, and line 3 \(RUN\) uses it, .*; declare it without a default \(ARG TARGETARCH\)$/,
    },
    {
      // itzg/docker-minecraft-server Dockerfile: release archives per ARCH.
      name: 'ADD of a per-architecture download, global ARG in the stage',
      lines: [
        'ARG ARCH=amd64',
        'FROM eclipse-temurin:21-jre',
        'ARG ARCH',
        'ADD https://example.com/releases/rcon-cli_linux_${ARCH}.tar.gz /tmp/rcon-cli.tgz',
      ],
      platform: 'linux/arm64',
      expected: [[1, 'error']],
    },
    {
      // kubernetes-sigs/azuredisk-csi-driver pkg/azurediskplugin/Dockerfile: the binary's
      // path is another ARG built from ARCH, and the COPY uses that one.
      name: 'an ARG whose default is built from ARG ARCH=amd64, copied on linux/arm64',
      lines: [
        'FROM debian:bookworm-slim',
        'ARG ARCH=amd64',
        'ARG binary=./_output/${ARCH}/plugin',
        'COPY ${binary} /plugin',
      ],
      platform: 'linux/arm64',
      expected: [[2, 'error']],
      message:
        /^ARG ARCH defaults to amd64 and line 4 \(COPY\) uses it, .*build-args: \{ ARCH: arm64 \}/,
    },
    {
      name: 'the derived ARG given as a build arg of its own (passes)',
      lines: [
        'FROM debian:bookworm-slim',
        'ARG ARCH=amd64',
        'ARG binary=./_output/${ARCH}/plugin',
        'COPY ${binary} /plugin',
      ],
      platform: 'linux/arm64',
      options: { buildArgs: { binary: './_output/arm64/plugin' } },
      expected: [],
    },
    {
      name: 'GOARCH read by go from the environment',
      lines: ['FROM golang:1.23', 'ARG GOARCH=amd64', 'RUN go build -o /app .'],
      platform: 'linux/arm64',
      expected: [[2, 'error']],
      message: /build-args: \{ GOARCH: arm64 \}/,
    },
    {
      name: 'the architecture picks the base image (FROM ${ARCH}/alpine), uname spelling',
      lines: ['ARG ARCH=x86_64', 'FROM example.com/${ARCH}/base:1.0'],
      platform: 'linux/arm64',
      expected: [[1, 'error']],
      message: /build-args: \{ ARCH: aarch64 \}/,
    },
    {
      name: 'a build arg that names another architecture',
      lines: ['FROM alpine:3.20', 'ARG ARCH', 'COPY bin/app-${ARCH} /app'],
      platform: 'linux/arm64',
      options: { buildArgs: { ARCH: 'amd64' } },
      expected: [[2, 'error']],
      message: /^ARG ARCH is amd64 for linux\/arm64 \(its build args\) and line 3 \(COPY\) uses it/,
    },
    {
      name: 'the same file on linux/amd64 (passes)',
      lines: ['FROM golang:1.23', 'ARG ARCH=amd64', 'RUN make ARCH=${ARCH}'],
      expected: [],
    },
    {
      name: 'build-args give the leg its own value (passes)',
      lines: ['FROM golang:1.23', 'ARG ARCH=amd64', 'RUN make ARCH=${ARCH}'],
      platform: 'linux/arm64',
      options: { buildArgs: { ARCH: 'arm64' } },
      expected: [],
    },
    {
      name: 'ARG TARGETARCH without a default (passes)',
      lines: ['FROM golang:1.23', 'ARG TARGETARCH', 'RUN GOARCH=$TARGETARCH go build .'],
      platform: 'linux/arm64',
      expected: [],
    },
    {
      name: 'TARGETARCH with a default, classic builder: xplat passes the real value (passes)',
      lines: ['FROM golang:1.23', 'ARG TARGETARCH=amd64', 'RUN GOARCH=$TARGETARCH go build .'],
      platform: 'linux/arm64',
      options: { builder: 'classic' },
      expected: [],
    },
    {
      name: 'an architecture ARG nothing uses (passes)',
      lines: ['FROM alpine:3.20', 'ARG ARCH=amd64', 'RUN echo hello'],
      platform: 'linux/arm64',
      expected: [],
    },
  ],
  XP027: [
    {
      // kubernetes-csi/node-driver-registrar Dockerfile: the binary is built by `make`
      // before `docker build`, and its path comes from an ARG the Makefile sets.
      name: 'a binary the build expects before docker build, path from an ARG',
      lines: [
        'FROM gcr.io/distroless/static:latest',
        'ARG binary=./bin/csi-node-driver-registrar',
        'COPY ${binary} csi-node-driver-registrar',
      ],
      files: { 'go.mod': 'module x\n' },
      expected: [[3, 'error']],
      message:
        /^COPY source "\.\/bin\/csi-node-driver-registrar" \(\$\{binary\}\) is not in the build context, so the build fails here; it must exist before the build: have a prepare: step in xplat\.yml make it \(e\.g\. prepare: \[\{ run: make build \}\]\), or correct the path$/,
    },
    {
      name: 'the build arg of this platform names a file that is missing',
      lines: [
        'FROM gcr.io/distroless/static:latest',
        'ARG binary=./bin/app',
        'COPY ${binary} /app',
      ],
      options: { buildArgs: { binary: './bin/app-arm64' } },
      files: { 'bin/app': 'x' },
      expected: [[3, 'error']],
      message: /^COPY source "\.\/bin\/app-arm64" \(\$\{binary\}\) is not in the build context/,
    },
    {
      // prometheus-community/windows_exporter Dockerfile: COPY output/amd64/...exe.
      name: 'a Windows stage, backslashes, a glob that matches nothing',
      lines: [
        `FROM ${NANO}:ltsc2022`,
        'COPY output\\amd64\\windows_exporter.exe C:/windows_exporter.exe',
        'COPY output/amd64/*.dll C:/',
      ],
      platform: WIN,
      options: ON_LINUX,
      files: { 'output/amd64/windows_exporter.exe': 'MZ' },
      expected: [[3, 'error']],
      message: /^COPY source "output\/amd64\/\*\.dll" matches nothing in the build context/,
    },
    {
      name: 'present: files, directories, globs, ARG paths, ../ kept inside the context (passes)',
      lines: [
        'FROM alpine:3.20',
        'ARG TARGETARCH',
        'ARG VERSION=1.0',
        'COPY bin/${TARGETARCH}/app /app',
        'COPY ["conf", "/etc/app/"]',
        'ADD dist/app-*.tar.gz ../README.md /opt/',
        'COPY --from=alpine:3.20 /etc/os-release /os-release',
        'ADD https://example.com/tool-${VERSION}.tar.gz /tmp/',
        'COPY ${FROM_BASE_IMAGE_ENV}/x /x',
      ],
      files: {
        'bin/amd64/app': 'x',
        'conf/app.yaml': 'a: 1',
        'dist/app-1.0.tar.gz': 'x',
        'README.md': 'x',
      },
      expected: [],
    },
    {
      name: 'a Windows leg built on Windows reads names case-insensitively (passes)',
      lines: [`FROM ${NANO}:ltsc2022`, 'COPY Output/App.exe C:/app.exe'],
      platform: WIN,
      files: { 'output/app.exe': 'MZ' },
      expected: [],
    },
    {
      // The same file once xplat.yml has a prepare: step that runs make before the build.
      name: 'a leg with prepare: steps: a warning, the steps must write it',
      lines: [
        'FROM gcr.io/distroless/static:latest',
        'ARG binary=./bin/csi-node-driver-registrar',
        'COPY ${binary} csi-node-driver-registrar',
      ],
      options: { prepared: true },
      files: { 'go.mod': 'module x\n' },
      expected: [[3, 'warning']],
      message:
        /^COPY source "\.\/bin\/csi-node-driver-registrar" \(\$\{binary\}\) is not in the build context yet: the prepare: steps in xplat\.yml must write it before the build, or it fails here$/,
    },
    {
      name: 'no context given: nothing to check (passes)',
      lines: ['FROM alpine:3.20', 'COPY bin/app /app'],
      expected: [],
    },
  ],
};
