/**
 * XP008–XP009: shell scripts copied into Linux stages. A script with CRLF endings fails
 * to start; an entrypoint/cmd script copied without --chmod loses its executable bit
 * when the checkout was made on Windows.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ParsedStage, Stage, StagePlan } from '../types.js';
import { parsedStage, stageLabel, type LintContext } from './context.js';
import { contextCopies, destinationOf, expandSource } from './context-files.js';
import { program } from './instruction-words.js';

function entryScripts(ps: ParsedStage): { script: string; line: number }[] {
  const out: { script: string; line: number }[] = [];
  for (const ins of ps.instructions) {
    if (ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT') continue;
    const prog = program(ins);
    if (prog && /\.sh$/i.test(prog)) out.push({ script: prog, line: ins.line });
  }
  return out;
}

/** Stages whose filesystem the target image is built on (its FROM chain). */
function chain(plan: StagePlan, stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage; s;) {
    out.push(s);
    const next: number | undefined = s.isStageRef ? s.fromStage : undefined;
    s = next === undefined ? undefined : plan.stages.find((x) => x.index === next);
  }
  return out;
}

export async function checkScripts(ctx: LintContext): Promise<void> {
  const { plan, options } = ctx;
  const contextDir = options.contextDir;
  const crlfReported = new Set<string>();
  const chmodReported = new Set<string>();
  for (const stage of plan.stages) {
    if (stage.platform.os !== 'linux') continue;
    const ps = parsedStage(ctx, stage);
    const copies = contextCopies(ctx, stage, ps);

    // CRLF: every .sh file that a COPY/ADD brings into a Linux stage.
    if (contextDir) {
      for (const copy of copies) {
        for (const source of copy.sources) {
          for (const { file } of await expandSource(contextDir, source)) {
            if (!/\.sh$/i.test(file) || crlfReported.has(file)) continue;
            const content = await readFile(path.join(contextDir, file)).catch(() => undefined);
            if (content && content.includes('\r\n')) {
              crlfReported.add(file);
              ctx.add(
                'XP009',
                copy.ins.line,
                `${file} has CRLF line endings; in ${stageLabel(stage)} it fails with "/bin/sh^M: bad interpreter" or "no such file or directory": convert it to LF (dos2unix ${file}) and add "*.sh text eol=lf" to .gitattributes so Windows checkouts keep it LF`,
              );
            }
          }
        }
      }
    }

    // Executable bit: an entrypoint/cmd script of this stage, copied in its FROM chain.
    const scripts = entryScripts(ps);
    if (scripts.length === 0) continue;
    const chainStages = chain(plan, stage);
    const chainCopies = chainStages.flatMap((s) => contextCopies(ctx, s, parsedStage(ctx, s)));
    const chainRuns = chainStages.flatMap((s) =>
      parsedStage(ctx, s).instructions.filter((i) => i.keyword === 'RUN'),
    );
    for (const { script } of scripts) {
      const base = path.posix.basename(script);
      for (const copy of chainCopies) {
        let contextFile: string | undefined;
        let matched = false;
        if (contextDir) {
          for (const source of copy.sources) {
            for (const { file, fromDir } of await expandSource(contextDir, source)) {
              const dest = destinationOf(copy, file, fromDir);
              if (
                dest === script ||
                (!script.startsWith('/') &&
                  path.posix.basename(dest) === base &&
                  path.posix.basename(file) === base)
              ) {
                contextFile = file;
                matched = true;
              }
            }
          }
        }
        if (!matched) {
          matched =
            copy.sources.some((s) => path.posix.basename(s) === base) ||
            path.posix.basename(copy.dest) === base;
        }
        if (!matched) continue;
        const key = `${copy.ins.line}:${base}`;
        if (chmodReported.has(key)) continue;
        if (copy.ins.flags.some((f) => f.name === 'chmod')) continue;
        const destDir = copy.dest.replace(/\/+$/, '');
        const chmodLater = chainRuns.some(
          (r) =>
            /\bchmod\b/.test(r.args) &&
            (r.args.includes(base) || (destDir !== '' && r.args.includes(destDir))),
        );
        if (chmodLater) continue;
        if (contextDir && contextFile) {
          const info = await stat(path.join(contextDir, contextFile)).catch(() => undefined);
          if (info && (info.mode & 0o111) !== 0 && process.platform !== 'win32') continue;
        }
        chmodReported.add(key);
        ctx.add(
          'XP008',
          copy.ins.line,
          `${base} is the ${stage.name ? `"${stage.name}" ` : ''}entrypoint/cmd but is copied without --chmod; a checkout on Windows loses the executable bit ("permission denied" at start): use COPY --chmod=755 (BuildKit) or commit it executable (git update-index --chmod=+x ${contextFile ?? base})`,
        );
      }
    }
  }
}
