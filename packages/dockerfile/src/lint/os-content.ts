/**
 * XP006–XP007: what one OS's stage cannot run or name. POSIX commands and paths in a
 * Windows stage; drive letters and backslash paths in a Linux stage.
 */
import type { ParsedStage, Stage } from '../types.js';
import { stageLabel, type LintContext } from './context.js';
import { program, words } from './instruction-words.js';

export const POSIX_COMMANDS =
  /(^|[\s;&|("'`])(chmod|chown|apt-get|apt|apk|yum|dnf|useradd|adduser|groupadd|update-ca-certificates)(\s|$)/;
export const POSIX_PATH =
  /(^|[\s"'=(,;])(\/(?:usr|bin|sbin|etc|var|opt|lib|lib64|tmp|home|root|dev|proc)(?:\/[^\s"';&|]*)?)(?=$|[\s"';&|])/;
const DRIVE_PATH = /(^|[\s"'=;,([])([A-Za-z]:[\\/])/;
const BACKSLASH_PATH = /[A-Za-z0-9_.$}-]\\[A-Za-z0-9_.$-]/;

export function checkWindowsStage(ctx: LintContext, stage: Stage, ps: ParsedStage): void {
  for (const ins of ps.instructions.slice(1)) {
    const text = ins.json ? ins.json.join(' ') : ins.args;
    if (ins.keyword === 'RUN') {
      const cmd = POSIX_COMMANDS.exec(text)?.[2];
      const p = POSIX_PATH.exec(text)?.[2];
      if (cmd) {
        ctx.add(
          'XP006',
          ins.line,
          `RUN uses "${cmd}", which does not exist on Windows, where ${stageLabel(stage)} runs; ${cmd === 'chmod' || cmd === 'chown' ? 'set permissions with icacls, or ' : ''}move this step into a Linux-only stage (FROM ... AS install-linux)`,
        );
      } else if (p) {
        ctx.add(
          'XP006',
          ins.line,
          `RUN uses the POSIX path "${p}" in ${stageLabel(stage)}; Windows has no such path: use a Windows path (C:\\...) or move the step into a Linux-only stage`,
        );
      }
    }
    if (['CMD', 'ENTRYPOINT', 'SHELL'].includes(ins.keyword)) {
      const prog = program(ins) ?? '';
      if (POSIX_PATH.test(prog) || /\.sh$/i.test(prog)) {
        ctx.add(
          'XP006',
          ins.line,
          `${ins.keyword} runs "${prog}", which cannot run in ${stageLabel(stage)}; use a Windows program (cmd, powershell, C:\\app\\app.exe) or set ${ins.keyword} in the Linux-only stage`,
        );
      }
    }
  }
}

export function checkLinuxStage(ctx: LintContext, stage: Stage, ps: ParsedStage): void {
  for (const ins of ps.instructions.slice(1)) {
    if (
      !['RUN', 'COPY', 'ADD', 'WORKDIR', 'ENV', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME'].includes(
        ins.keyword,
      )
    )
      continue;
    const text = ins.json ? ins.json.join(' ') : ins.args;
    const drive = DRIVE_PATH.exec(text)?.[2];
    if (drive) {
      ctx.add(
        'XP007',
        ins.line,
        `${ins.keyword} uses the Windows path "${drive}..." in ${stageLabel(stage)}; use a POSIX path (/app) or move the step into a Windows-only stage`,
      );
      continue;
    }
    const pathLike = ['COPY', 'ADD', 'WORKDIR'].includes(ins.keyword)
      ? (ins.json ?? words(ins))
      : ['CMD', 'ENTRYPOINT', 'SHELL'].includes(ins.keyword) && ins.json
        ? ins.json.slice(0, 1)
        : [];
    const bad = pathLike.find((w) => BACKSLASH_PATH.test(w));
    if (bad) {
      ctx.add(
        'XP007',
        ins.line,
        `${ins.keyword} uses the backslash path "${bad}" in ${stageLabel(stage)}; Linux paths use "/": write ${bad.replace(/\\/g, '/')}`,
      );
    }
  }
}
