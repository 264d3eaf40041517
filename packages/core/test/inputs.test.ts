import { describe, expect, it } from '@jest/globals';
import { keyValueLines } from '../src/inputs.js';

describe('keyValueLines', () => {
  it('trims lines, skips blank ones and splits at the first =', () => {
    expect(keyValueLines(' A=1 \r\n\n B = x=y, z\n')).toEqual([
      { line: 'A=1', key: 'A', value: '1' },
      { line: 'B = x=y, z', key: 'B', value: ' x=y, z' },
    ]);
  });
  it('leaves keyless lines to the caller', () => {
    expect(keyValueLines('novalue\n=x')).toEqual([
      { line: 'novalue', key: '', value: '' },
      { line: '=x', key: '', value: '' },
    ]);
  });
  it('skips # lines only when asked', () => {
    expect(keyValueLines('# c\nA=1', { comments: true }).map((l) => l.key)).toEqual(['A']);
    expect(keyValueLines('# c=d\nA=1').map((l) => l.key)).toEqual(['# c', 'A']);
  });
});
