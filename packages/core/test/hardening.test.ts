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
