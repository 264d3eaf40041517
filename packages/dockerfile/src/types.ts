/**
 * The public shapes of @xplat/dockerfile. Line numbers are always 1-based and refer to
 * the user's Dockerfile, never to a rendered copy.
 */
import type { BuilderKind, Platform } from '@xplat/core';
import type { Dockerfile as AstDockerfile, Instruction as AstInstruction } from 'dockerfile-ast';

export interface DockerfileSource {
  /** The path used in messages (`Dockerfile`, `app/Dockerfile.win`). */
  file: string;
  text: string;
}

/** One `--name=value` flag of an instruction. */
export interface ParsedFlag {
  name: string;
  /** null for a bare `--flag` without `=`. */
  value: string | null;
  /** 1-based line of the flag (an instruction can span lines). */
  line: number;
  /** 0-based columns of the value on that line (end exclusive), when it has one. */
  valueStart?: number;
  valueEnd?: number;
}

export interface ParsedInstruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** 1-based first and last line of the instruction (continuations included). */
  line: number;
  endLine: number;
  flags: ParsedFlag[];
  /** The arguments after the flags, as written (continuations joined). */
  args: string;
  /** Exec-form (JSON array) arguments, when the instruction uses that form. */
  json?: string[];
  /** Whether the instruction contains a here-document (`<<EOF`). */
  heredoc: boolean;
  /** The dockerfile-ast node, for callers that need more. */
  node: AstInstruction;
}

export interface ParsedArg {
  name: string;
  /** null when declared without a default (`ARG TARGETOS`). */
  defaultValue: string | null;
  line: number;
}

export interface ParsedStage {
  index: number;
  /** `AS name`, lower-cased as Docker compares stage names. */
  name?: string;
  /** The image or stage reference after FROM, as written. */
  from: string;
  /** The `--platform=` value of FROM, as written. */
  platformFlag?: string;
  line: number;
  /** First line of the stage's region: the FROM, or the comments just above it. */
  firstLine: number;
  /** Last line of the stage's region (before the next stage's region, or the end of file). */
  endLine: number;
  /** Every instruction of the stage, the FROM first. */
  instructions: ParsedInstruction[];
}

export interface ParsedDirective {
  name: string;
  value: string;
  line: number;
}

export interface ParsedDockerfile {
  file: string;
  text: string;
  /** The user's lines, without line terminators. */
  lines: string[];
  /** Whether the file uses CRLF line endings. */
  crlf: boolean;
  escapeChar: string;
  /** Parser directives (`# syntax=`, `# escape=`, `# check=`) at the top of the file. */
  directives: ParsedDirective[];
  /** ARGs before the first FROM. */
  globalArgs: ParsedArg[];
  /** Instructions before the first FROM (ARGs only, in a valid file). */
  preamble: ParsedInstruction[];
  stages: ParsedStage[];
  /**
   * What Docker builds but reads differently than it looks (XP019, e.g. an ARG line with
   * a trailing comment); lintDockerfile reports these with its findings.
   */
  warnings: Finding[];
  /** The dockerfile-ast tree. */
  ast: AstDockerfile;
}

export interface StagePlanOptions {
  platform: Platform;
  buildPlatform: Platform;
  /** Stage name or index; the last stage when absent. */
  target?: string;
  buildArgs?: Record<string, string>;
  /**
   * Docker Engine version (e.g. 20.10.24), for flags older engines reject (the classic
   * builder of Engine 23+ parses and ignores COPY --link; 20.10 rejects it).
   */
  engineVersion?: string;
}

export interface Stage {
  index: number;
  name?: string;
  /** After FROM, as written. */
  from: string;
  /** After FROM, with global and platform ARGs substituted. */
  resolvedFrom: string;
  /** 1-based, the user's file. */
  line: number;
  /** FROM another stage of this Dockerfile. */
  isStageRef: boolean;
  /** The stage FROM refers to, when isStageRef. */
  fromStage?: number;
  /** The resolved `--platform=` of FROM, when given. */
  platformFlag?: string;
  /** The platform this stage builds for: the resolved --platform, else the target platform. */
  platform: Platform;
  /** Indices of the stages this one needs (FROM, COPY --from, RUN --mount=from). */
  dependsOn: number[];
  /** Every reference to another stage or an external image, in file order. */
  references: StageReference[];
}

export interface StageReference {
  via: 'FROM' | 'COPY --from' | 'RUN --mount';
  line: number;
  /** As written (`build`, `0`, `${BASE}`, `nginx:1.27`). */
  written: string;
  /** ARGs substituted. */
  resolved: string;
  /** The stage referred to; absent for an external image (or scratch). */
  stage?: number;
}

export interface BaseImage {
  stage: Stage;
  /** The external image, ARGs substituted. */
  image: string;
  line: number;
  /** Where the image is named. */
  via: 'FROM' | 'COPY --from' | 'RUN --mount';
}

export interface StagePlan {
  /** Stages reachable from the target, in file order (a dependency order). */
  stages: Stage[];
  target: Stage;
  /** External images only (not stages, not scratch). */
  baseImages: BaseImage[];
  /** Values of the global scope FROM lines saw: global ARGs and platform ARGs. */
  globalValues: Record<string, string>;
}

export interface RenderedDockerfile {
  text: string;
  /** Build args to pass (`--build-arg K=V`): platform ARGs and the user's build args. */
  buildArgs: Record<string, string>;
  /**
   * `lineMap[i]` is the user's 1-based line for rendered line i + 1; 0 for a line xplat
   * added (the header comment).
   */
  lineMap: number[];
  /** The target stage's name in the rendered file (it is always the last stage). */
  target?: string;
}

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Rule id, e.g. XP003. */
  rule: string;
  severity: Severity;
  /** What is wrong and how to fix it, one line. */
  message: string;
  file: string;
  line: number;
}

export interface LintOptions extends StagePlanOptions {
  /** To read COPY sources (CRLF, executable bit) and .gitattributes. */
  contextDir?: string;
  /**
   * The Windows host build, e.g. 10.0.20348.2849. Ignored for a Windows leg built on
   * Linux (`buildPlatform` linux): BuildKit there runs no Windows container.
   */
  hostOsVersion?: string;
  /** A GitHub runner label, e.g. windows-2022; gives the host build when hostOsVersion is absent. */
  runner?: string;
  /**
   * The builder that will run the file; `classic` checks BuildKit-only syntax. When
   * absent: classic for a Windows leg built on Windows, BuildKit for every other leg (a
   * Windows `platform` with a Linux `buildPlatform` is `build-on: linux`).
   */
  builder?: BuilderKind;
  /**
   * The leg has `prepare:` run steps, which run before its build: a COPY source missing
   * now (XP027) is a warning, since they are there to write it.
   */
  prepared?: boolean;
}

export interface LintRule {
  id: string;
  severity: Severity;
  summary: string;
}
