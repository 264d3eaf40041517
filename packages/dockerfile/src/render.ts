/**
 * A Dockerfile the classic builder (the Windows engine's builder, or any engine without
 * BuildKit) builds the same way BuildKit would build the original for one platform.
 *
 * The classic builder does not define TARGETOS & co., rejects `FROM install-${TARGETOS}`
 * unless a global ARG gives it a value, and runs every stage before the target whether
 * the target needs it or not. So the rendered file keeps only the stages the target
 * reaches, writes FROM with every ARG already substituted, drops `--platform=` from FROM
 * (the Windows engine refuses cross-platform FROM), renumbers `COPY --from=N` after
 * pruning, and passes the platform ARGs the file declares as build args.
 */
import { formatPlatform } from '@xplat/core';
import { buildOnLinuxAdvice } from './advice.js';
import { argDeclarations, PLATFORM_ARG_NAMES, platformBuildArgs } from './args.js';
import { DockerfileError } from './errors.js';
import type {
  Finding,
  ParsedDockerfile,
  ParsedInstruction,
  RenderedDockerfile,
  Stage,
  StagePlan,
  StagePlanOptions,
} from './types.js';

const RULE = 'XP017';

const RUN_FLAG_FIX: Record<string, string> = {
  mount:
    'the classic builder has no RUN --mount; copy what the step needs with COPY (--from=<stage> for another stage)',
  network:
    'the classic builder has no RUN --network; drop the flag and set the build network instead (the build-platform-image input network, xplat build --network)',
  security: 'the classic builder has no RUN --security; drop the flag',
  device: 'the classic builder has no RUN --device; drop the flag',
};

const COPY_FLAG_FIX: Record<string, string> = {
  chmod:
    'the classic builder rejects --chmod ("the --chmod option requires BuildKit"); drop it and set the mode in the build context (git update-index --chmod=+x FILE) or with RUN chmod on Linux',
  parents: 'the classic builder has no --parents; copy each directory to its full destination path',
  exclude: 'the classic builder has no --exclude; use .dockerignore instead',
  checksum: 'the classic builder has no ADD --checksum; verify the download in a RUN step instead',
  'keep-git-dir': 'the classic builder has no ADD --keep-git-dir; drop it',
  unpack: 'the classic builder has no ADD --unpack; unpack the archive in a RUN step instead',
};

