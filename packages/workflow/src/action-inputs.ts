/**
 * Checks `with:` of every step that uses one of xplat's actions (and of every job that
 * calls a reusable workflow) against the inputs the action.yml (or the workflow_call)
 * declares: an unknown input and a missing required input are both problems, with the
 * line. actionlint cannot do this for actions it cannot read; this can.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';

export interface InputProblem {
  readonly line: number;
  readonly uses: string;
  readonly message: string;
}

/**
 * What `uses` refers to: the text of its action.yml (steps) or workflow file (jobs);
 * `null` when it should exist and does not; `undefined` when it is not checked
 * (a third-party action).
 */
export type ResolveUses = (uses: string, kind: 'action' | 'workflow') => string | null | undefined;

/** xplat's action name in `./actions/<name>` or `<owner>/<repo>/actions/<name>@<ref>`. */
export function xplatActionName(uses: string): string | undefined {
  const local = /^\.\/actions\/([\w-]+)\/?$/.exec(uses);
  if (local) return local[1];
  const remote = /^[\w.-]+\/[\w.-]+\/actions\/([\w-]+)@[\w./-]+$/.exec(uses);
  return remote?.[1];
}

interface Declared {
  readonly inputs: Map<string, { required: boolean }>;
}

function declaredInputs(text: string, kind: 'action' | 'workflow'): Declared {
  const doc = parseDocument(text);
  const data = doc.toJS() as Record<string, unknown> | null;
  const section =
    kind === 'action'
      ? data?.inputs
      : (
          (data?.on as Record<string, unknown> | undefined)?.workflow_call as
            Record<string, unknown> | undefined
        )?.inputs;
  const inputs = new Map<string, { required: boolean }>();
  for (const [name, spec] of Object.entries((section as Record<string, unknown> | null) ?? {})) {
    const s = (spec ?? {}) as { required?: unknown; default?: unknown };
    inputs.set(name, { required: s.required === true && s.default === undefined });
  }
  return { inputs };
}

function get(map: YAMLMap, key: string): unknown {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value;
}

export function checkActionInputs(workflowText: string, resolve: ResolveUses): InputProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(workflowText, { lineCounter });
  const lineOf = (node: unknown) =>
    lineCounter.linePos((node as Node | null)?.range?.[0] ?? 0).line;
  const problems: InputProblem[] = [];

  const check = (owner: YAMLMap, kind: 'action' | 'workflow') => {
    const usesNode = get(owner, 'uses');
    if (!isScalar(usesNode) || typeof usesNode.value !== 'string') return;
    const uses = usesNode.value;
    const text = resolve(uses, kind);
    if (text === undefined) return;
    if (text === null) {
      problems.push({
        line: lineOf(usesNode),
        uses,
        message: `${kind === 'action' ? 'action.yml' : 'the workflow'} of ${uses} does not exist`,
      });
      return;
    }
    const declared = declaredInputs(text, kind);
    const withNode = get(owner, 'with');
    const given = new Set<string>();
    if (isMap(withNode)) {
      for (const pair of withNode.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : '';
        given.add(name);
        if (!declared.inputs.has(name))
          problems.push({
            line: lineOf(pair.key),
            uses,
            message: `input "${name}" is not declared by ${uses} (it has: ${[...declared.inputs.keys()].join(', ') || 'none'})`,
          });
      }
    }
    for (const [name, spec] of declared.inputs) {
      if (spec.required && !given.has(name))
        problems.push({
          line: lineOf(usesNode),
          uses,
          message: `required input "${name}" of ${uses} is not given`,
        });
    }
  };

  const jobs = isMap(doc.contents) ? get(doc.contents, 'jobs') : undefined;
  if (!isMap(jobs)) return problems;
  for (const job of jobs.items) {
    if (!isMap(job.value)) continue;
    check(job.value, 'workflow');
    const steps = get(job.value, 'steps');
    if (!isSeq(steps)) continue;
    for (const step of steps.items) if (isMap(step)) check(step, 'action');
  }
  return problems;
}
