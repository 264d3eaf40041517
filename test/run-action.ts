/**
 * Runs a bundled action the way the runner does: `node dist/<name>/index.js` with every
 * input as INPUT_<NAME> (upper-cased, hyphens kept, as the runner sets them), and
 * GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY as files it then reads back.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ActionRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** `::error::` lines the action printed, without the prefix. */
  readonly errors: string[];
}

export interface RunActionOptions {
  /** Extra environment (DOCKER_CONFIG, GITHUB_SHA, ...). */
  env?: Record<string, string>;
  /** Which script of the bundle: `index.js` (main) or e.g. `post.js`. */
  script?: string;
  /** GITHUB_STATE contents carried from a main run to its post run. */
  state?: string;
  cwd?: string;
  /** Kill the action after this long (a hang fails the test instead of stalling it). */
  timeoutMs?: number;
  /** The Node binary to run it with (default: the one running the tests). */
  node?: string;
}

export async function runAction(
  name: string,
  inputs: Record<string, string>,
  options: RunActionOptions = {},
): Promise<ActionRun & { state: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `xplat-action-${name}-`));
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
  };
  await Promise.all(Object.values(files).map((f) => writeFile(f, '')));
  if (options.state) await writeFile(files.GITHUB_STATE, options.state);

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
    GITHUB_ACTIONS: 'true',
    ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    ...files,
    ...options.env,
  };
  for (const [key, value] of Object.entries(inputs)) env[`INPUT_${key.toUpperCase()}`] = value;
  // When main and post share a state file, the runner hands state to post as STATE_*.
  if (options.state) {
    for (const [key, value] of parseFileCommands(options.state)) env[`STATE_${key}`] = value;
  }

  const script = path.join(repoRoot, 'dist', name, options.script ?? 'index.js');
  const child = spawn(options.node ?? process.execPath, [script], {
    env,
    cwd: options.cwd ?? dir,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = options.timeoutMs
    ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
    : undefined;
  const exitCode = await new Promise<number>((resolve) =>
    child.on('close', (code) => resolve(code ?? -1)),
  );
  if (timer) clearTimeout(timer);

  return {
    exitCode,
    stdout,
    stderr,
    outputs: Object.fromEntries(parseFileCommands(await readFile(files.GITHUB_OUTPUT, 'utf8'))),
    state: await readFile(files.GITHUB_STATE, 'utf8'),
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    errors: stdout
      .split('\n')
      .filter((l) => l.startsWith('::error'))
      .map((l) => l.replace(/^::error[^:]*::/, '')),
  };
}

/** Parses the `name<<DELIMITER\nvalue\nDELIMITER` blocks @actions/core writes to file commands. */
export function parseFileCommands(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]!);
    pairs.push([match[1]!, value.join('\n')]);
  }
  return pairs;
}