/** Whether a `# syntax=` frontend is Docker's own Dockerfile frontend (safe to drop). */
function isDockerFrontend(value: string): boolean {
  return /^(docker\.io\/)?docker\/dockerfile(-upstream)?(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/i.test(
    value.trim(),
  );
}

function problem(
  parsed: ParsedDockerfile,
  line: number,
  message: string,
  severity: Finding['severity'] = 'error',
): Finding {
  return { rule: RULE, severity, message, file: parsed.file, line };
}

/** The major version of a Docker Engine version string (`27.5.1` -> 27). */
function engineMajor(version: string | undefined): number | undefined {
  const m = version ? /^v?(\d+)\./.exec(version.trim()) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * COPY/ADD --link: the classic builder of Engine 23 and later parses it (Dockerfile
 * 1.4 syntax) and ignores it, as it only changes how BuildKit caches layers; Engine 20.10
 * fails with "Unknown flag: link". An error only for an engine known to reject it.
 */
function linkProblem(
  parsed: ParsedDockerfile,
  ins: ParsedInstruction,
  line: number,
  engineVersion: string | undefined,
): Finding | undefined {
  const major = engineMajor(engineVersion);
  if (major !== undefined && major >= 23) return undefined;
  return major === undefined
    ? problem(
        parsed,
        line,
        `${ins.keyword} --link needs Docker Engine 23 or later with the classic builder (Engine 20.10 fails with "Unknown flag: link"; newer engines ignore it); fine on hosted runners, drop it if your engine is older`,
        'warning',
      )
    : problem(
        parsed,
        line,
        `${ins.keyword} --link: the classic builder of Engine ${engineVersion} rejects it ("Unknown flag: link"); drop it (it only changes how BuildKit caches layers) or use Engine 23 or later`,
      );
}

/**
 * How this leg could be built with BuildKit instead, as the user sets it: `--builder
 * buildx` for a Linux leg; `build-on: linux` for a Windows leg whose Windows stages only
 * copy files (hosted Windows runners have no BuildKit, and BuildKit on Linux runs no
 * Windows command); '' when there is no such way.
 */
function buildKitAdvice(parsed: ParsedDockerfile, options: StagePlanOptions): string {
  return options.platform.os === 'linux'
    ? '; or build with BuildKit (--builder buildx)'
    : buildOnLinuxAdvice(parsed, options);
}

function instructionProblems(
  parsed: ParsedDockerfile,
  ins: ParsedInstruction,
  engineVersion: string | undefined,
  advice: string,
): Finding[] {
  const found: Finding[] = [];
  if (ins.heredoc) {
    found.push(
      problem(
        parsed,
        ins.line,
        `the classic builder has no here-documents (${ins.keyword} <<EOF); put the script in a file in the context and COPY it, or write it on one ${ins.keyword} line${advice}`,
      ),
    );
  }
  const fixes =
    ins.keyword === 'RUN'
      ? RUN_FLAG_FIX
      : ['COPY', 'ADD'].includes(ins.keyword)
        ? COPY_FLAG_FIX
        : {};
  for (const flag of ins.flags) {
    if (flag.name === 'link' && ['COPY', 'ADD'].includes(ins.keyword)) {
      const link = linkProblem(parsed, ins, flag.line, engineVersion);
      if (link) found.push(link);
      continue;
    }
    const fix = fixes[flag.name];
    if (fix)
      found.push(problem(parsed, flag.line, `${ins.keyword} --${flag.name}: ${fix}${advice}`));
  }
  return found;
}

/**
 * What the classic builder cannot build in the stages the plan keeps: RUN --mount,
 * --network, --security; here-documents; COPY/ADD --chmod, --parents, --exclude; ADD
 * --checksum; --link on an engine older than 23 (a warning when the engine version is
 * unknown); a `# syntax=` frontend other than docker/dockerfile. Each is a finding (rule
 * XP017) whose message says what to do instead.
 */
export function classicBuilderProblems(
  parsed: ParsedDockerfile,
  plan: StagePlan,
  options: StagePlanOptions,
): Finding[] {
  const found: Finding[] = [];
  const advice = buildKitAdvice(parsed, options);
  for (const d of parsed.directives) {
    if (d.name === 'syntax' && !isDockerFrontend(d.value)) {
      found.push(
        problem(
          parsed,
          d.line,
          `"# syntax=${d.value}" needs BuildKit to run that frontend; the classic builder only understands plain Dockerfile syntax: remove the line if the file needs no more${advice}`,
        ),
      );
    }
  }
  const kept = new Set(plan.stages.map((s) => s.index));
  for (const ps of parsed.stages) {
    if (!kept.has(ps.index)) continue;
    for (const ins of ps.instructions) {
      found.push(...instructionProblems(parsed, ins, options.engineVersion, advice));
    }
  }
  for (const stage of plan.stages) {
    if (stage.platform.os === options.platform.os) continue;
    found.push(
      problem(
        parsed,
        stage.line,
        `FROM --platform=${stage.platformFlag ?? ''} makes this a ${stage.platform.os} stage, but the classic builder builds every stage on the engine's own OS (${options.platform.os}); drop --platform from this FROM${advice}`,
      ),
    );
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The ARG names the kept parts of the file declare. */
function declaredArgs(parsed: ParsedDockerfile, plan: StagePlan): Set<string> {
  const names = new Set(parsed.globalArgs.map((a) => a.name));
  const kept = new Set(plan.stages.map((s) => s.index));
  for (const ps of parsed.stages) {
    if (!kept.has(ps.index)) continue;
    for (const ins of ps.instructions) {
      if (ins.keyword !== 'ARG') continue;
      for (const d of argDeclarations(ins.args, parsed.escapeChar)) names.add(d.name);
    }
  }
  return names;
}

/**
 * Render the planned stages for the classic builder. Throws an XplatError naming the
 * user's file:line when a kept stage uses what the classic builder cannot do (see
 * classicBuilderProblems). `buildArgs` holds the platform ARGs the file declares
 * (TARGETOS & co., with BuildKit's values) and every build arg the caller gave.
 */
export function renderForClassicBuilder(
  parsed: ParsedDockerfile,
  plan: StagePlan,
  options: StagePlanOptions,
): RenderedDockerfile {
  const problems = classicBuilderProblems(parsed, plan, options).filter(
    (p) => p.severity === 'error',
  );
  const first = problems[0];
  if (first) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new DockerfileError(`${first.message}${more}`, first.file, first.line);
  }

  const out: string[] = [];
  const lineMap: number[] = [];
  const emit = (text: string, userLine: number): void => {
    out.push(text);
    lineMap.push(userLine);
  };
  const directiveLines = new Set(parsed.directives.map((d) => d.line));
  for (const d of parsed.directives) {
    if (d.name === 'escape') emit(parsed.lines[d.line - 1] as string, d.line);
  }
  const keptNames = plan.stages.map((s) => s.name ?? `#${s.index}`).join(', ');
  emit(
    `# Rendered by xplat from ${parsed.file} for ${formatPlatform(options.platform)} (classic builder); stages: ${keptNames}`,
    0,
  );

  const firstStage = parsed.stages[0];
  const preambleEnd = firstStage ? firstStage.firstLine - 1 : parsed.lines.length;
  for (let line = 1; line <= preambleEnd; line++) {
    if (directiveLines.has(line)) continue;
    emit(parsed.lines[line - 1] as string, line);
  }

  const newIndex = new Map<number, number>();
  plan.stages.forEach((s, i) => newIndex.set(s.index, i));
  const byIndex = new Map<number, Stage>(plan.stages.map((s) => [s.index, s]));

  for (const ps of parsed.stages) {
    const stage = byIndex.get(ps.index);
    if (!stage) continue;
    const edits = new Map<number, { start: number; end: number; text: string }[]>();
    for (const ins of ps.instructions) {
      if (ins.keyword !== 'COPY') continue;
      for (const flag of ins.flags) {
        if (flag.name !== 'from' || flag.valueStart === undefined) continue;
        const ref = stage.references.find((r) => r.via === 'COPY --from' && r.line === flag.line);
        if (!ref) continue;
        let text = ref.resolved;
        if (ref.stage !== undefined) {
          const target = byIndex.get(ref.stage) as Stage;
          text = /^\d+$/.test(ref.resolved)
            ? String(newIndex.get(ref.stage))
            : (target.name ?? String(newIndex.get(ref.stage)));
        }
        if (text === flag.value) continue;
        const list = edits.get(flag.line) ?? [];
        list.push({ start: flag.valueStart, end: flag.valueEnd as number, text });
        edits.set(flag.line, list);
      }
    }
    const fromIns = ps.instructions[0] as ParsedInstruction;
    for (let line = ps.firstLine; line <= ps.endLine; line++) {
      if (line === fromIns.line) {
        const from = stage.isStageRef
          ? (byIndex.get(stage.fromStage as number)?.name ?? stage.resolvedFrom)
          : stage.resolvedFrom;
        emit(`FROM ${from}${ps.name ? ` AS ${ps.name}` : ''}`, line);
        line = fromIns.endLine;
        continue;
      }
      let text = parsed.lines[line - 1] as string;
      const lineEdits = (edits.get(line) ?? []).sort((a, b) => b.start - a.start);
      for (const e of lineEdits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
      emit(text, line);
    }
  }

  const declared = declaredArgs(parsed, plan);
  const platformArgs = platformBuildArgs(options.platform, options.buildPlatform);
  const buildArgs: Record<string, string> = {};
  for (const name of PLATFORM_ARG_NAMES) {
    if (declared.has(name)) buildArgs[name] = platformArgs[name] as string;
  }
  Object.assign(buildArgs, options.buildArgs ?? {});

  return {
    text: `${out.join('\n')}\n`,
    buildArgs,
    lineMap,
    ...(plan.target.name ? { target: plan.target.name } : {}),
  };
}

/** The user's line for a 1-based line of the rendered file (0 when xplat added it). */
export function userLine(rendered: RenderedDockerfile, renderedLine: number): number {
  return rendered.lineMap[renderedLine - 1] ?? 0;
}
