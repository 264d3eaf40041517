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
  const cut = message
    .replace(
      new RegExp(`"([^"\\n]{${ECHO_LIMIT + 1},})"`, 'g'),
      (_m, value: string) => `"${echo(value)}"`,
    )
    // Unquoted values (`the leg result is for <image>`): a path may be long, a value
    // past twice the limit is not a path.
    .replace(new RegExp(`[^\\s",;]{${2 * ECHO_LIMIT + 1},}`, 'g'), (value) => echo(value));
  if (cut.length <= MESSAGE_LIMIT) return cut;
  // Per line: a ConfigError holds one line per problem.
  const lines = cut.split('\n').map((line) => echo(line, MESSAGE_LIMIT));
  const out = lines.slice(0, 50).join('\n');
  return lines.length > 50 ? `${out}\n… (${lines.length - 50} more lines)` : out;
}

/** One line of text for any thrown value, for logs and `core.setFailed`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return clampEchoes(error.message);
  return clampEchoes(String(error));
}
