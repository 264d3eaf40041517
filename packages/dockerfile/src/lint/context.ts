/**
 * What every check is handed: the parsed file, the plan for the platform being linted,
 * and `add` to report a finding. Plus the two lookups most checks share.
 */
import { formatPlatform } from '@xplat/core';
import type {
  Finding,
  LintOptions,
  ParsedDockerfile,
  ParsedStage,
  Severity,
  Stage,
  StagePlan,
} from '../types.js';

export interface LintContext {
  parsed: ParsedDockerfile;
  options: LintOptions;
  plan: StagePlan;
  findings: Finding[];
  /** FROM lines XP018 found naming a per-platform stage that does not exist. */
  missingStages: Set<number>;
  add(rule: string, line: number, message: string, severity?: Severity): void;
}

export function stageLabel(stage: Stage): string {
  return `stage ${stage.name ? `"${stage.name}"` : stage.index} (${formatPlatform(stage.platform)})`;
}

export function parsedStage(ctx: LintContext, stage: Stage): ParsedStage {
  return ctx.parsed.stages[stage.index] as ParsedStage;
}
