/**
 * WWW-Authenticate (RFC 9110 section 11.6.1): one header can hold several challenges,
 * each a scheme followed by either a token68 or comma-separated `name=value` parameters
 * whose values may be quoted strings with commas and backslash escapes inside, e.g.
 *
 *   Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull,push"
 *
 * Hand-written on purpose: auth-header reads one challenge per header only, and
 * http-auth-utils rejects the `service` parameter every token-auth registry sends.
 */

export interface Challenge {
  /** Lowercased: `basic`, `bearer`. */
  scheme: string;
  /** Parameter names lowercased; values unquoted. */
  params: Record<string, string>;
  /** The token68 form (`Negotiate abc==`), when the challenge used it. */
  token68?: string;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/** All challenges in a header value; an unparseable tail is ignored (registries are lenient too). */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge[] {
  const text = header ?? '';
  const challenges: Challenge[] = [];
  let current: Challenge | undefined;
  let pos = 0;

  const skip = (chars: RegExp): void => {
    while (pos < text.length && chars.test(text[pos] as string)) pos += 1;
  };
  const readToken = (): string => {
    const start = pos;
    while (pos < text.length && TOKEN_CHAR.test(text[pos] as string)) pos += 1;
    return text.slice(start, pos);
  };
  const readBare = (): string => {
    const start = pos;
    while (pos < text.length && !/[,\s]/.test(text[pos] as string)) pos += 1;
    return text.slice(start, pos);
  };
  const readQuoted = (): string => {
    pos += 1; // opening quote
    let value = '';
    while (pos < text.length) {
      const ch = text[pos] as string;
      if (ch === '\\' && pos + 1 < text.length) {
        value += text[pos + 1];
        pos += 2;
      } else if (ch === '"') {
        pos += 1;
        return value;
      } else {
        value += ch;
        pos += 1;
      }
    }
    return value; // unterminated: take what there is
  };

  while (pos < text.length) {
    skip(/[\s,]/);
    if (pos >= text.length) break;
    const start = pos;
    const token = readToken();
    if (!token) break; // a character no challenge can start with: stop here
    skip(/[ \t]/);
    if (current && text[pos] === '=') {
      // `name = value`: a parameter of the current challenge.
      pos += 1;
      skip(/[ \t]/);
      // Unquoted values should be tokens, but some servers send bare URLs: read to the comma.
      const value = text[pos] === '"' ? readQuoted() : readBare();
      current.params[token.toLowerCase()] = value;
      continue;
    }
    // A new challenge. What follows is a token68 when it ends the challenge (end or comma)
    // and is not the first `name=` of a parameter list.
    current = { scheme: token.toLowerCase(), params: {} };
    challenges.push(current);
    if (pos === start + token.length) continue; // no space after the scheme: no parameters
    const m = TOKEN68.exec(text.slice(pos));
    if (m) {
      const after = text.slice(pos + m[0].length).trimStart();
      if (after === '' || after.startsWith(',')) {
        current.token68 = m[0];
        pos += m[0].length;
      }
    }
  }
  return challenges;
}

/** The challenge a registry client should answer: Bearer when offered, else Basic. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ??
    challenges.find((c) => c.scheme === 'basic')
  );
}
