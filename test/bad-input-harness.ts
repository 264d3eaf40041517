/**
 * Runs one bad input through a bundled action or the bundled CLI the way a user does, in
 * a sealed folder, and reports everything the bad-input suite asserts:
 *
 * - the engine is unreachable: `docker` on PATH and XPLAT_DOCKER are a stand-in that logs
 *   every call and fails, DOCKER_HOST names a socket that does not exist;
 * - the registry is a listener on 127.0.0.1 that counts connections and answers none;
 * - HOME, TMPDIR, RUNNER_TEMP and the workspace are the case's own folders, compared
 *   before and after, so a file written anywhere is seen;
 * - the process is killed after a generous bound (a hang is a failure, never a wait).
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './run-action.js';

export interface BadInputCase {
  /** An action name (`fuse-manifest`) or `cli`. */
  readonly target: string;
  /** Action inputs (values may hold `{REG}`, the registry listener's host:port). */
  readonly inputs?: Record<string, string>;
  /** CLI arguments (may hold `{REG}`). */
  readonly args?: readonly string[];
  /** Files created in the workspace first (path -> content; `{REG}` replaced). */
  readonly files?: Record<string, string | Buffer>;
  /** Folders created in the workspace first. */
  readonly dirs?: readonly string[];
  /** The one error line, without `::error::` or `xplat <command>: `. */
  readonly error: RegExp;
  /** Default: 1 for actions, 2 for the CLI. */
  readonly exitCode?: number;
  /** Extra environment. */
  readonly env?: Record<string, string>;
}

export interface BadInputRun {
  readonly exitCode: number;
  readonly timedOut: boolean;
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The error lines: `::error::` lines of an action, stderr lines of the CLI. */
  readonly errors: string[];
  /** Docker CLI calls the stand-in saw. */
  readonly dockerCalls: string[];
  /** Connections the registry listener saw. */
  readonly registryConnections: number;
  /** Files that appeared or changed outside what the runner itself writes. */
  readonly written: string[];
  /** Outputs, exported variables, PATH additions, state the step set. */
  readonly commandFiles: Record<string, string>;
}

export const RUN_LIMIT_MS = 45_000;

const FAKE_DOCKER = `#!/bin/sh
printf '%s\\n' "$*" >> "$XPLAT_FAKE_DOCKER_LOG"
echo "Cannot connect to the Docker daemon at unix:///nonexistent/docker.sock. Is the docker daemon running?" >&2
exit 1
`;

/** Every file below `dir` with its size and mtime, for a before/after comparison. */
async function snapshot(dir: string, budget = { n: 5000 }): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string, depth: number): Promise<void> => {
    if (depth > 12 || budget.n <= 0) return;
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (--budget.n <= 0) return;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        out.set(`${full}/`, 'dir');
        await walk(full, depth + 1);
      } else {
        const info = await stat(full).catch(() => undefined);
        out.set(full, info ? `${info.size}:${info.mtimeMs}` : '?');
      }
    }
  };
  await walk(dir, 0);
  return out;
}

