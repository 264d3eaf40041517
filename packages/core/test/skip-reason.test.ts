import { describe, expect, it } from '@jest/globals';
import { parseSkipReason } from '../src/index.js';
import { SKIP_REASON_MAX } from '../src/skip-reason.js';

describe('parseSkipReason', () => {
  it.each<[string, string | undefined]>([
    ['', undefined],
    ['   ', undefined],
    ['no hosted ltsc2019 runner', 'no hosted ltsc2019 runner'],
    ['  trimmed  ', 'trimmed'],
    ['x'.repeat(SKIP_REASON_MAX), 'x'.repeat(SKIP_REASON_MAX)],
    // A word that merely starts like a switch is a reason.
    ['not yet: runner pool pending', 'not yet: runner pool pending'],
  ])('%j -> %j', (text, reason) => {
    expect(parseSkipReason(text)).toBe(reason);
  });

  it.each<[string, string]>([
    ['a\nb', 'skip: "a\\nb" must be one line of text without control characters'],
    ['a\rb', 'skip: "a\\rb" must be one line'],
    ['bell\u0007', 'skip: "bell\\u0007" must be one line'],
    [
      'x'.repeat(SKIP_REASON_MAX + 1),
      `skip: is ${SKIP_REASON_MAX + 1} characters; a reason is at most ${SKIP_REASON_MAX}`,
    ],
    ['true', 'skip: "true" is not a reason: say why the smoke test is skipped'],
    ['FALSE', 'skip: "FALSE" is not a reason'],
    ['yes', 'skip: "yes" is not a reason'],
  ])('refuses %j in one line naming the input', (text, message) => {
    expect(() => parseSkipReason(text)).toThrow(message);
  });

  it('names the field it was given', () => {
    expect(() => parseSkipReason('on', 'platforms[2].smoke.skip')).toThrow(
      /^platforms\[2\]\.smoke\.skip: "on" is not a reason/,
    );
  });
});
