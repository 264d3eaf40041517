/**
 * Running a command's work once per image of xplat.yml and reporting it. One image works
 * exactly as every command did before `images:` existed: its error goes to runCli (exit
 * 1 or 2), its text or JSON to stdout. Several: each image's text under a heading printed
 * before its work starts, an image's error as one line naming it while the others still run (one
 * image never holds another back), JSON once at the end as `{"images": [...]}` (the
 * shape `xplat plan --json` has), and the worst exit code.
 */
import { errorMessage, XplatError } from '@xplat/core';
import type { ResolvedImage } from '@xplat/workflow';
import type { CliIO } from '../command.js';
import { exitCodeOf, nameFlag, type FlagTable } from '../flags.js';

/** What one image's work gives: its exit code, its output, and why it failed. */
export interface ImageResult {
  readonly code: number;
  /** The output for --json. */
  readonly value: unknown;
  /** The output as text. */
  readonly text: string;
  /** One line for stderr when it did not pass (the command's name is put before it). */
  readonly failure?: string;
}

/** One image's share of the work: run it, or why it is left out. */
export interface ImageTask {
  /** Undefined without xplat.yml: the flags alone say what to do. */
  readonly image: ResolvedImage | undefined;
  readonly run?: () => Promise<ImageResult>;
  /** Left out, and why (it does not list the platform, nothing was built for it). */
  readonly skipped?: string;
}

export interface ReportOptions {
  /** `build`: messages read `xplat build: csi-node: …`. */
  readonly command: string;
  /** To name the flag of an input in errors. */
  readonly flags: FlagTable;
  readonly json: boolean;
  /** Several images: each reported on its own. */
  readonly several: boolean;
}

export async function runPerImage(
  tasks: readonly ImageTask[],
  io: CliIO,
  options: ReportOptions,
): Promise<number> {
  if (!options.several) {
    const task = tasks.find((t) => t.run);
    if (!task?.run) return 0;
    const result = await task.run();
    io.stdout(options.json ? JSON.stringify(result.value, null, 2) : result.text);
    if (result.failure) io.stderr(`xplat ${options.command}: ${result.failure}`);
    return result.code;
  }
  let code = 0;
  let printed = 0;
  const values: Record<string, unknown>[] = [];
  for (const task of tasks) {
    const name = task.image?.name ?? '';
    if (task.skipped !== undefined || !task.run) {
      io.logger.info(`${name}: ${task.skipped ?? 'nothing to do'}`);
      values.push({ name, skipped: task.skipped ?? '' });
      continue;
    }
    // The heading first: on a terminal the image's progress (stderr) then falls under it.
    if (!options.json)
      io.stdout(`${printed++ ? '\n' : ''}image ${name}: ${task.image?.image ?? ''}`);
    try {
      const result = await task.run();
      if (!options.json) io.stdout(result.text);
      if (result.failure) io.stderr(`xplat ${options.command}: ${name}: ${result.failure}`);
      values.push({ name, ...(result.value as Record<string, unknown>) });
      code = Math.max(code, result.code);
    } catch (caught) {
      const error = nameFlag(options.flags, caught);
      io.stderr(`xplat ${options.command}: ${name}: ${errorMessage(error)}`);
      if (!(error instanceof XplatError) && error instanceof Error && error.stack)
        io.logger.debug(error.stack);
      values.push({ name, error: errorMessage(error) });
      code = Math.max(code, exitCodeOf(error));
    }
  }
  if (options.json) io.stdout(JSON.stringify({ images: values }, null, 2));
  return code;
}
