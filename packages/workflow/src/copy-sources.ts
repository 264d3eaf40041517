/**
 * COPY/ADD sources a leg needs from the build context that the repository does not have:
 * binaries `make` (or a CI step) writes before `docker build`. init names each with its
 * line, and the Makefile target that writes it, for the `prepare:` placeholder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expandVariables, type ParsedDockerfile, type StagePlan } from '@xplat/dockerfile';

export interface MissingSource {
  /** As the context sees it: `bin/app.exe`, `dist/` for a glob whose folder is missing. */
  readonly path: string;
  readonly file: string;
  readonly line: number;
  /** The OS of the legs that need it (set by init per leg). */
  readonly os?: 'linux' | 'windows';
}

/** The literal part of a source: a glob is looked up by the folder before its first wildcard. */
function literalOf(source: string): string {
  const glob = /[*?[]/.exec(source);
  const literal = glob ? source.slice(0, source.lastIndexOf('/', glob.index) + 1) : source;
  return literal.replace(/^\.\//, '').replace(/^\/+/, '') || '.';
}

/**
 * The sources of the COPY/ADD instructions of `plan`'s stages that are neither in
 * `contextDir` nor URLs nor from another stage, with ARGs expanded as the leg sets them
 * (the stage's own ARG defaults, the global ones, the leg's build args).
 */
export function missingSources(
  parsed: ParsedDockerfile,
  plan: StagePlan,
  contextDir: string,
  buildArgs: Readonly<Record<string, string>>,
): MissingSource[] {
  const out: MissingSource[] = [];
  for (const stage of plan.stages) {
    const values: Record<string, string | undefined> = { ...plan.globalValues };
    for (const a of parsed.globalArgs)
      if (a.defaultValue !== null) values[a.name] ??= a.defaultValue;
    for (const i of parsed.stages[stage.index]!.instructions) {
      if (i.keyword === 'ARG') {
        for (const decl of i.args.trim().split(/\s+/)) {
          const [name, ...rest] = decl.split('=');
          if (!name) continue;
          // A default built from other ARGs (`ARG binary=./_output/${ARCH}/app`) is expanded.
          const written = rest.length ? rest.join('=').replace(/^["']|["']$/g, '') : undefined;
          values[name] =
            buildArgs[name] ??
            (written !== undefined
              ? expandVariables(written, values, parsed.escapeChar)
              : values[name]);
        }
        continue;
      }
      if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.heredoc) continue;
      if (i.flags.some((f) => f.name === 'from')) continue;
      const words = i.json ?? i.args.trim().split(/\s+/);
      for (const word of words.slice(0, -1)) {
        if (/:\/\/|^git@/.test(word)) continue;
        const expanded = expandVariables(word, values, parsed.escapeChar);
        if (!expanded || /\$/.test(expanded)) continue;
        const literal = literalOf(expanded);
        if (literal === '.' || existsSync(path.join(contextDir, literal))) continue;
        out.push({ path: literal, file: parsed.file, line: i.line });
      }
    }
  }
  return out;
}