function listen(): Promise<{ address: string; count: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        address: `127.0.0.1:${port}`,
        count: () => connections,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

const fill = (text: string, reg: string): string => text.split('{REG}').join(reg);

export async function runBadInput(c: BadInputCase): Promise<BadInputRun> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'xplat-bad-input-'));
  const registry = await listen();
  try {
    const dirs = {
      ws: path.join(root, 'ws'),
      home: path.join(root, 'home'),
      tmp: path.join(root, 'tmp'),
      runnerTemp: path.join(root, 'runner-temp'),
      gh: path.join(root, 'gh'),
      bin: path.join(root, 'bin'),
    };
    for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });
    const docker = path.join(dirs.bin, 'docker');
    await writeFile(docker, FAKE_DOCKER);
    await chmod(docker, 0o755);
    const dockerLog = path.join(root, 'docker.log');
    for (const d of c.dirs ?? []) await mkdir(path.join(dirs.ws, d), { recursive: true });
    for (const [file, content] of Object.entries(c.files ?? {})) {
      const full = path.join(dirs.ws, fill(file, registry.address));
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(
        full,
        typeof content === 'string' ? fill(content, registry.address) : content,
      );
    }
    const commandFiles = {
      GITHUB_OUTPUT: path.join(dirs.gh, 'output'),
      GITHUB_STATE: path.join(dirs.gh, 'state'),
      GITHUB_STEP_SUMMARY: path.join(dirs.gh, 'summary'),
      GITHUB_ENV: path.join(dirs.gh, 'env'),
      GITHUB_PATH: path.join(dirs.gh, 'path'),
    };
    for (const f of Object.values(commandFiles)) await writeFile(f, '');
    const before = new Map<string, string>();
    for (const d of [dirs.ws, dirs.home, dirs.tmp, dirs.runnerTemp])
      for (const [k, v] of await snapshot(d)) before.set(k, v);

    const env: Record<string, string> = {
      PATH: `${dirs.bin}:/usr/local/bin:/usr/bin:/bin`,
      HOME: dirs.home,
      TMPDIR: dirs.tmp,
      DOCKER_HOST: 'unix:///nonexistent/xplat-bad-input/docker.sock',
      DOCKER_CONFIG: path.join(dirs.home, '.docker'),
      XPLAT_DOCKER: docker,
      XPLAT_FAKE_DOCKER_LOG: dockerLog,
      GIT_CEILING_DIRECTORIES: root,
      ...c.env,
    };
    let argv: string[];
    if (c.target === 'cli') {
      argv = [
        path.join(repoRoot, 'dist', 'cli', 'index.js'),
        ...(c.args ?? []).map((a) => fill(a, registry.address)),
      ];
    } else {
      argv = [path.join(repoRoot, 'dist', c.target, 'index.js')];
      Object.assign(env, commandFiles, {
        RUNNER_TEMP: dirs.runnerTemp,
        RUNNER_OS: 'Linux',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: dirs.ws,
        GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REF_NAME: 'main',
        GITHUB_REPOSITORY: 'org/app',
        GITHUB_RUN_ID: '1001',
      });
      for (const [key, value] of Object.entries(c.inputs ?? {}))
        env[`INPUT_${key.toUpperCase()}`] = fill(value, registry.address);
    }

    const started = Date.now();
    const child = spawn(process.execPath, argv, { env, cwd: dirs.ws });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 4_000_000) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4_000_000) stderr += d.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_LIMIT_MS);
    const exitCode = await new Promise<number>((resolve) =>
      child.on('close', (code) => resolve(code ?? -1)),
    );
    clearTimeout(timer);
    const ms = Date.now() - started;

    const after = new Map<string, string>();
    for (const d of [dirs.ws, dirs.home, dirs.tmp, dirs.runnerTemp])
      for (const [k, v] of await snapshot(d)) after.set(k, v);
    const written = [...after]
      .filter(([k, v]) => before.get(k) !== v)
      .map(([k]) => path.relative(root, k));
    const files: Record<string, string> = {};
    for (const [key, file] of Object.entries(commandFiles))
      files[key] = await readFile(file, 'utf8').catch(() => '');
    const errors =
      c.target === 'cli'
        ? stderr
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => l.replace(/^xplat [a-z]+: /, ''))
        : stdout
            .split('\n')
            .filter((l) => l.startsWith('::error'))
            .map((l) => l.replace(/^::error[^:]*::/, ''));
    return {
      exitCode,
      timedOut,
      ms,
      stdout,
      stderr,
      errors,
      dockerCalls: (await readFile(dockerLog, 'utf8').catch(() => '')).split('\n').filter(Boolean),
      registryConnections: registry.count(),
      written,
      commandFiles: files,
    };
  } finally {
    await registry.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** Lines an action may print on stdout: workflow commands other than these are injected. */
const ALLOWED_COMMANDS = /^::(error|add-mask|debug|group|endgroup|warning|notice)(::| )/;

/** What is wrong with a run, as a list (empty: it held). */
export function problemsOf(c: BadInputCase, run: BadInputRun): string[] {
  const problems: string[] = [];
  const want = c.exitCode ?? (c.target === 'cli' ? 2 : 1);
  if (run.timedOut) problems.push(`hung: killed after ${RUN_LIMIT_MS} ms`);
  if (run.exitCode !== want) problems.push(`exit code ${run.exitCode}, expected ${want}`);
  if (run.errors.length !== 1)
    problems.push(
      `${run.errors.length} error lines: ${JSON.stringify(run.errors.map((e) => e.slice(0, 300)))}`,
    );
  else if (!c.error.test(run.errors[0]!))
    problems.push(
      `error line ${JSON.stringify(run.errors[0]!.slice(0, 400))} does not match ${c.error}`,
    );
  else if (run.errors[0]!.length > 5000)
    problems.push(`error line of ${run.errors[0]!.length} characters`);
  const all = `${run.stdout}\n${run.stderr}`;
  if (/^\s+at .+[:(].*\d+:\d+\)?$/m.test(all)) problems.push('a stack trace was printed');
  if (run.dockerCalls.length) problems.push(`the engine was called: docker ${run.dockerCalls[0]}`);
  if (run.registryConnections)
    problems.push(`the registry was contacted ${run.registryConnections} times`);
  if (run.written.length) problems.push(`files written: ${run.written.slice(0, 5).join(', ')}`);
  const injected = run.stdout
    .split('\n')
    .filter(
      (l) =>
        (l.startsWith('::') && !ALLOWED_COMMANDS.test(l)) ||
        /^INJECTED|^::warning::injected/i.test(l),
    );
  if (injected.length) problems.push(`injected lines: ${JSON.stringify(injected.slice(0, 3))}`);
  for (const [key, text] of Object.entries(run.commandFiles))
    if (key !== 'GITHUB_STATE' && text.trim())
      problems.push(`${key} written: ${text.slice(0, 200)}`);
  return problems;
}

/** Runs cases `limit` at a time, in order. */
export async function runAll(cases: readonly BadInputCase[], limit = 3): Promise<BadInputRun[]> {
  const out: BadInputRun[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= cases.length) return;
      out[i] = await runBadInput(cases[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, cases.length) }, worker));
  return out;
}
