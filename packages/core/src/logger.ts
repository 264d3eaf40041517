/**
 * What libraries log through. Actions pass @actions/core's functions (so lines become
 * annotations and groups fold), the CLI passes the console; libraries never import
 * @actions/core for logging themselves, which keeps them usable outside GitHub.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  /** Runs `fn` inside a collapsible group where the host supports it. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

/** A logger that drops everything; for tests that assert on results, not output. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  group: (_title, fn) => fn(),
};

/** A logger that keeps every line, for tests that assert on what users would read. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    group: async (title, fn) => {
      lines.push(`[group] ${title}`);
      try {
        return await fn();
      } finally {
        lines.push('[endgroup]');
      }
    },
  };
}
