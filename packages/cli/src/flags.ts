/**
 * One table per command: each row is a flag, the library (action) input it feeds, its
 * help line and what xplat.yml supplies. The parseArgs options, the `--help` text and the
 * inputs record are all derived from it, so a new input is added to the CLI in one place.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { echo, UsageError, XplatError } from '@xplat/core';
import { ConfigError } from '@xplat/workflow';

export type FlagKind = 'string' | 'list' | 'boolean';

export interface Flag {
  /** The flag without dashes: `build-arg` for `--build-arg`. */
  readonly flag: string;
  /** The action's input it sets (`build-args`); absent for CLI-only flags (`--json`). */
  readonly input?: string;
  /** string: one value; list: repeatable, joined one per line; boolean: no value. */
  readonly kind: FlagKind;
  /** The value's name in the help text: `REPO`, `NAME=VALUE`. */
  readonly value?: string;
  readonly help: string;
  readonly short?: string;
  /** boolean only: the flag turns the input off (`--no-push` sets push: false). */
  readonly negates?: boolean;
  /** What xplat.yml gives when the flag is absent, for the help text (`image:`). */
  readonly fromConfig?: string;
}

export type FlagTable = readonly Flag[];

/**
 * A flag or argument that cannot be used: `xplat` exits 2 for it (1 is for a command that
 * ran and found something wrong: lint errors, a failed smoke test, a closed gate). Core's,
 * so that libraries can say an input is unusable; the commands take it from here.
 */
export { UsageError };

export interface ParsedFlags {
  /** Flag name -> string (string), string[] (list) or boolean (boolean). */
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** parseArgs over the table; an unknown flag or a missing value is a UsageError. */
export function parseFlags(table: FlagTable, argv: readonly string[]): ParsedFlags {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const f of table) {
    options[f.flag] = {
      type: f.kind === 'boolean' ? 'boolean' : 'string',
      ...(f.kind === 'list' ? { multiple: true } : {}),
      ...(f.short ? { short: f.short } : {}),
    };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedFlags['values'], positionals };
  } catch (error) {
    // node's messages name the flag already ("Unknown option '--imag'"); keep them, shorter.
    const message = (error as Error).message
      .replace(/\. To specify a positional.*$/s, '')
      // "argument is ambiguous.\nDid you forget…?\nTo specify…": one line.
      .replace(/\.?\r?\n/g, '; ');
    throw new UsageError(message);
  }
}

/**
 * The inputs record for the library: only flags that were given, keyed by input name.
 * `defaults` (from xplat.yml) fill what the flags leave out; a flag always wins.
 */
export function flagInputs(
  table: FlagTable,
  parsed: ParsedFlags,
  defaults: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const inputs: Record<string, string> = { ...defaults };
  for (const f of table) {
    if (!f.input) continue;
    const v = parsed.values[f.flag];
    if (v === undefined) continue;
    if (f.kind === 'list') {
      if ((v as string[]).length) inputs[f.input] = (v as string[]).join('\n');
    } else if (f.kind === 'boolean') {
      if (v) inputs[f.input] = f.negates ? 'false' : 'true';
    } else inputs[f.input] = v as string;
  }
  return inputs;
}

/** The flag that sets `input` (or is named `input`), with dashes: `--image`. */
export function flagFor(table: FlagTable, input: string): string | undefined {
  const row = table.find((f) => f.input === input) ?? table.find((f) => f.flag === input);
  return row ? `--${row.flag}` : undefined;
}

/**
 * Rewrites an XplatError about an action input to name the CLI flag instead:
 * `image: is required` -> `--image: is required`. Errors about files, fields and inputs
 * without a flag pass through unchanged.
 */
export function nameFlag(table: FlagTable, error: unknown): unknown {
  if (!(error instanceof XplatError) || !error.input) return error;
  const flag = flagFor(table, error.input);
  if (!flag) return error;
  const Kind = error instanceof UsageError ? UsageError : XplatError;
  const renamed = new Kind(error.reason, flag);
  renamed.stack = error.stack;
  return renamed;
}

/** Exit codes of every command: 0 done, 1 it ran and found a failure, 2 unusable arguments. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * The exit code of an error, from its class: unusable arguments (exit 2) are a UsageError
 * or a broken xplat.yml (ConfigError), whatever the command; anything else is a failure.
 * Commands that report each image on its own ask it too.
 */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError || error instanceof ConfigError ? EXIT_USAGE : EXIT_FAILED;
}

/** The flags without `flag`, as if it had not been given. */
export function withoutFlag(parsed: ParsedFlags, flag: string): ParsedFlags {
  const values = { ...parsed.values };
  delete values[flag];
  return { values, positionals: parsed.positionals };
}

/** Runs the parsing of inputs: anything it rejects is a usage error (exit 2). */
export function asUsage<T>(fn: () => T): T {
  try {
    const value = fn();
    if (value instanceof Promise)
      return value.catch((error: unknown) => {
        throw toUsage(error);
      }) as T;
    return value;
  } catch (error) {
    throw toUsage(error);
  }
}

/** An XplatError as a usage error (exit 2), keeping its input; anything else unchanged. */
export function toUsage(error: unknown): unknown {
  if (!(error instanceof XplatError) || error instanceof UsageError) return error;
  const usage = new UsageError(error.reason, error.input);
  usage.stack = error.stack;
  return usage;
}

/** The options part of `--help`: one aligned row per flag, saying what xplat.yml gives. */
export function flagHelp(table: FlagTable, columns = 92): string {
  const left = table.map((f) => {
    const names = `${f.short ? `-${f.short}, ` : ''}--${f.flag}`;
    return f.value ? `${names} ${f.value}` : names;
  });
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return table
    .map((f, i) => {
      const help = f.fromConfig ? `${f.help} (xplat.yml: ${f.fromConfig})` : f.help;
      const lines = wrap(help, Math.max(30, columns - width - 2));
      return lines
        .map((line, j) => `  ${(j === 0 ? left[i]! : '').padEnd(width)}${line}`)
        .join('\n');
    })
    .join('\n');
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A string flag's value, '' when absent. */
export function text(parsed: ParsedFlags, flag: string): string {
  const v = parsed.values[flag];
  return typeof v === 'string' ? v : '';
}

/** A string flag's value, undefined when absent (an empty value is a value given). */
export function given(parsed: ParsedFlags, flag: string): string | undefined {
  const v = parsed.values[flag];
  return typeof v === 'string' ? v : undefined;
}

/** A list flag's values, [] when absent. */
export function list(parsed: ParsedFlags, flag: string): string[] {
  const v = parsed.values[flag];
  return Array.isArray(v) ? v : [];
}

/**
 * A whole-number flag from `min` to `max`, undefined when absent; any other value is a
 * usage error saying what it must be (`"x" is not a port number (1-65535)`).
 */
export function wholeNumber(
  parsed: ParsedFlags,
  flag: string,
  [min, max]: readonly [number, number],
  what: string,
): number | undefined {
  const value = given(parsed, flag);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`"${echo(value)}" is not ${what}`, `--${flag}`);
  return n;
}

/** A boolean flag, false when absent. */
export function bool(parsed: ParsedFlags, flag: string): boolean {
  return parsed.values[flag] === true;
}
