/**
 * GitHub Actions expressions evaluated by GitHub's own evaluator (@actions/expressions),
 * so a test can ask what a generated `if:` or `${{ }}` value is for one matrix entry and
 * event, as the runner would. Status functions answer as in a run where nothing was
 * cancelled or failed.
 */
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';

export type ExpressionContext = Record<string, unknown>;

function evaluateData(expression: string, context: ExpressionContext): data.ExpressionData {
  const text = expression
    .replace(/^\s*\$\{\{/, '')
    .replace(/\}\}\s*$/, '')
    .replace(/!cancelled\(\)/g, 'true')
    .replace(/always\(\)/g, 'true')
    .replace(/success\(\)/g, 'true');
  const lexed = new Lexer(text).lex();
  const expr = new Parser(lexed.tokens, Object.keys(context), []).parse();
  const ctx = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  return new Evaluator(expr, ctx).evaluate();
}

/** Whether an `if:` holds in `context` (absent: it always does). */
export function runs(condition: unknown, context: ExpressionContext): boolean {
  return condition === undefined || truthy(evaluateData(String(condition), context));
}

/** A string with each `${{ … }}` replaced by its value in `context`. */
export function expand(value: unknown, context: ExpressionContext): string {
  return String(value).replace(/\$\{\{(.*?)\}\}/g, (_m, e: string) =>
    evaluateData(e, context).coerceString(),
  );
}
