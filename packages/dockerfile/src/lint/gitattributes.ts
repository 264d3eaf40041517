/**
 * XP016: shell scripts in the context that no .gitattributes rule keeps LF, read from
 * the context directory up to the repository root the way git layers them.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parsedStage, type LintContext } from './context.js';
import { contextCopies, globToRegExp, walk } from './context-files.js';

interface AttributeRule {
  pattern: string;
  eol: string | undefined;
  text: boolean | undefined;
}

async function gitattributesRules(startDir: string): Promise<AttributeRule[][]> {
  const levels: AttributeRule[][] = [];
  let dir = path.resolve(startDir);
  for (let depth = 0; depth < 20; depth++) {
    const content = await readFile(path.join(dir, '.gitattributes'), 'utf8').catch(() => undefined);
    if (content !== undefined) {
      const rules: AttributeRule[] = [];
      for (const raw of content.split(/\r?\n/)) {
        const line = raw.trim();
        if (!line || line.startsWith('#')) continue;
        const [pattern, ...attrs] = line.split(/\s+/);
        let eol: string | undefined;
        let text: boolean | undefined;
        for (const a of attrs) {
          if (a.startsWith('eol=')) eol = a.slice(4);
          else if (a === '-text' || a === 'binary') text = false;
          else if (a === 'text' || a.startsWith('text=')) text = true;
        }
        rules.push({ pattern: pattern as string, eol, text });
      }
      levels.unshift(rules);
    }
    const isRepoRoot = await stat(path.join(dir, '.git')).then(
      () => true,
      () => false,
    );
    const parent = path.dirname(dir);
    if (isRepoRoot || parent === dir) break;
    dir = parent;
  }
  return levels;
}

function attributeMatches(pattern: string, file: string): boolean {
  const p = pattern.replace(/^\//, '');
  if (!p.includes('/')) return globToRegExp(p).test(path.posix.basename(file));
  const re = new RegExp(
    `^${p
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*\*\//g, '(?:.*/)?')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  return re.test(file);
}

export async function checkGitattributes(ctx: LintContext): Promise<void> {
  const contextDir = ctx.options.contextDir;
  if (!contextDir) return;
  if (!ctx.plan.stages.some((s) => s.platform.os === 'linux')) return;
  const scripts = (await walk(contextDir)).filter((f) => /\.sh$/i.test(f));
  if (scripts.length === 0) return;
  const levels = await gitattributesRules(contextDir);
  const unprotected = scripts.filter((file) => {
    let eol: string | undefined;
    let text: boolean | undefined;
    for (const rules of levels) {
      for (const r of rules) {
        if (!attributeMatches(r.pattern, file)) continue;
        if (r.eol !== undefined) eol = r.eol;
        if (r.text !== undefined) text = r.text;
      }
    }
    return !(eol === 'lf' || text === false);
  });
  const first = unprotected[0];
  if (!first) return;
  const firstCopy = ctx.plan.stages
    .flatMap((s) => contextCopies(ctx, s, parsedStage(ctx, s)))
    .sort((a, b) => a.ins.line - b.ins.line)[0];
  ctx.add(
    'XP016',
    firstCopy?.ins.line ?? 1,
    `the context has shell scripts (${first}${unprotected.length > 1 ? ` and ${unprotected.length - 1} more` : ''}) but no .gitattributes rule keeps them LF; a Windows checkout (core.autocrlf) turns them CRLF and they fail in Linux images: add "*.sh text eol=lf" to .gitattributes`,
  );
}
