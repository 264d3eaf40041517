/** Runs an independent client (skopeo, docker) with an argument array, for checks in tests. */
import { execFile } from 'node:child_process';

export interface Exec {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function exec(
  file: string,
  args: readonly string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<Exec> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      [...args],
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
