/**
 * JSON as Prettier prints it (objects one key per line; arrays of scalars on one line
 * when they fit in 100 columns), so a generated JSON file passes `prettier --check`.
 */
const WIDTH = 100;

export function formatJson(value: unknown): string {
  return `${print(value, 0, 0)}\n`;
}

function print(value: unknown, indent: number, prefix: number): string {
  const pad = '  '.repeat(indent);
  const inner = '  '.repeat(indent + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every((v) => v === null || typeof v !== 'object');
    const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (scalars && pad.length + prefix + flat.length <= WIDTH) return flat;
    return `[\n${value.map((v) => `${inner}${print(v, indent + 1, 0)}`).join(',\n')}\n${pad}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    if (entries.length === 0) return '{}';
    return `{\n${entries
      .map(([k, v]) => {
        const key = `${JSON.stringify(k)}: `;
        return `${inner}${key}${print(v, indent + 1, key.length)}`;
      })
      .join(',\n')}\n${pad}}`;
  }
  return JSON.stringify(value);
}
