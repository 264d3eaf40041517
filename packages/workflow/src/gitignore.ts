/**
 * `.xplat/` holds the CLI's run state (`xplat run`'s registry, logs, leg results): never
 * something to commit. `xplat init` adds it to the repository's .gitignore once.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const GITIGNORE_FILE = '.gitignore';
export const XPLAT_STATE_DIR = '.xplat/';

export type GitignoreChange = 'created' | 'added' | 'present';

/** Lines that already ignore .xplat/ at the root (or everywhere). */
const IGNORES_STATE = /^\/?\.xplat\/?(\*\*?)?$/;

/** Whether `text` (a .gitignore) already ignores .xplat/; a later `!.xplat` un-ignores it. */
export function ignoresXplatState(text: string): boolean {
  let ignored = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (IGNORES_STATE.test(line)) ignored = true;
    else if (line.startsWith('!') && IGNORES_STATE.test(line.slice(1))) ignored = false;
  }
  return ignored;
}

/** Add `.xplat/` to dir/.gitignore (created when missing), keeping its line endings. */
export async function ensureXplatIgnored(dir: string): Promise<GitignoreChange> {
  const file = path.join(dir, GITIGNORE_FILE);
  const block = `# xplat run state (xplat run, the local registry)\n${XPLAT_STATE_DIR}\n`;
  if (!existsSync(file)) {
    await writeFile(file, block);
    return 'created';
  }
  const text = await readFile(file, 'utf8');
  if (ignoresXplatState(text)) return 'present';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  await writeFile(file, `${text}${separator}${block.replace(/\n/g, eol)}`);
  return 'added';
}
