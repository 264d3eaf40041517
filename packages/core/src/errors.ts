/**
 * An error the user caused and can fix. `input` names the input, file or field that is
 * wrong; `reason` says what is wrong and what would be right. They are kept apart, so a
 * caller that names the input otherwise (the CLI: `--image` for `image`) builds its own
 * error from the reason instead of taking the message apart. `message` is the one line
 * it is printed as: `input: reason`.
 */
export class XplatError extends Error {
  readonly input: string | undefined;
  /** What is wrong, without the input's name (long values cut, as in the message). */
  readonly reason: string;

  constructor(reason: string, input?: string) {
    const prefix = input ? `${input}: ` : '';
    const message = clampEchoes(prefix + reason);
    super(message);
    this.name = 'XplatError';
    this.input = input;
    // Long values cut once, here where the message is composed (a 5 MiB value is not
    // searched twice); an input is a name (an input, flag or file:line), never cut, so
    // the reason is what follows it.
    this.reason = message.slice(prefix.length);
  }
}

/**
 * An input that cannot be used at all: a flag, an argument, or a file or setting the
 * command cannot work from (as opposed to a check that ran and failed). The CLI exits 2
 * for it, 1 for any other error.
 */
export class UsageError extends XplatError {
  override name = 'UsageError';
}

/** How much of a value an error message repeats before cutting it. */
export const ECHO_LIMIT = 200;
/** The longest message errorMessage() hands on, whatever made it. */
export const MESSAGE_LIMIT = 4000;

/**
 * A value as an error message repeats it: whole when short, else its first
 * {@link ECHO_LIMIT} characters and its size (`…(5242880 bytes)`), so a 5 MiB image name
 * never becomes a 5-million-character `::error::` line.
 */
export function echo(value: string, limit = ECHO_LIMIT): string {
  const shown = value.length <= limit ? value : value.slice(0, limit);
  // A line break inside a value must not start a line of its own in the message.
  // eslint-disable-next-line no-control-regex
  const escaped = shown.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (value.length <= limit) return escaped;
  return `${escaped}… (${Buffer.byteLength(value, 'utf8')} bytes)`;
}

/**
 * Cuts every quoted value in a message (`"…"`) that is longer than the echo limit, and
 * the message itself past {@link MESSAGE_LIMIT}: the safety net behind every error,
 * including those of code that quotes values without echo().
 */
export function clampEchoes(text: string): string {
  // A quoted value never spans lines: a line break in it is the value's, shown as \n.
  const message = /[\r\n]/.test(text)
    ? text.replace(/"[^"]*"/g, (m) =>
        /[\r\n]/.test(m) ? m.replace(/\r/g, '\\r').replace(/\n/g, '\\n') : m,
      )
    : text;
  if (message.length <= ECHO_LIMIT) return message;
  // Unquoted values (`the leg result is for <image>`): a path may be long, a value past
  // twice the limit is not a path.
  const cut = cutUnquoted(cutQuoted(message), 2 * ECHO_LIMIT);
  if (cut.length <= MESSAGE_LIMIT) return cut;
  // Per line: a ConfigError holds one line per problem.
  const lines = cut.split('\n').map((line) => echo(line, MESSAGE_LIMIT));
  const out = lines.slice(0, 50).join('\n');
  return lines.length > 50 ? `${out}\n… (${lines.length - 50} more lines)` : out;
}

/*
 * The two scans below are written by hand, not as regular expressions: a pattern like
 * `"([^"\n]{201,})"` over a 5 MiB value overflows V8's backtracking stack (RangeError:
 * Maximum call stack size exceeded, seen in a loaded test run), which would replace the
 * error a user should see with a crash. Both are one pass over the text.
 */

/** Each `"…"` whose value is on one line and longer than the echo limit, echoed. */
function cutQuoted(text: string): string {
  let out = '';
  let from = 0;
  let open = text.indexOf('"');
  while (open >= 0) {
    const close = text.indexOf('"', open + 1);
    if (close < 0) break;
    const value = text.slice(open + 1, close);
    if (value.length > ECHO_LIMIT && !value.includes('\n')) {
      out += `${text.slice(from, open)}"${echo(value)}"`;
      from = close + 1;
      open = text.indexOf('"', from);
    } else {
      // As a pattern would: the closing quote may open the next value.
      open = close;
    }
  }
  return out + text.slice(from);
}

/** Each run of characters other than white space, `"`, `,` and `;` longer than `limit`, echoed. */
function cutUnquoted(text: string, limit: number): string {
  let out = '';
  let from = 0;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = text.charCodeAt(i);
    // Printable ASCII decides at once; other characters ask \s (Unicode spaces end a run).
    const inRun =
      code > 32 && code < 127
        ? code !== 34 && code !== 44 && code !== 59 // " , ;
        : i < text.length && !/\s/.test(text[i]!);
    if (inRun) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start > limit) {
      out += text.slice(from, start) + echo(text.slice(start, i));
      from = i;
    }
    start = -1;
  }
  return out + text.slice(from);
}

/** One line of text for any thrown value, for logs and `core.setFailed`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return clampEchoes(error.message);
  return clampEchoes(String(error));
}
