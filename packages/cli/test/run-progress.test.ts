/** What `xplat run` prints while it works: plain lines in logs, a redrawn block on a terminal. */
import { describe, expect, it } from '@jest/globals';
import { createProgress } from '../src/run/progress.js';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, write: (t: string) => writes.push(t), isTTY, columns: 80 };
}

describe('run progress', () => {
  it('off a terminal: one plain line per change, with the time since the start', () => {
    let now = 1000;
    const out = sink(false);
    const progress = createProgress(out, ['linux/amd64', 'linux/arm64'], () => now);
    progress.update('linux/amd64', 'build', 'running');
    now = 3500;
    progress.update('linux/amd64', 'build', 'done', 'sha256:abc');
    progress.note('embedded registry on 127.0.0.1:5000');
    progress.close();
    expect(out.writes.join('')).toBe(
      [
        '[   0.0s] linux/amd64   build  running',
        '[   2.5s] linux/amd64   build  done     sha256:abc',
        '[   2.5s] embedded registry on 127.0.0.1:5000',
        '',
      ].join('\n'),
    );
    // No cursor movement anywhere: CI logs and files read as written.
    expect(out.writes.join('')).not.toContain('\x1b[');
  });

  it('on a terminal: the legs block is redrawn in place, notes scroll above it', () => {
    let now = 0;
    const out = sink(true);
    const progress = createProgress(out, ['linux/amd64', 'linux/arm64'], () => now);
    progress.update('linux/amd64', 'lint', 'running');
    progress.update('linux/arm64', 'lint', 'running');
    now = 1200;
    progress.note('a note');
    progress.close();
    // The second draw moves up over the first block (one line), then two lines.
    expect(out.writes[1]!.startsWith('\x1b[1F\x1b[J')).toBe(true);
    const last = out.writes.at(-1)!;
    expect(last.startsWith('\x1b[2F\x1b[J[   1.2s] a note\n')).toBe(true);
    // A running phase shows its own clock.
    expect(last).toContain('linux/amd64   lint   running  1.2s');
    for (const line of last.split('\n')) expect(line.length).toBeLessThan(80 + 12);
  });

  it('with prepare steps the phase column is as wide as "prepare", every line aligned', () => {
    const out = sink(false);
    const progress = createProgress(out, ['web linux/amd64', 'web index'], () => 0, {
      prepare: true,
    });
    progress.update('web linux/amd64', 'prepare', 'done', '2 steps, 1 in CI only');
    progress.update('web linux/amd64', 'build', 'running');
    progress.update('web index', 'fuse', 'done');
    expect(out.writes.join('')).toBe(
      [
        '[   0.0s] web linux/amd64  prepare  done     2 steps, 1 in CI only',
        '[   0.0s] web linux/amd64  build    running',
        '[   0.0s] web index        fuse     done   ', // the state column is padded
        '',
      ].join('\n'),
    );
  });
});
