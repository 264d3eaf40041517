/**
 * Parsers for the smoke inputs that core does not already have. Each takes the raw
 * string and the input's name, and throws a one-line XplatError naming the input.
 */
import { keyValueLines, XplatError } from '@xplat/core';

/** A TCP port, 1-65535. */
export function parsePort(text: string, input: string): number | undefined {
  const value = text.trim();
  if (!value) return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new XplatError(`"${text}" is not a port: use a number from 1 to 65535`, input);
  }
  return port;
}

/** Inclusive ranges of HTTP status codes. */
export interface StatusMatcher {
  readonly text: string;
  readonly ranges: readonly (readonly [number, number])[];
}

export const DEFAULT_STATUS = '200-399';

/** `200`, `2xx`, `200-299`, or a comma list of those: `200,204,3xx`. */
export function parseStatus(text: string, input: string): StatusMatcher {
  const value = text.trim() || DEFAULT_STATUS;
  const ranges = value.split(',').map((part): [number, number] => {
    const p = part.trim().toLowerCase();
    let m: RegExpExecArray | null;
    if ((m = /^([1-5])xx$/.exec(p))) return [Number(m[1]) * 100, Number(m[1]) * 100 + 99];
    if ((m = /^(\d{3})$/.exec(p))) return [Number(m[1]), Number(m[1])];
    if ((m = /^(\d{3})-(\d{3})$/.exec(p)) && Number(m[1]) <= Number(m[2]))
      return [Number(m[1]), Number(m[2])];
    throw new XplatError(
      `"${part.trim()}" is not an HTTP status: use e.g. 200, 2xx, 200-299 or 200,204`,
      input,
    );
  });
  for (const [lo, hi] of ranges) {
    if (lo < 100 || hi > 599)
      throw new XplatError(`"${value}" is outside the HTTP status codes 100-599`, input);
  }
  return { text: value, ranges };
}

export function statusMatches(matcher: StatusMatcher, status: number): boolean {
  return matcher.ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

/** A regular expression as users write it (no slashes); `(?i)` in front ignores case. */
export function parseRegex(text: string, input: string): RegExp | undefined {
  if (!text.trim()) return undefined;
  let source = text.trim();
  let flags = 'm';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags += 'i';
  }
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new XplatError(
      `"${text}" is not a valid regular expression: ${(error as Error).message}`,
      input,
    );
  }
}

/**
 * Words of a command line as a POSIX shell would split them (quotes and backslashes),
 * without running a shell: `sh -c "echo hi"` -> ["sh", "-c", "echo hi"]. A JSON array
 * is taken as the words themselves.
 */
export function parseWords(text: string, input: string): string[] {
  const value = text.trim();
  if (!value) return [];
  if (value.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new XplatError('starts with "[" but is not a JSON array of strings', input);
    }
    if (!Array.isArray(parsed) || parsed.some((w) => typeof w !== 'string')) {
      throw new XplatError('a JSON array here must hold only strings', input);
    }
    return parsed as string[];
  }
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < value.length && '"\\$`'.includes(value[i + 1]!))
        word += value[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < value.length) {
      word += value[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new XplatError(`unterminated ${quote} quote in "${value}"`, input);
  if (inWord) words.push(word);
  return words;
}

/** `KEY=VALUE` per line (values may hold "=" and spaces). */
export function parseEnv(text: string, input: string): string[] {
  return keyValueLines(text, { comments: true }).map(({ line }) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) {
      throw new XplatError(
        `"${line}" is not KEY=VALUE (a name of letters, digits and _, then =)`,
        input,
      );
    }
    return line;
  });
}

/** `Name: value` per line. */
export function parseHeaders(text: string, input: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(line);
    if (!m)
      throw new XplatError(`"${line}" is not a header: write one "Name: value" per line`, input);
    headers[m[1]!] = m[2]!;
  }
  return headers;
}

export function parseMethod(text: string, input: string): string {
  const value = text.trim().toUpperCase() || 'GET';
  if (!/^[A-Z]+$/.test(value))
    throw new XplatError(`"${text}" is not an HTTP method such as GET or HEAD`, input);
  return value;
}

export function parseInteger(
  text: string,
  input: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = text.trim();
  if (!value) return fallback;
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new XplatError(`"${text}" is not a whole number from ${min} to ${max}`, input);
  }
  return n;
}
