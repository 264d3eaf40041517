/**
 * The leg result: one JSON file per platform leg, the hand-off between matrix legs and
 * the gate (matrix legs cannot pass per-leg job outputs; the last leg would win).
 * build-platform-image writes it, smoke-test updates `smoke`, fuse-manifest reads it.
 * Read strictly: an unknown field, a malformed digest or a wrong type is an error that
 * names the file and the field, because a tampered file must never reach the index.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { XplatError } from './errors.js';
import type * as Schema from './leg-result-schema.js';
import type { LegResult } from './leg-result-schema.js';

export const LEG_RESULT_SCHEMA = 'xplat.leg/v1';

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

export type { BuiltOn, LegResult, SmokeCheck, SmokeResult } from './leg-result-schema.js';

/** The schema and its validator, loaded on first use (zod is not needed to start). */
function schema(): Promise<typeof Schema> {
  return import('./leg-result-schema.js');
}

/** A leg result and the file it came from, for messages that name the file. */
export interface LoadedLegResult {
  readonly file: string;
  readonly result: LegResult;
}

export async function readLegResult(file: string): Promise<LoadedLegResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new XplatError(
      `cannot read leg result: ${(error as NodeJS.ErrnoException).code ?? error}`,
      file,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new XplatError(`leg result is not JSON: ${(error as Error).message}`, file);
  }
  const { validateLegResult } = await schema();
  return { file, result: validateLegResult(data, file) };
}

/**
 * Write atomically (temp file in the same folder, then rename) so a cancelled step never
 * leaves half a file for the gate to read.
 */
export async function writeLegResult(file: string, result: LegResult): Promise<void> {
  const { validateLegResult } = await schema();
  const valid = validateLegResult(result, file);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(valid, null, 2)}\n`, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Read, change and write back a leg result (smoke-test records its verdict this way). */
export async function updateLegResult(
  file: string,
  change: (result: LegResult) => LegResult,
): Promise<LegResult> {
  const { result } = await readLegResult(file);
  const next = change(result);
  await writeLegResult(file, next);
  return next;
}
