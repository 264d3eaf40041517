/**
 * A leg's `prepare:` steps in `xplat run`: before lint, each `run:` step runs on this
 * machine, in order, from the project folder (or its working-directory), with the
 * process's environment plus TARGETOS, TARGETARCH, TARGETVARIANT and XPLAT_PLATFORM of
 * the leg and the step's env: (as the generated workflow's step has them). Its output
 * goes to the leg's log. A `uses:` step is an action, which only a runner can run: it is
 * listed as CI-only and skipped.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exec } from '@actions/exec';
import { XplatError, type Logger } from '@xplat/core';
import type { ResolvedLeg, ResolvedPrepareStep } from '@xplat/workflow';
import {
  scriptContent,
  scriptExtension,
  shellCommand,
  stepShell,
  type ShellHost,
} from './prepare-shell.js';

/** Lines of a failed step's output kept for its failure message. */
const TAIL_LINES = 5;

/** The actions of a leg's prepare steps: they run in CI only. */
export function ciOnlySteps(leg: ResolvedLeg): string[] {
  return leg.prepare.flatMap((s) => (s.uses ? [s.uses] : []));
}

/** Whether `xplat run` runs anything before the leg's build. */
export function hasRunSteps(leg: ResolvedLeg): boolean {
  return leg.prepare.some((s) => s.run !== undefined);
}

/** The environment of a leg's steps, without the process's own. */
export function legStepEnv(leg: ResolvedLeg): Record<string, string> {
  return {
    TARGETOS: leg.platform.os,
    TARGETARCH: leg.platform.architecture,
    TARGETVARIANT: leg.platform.variant ?? '',
    XPLAT_PLATFORM: leg.name,
  };
}

/** This machine as prepare steps see it: its OS, and the shells on PATH. */
export function localShellHost(env: NodeJS.ProcessEnv): ShellHost {
  const windows = process.platform === 'win32';
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = windows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return {
    os: windows ? 'windows' : process.platform === 'darwin' ? 'macos' : 'linux',
    has: (program) =>
      dirs.some((dir) => exts.some((ext) => existsSync(path.join(dir, `${program}${ext}`)))),
    ...(env.ComSpec ? { comSpec: env.ComSpec } : {}),
  };
}

function stepLabel(step: ResolvedPrepareStep, index: number): string {
  const what = step.name ?? step.run?.trim().split(/\r?\n/)[0] ?? step.uses ?? '';
  return `prepare step ${index + 1} (${what.length > 60 ? `${what.slice(0, 57)}...` : what})`;
}

export interface PrepareOptions {
  readonly projectDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly host?: ShellHost;
}

/** Runs the leg's steps; a failing one throws with its exit code and last output lines. */
export async function runPrepareSteps(leg: ResolvedLeg, options: PrepareOptions): Promise<void> {
  const host = options.host ?? localShellHost(options.env);
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) base[k] = v;
  const temp = await mkdtemp(path.join(os.tmpdir(), 'xplat-prepare-'));
  try {
    for (const [index, step] of leg.prepare.entries()) {
      const label = stepLabel(step, index);
      if (step.run === undefined) {
        options.log.info(`${label}: runs in CI only: ${step.uses}`);
        continue;
      }
      const kind = stepShell(step.shell, host);
      const file = path.join(temp, `step-${index + 1}${scriptExtension(kind)}`);
      await writeFile(file, scriptContent(kind, step.run));
      const shell = shellCommand(step.shell, file, host);
      const cwd = path.resolve(options.projectDir, step.workingDirectory ?? '.');
      options.log.info(`${label}: ${shell.command} ${shell.args.join(' ')} (in ${cwd})`);
      const tail: string[] = [];
      const line = (text: string) => {
        options.log.info(text);
        tail.push(text);
        if (tail.length > TAIL_LINES) tail.shift();
      };
      let code: number;
      try {
        code = await exec(shell.command, [...shell.args], {
          cwd,
          env: { ...base, ...legStepEnv(leg), ...step.env },
          silent: true,
          ignoreReturnCode: true,
          windowsVerbatimArguments: shell.verbatim,
          listeners: { stdline: line, errline: line },
        });
      } catch (error) {
        // @actions/exec throws only when the program cannot be started at all.
        throw new XplatError(
          `${label}: cannot run ${shell.command}: ${(error as Error).message}; install it or set shell: in xplat.yml`,
        );
      }
      if (code !== 0)
        throw new XplatError(
          `${label} exited with ${code}${tail.length ? `: ${tail.join(' | ')}` : ''}`,
        );
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
