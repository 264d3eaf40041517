/**
 * What `xplat run` shows while it works, on stderr: one line per leg and phase with the
 * time since the run started. On a terminal the legs' lines are a block redrawn in place
 * (each leg's current phase and its clock); anywhere else (CI logs, pipes, files) every
 * change is a plain line of its own, so nothing depends on cursor movement.
 */
export type Phase = 'prepare' | 'lint' | 'build' | 'smoke' | 'fuse';
export type PhaseState = 'running' | 'done' | 'failed' | 'skipped';

export interface Progress {
  /** A leg (or `index` for the fuse) entered, finished or failed a phase. */
  update(row: string, phase: Phase, state: PhaseState, detail?: string): void;
  /** A line that is not about one phase (registry address, hints). */
  note(line: string): void;
  /** Stop redrawing; the block stays as last drawn. */
  close(): void;
}

export interface ProgressSink {
  write(text: string): void;
  readonly isTTY: boolean;
  readonly columns?: number;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

interface Row {
  phase: Phase;
  state: PhaseState;
  since: number;
  detail: string;
}

export function createProgress(
  sink: ProgressSink,
  rows: readonly string[],
  now: () => number = Date.now,
  /** A leg runs prepare steps: the phase column is as wide as that name. */
  options: { readonly prepare?: boolean } = {},
): Progress {
  const start = now();
  const width = Math.max(12, ...rows.map((r) => r.length));
  const phaseWidth = options.prepare ? 'prepare'.length : 'build'.length;
  const stamp = () => `[${seconds(now() - start).padStart(7)}]`;
  const line = (row: string, phase: Phase, state: PhaseState, detail: string) =>
    `${row.padEnd(width)}  ${phase.padEnd(phaseWidth)}  ${state.padEnd(7)}${detail ? `  ${detail}` : ''}`;

  if (!sink.isTTY) {
    return {
      update: (row, phase, state, detail = '') =>
        sink.write(`${stamp()} ${line(row, phase, state, detail)}\n`),
      note: (text) => sink.write(`${stamp()} ${text}\n`),
      close: () => undefined,
    };
  }

  // Terminal: notes scroll above a block of one line per row, redrawn in place.
  const state = new Map<string, Row>();
  let drawn = 0;
  const cut = (text: string) =>
    sink.columns && text.length >= sink.columns ? `${text.slice(0, sink.columns - 2)}…` : text;
  const render = (): string =>
    [...state.entries()]
      .map(([row, r]) => {
        const clock = r.state === 'running' ? seconds(now() - r.since) : '';
        return cut(
          `${stamp()} ${line(row, r.phase, r.state, [clock, r.detail].filter(Boolean).join('  '))}`,
        );
      })
      .join('\n');
  const redraw = (above = ''): void => {
    const up = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
    const block = render();
    drawn = state.size;
    sink.write(`${up}${above}${block}${block ? '\n' : ''}`);
  };
  const timer = setInterval(() => {
    if ([...state.values()].some((r) => r.state === 'running')) redraw();
  }, 500);
  timer.unref();
  return {
    update(row, phase, st, detail = '') {
      state.set(row, { phase, state: st, since: now(), detail });
      redraw();
    },
    note(text) {
      redraw(`${cut(`${stamp()} ${text}`)}\n`);
    },
    close() {
      clearInterval(timer);
    },
  };
}
