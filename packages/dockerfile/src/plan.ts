/**
 * The stages one platform needs: global and platform ARGs resolved in FROM, stage
 * references followed from the target (FROM, COPY --from, RUN --mount=from).
 */
import { errorMessage, parsePlatform, XplatError, type Platform } from '@xplat/core';
import { expandVariables, platformBuildArgs } from './args.js';
import { DockerfileError } from './errors.js';
import type {
  BaseImage,
  ParsedDockerfile,
  ParsedStage,
  Stage,
  StagePlan,
  StagePlanOptions,
  StageReference,
} from './types.js';

/**
 * The values FROM lines see: BuildKit's automatic platform ARGs, then each ARG before the
 * first FROM (a `--build-arg` wins over its default; a declaration without default keeps
 * the automatic value of a platform ARG).
 */
export function globalScope(
  parsed: ParsedDockerfile,
  options: StagePlanOptions,
): Record<string, string> {
  const values: Record<string, string> = {
    ...platformBuildArgs(options.platform, options.buildPlatform),
  };
  const buildArgs = options.buildArgs ?? {};
  for (const arg of parsed.globalArgs) {
    const given = Object.hasOwn(buildArgs, arg.name) ? buildArgs[arg.name] : undefined;
    if (given !== undefined) {
      values[arg.name] = given;
    } else if (arg.defaultValue !== null) {
      values[arg.name] = expandAt(parsed, arg.line, arg.defaultValue, values, false);
    }
  }
  return values;
}

/**
 * expandVariables with the error located at file:line. `quotes` reads the word as a
 * FROM or flag value (quotes group and are removed); ARG defaults come unquoted already.
 */
export function expandAt(
  parsed: ParsedDockerfile,
  line: number,
  word: string,
  values: Record<string, string | undefined>,
  quotes = true,
): string {
  try {
    return expandVariables(word, values, parsed.escapeChar, { quotes });
  } catch (error) {
    throw new DockerfileError(errorMessage(error), parsed.file, line);
  }
}

function findStage(
  parsed: ParsedDockerfile,
  ref: string,
  current: ParsedStage,
  line: number,
  allowIndex: boolean,
): number | undefined {
  const at: (reason: string) => never = (reason) => {
    throw new DockerfileError(reason, parsed.file, line);
  };
  if (allowIndex && /^\d+$/.test(ref)) {
    const index = Number(ref);
    if (index >= current.index) {
      at(
        `--from=${ref} refers to stage ${index}, which is not before this stage (${current.index}); refer to an earlier stage`,
      );
    }
    return index;
  }
  const lower = ref.toLowerCase();
  const stage = parsed.stages.find((s) => s.name === lower);
  if (!stage) return undefined;
  if (stage.index >= current.index) {
    at(
      `"${ref}" is the stage on line ${stage.line}, which is not before this one; a stage can only use earlier stages`,
    );
  }
  return stage.index;
}

/** `type=bind,from=build,source=/out` -> its `from`, when there is one. */
export function mountFrom(value: string): string | undefined {
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === 'from') {
      return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}

function stagePlatform(
  parsed: ParsedDockerfile,
  line: number,
  flag: string,
  options: StagePlanOptions,
): Platform {
  let p: Platform;
  try {
    p = parsePlatform(flag, `${parsed.file}:${line}`);
  } catch (error) {
    throw new DockerfileError(
      `FROM --platform=${flag}: ${error instanceof XplatError ? error.reason : errorMessage(error)}`,
      parsed.file,
      line,
    );
  }
  for (const known of [options.platform, options.buildPlatform]) {
    if (
      known.os === p.os &&
      known.architecture === p.architecture &&
      (known.variant ?? '') === (p.variant ?? '')
    ) {
      return p.osVersion ? p : known;
    }
  }
  return p;
}

