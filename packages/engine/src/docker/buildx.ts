/**
 * What `docker buildx` says about itself and its builders. Parsed from the text tables
 * because `--format json` only exists since buildx 0.14 and runners pin older ones too;
 * both table layouts (before 0.13, and the `\_` tree of 0.13+) are read.
 */

export interface BuildxNode {
  readonly name: string;
  readonly endpoint: string;
  /** running | inactive | stopped | error ... */
  readonly status: string;
  /** The BuildKit version the node runs (`v0.12.5`), when it is running. */
  readonly buildkit: string;
  /** `os/arch[/variant]`, without buildx's `*` (set by user) and `(+2)` (compat) marks. */
  readonly platforms: readonly string[];
}

export interface BuildxBuilder {
  readonly name: string;
  /** docker | docker-container | remote | kubernetes */
  readonly driver: string;
  /** The builder `docker buildx build` uses without --builder. */
  readonly current: boolean;
  readonly nodes: readonly BuildxNode[];
}

/** `github.com/docker/buildx v0.12.1 30feaa1...` -> `0.12.1`. */
export function parseBuildxVersion(text: string): string | undefined {
  const match = /\bv?(\d+\.\d+\.\d+[\w.+-]*)/.exec(text.trim());
  return match ? match[1] : undefined;
}

/** Every platform a builder's nodes can build. */
export function builderPlatforms(builder: BuildxBuilder): string[] {
  return [...new Set(builder.nodes.flatMap((n) => n.platforms))];
}

export function parsePlatformCell(cell: string): string[] {
  return cell
    .split(',')
    .map((p) =>
      p
        .replace(/\(\+\d+\)/g, '')
        .replace(/\*/g, '')
        .trim(),
    )
    .filter((p) => /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p));
}

/**
 * `docker buildx ls`. Read as words rather than by column: the layouts differ between
 * versions (a ` \_ ` tree since 0.13, `name *` vs `name*` for the current builder) and
 * an inactive node leaves cells empty. A builder line starts at column 0; its nodes are
 * indented: name, endpoint, status, BuildKit version, then the platforms.
 */
export function parseBuildxLs(text: string): BuildxBuilder[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const header = lines.findIndex((l) => /^NAME\/NODE\s/.test(l));
  if (header < 0) return [];

  const builders: { name: string; driver: string; current: boolean; nodes: BuildxNode[] }[] = [];
  for (const line of lines.slice(header + 1)) {
    const words = line.replace(/\\_/g, ' ').trim().split(/\s+/);
    if (!/^\s/.test(line)) {
      let name = words.shift() ?? '';
      let current = false;
      if (name.endsWith('*')) {
        current = true;
        name = name.slice(0, -1);
      } else if (words[0] === '*') {
        current = true;
        words.shift();
      }
      if (name) builders.push({ name, driver: words[0] ?? '', current, nodes: [] });
      continue;
    }
    const builder = builders[builders.length - 1];
    if (!builder) continue;
    const [name = '', endpoint = '', ...rest] = words;
    const status = rest[0] && /^[a-z]+:?$/.test(rest[0]) ? rest.shift()!.replace(/:$/, '') : '';
    const buildkit = rest[0] && /^v?\d+\.\d+/.test(rest[0]) ? rest.shift()! : '';
    builder.nodes.push({
      name,
      endpoint,
      status,
      buildkit,
      platforms: parsePlatformCell(rest.join(' ')),
    });
  }
  return builders;
}

/**
 * `docker buildx inspect [--bootstrap] <name>`: the builder and its nodes, with the
 * platforms BuildKit reported once the nodes are running.
 */
export function parseBuildxInspect(text: string): BuildxBuilder | undefined {
  let name = '';
  let driver = '';
  const nodes: { [k: string]: string }[] = [];
  let inNodes = false;
  for (const raw of text.split(/\r?\n/)) {
    const match = /^([A-Za-z][A-Za-z ]*?):\s*(.*)$/.exec(raw.trim());
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    if (key === 'nodes') {
      inNodes = true;
      continue;
    }
    if (!inNodes) {
      if (key === 'name') name = value;
      else if (key === 'driver') driver = value;
      continue;
    }
    if (key === 'name') nodes.push({ name: value });
    else if (nodes.length) nodes[nodes.length - 1]![key] = value;
  }
  if (!name) return undefined;
  return {
    name,
    driver,
    current: false,
    nodes: nodes.map((n) => ({
      name: n.name ?? '',
      endpoint: n.endpoint ?? '',
      status: n.status ?? '',
      buildkit: n['buildkit version'] ?? n.buildkit ?? '',
      platforms: parsePlatformCell(n.platforms ?? ''),
    })),
  };
}
