/**
 * Parsing shared by every library's input parser (what readInputs hands an action) and
 * the CLI. Inputs arrive as strings; these turn them into typed values or throw an
 * XplatError naming the input.
 */
import { XplatError } from './errors.js';

export function parseBoolean(text: string, input: string, fallback: boolean): boolean {
  const value = text.trim().toLowerCase();
  if (!value) return fallback;
  if (['true', 'yes', '1', 'on'].includes(value)) return true;
  if (['false', 'no', '0', 'off'].includes(value)) return false;
  throw new XplatError(`"${text}" is not a boolean: use true or false`, input);
}

/** A whole number of milliseconds from `30s`, `2m`, `1500ms` or a bare number of seconds. */
export function parseDuration(text: string, input: string, fallbackMs: number): number {
  const value = text.trim().toLowerCase();
  if (!value) return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  if (!match)
    throw new XplatError(`"${text}" is not a duration: use e.g. 30s, 2m or 1500ms`, input);
  const n = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000);
}

/** One of a fixed set of words (case-insensitive); empty takes the fallback. */
export function parseChoice<T extends string>(
  text: string,
  input: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = text.trim().toLowerCase();
  if (!value) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new XplatError(`"${text.trim()}" is not one of ${choices.join(', ')}`, input);
}

/** One line of a multi-line KEY=VALUE input. */
export interface KeyValueLine {
  /** The line, trimmed. */
  readonly line: string;
  /** What comes before the first `=`, trimmed; '' when there is none (no `=`, or `=` first). */
  readonly key: string;
  /** What comes after the first `=`, as written (it may hold `=`, commas and spaces). */
  readonly value: string;
}

/**
 * The lines of a KEY=VALUE input (build args, labels, annotations, env, driver options):
 * trimmed, blank ones left out, and with `comments` also those starting with `#`. Which
 * keys are valid, and what the error says, is each input's own.
 */
export function keyValueLines(text: string, options: { comments?: boolean } = {}): KeyValueLine[] {
  const out: KeyValueLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || (options.comments && line.startsWith('#'))) continue;
    const eq = line.indexOf('=');
    out.push({
      line,
      key: eq > 0 ? line.slice(0, eq).trim() : '',
      value: eq > 0 ? line.slice(eq + 1) : '',
    });
  }
  return out;
}
