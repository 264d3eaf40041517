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

/**
 * The stage and the stages of this file it is FROM, nearest first: their ENV and SHELL
 * are in its image config. The last one's `resolvedFrom` is the external base (or scratch).
 */
export function fromChain(ctx: LintContext, stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage; s && !out.includes(s);) {
    out.push(s);
    const next: number | undefined = s.isStageRef ? s.fromStage : undefined;
    s = next === undefined ? undefined : ctx.plan.stages.find((x) => x.index === next);
  }
  return out;
}

/** The external image at the root of a stage's FROM chain. */
export function rootImage(ctx: LintContext, stage: Stage): string {
  const chain = fromChain(ctx, stage);
  return (chain[chain.length - 1] as Stage).resolvedFrom;
}
