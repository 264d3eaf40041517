/** Echoed values are cut and kept on one line; Windows pairs that do not exist are refused. */
import { describe, expect, it } from '@jest/globals';
import { clampEchoes } from '../src/errors.js';
import { echo, errorMessage, parsePlatform, XplatError } from '../src/index.js';

describe('echo and the message safety net', () => {
  it('keeps short values and cuts long ones with their size', () => {
    expect(echo('ghcr.io/org/app')).toBe('ghcr.io/org/app');
    const big = 'a'.repeat(5 * 1024 * 1024);
    expect(echo(big)).toBe(`${'a'.repeat(200)}… (5242880 bytes)`);
  });

  it('shows a line break inside a value as \\n', () => {
    expect(echo('a\nb\rc\u0001')).toBe('a\\nb\\rc\\u0001');
  });

  it('cuts quoted and unquoted long values in any error', () => {
    const big = 'b'.repeat(5 * 1024 * 1024);
    const quoted = new XplatError(`"${big}" is not an image reference`, 'image');
    expect(quoted.message).toMatch(
      /^image: "b{200}… \(5242880 bytes\)" is not an image reference$/,
    );
    const bare = errorMessage(new Error(`the leg result is for ${big}, not the target`));
    expect(bare).toMatch(/^the leg result is for b{200}… \(5242880 bytes\), not the target$/);
    expect(clampEchoes('x'.repeat(10_000)).length).toBeLessThan(300);
  });

  it('cuts a 20 MiB value instead of overflowing the regular-expression stack', () => {
    // A counted pattern (`[^"]{201,}`) over this much text throws RangeError in V8 at any
    // stack size; the scans are by hand so the user still gets the error that names the input.
    const huge = 'c'.repeat(20 * 1024 * 1024);
    expect(new XplatError(`"${huge}" is not a tag`, 'tags').message).toBe(
      `tags: "${'c'.repeat(200)}… (20971520 bytes)" is not a tag`,
    );
    expect(errorMessage(new Error(`for ${huge}; and "${huge}"`))).toBe(
      `for ${'c'.repeat(200)}… (20971520 bytes); and "${'c'.repeat(200)}… (20971520 bytes)"`,
    );
    // Two lines (a ConfigError): each is cut on its own.
    expect(clampEchoes(`a: "${huge}"\nb: ok`)).toBe(
      `a: "${'c'.repeat(200)}… (20971520 bytes)"\nb: ok`,
    );
  });

  it.each([
    ['a "short" value', 'a "short" value'],
    [`"${'q'.repeat(201)}" then "x"`, `"${'q'.repeat(200)}… (201 bytes)" then "x"`],
    // An odd quote: the closing quote of a short value opens the next one.
    [`"x" "${'q'.repeat(300)}" "`, `"x" "${'q'.repeat(200)}… (300 bytes)" "`],
    [`path/${'p'.repeat(395)} kept`, `path/${'p'.repeat(395)} kept`],
    [
      `path/${'p'.repeat(401)},next`,
      `${`path/${'p'.repeat(401)}`.slice(0, 200)}… (406 bytes),next`,
    ],
  ])('cuts as the rule says: %#', (text, cut) => {
    expect(clampEchoes(text)).toBe(cut);
  });

  it('keeps a quoted value on its line', () => {
    expect(new XplatError('"a\nINJECTED" is not a tag', 'tags').message).toBe(
      'tags: "a\\nINJECTED" is not a tag',
    );
    // Lines that are lines (one problem each) stay.
    expect(clampEchoes('f:1:1: a: x\nf:2:1: b: y')).toBe('f:1:1: a: x\nf:2:1: b: y');
  });
});

describe('Windows release and architecture pairs', () => {
  it.each(['windows/arm64:ltsc2019', 'windows/arm64:ltsc2022', 'windows/arm64:10.0.20348.2655'])(
    'refuses %s, naming the platform',
    (text) => {
      expect(() => parsePlatform(text, 'platforms')).toThrow(
        new RegExp(
          `^platforms: "${text.replace(/\//g, '\\/')}" is not a platform: Windows .* has no arm64 release`,
        ),
      );
    },
  );

  it.each([
    'windows/arm64:ltsc2025',
    'windows/arm64:10.0.26100.1742',
    'windows/arm64',
    'windows/amd64:ltsc2019',
  ])('accepts %s', (text) => {
    expect(() => parsePlatform(text)).not.toThrow();
  });
});
