/**
 * The end of `xplat run`: fuse the legs that ran into one index (the same fuse() the
 * action calls, gate included), read it back by its tag, and say how to run it; or, when a
 * leg failed, what failed and the last lines of its log.
 */
import path from 'node:path';
import { readLegResult } from '@xplat/core';
import { fuse, inspectReference, renderInspect } from '@xplat/fuse';
import { formatRepository, parseReference, type Repository } from '@xplat/oci';
import { createRegistryClient } from '@xplat/registry';
import type { ResolvedLeg } from '@xplat/workflow';
import { logTail, openRunLog } from './leg-log.js';
import type { LegOutcome } from './leg-run.js';
import { fuseRequest } from './requests.js';

const FAILURE_TAIL_LINES = 15;

export interface FusedRun {
  /** `registry/repo:tag`, the index by its first tag. */
  readonly ref: string;
  /** That first tag. */
  readonly tag: string;
  readonly digest: string;
  /** The end of the summary: the index, the inspect table. */
  readonly lines: readonly string[];
}

/** A leg to fuse: the leg result its build wrote, and whether its smoke test was skipped. */
export interface LegToFuse {
  readonly leg: ResolvedLeg;
  readonly resultFile: string;
  readonly untested: boolean;
}

export async function fuseRun(options: {
  readonly target: Repository;
  readonly tags: readonly string[];
  readonly legs: readonly LegToFuse[];
  readonly logFile: string;
}): Promise<FusedRun> {
  const log = openRunLog(options.logFile);
  try {
    const client = createRegistryClient({ logger: log });
    const legs = await Promise.all(
      options.legs.map(async (l) => ({ ...l, result: await readLegResult(l.resultFile) })),
    );
    const request = fuseRequest(options.target, options.tags, legs);
    const fused = await fuse(request, client, log);
    const ref = `${formatRepository(options.target)}:${request.tags[0]}`;
    const inspected = await inspectReference(client, parseReference(ref, 'ref'));
    const count = fused.entries.length;
    return {
      ref,
      tag: request.tags[0]!,
      digest: fused.digest,
      lines: [
        `fused ${ref}`,
        `digest ${fused.digest} (${count} platform${count > 1 ? 's' : ''}, read back)`,
        '',
        renderInspect(inspected),
      ],
    };
  } finally {
    await log.close();
  }
}

/**
 * Per failed leg: its phase and reason, then the last lines of its log with the path.
 * `image` names the leg's image when the file has several.
 */
export async function failureLines(
  failed: readonly LegOutcome[],
  projectDir: string,
  image = '',
): Promise<string[]> {
  const lines: string[] = [];
  for (const f of failed) {
    if (!f.log) continue;
    const tail = await logTail(path.join(projectDir, f.log), FAILURE_TAIL_LINES);
    lines.push(
      `${image ? `${image} ` : ''}${f.platform} failed in ${f.failedPhase ?? 'build'}: ${f.reason}\nlast lines of ${f.log}:\n${tail.map((l) => `  ${l}`).join('\n')}`,
    );
  }
  return lines;
}
