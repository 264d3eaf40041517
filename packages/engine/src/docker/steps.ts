/**
 * A plan is a list of steps: docker CLI argument arrays plus the environment each needs.
 * Plans are data so tests can assert them for hosts that cannot exist here (a Windows
 * runner, a buildx builder); executing one is the only place the CLI actually runs.
 */
import { exec } from '@actions/exec';
import { silentLogger } from '@xplat/core';
import { dockerBinary, DockerError, type DockerOptions, type DockerResult } from './docker.js';

export interface Step {
  /** What the step does, for logs and for tests to find it. */
  readonly title: string;
  /** `docker <args>`. */
  readonly args: readonly string[];
  /** Added to the inherited environment (DOCKER_BUILDKIT, BUILDX_BUILDER, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** A failure is reported and the plan goes on (a cache image that does not exist yet). */
  readonly optional?: boolean;
  /** Stream the CLI's output to the logger line by line (builds, pushes): long and useful. */
  readonly stream?: boolean;
}

/** The environment a step runs with: the caller's (or this process's) plus the step's own. */
export function stepEnv(step: Step, options: DockerOptions = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env ?? process.env)) {
    if (value !== undefined) base[key] = value;
  }
  return { ...base, ...step.env };
}

/** Output kept for the error message of a failed streamed step. */
const KEEP_LINES = 200;

/**
 * Runs one step and returns what it did. Streamed steps send every line to the logger as
 * it arrives (a build can take minutes; the user should see it move); captured steps
 * keep their output for the caller to parse. A step that cannot start throws.
 */
export async function runStep(step: Step, options: DockerOptions = {}): Promise<DockerResult> {
  const logger = options.logger ?? silentLogger;
  const binary = dockerBinary(options);
  const envText = Object.entries(step.env ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  logger.debug(`${envText}${binary} ${step.args.join(' ')}`);
  let stdout = '';
  let stderr = '';
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line);
    if (tail.length > KEEP_LINES) tail.shift();
  };
  try {
    const exitCode = await exec(binary, [...step.args], {
      silent: true,
      ignoreReturnCode: true,
      env: stepEnv(step, options),
      listeners: step.stream
        ? {
            stdline: (line) => {
              keep(line);
              logger.info(line);
            },
            errline: (line) => {
              keep(line);
              logger.info(line);
            },
          }
        : {
            stdout: (data) => (stdout += data.toString()),
            stderr: (data) => (stderr += data.toString()),
          },
    });
    // Streamed output is interleaved; the error message wants its end, whichever stream.
    if (step.stream) stderr = tail.join('\n');
    return { args: step.args, exitCode, stdout, stderr };
  } catch (error) {
    throw new Error(
      `cannot run the docker CLI "${binary}": ${(error as Error).message} (set XPLAT_DOCKER or put docker on PATH)`,
      { cause: error },
    );
  }
}

/** Runs a step and throws DockerError when it fails and is not optional. */
export async function runRequiredStep(
  step: Step,
  options: DockerOptions = {},
): Promise<DockerResult> {
  const result = await runStep(step, options);
  if (result.exitCode !== 0) {
    if (!step.optional) throw new StepError(step, result);
    (options.logger ?? silentLogger).info(
      `${step.title}: skipped (${new DockerError(result).message})`,
    );
  }
  return result;
}

/** A failed step: says which step it was, then the CLI's own last line. */
export class StepError extends DockerError {
  readonly step: Step;
  readonly output: string;

  constructor(step: Step, result: DockerResult) {
    super(result);
    this.name = 'StepError';
    this.step = step;
    this.output = `${result.stdout}\n${result.stderr}`.trim();
    this.message = `${step.title} failed: ${this.message}`;
  }
}
