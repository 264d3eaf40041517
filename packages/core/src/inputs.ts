/**
 * Parsing shared by every action's getInputs() and the CLI. Action inputs arrive as
 * strings; these turn them into typed values or throw an XplatError naming the input.
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
