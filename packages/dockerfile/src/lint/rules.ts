/**
 * The catalog of cross-platform lint rules: each id, the severity its findings have
 * (unless a check decides otherwise) and a one-line summary of what it catches. The
 * checks themselves live in the sibling files, grouped by what they look at.
 */
import type { LintRule } from '../types.js';

export const LINT_RULES: readonly LintRule[] = [
  {
    id: 'XP001',
    severity: 'error',
    summary:
      'Windows base image without a release tag, or with :latest (Windows images have no usable latest)',
  },
  {
    id: 'XP002',
    severity: 'warning',
    summary: 'Windows base image whose tag names no Windows release (the host picks one; pin it)',
  },
  {
    id: 'XP003',
    severity: 'error',
    summary:
      'Windows base release the build host cannot run with process isolation (e.g. ltsc2025 on windows-2022, ltsc2019 on any hosted runner)',
  },
  {
    id: 'XP004',
    severity: 'error',
    summary: "the target stage's Windows base release differs from the leg's Windows release",
  },
  {
    id: 'XP005',
    severity: 'error',
    summary: 'a Linux-only image in a Windows stage, or a Windows image in a Linux stage',
  },
  {
    id: 'XP006',
    severity: 'error',
    summary: 'RUN chmod/chown/apt-get or POSIX paths (/bin/sh, /usr/...) in a Windows stage',
  },
  {
    id: 'XP007',
    severity: 'error',
    summary: 'drive letters (C:\\) or backslash paths in a Linux stage',
  },
  {
    id: 'XP008',
    severity: 'warning',
    summary:
      'entrypoint/cmd .sh script copied without --chmod (Windows checkouts lose the executable bit)',
  },
  {
    id: 'XP009',
    severity: 'error',
    summary: 'shell script with CRLF line endings copied into a Linux stage',
  },
  {
    id: 'XP010',
    severity: 'error',
    summary:
      'TARGETOS/TARGETARCH/... used in a stage that does not declare it with ARG (it is empty there; ENV X=${TARGETOS} too)',
  },
  {
    id: 'XP011',
    severity: 'warning',
    summary:
      'the two-ENV illusion: one ENV set twice in a stage with per-OS values (the last wins on every platform)',
  },
  {
    id: 'XP012',
    severity: 'error',
    summary: 'RUN --network=host in a Windows stage (Windows containers have no host network)',
  },
  {
    id: 'XP013',
    severity: 'warning',
    summary:
      'RUN --network=host in a Linux stage (needs the network.host entitlement; the classic builder rejects it)',
  },
  {
    id: 'XP014',
    severity: 'error',
    summary:
      'HEALTHCHECK in a Windows stage written for a POSIX shell (Windows runs the shell form with cmd)',
  },
  {
    id: 'XP015',
    severity: 'warning',
    summary:
      'HEALTHCHECK --start-interval (Docker Engine 25+; older engines reject it; an error when engineVersion says < 25)',
  },
  {
    id: 'XP016',
    severity: 'warning',
    summary:
      'shell scripts in the context but no .gitattributes rule keeping them LF (*.sh text eol=lf)',
  },
  {
    id: 'XP017',
    severity: 'error',
    summary:
      'BuildKit-only syntax for the classic builder (every Windows leg): RUN --mount/--network, heredocs, --chmod, --link, ...',
  },
  {
    id: 'XP018',
    severity: 'error',
    summary:
      'FROM that resolves wrongly: a variable not declared before the first FROM, or a per-platform stage name that does not exist',
  },
  {
    id: 'XP019',
    severity: 'warning',
    summary:
      'an ARG line Docker reads differently than it looks: a trailing # comment or ARG NAME value declares extra ARGs',
  },
  {
    id: 'XP020',
    severity: 'error',
    summary:
      'ENV PATH=...;${PATH} in a Windows stage: Windows images have no PATH in their config, so this drops the system PATH',
  },
  {
    id: 'XP021',
    severity: 'error',
    summary:
      'POSIX shell syntax in a RUN that cmd or Windows PowerShell 5.1 runs (export, $VAR in cmd, VAR=x cmd, && in powershell.exe)',
  },
  {
    id: 'XP022',
    severity: 'warning',
    summary:
      'a global ARG (before the first FROM) used in a stage that does not declare it again: it is empty there (BuildKit: UndefinedVar)',
  },
  {
    id: 'XP023',
    severity: 'error',
    summary: 'a flag given twice (FROM --platform twice): Docker refuses the file',
  },
  {
    id: 'XP024',
    severity: 'error',
    summary:
      'FROM --platform=$BUILDPLATFORM stage with RUN on a Windows leg of the classic builder: it runs on the Windows host, not on Linux',
  },
  {
    id: 'XP025',
    severity: 'error',
    summary:
      'RUN in a Windows stage of a Windows leg built on Linux (build-on: linux): BuildKit on Linux cannot execute Windows commands',
  },
  {
    id: 'XP026',
    severity: 'error',
    summary:
      'a Linux leg takes its architecture from an ARG fixed to another one (ARG ARCH=amd64, ARG TARGETARCH=amd64) used in FROM/COPY/ADD/RUN: the image ships binaries of the wrong architecture',
  },
  {
    id: 'XP027',
    severity: 'error',
    summary:
      'a COPY/ADD source (after ARG substitution) that is not in the build context: it must exist before the build (a prepare: step in xplat.yml; a warning when the leg has prepare: run steps, which run first)',
  },
];
