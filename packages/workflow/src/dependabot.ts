/**
 * Dependabot-safe regeneration. Users keep Dependabot on (`package-ecosystem:
 * github-actions`); when it bumps a `uses:` of the generated workflow to a newer version
 * of the same action, `xplat generate` keeps that version and `xplat generate --check`
 * does not call it drift. An older version, another action, another ref style (a tag
 * where xplat pins a SHA) or any other edit still is drift.
 *
 * Dependabot keeps the precision of the ref it bumps: `@v6` becomes `@v7`; a pin
 * `@<sha> # v6.0.2` becomes `@<sha'> # v6.1.0`. So "newer" compares the versions at the
 * precision both have: v7 > v6, v6.1.0 > v6.0.2, but v6.1.0 is not newer than v6 (the
 * moving major tag already is the newest v6).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { actionPinFor } from './pins.js';

const USES_LINE = /^(\s*(?:-\s+)?uses:\s+)([\w.-]+\/[\w.-]+)@(\S+)(?:\s+#\s*(\S+))?\s*$/;
const SHA = /^[0-9a-f]{40}$/;

interface UsesLine {
  readonly index: number;
  readonly prefix: string;
  readonly repository: string;
  readonly ref: string;
  readonly comment: string | undefined;
}

function usesLines(lines: readonly string[]): UsesLine[] {
  const out: UsesLine[] = [];
  lines.forEach((line, index) => {
    const m = USES_LINE.exec(line);
    if (m && actionPinFor(m[2]!))
      out.push({ index, prefix: m[1]!, repository: m[2]!, ref: m[3]!, comment: m[4] });
  });
  return out;
}

/** `v6`, `v6.0.2`, `6.1` -> [6], [6, 0, 2], [6, 1]; anything else -> undefined. */
export function parseActionVersion(text: string | undefined): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+){0,2})$/.exec(text ?? '');
  return m ? m[1]!.split('.').map(Number) : undefined;
}

/** Whether `theirs` is newer than `ours`, compared at the precision both have. */
export function isNewerVersion(theirs: readonly number[], ours: readonly number[]): boolean {
  const n = Math.min(theirs.length, ours.length);
  for (let i = 0; i < n; i++) {
    if (theirs[i]! > ours[i]!) return true;
    if (theirs[i]! < ours[i]!) return false;
  }
  return false;
}

/** The version a `uses:` line stands for: the tag, or the `# vX.Y.Z` comment of a SHA pin. */
function versionOf(line: UsesLine): number[] | undefined {
  return SHA.test(line.ref) ? parseActionVersion(line.comment) : parseActionVersion(line.ref);
}

export interface KeptAction {
  readonly repository: string;
  /** What xplat writes, e.g. `v6` or `<sha> # v6.0.2`. */
  readonly generated: string;
  /** The newer ref kept from the committed file. */
  readonly kept: string;
}

export interface KeepNewerResult {
  readonly text: string;
  readonly kept: readonly KeptAction[];
}

/**
 * The generated text with each third-party `uses:` replaced by the committed file's when
 * that is a newer version of the same action in the same ref style. Occurrences pair up
 * in order when both files have as many of an action; otherwise only a version that every
 * committed occurrence shares is taken (Dependabot bumps all of them at once).
 */
export function keepNewerActions(generated: string, committed: string): KeepNewerResult {
  const genLines = generated.split('\n');
  const ours = usesLines(genLines);
  const theirs = usesLines(committed.replace(/\r\n/g, '\n').split('\n'));
  const kept: KeptAction[] = [];
  const seen = new Set<string>();

  for (const repository of new Set(ours.map((u) => u.repository))) {
    const mine = ours.filter((u) => u.repository === repository);
    const their = theirs.filter((u) => u.repository === repository);
    if (!their.length) continue;
    const uniform = their.every((t) => t.ref === their[0]!.ref && t.comment === their[0]!.comment);
    mine.forEach((line, i) => {
      const candidate = their.length === mine.length ? their[i]! : uniform ? their[0]! : undefined;
      if (!candidate) return;
      // The same ref style: a SHA pin for a SHA pin, a tag for a tag.
      if (SHA.test(candidate.ref) !== SHA.test(line.ref)) return;
      const newer = versionOf(candidate);
      const current = versionOf(line);
      if (!newer || !current || !isNewerVersion(newer, current)) return;
      const keptRef = candidate.comment ? `${candidate.ref} # ${candidate.comment}` : candidate.ref;
      genLines[line.index] = `${line.prefix}${repository}@${keptRef}`;
      const key = `${repository}@${keptRef}`;
      if (!seen.has(key)) {
        seen.add(key);
        kept.push({
          repository,
          generated: line.comment ? `${line.ref} # ${line.comment}` : line.ref,
          kept: keptRef,
        });
      }
    });
  }
  return { text: genLines.join('\n'), kept };
}

// ---- the suggestion `xplat init` prints -------------------------------------------------

export const DEPENDABOT_FILE = '.github/dependabot.yml';

/** The entry that keeps the generated workflow's actions current. */
export const DEPENDABOT_ENTRY = `  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
`;

export const DEPENDABOT_CONFIG = `version: 2
updates:
${DEPENDABOT_ENTRY}`;

/**
 * What `xplat init` suggests about Dependabot for the repository at `dir`: the whole
 * .github/dependabot.yml when there is none, the github-actions entry when the file has
 * none, nothing when it already updates GitHub Actions.
 */
export async function dependabotSuggestion(dir: string): Promise<string | undefined> {
  const found = ['.github/dependabot.yml', '.github/dependabot.yaml']
    .map((f) => path.join(dir, f))
    .find((f) => existsSync(f));
  const why =
    'xplat generate keeps the newer versions Dependabot writes, and generate --check does not call them drift.';
  if (!found)
    return [
      `Keep the workflow's actions current: commit this as ${DEPENDABOT_FILE}`,
      `(${why})`,
      '',
      DEPENDABOT_CONFIG.trimEnd(),
    ].join('\n');
  const text = await readFile(found, 'utf8');
  if (/package-ecosystem:\s*["']?github-actions\b/.test(text)) return undefined;
  return [
    `Keep the workflow's actions current: add this entry under updates: in ${path.relative(dir, found).split(path.sep).join('/')}`,
    `(${why})`,
    '',
    DEPENDABOT_ENTRY.trimEnd(),
  ].join('\n');
}
