/**
 * Build arguments: the automatic platform ARGs BuildKit defines, and `$VAR` expansion as
 * Docker does it in FROM lines and `--from=` values.
 */
import { XplatError, type Platform } from '@xplat/core';

/** The names BuildKit defines in the global scope for every build. */
export const PLATFORM_ARG_NAMES = [
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
] as const;

/**
 * The variant as BuildKit reports it: containerd normalises arm64/v8 to no variant, keeps
 * arm's (v7 by default) and amd64's levels (v2, v3).
 */
function buildkitVariant(p: Platform): string {
  if (!p.variant) return '';
  if (p.architecture === 'arm64' && p.variant === 'v8') return '';
  return p.variant;
}

function buildkitPlatform(p: Platform): string {
  const variant = buildkitVariant(p);
  return `${p.os}/${p.architecture}${variant ? `/${variant}` : ''}`;
}

/**
 * TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT, BUILDPLATFORM, BUILDOS, BUILDARCH
 * and BUILDVARIANT with the values BuildKit gives them (`linux/arm/v7`, `linux/arm64`,
 * `windows/amd64`; the variant is empty when there is none). The Windows release is not
 * part of TARGETPLATFORM, as in BuildKit.
 */
export function platformBuildArgs(
  platform: Platform,
  buildPlatform: Platform,
): Record<string, string> {
  return {
    TARGETPLATFORM: buildkitPlatform(platform),
    TARGETOS: platform.os,
    TARGETARCH: platform.architecture,
    TARGETVARIANT: buildkitVariant(platform),
    BUILDPLATFORM: buildkitPlatform(buildPlatform),
    BUILDOS: buildPlatform.os,
    BUILDARCH: buildPlatform.architecture,
    BUILDVARIANT: buildkitVariant(buildPlatform),
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export interface ExpandOptions {
  /**
   * Read the word as Docker's shell lexer reads FROM and flag values: `"..."` groups and
   * expands, `'...'` groups without expanding, and the quotes are removed
   * (`servercore:"${TAG}"` -> `servercore:ltsc2022`).
   */
  quotes?: boolean;
}

/**
 * Expand `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`,
 * `${NAME+word}`, `${NAME:?message}`, `${NAME?message}`, `${NAME#glob}`, `${NAME##glob}`,
 * `${NAME%glob}`, `${NAME%%glob}`, `${NAME/glob/word}` and `${NAME//glob/word}` in one
 * word, as Docker (BuildKit's Dockerfile 1.7+ lexer) does in FROM and `--from=`. A name
 * that is not in `values` (or is undefined there) expands to the empty string, as in
 * Docker; the escape character (`\` or the one `# escape=` sets) before `$` keeps the
 * `$`. Throws an XplatError (without a location; callers add file:line) for a `${`
 * without its `}`, a bad substitution, and `${NAME?message}` when NAME is unset, as
 * Docker fails the build then too.
 */
export function expandVariables(
  word: string,
  values: Record<string, string | undefined>,
  escapeChar = '\\',
  options: ExpandOptions = {},
): string {
  let out = '';
  let i = 0;
  let quote: '"' | "'" | undefined;
  while (i < word.length) {
    const c = word[i] as string;
    if (options.quotes) {
      if (quote === "'") {
        if (c === "'") quote = undefined;
        else out += c;
        i += 1;
        continue;
      }
      if (c === '"' || (c === "'" && !quote)) {
        quote = quote === '"' ? undefined : (c as '"' | "'");
        i += 1;
        continue;
      }
      if (c === escapeChar && i + 1 < word.length && /["'$]/.test(word[i + 1] as string)) {
        out += word[i + 1];
        i += 2;
        continue;
      }
    }
    if (c === escapeChar && word[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i += 1;
      continue;
    }
    const rest = word.slice(i + 1);
    if (rest.startsWith('{')) {
      const close = matchingBrace(word, i + 1);
      if (close < 0) throw new XplatError(`"${word}" has an unterminated \${`);
      const inner = word.slice(i + 2, close);
      out += expandBraced(inner, values, escapeChar, word);
      i = close + 1;
      continue;
    }
    const name = NAME.exec(rest);
    if (!name) {
      out += '$';
      i += 1;
      continue;
    }
    out += values[name[0]] ?? '';
    i += 1 + name[0].length;
  }
  return out;
}

function matchingBrace(word: string, open: number): number {
  let depth = 0;
  for (let j = open; j < word.length; j++) {
    if (word[j] === '{') depth++;
    else if (word[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

/** A shell glob (`*`, `?`) as an anchored regular expression source. */
function globSource(glob: string): string {
  return glob
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
}

/** `${X#p}` / `${X##p}` (prefix) and `${X%p}` / `${X%%p}` (suffix): shortest or longest. */
function trimGlob(value: string, glob: string, op: string): string {
  const re = new RegExp(`^(?:${globSource(glob)})$`, 's');
  const lengths = [...Array(value.length + 1).keys()];
  if (op === '##' || op === '%%') lengths.reverse();
  for (const n of lengths) {
    if (op.startsWith('#') && re.test(value.slice(0, n))) return value.slice(n);
    if (op.startsWith('%') && re.test(value.slice(value.length - n))) {
      return value.slice(0, value.length - n);
    }
  }
  return value;
}

function expandBraced(
  inner: string,
  values: Record<string, string | undefined>,
  escapeChar: string,
  word: string,
): string {
  const name = NAME.exec(inner);
  if (!name) throw new XplatError(`"${word}" has a bad substitution \${${inner}}`);
  const value = values[name[0]];
  const modifier = inner.slice(name[0].length);
  if (modifier === '') return value ?? '';
  const op = /^(:-|-|:\+|\+|:\?|\?|##|#|%%|%|\/\/|\/)/.exec(modifier);
  if (!op) {
    throw new XplatError(
      `"${word}" has a bad substitution \${${inner}}; use \${NAME}, \${NAME:-default} or \${NAME:+alternative}`,
    );
  }
  const argument = modifier.slice(op[0].length);
  const alternative = (): string => expandVariables(argument, values, escapeChar);
  switch (op[0]) {
    case ':-':
      return value ? value : alternative();
    case '-':
      return value === undefined ? alternative() : value;
    case ':+':
      return value ? alternative() : '';
    case '+':
      return value === undefined ? '' : alternative();
    case ':?':
    case '?':
      if (op[0] === ':?' ? !value : value === undefined) {
        throw new XplatError(
          `${name[0]} is required (${argument || 'parameter not set'}) by "${word}"; pass it with --build-arg ${name[0]}=... or give the ARG a default`,
        );
      }
      return value as string;
    case '#':
    case '##':
    case '%':
    case '%%':
      return trimGlob(value ?? '', alternative(), op[0]);
    default: {
      // ${X/glob/word} replaces the first match, ${X//glob/word} every match.
      const slash = argument.indexOf('/');
      const glob = expandVariables(
        slash < 0 ? argument : argument.slice(0, slash),
        values,
        escapeChar,
      );
      const replacement =
        slash < 0 ? '' : expandVariables(argument.slice(slash + 1), values, escapeChar);
      if (!glob) return value ?? '';
      const re = new RegExp(globSource(glob), op[0] === '//' ? 'gs' : 's');
      return (value ?? '').replace(re, () => replacement);
    }
  }
}

/** Names a word refers to with `$NAME` or `${NAME...}` (escaped `$` excluded). */
export function referencedVariables(word: string, escapeChar = '\\'): string[] {
  const names: string[] = [];
  const re = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (const m of word.matchAll(re)) {
    if (m.index > 0 && word[m.index - 1] === escapeChar) continue;
    names.push((m[1] ?? m[2]) as string);
  }
  return names;
}

/**
 * Split instruction arguments into words as Docker does for ARG and ENV: whitespace
 * separates, quotes group (and are removed), the escape character escapes the next one.
 */
export function splitWords(text: string, escapeChar = '\\'): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === escapeChar && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === '"' || c === "'") quote = c;
    else if (c === escapeChar && i + 1 < text.length) current += text[++i];
    else current += c;
  }
  if (inWord) words.push(current);
  return words;
}

/** `ARG A B=2 C="x y"` -> its declarations. */
export function argDeclarations(
  args: string,
  escapeChar = '\\',
): { name: string; value: string | null }[] {
  return splitWords(args, escapeChar).map((word) => {
    const eq = word.indexOf('=');
    return eq >= 0
      ? { name: word.slice(0, eq), value: word.slice(eq + 1) }
      : { name: word, value: null };
  });
}
