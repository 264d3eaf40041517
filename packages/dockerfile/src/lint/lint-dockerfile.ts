/**
 * Cross-platform lint: the mistakes that make one platform of a multi-platform build fail
 * (or silently build the wrong thing). Each rule has an id, a severity and a message that
 * says how to fix it; errors stop the build, warnings become annotations. This file runs
 * the checks in a fixed order and returns their findings deduplicated and sorted by line.
 */
import { planStages } from '../plan.js';
import type { Finding, LintOptions, ParsedDockerfile, Severity } from '../types.js';
import { checkArchArgs } from './arch-args.js';
import { checkBaseImages } from './base-images.js';
import { checkClassicBuilder } from './classic-builder.js';
import { parsedStage, type LintContext } from './context.js';
import { checkContextSources } from './context-sources.js';
import { checkDuplicateFlags } from './flags.js';
import { checkFromResolution } from './from-resolution.js';
import { checkGitattributes } from './gitattributes.js';
import { checkGlobalArgs } from './global-args.js';
import { checkRunAndHealthcheck } from './network-healthcheck.js';
import { checkLinuxStage, checkWindowsStage } from './os-content.js';
import { checkPlatformArgs, checkTwoEnv } from './platform-args.js';
import { LINT_RULES } from './rules.js';
import { checkScripts } from './scripts.js';
import { checkWindowsRunOnLinux } from './windows-on-linux.js';
import { checkWindowsPath, checkWindowsShellSyntax } from './windows-shell.js';

const RULE_SEVERITY = new Map(LINT_RULES.map((r) => [r.id, r.severity]));

/** `Dockerfile:12: error XP003: ...` */
export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}: ${f.severity} ${f.rule}: ${f.message}`;
}

/**
 * Lint a parsed Dockerfile for one platform: only the stages that platform's target
 * reaches are checked, each for the OS it builds for. Files in `contextDir` are read for
 * the script checks. Throws the errors planStages throws (a DockerfileError with file
 * and line for a FROM that resolves to nothing, an XplatError for an unknown target):
 * those Docker refuses too. Everything Docker builds is a finding, never a throw; the
 * parser's warnings (XP019) are among them.
 */
export async function lintDockerfile(
  parsed: ParsedDockerfile,
  options: LintOptions,
): Promise<Finding[]> {
  const plan = planStages(parsed, options);
  const findings: Finding[] = [...(parsed.warnings ?? [])];
  const ctx: LintContext = {
    parsed,
    options,
    plan,
    findings,
    missingStages: new Set(),
    add(rule, line, message, severity) {
      findings.push({
        rule,
        severity: severity ?? (RULE_SEVERITY.get(rule) as Severity),
        message,
        file: parsed.file,
        line,
      });
    },
  };
  // First: it marks the FROM lines that name a missing stage, which checkBaseImages skips.
  checkFromResolution(ctx);
  checkBaseImages(ctx);
  checkDuplicateFlags(ctx);
  checkArchArgs(ctx);
  for (const stage of plan.stages) {
    const ps = parsedStage(ctx, stage);
    if (stage.platform.os === 'windows') {
      checkWindowsRunOnLinux(ctx, stage, ps);
      checkWindowsStage(ctx, stage, ps);
      checkWindowsShellSyntax(ctx, stage, ps);
      checkWindowsPath(ctx, stage, ps);
    } else checkLinuxStage(ctx, stage, ps);
    checkPlatformArgs(ctx, stage, ps);
    checkGlobalArgs(ctx, stage, ps);
    checkTwoEnv(ctx, stage, ps);
    checkRunAndHealthcheck(ctx, stage, ps);
  }
  await checkScripts(ctx);
  await checkContextSources(ctx);
  await checkGitattributes(ctx);
  checkClassicBuilder(ctx);
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const key = `${f.rule}|${f.line}|${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
