/**
 * What init needs to know about a Dockerfile's stages beyond one plan: which stages are
 * final (no other stage builds FROM them or copies from them, so each is something to
 * ship), and whether the Windows stages a leg reaches can be assembled by BuildKit on a
 * Linux machine (they only COPY/ADD: no RUN, which would need a Windows host).
 */
import type { ParsedDockerfile, StagePlan } from '@xplat/dockerfile';

/** A stage reference as a pattern: `base-${TARGETOS}` may name base-linux or base-windows. */
function referencePattern(written: string): RegExp {
  const source = written
    .toLowerCase()
    .split(/\$\{[^}]*\}|\$[A-Za-z_]\w*/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

/** The words that name other stages: FROM, COPY --from, RUN --mount=…,from=. */
function referencesOf(parsed: ParsedDockerfile, index: number): string[] {
  const stage = parsed.stages[index]!;
  const out = [stage.from];
  for (const i of stage.instructions) {
    for (const f of i.flags) {
      if (f.name === 'from' && f.value) out.push(f.value);
      if (f.name === 'mount' && f.value) {
        const from = /(?:^|,)from=([^,]+)/.exec(f.value)?.[1];
        if (from) out.push(from);
      }
    }
  }
  return out;
}

/**
 * The final stages, in file order: stages no other stage refers to. A file whose stages
 * all feed the last one has one final stage (the default target); aws-ebs-csi-driver's
 * has four (linux-al2023, windows-ltsc2019, windows-ltsc2022, windows-ltsc2025).
 */
export function finalStages(parsed: ParsedDockerfile): number[] {
  const referenced = new Set<number>();
  parsed.stages.forEach((stage) => {
    for (const word of referencesOf(parsed, stage.index)) {
      if (/^\d+$/.test(word)) {
        referenced.add(Number(word));
        continue;
      }
      const re = referencePattern(word);
      for (const other of parsed.stages)
        if (other.index !== stage.index && other.name && re.test(other.name))
          referenced.add(other.index);
    }
  });
  return parsed.stages.map((s) => s.index).filter((i) => !referenced.has(i));
}

/** The stage name to write as `target:` (its index when it has no name). */
export function stageTarget(parsed: ParsedDockerfile, index: number): string {
  return parsed.stages[index]!.name ?? String(index);
}

/**
 * The first RUN in a Windows stage of `plan`, when there is one: such a leg needs a
 * Windows host to build; without one, BuildKit on Linux can build it (build-on: linux).
 */
export function windowsRun(
  parsed: ParsedDockerfile,
  plan: StagePlan,
): { line: number; stage: string } | undefined {
  for (const stage of plan.stages) {
    if (stage.platform.os !== 'windows') continue;
    const run = parsed.stages[stage.index]!.instructions.find((i) => i.keyword === 'RUN');
    if (run) return { line: run.line, stage: stage.name ?? `stage ${stage.index}` };
  }
  return undefined;
}