/** Every stage of the file, resolved for this platform (not only the reachable ones). */
export function resolveStages(parsed: ParsedDockerfile, options: StagePlanOptions): Stage[] {
  const values = globalScope(parsed, options);
  const resolved: Stage[] = [];
  for (const ps of parsed.stages) {
    const resolvedFrom = expandAt(parsed, ps.line, ps.from, values);
    if (!resolvedFrom) {
      throw new DockerfileError(
        `FROM ${ps.from} resolves to an empty image name; declare the ARG before the first FROM with a default, or pass it with --build-arg`,
        parsed.file,
        ps.line,
      );
    }
    const references: StageReference[] = [];
    const fromStage =
      resolvedFrom.toLowerCase() === 'scratch'
        ? undefined
        : findStage(parsed, resolvedFrom, ps, ps.line, false);
    references.push({
      via: 'FROM',
      line: ps.line,
      written: ps.from,
      resolved: resolvedFrom,
      ...(fromStage !== undefined ? { stage: fromStage } : {}),
    });
    for (const ins of ps.instructions.slice(1)) {
      for (const flag of ins.flags) {
        let via: StageReference['via'] | undefined;
        let written: string | undefined;
        if (ins.keyword === 'COPY' && flag.name === 'from') {
          via = 'COPY --from';
          written = flag.value ?? '';
          if (!written) {
            throw new DockerfileError(
              'COPY --from needs a stage name, index or image',
              parsed.file,
              flag.line,
            );
          }
        } else if (ins.keyword === 'RUN' && flag.name === 'mount' && flag.value) {
          written = mountFrom(flag.value);
          via = written ? 'RUN --mount' : undefined;
        }
        if (!via || written === undefined) continue;
        const value = expandAt(parsed, flag.line, written, values);
        const stage = findStage(parsed, value, ps, flag.line, true);
        references.push({
          via,
          line: flag.line,
          written,
          resolved: value,
          ...(stage !== undefined ? { stage } : {}),
        });
      }
    }
    let platformFlag: string | undefined;
    let platform: Platform = options.platform;
    if (ps.platformFlag) {
      platformFlag = expandAt(parsed, ps.line, ps.platformFlag, values);
      if (!platformFlag) {
        throw new DockerfileError(
          `FROM --platform=${ps.platformFlag} resolves to nothing; use $BUILDPLATFORM, $TARGETPLATFORM or os/arch`,
          parsed.file,
          ps.line,
        );
      }
      platform = stagePlatform(parsed, ps.line, platformFlag, options);
    } else if (fromStage !== undefined) {
      platform = (resolved[fromStage] as Stage).platform;
    }
    const dependsOn = [
      ...new Set(references.flatMap((r) => (r.stage === undefined ? [] : [r.stage]))),
    ].sort((a, b) => a - b);
    resolved.push({
      index: ps.index,
      ...(ps.name ? { name: ps.name } : {}),
      from: ps.from,
      resolvedFrom,
      line: ps.line,
      isStageRef: fromStage !== undefined,
      ...(fromStage !== undefined ? { fromStage } : {}),
      ...(platformFlag ? { platformFlag } : {}),
      platform,
      dependsOn,
      references,
    });
  }
  return resolved;
}

function stageLabel(s: { index: number; name?: string }): string {
  return s.name ?? String(s.index);
}

/** The target stage: by name (any case) or index; the last stage when absent. */
export function findTarget<T extends { index: number; name?: string }>(
  stages: readonly T[],
  target: string | undefined,
): T {
  const last = stages[stages.length - 1] as T;
  if (target === undefined || target.trim() === '') return last;
  const wanted = target.trim().toLowerCase();
  const found =
    stages.find((s) => s.name === wanted) ??
    (/^\d+$/.test(wanted) ? stages[Number(wanted)] : undefined);
  if (!found) {
    throw new XplatError(
      `stage "${target}" is not in the Dockerfile; its stages are ${stages.map(stageLabel).join(', ')}`,
      'target',
    );
  }
  return found;
}

/**
 * The stages the target needs for this platform, in file order, and the external images
 * they pull. Unknown `--target` is an XplatError naming the input `target` and listing the
 * stages.
 */
export function planStages(parsed: ParsedDockerfile, options: StagePlanOptions): StagePlan {
  const all = resolveStages(parsed, options);
  const target = findTarget(all, options.target);
  const reachable = new Set<number>();
  const visit = (index: number): void => {
    if (reachable.has(index)) return;
    reachable.add(index);
    for (const dep of (all[index] as Stage).dependsOn) visit(dep);
  };
  visit(target.index);
  const stages = all.filter((s) => reachable.has(s.index));
  const baseImages: BaseImage[] = [];
  for (const stage of stages) {
    for (const ref of stage.references) {
      if (ref.stage !== undefined || ref.resolved.toLowerCase() === 'scratch') continue;
      baseImages.push({ stage, image: ref.resolved, line: ref.line, via: ref.via });
    }
  }
  return { stages, target, baseImages, globalValues: globalScope(parsed, options) };
}
