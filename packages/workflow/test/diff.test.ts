import { describe, expect, it } from '@jest/globals';
import { unifiedDiff } from '../src/diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y')).toBe('');
  });

  it('shows a changed line with context', () => {
    const before = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 5', 'line five');
    expect(unifiedDiff(before, after, 'old', 'new')).toBe(
      [
        '--- old',
        '+++ new',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line five',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('handles additions at the end and separate hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `${i}`).join('\n') + '\n';
    const after = before.replace('1\n', 'one\n').replace('19\n', '19\n20\n');
    const diff = unifiedDiff(before, after, 'a', 'b');
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain('+20');
    expect(diff).toContain('-1\n+one');
  });
});
