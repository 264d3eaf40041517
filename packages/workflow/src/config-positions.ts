/**
 * Source positions in xplat.yml: the line and column of a field (or of the deepest part of
 * it that exists), and the field a YAML syntax error is about.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { ConfigPath } from './config-types.js';

/** `platforms[1].runs-on`. */
export function formatField(p: ConfigPath): string {
  if (p.length === 0) return '(file)';
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export function getIn(data: unknown, p: ConfigPath): unknown {
  let value = data;
  for (const segment of p) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function keyText(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

/**
 * The source offset of the node at `p` (its key with asKey). A path that does not exist
 * (a missing field) points at the deepest part that does.
 */
export function offsetOf(doc: Document, p: ConfigPath, asKey: boolean): number {
  let node: unknown = doc.contents;
  let best: Node | null | undefined = doc.contents;
  for (let i = 0; i < p.length; i++) {
    const segment = p[i]!;
    const last = i === p.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      if (last && asKey) {
        best = key;
        break;
      }
      node = value;
      best = value && !(isScalar(value) && value.value === null) ? value : key;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      node = item;
      best = item;
    } else break;
  }
  return best?.range?.[0] ?? 0;
}

/**
 * The field a YAML error is about: the last key or list item that starts at or before
 * `offset` (a syntax error leaves no node that holds it).
 */
export function pathAt(doc: Document, offset: number): ConfigPath {
  let best: { start: number; path: ConfigPath } = { start: -1, path: [] };
  const visit = (node: unknown, at: ConfigPath): void => {
    const consider = (start: number | undefined, p: ConfigPath) => {
      if (start !== undefined && start <= offset && start >= best.start) best = { start, path: p };
    };
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const p = [...at, keyText(pair.key) ?? '?'];
        consider((pair.key as Node | null)?.range?.[0], p);
        visit(pair.value, p);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        consider((item as Node | null)?.range?.[0], [...at, i]);
        visit(item, [...at, i]);
      });
    }
  };
  visit(doc.contents, []);
  return best.path;
}
