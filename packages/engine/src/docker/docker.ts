/**
 * The one way xplat talks to the container engine: the docker CLI, run through
 * @actions/exec with an argument array (never a shell string, so image names, env
 * values and commands are never re-parsed by a shell). Output is captured, not streamed:
 * callers decide what the user sees.
 */
import { getExecOutput } from '@actions/exec';
import { silentLogger, type Logger } from '@xplat/core';

export interface DockerOptions {
  /** The docker binary; default `XPLAT_DOCKER`, else `docker` from PATH. */
  readonly docker?: string;
  /** Environment for the CLI; default the current process's (DOCKER_HOST etc.). */
  readonly env?: Record<string, string>;
  readonly logger?: Logger;
}

export interface DockerResult {
  readonly args: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A docker command that exited non-zero; the message carries the CLI's own last line. */
export class DockerError extends Error {
  readonly args: readonly string[];
  readonly exitCode: number;
  readonly stderr: string;

  constructor(result: DockerResult) {
    const detail = lastLine(result.stderr) || lastLine(result.stdout) || 'no output';
    super(`docker ${result.args[0] ?? ''} failed (exit ${result.exitCode}): ${detail}`);
    this.name = 'DockerError';
    this.args = result.args;
    this.exitCode = result.exitCode;
    this.stderr = result.stderr;
  }
}

export function dockerBinary(options: DockerOptions = {}): string {
  return options.docker || process.env.XPLAT_DOCKER || 'docker';
}

/** Runs `docker <args>` and returns what it did, whatever the exit code. */
export async function runDocker(
  args: readonly string[],
  options: DockerOptions = {},
): Promise<DockerResult> {
  const binary = dockerBinary(options);
  (options.logger ?? silentLogger).debug(`${binary} ${args.join(' ')}`);
  try {
    const out = await getExecOutput(binary, [...args], {
      silent: true,
      ignoreReturnCode: true,
      ...(options.env ? { env: options.env } : {}),
    });
    return { args, exitCode: out.exitCode, stdout: out.stdout, stderr: out.stderr };
  } catch (error) {
    // @actions/exec throws only when the binary cannot be started at all.
    throw new Error(
      `cannot run the docker CLI "${binary}": ${(error as Error).message} (set XPLAT_DOCKER or put docker on PATH)`,
      { cause: error },
    );
  }
}

/** Runs `docker <args>` and returns its stdout; throws DockerError on a non-zero exit. */
export async function docker(
  args: readonly string[],
  options: DockerOptions = {},
): Promise<string> {
  const result = await runDocker(args, options);
  if (result.exitCode !== 0) throw new DockerError(result);
  return result.stdout;
}

/** The CLI's last meaningful line: not its "See 'docker run --help'." footer, no "docker: " prefix. */
export function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^See '.*--help'\.?$/.test(l));
  return (lines[lines.length - 1] ?? '').replace(/^docker: /, '');
}

/** The daemon's "No such container/image/object" answer, which cleanup treats as done. */
export function isNotFound(result: Pick<DockerResult, 'stderr'>): boolean {
  return /no such (container|image|object)|not found/i.test(result.stderr);
}
