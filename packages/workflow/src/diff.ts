/**
 * A unified diff of two texts (line-based LCS, 3 lines of context), for
 * `xplat generate --check`: what would change if the workflow were regenerated.
 */

type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };

function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function operations(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i]!, a: i++, b: j++ });
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ kind: '-', text: a[i]!, a: i++, b: j });
    } else {
      ops.push({ kind: '+', text: b[j]!, a: i, b: j++ });
    }
  }
  return ops;
}

/** `--- a` / `+++ b` and @@ hunks; empty when the texts are equal. */
export function unifiedDiff(
  oldText: string,
  newText: string,
  oldName: string,
  newName: string,
  context = 3,
): string {
  if (oldText === newText) return '';
  const a = lines(oldText);
  const b = lines(newText);
  const ops = operations(a, b);
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((x) => x >= 0);
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  if (!changed.length) {
    // Only the final newline differs.
    out.push('@@ end of file @@', '\\ the files differ in their final newline');
    return `${out.join('\n')}\n`;
  }
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * context + 1) end++;
    const from = Math.max(0, changed[start]! - context);
    const to = Math.min(ops.length - 1, changed[end]! + context);
    const hunk = ops.slice(from, to + 1);
    const aCount = hunk.filter((op) => op.kind !== '+').length;
    const bCount = hunk.filter((op) => op.kind !== '-').length;
    const aStart = hunk[0]!.a + (aCount ? 1 : 0);
    const bStart = hunk[0]!.b + (bCount ? 1 : 0);
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    start = end + 1;
  }
  return `${out.join('\n')}\n`;
}
