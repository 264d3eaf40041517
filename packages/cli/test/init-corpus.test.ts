/**
 * A new user's first minutes on each real layout of the init corpus: `xplat init`, then
 * `xplat lint`, `xplat plan` and `xplat generate --check` in the folder it wrote to. init
 * must never write a config its own lint rejects, so every command exits 0.
 */
import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '@xplat/core';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/cli.js';
import { repoRoot } from '../../../test/run-action.js';

const corpus = path.join(repoRoot, 'packages', 'workflow', 'test', 'corpus', 'repos');
const repos = readdirSync(corpus).sort();

async function xplat(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    logger: silentLogger,
    cwd,
    env: {},
  });
  return { code, output: [...out, ...err].join('\n') };
}

describe('xplat init, then lint, plan and generate --check, on real layouts', () => {
  it('has the corpus to walk', () => {
    expect(repos.length).toBeGreaterThanOrEqual(8);
  });

  it.each(repos)('%s', async (repo) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `xplat-init-corpus-${repo}-`));
    cpSync(path.join(corpus, repo), dir, { recursive: true });
    const steps: [string, number, string][] = [];
    for (const argv of [
      ['init', '--image', `ghcr.io/acme/${repo}`],
      ['lint'],
      ['plan'],
      ['generate', '--check'],
    ]) {
      const run = await xplat(dir, ...argv);
      steps.push([argv.join(' '), run.code, run.code ? run.output : '']);
    }
    expect(steps).toEqual(steps.map(([command]) => [command, 0, '']));
  });
});
