/**
 * Which Makefile target writes a file: what `xplat init` names in its `prepare:`
 * placeholder when a Dockerfile COPYs a binary the repository does not have (make builds
 * it before `docker build`). A reader of the common shapes, not a make: variables
 * (`=`, `:=`, `?=`), `include`, rules with their recipes, `$(VAR)`, `$(abspath x)`,
 * substitution references (`$(CMDS:%=build-%)`); anything it cannot expand (`$(shell …)`,
 * `$*`, `$$suffix`) matches any text within one path segment.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface MakeRule {
  readonly targets: readonly string[];
  readonly prerequisites: readonly string[];
  readonly recipe: readonly string[];
}

export interface Makefile {
  /** The folder make runs in (paths below are relative to it). */
  readonly dir: string;
  readonly variables: ReadonlyMap<string, string>;
  readonly rules: readonly MakeRule[];
}

/** Stands for text make would compute and this reader cannot. */
export const ANY = '\u0000';
const MAX_INCLUDES = 8;
const MAX_BYTES = 512 * 1024;

function logicalLines(text: string): string[] {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
}

/** Reads `Makefile` (or GNUmakefile, makefile) in `dir`, following includes; undefined when there is none. */
export function readMakefile(dir: string): Makefile | undefined {
  const file = ['GNUmakefile', 'Makefile', 'makefile']
    .map((f) => path.join(dir, f))
    .find((f) => existsSync(f));
  if (!file) return undefined;
  const variables = new Map<string, string>();
  const rules: MakeRule[] = [];
  let includes = 0;
  const read = (f: string) => {
    let text: string;
    try {
      text = readFileSync(f, 'utf8').slice(0, MAX_BYTES);
    } catch {
      return;
    }
    let current: { targets: string[]; prerequisites: string[]; recipe: string[] } | undefined;
    for (const line of logicalLines(text)) {
      if (line.startsWith('\t')) {
        current?.recipe.push(line.trim());
        continue;
      }
      const code = line.replace(/(^|\s)#.*$/, '').trim();
      if (!code) continue;
      const include = /^-?include\s+(.+)$/.exec(code);
      if (include) {
        for (const name of include[1]!.split(/\s+/))
          if (includes++ < MAX_INCLUDES) read(path.join(dir, expandMake(name, variables)));
        current = undefined;
        continue;
      }
      const assign =
        /^(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(\?=|:{1,3}=|\+=|=)\s*(.*)$/.exec(code);
      if (assign) {
        const [, name, op, value] = assign;
        if (op === '?=' && variables.has(name!)) continue;
        variables.set(name!, op === '+=' ? `${variables.get(name!) ?? ''} ${value}` : value!);
        current = undefined;
        continue;
      }
      const split = splitRule(code);
      if (!split || /^(ifn?eq|ifn?def|else|endif|define|endef)\b/.test(code)) {
        current = undefined;
        continue;
      }
      // Target-specific variables (`x: VAR = y`) are not rules.
      if (/^[A-Za-z_][\w.-]*\s*(\?|:|\+)?=/.test(split.rest)) continue;
      // A static pattern rule (`$(CMDS:%=build-%): build-%: deps`): the prerequisites follow the pattern.
      const again = topLevelColon(split.rest);
      const rest = again >= 0 ? split.rest.slice(again + 1) : split.rest;
      current = {
        targets: split.targets.split(/\s+/).filter(Boolean),
        prerequisites: rest.split('|')[0]!.split(';')[0]!.split(/\s+/).filter(Boolean),
        recipe: rest.includes(';') ? [rest.slice(rest.indexOf(';') + 1).trim()] : [],
      };
      rules.push(current);
    }
  };
  read(file);
  return { dir, variables, rules };
}

/** The index of the first `:` outside `$(…)`/`${…}`, or -1. */
function topLevelColon(text: string): number {
  let level = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      level++;
      i++;
    } else if ((c === ')' || c === '}') && level > 0) level--;
    else if (c === ':' && level === 0) return i;
  }
  return -1;
}

/** `targets: rest` of a rule line; undefined for anything else (`x := y`). */
function splitRule(code: string): { targets: string; rest: string } | undefined {
  const colon = topLevelColon(code);
  if (colon <= 0) return undefined;
  const rest = code.slice(colon + 1).replace(/^:/, '');
  if (rest.startsWith('=')) return undefined;
  return { targets: code.slice(0, colon).trim(), rest: rest.trim() };
}

/** Expands variables; what cannot be known becomes ANY. */
export function expandMake(
  text: string,
  variables: ReadonlyMap<string, string>,
  depth = 0,
): string {
  if (depth > 6) return ANY;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      // $$x: a shell variable of the recipe.
      const m = /^\$\$(\{[^}]*\}|\w+)/.exec(text.slice(i));
      out += ANY;
      i += m ? m[0].length - 1 : 1;
      continue;
    }
    if (next === '(' || next === '{') {
      const close = next === '(' ? ')' : '}';
      let level = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === next) level++;
        else if (text[j] === close && --level === 0) break;
      }
      out += reference(text.slice(i + 2, j), variables, depth);
      i = j;
      continue;
    }
    // $@, $*, $<, $^: automatic variables.
    out += ANY;
    i += 1;
  }
  return out;
}

function reference(body: string, variables: ReadonlyMap<string, string>, depth: number): string {
  const fn = /^(abspath|realpath|strip|notdir|dir)\s+(.*)$/s.exec(body);
  if (fn) {
    const value = expandMake(fn[2]!, variables, depth + 1).trim();
    if (fn[1] === 'notdir') return path.posix.basename(value);
    if (fn[1] === 'dir') return `${path.posix.dirname(value)}/`;
    return value;
  }
  if (/^[a-z]+\s/.test(body)) return ANY;
  const subst = /^([A-Za-z_][\w.-]*):([^=]*)=(.*)$/.exec(body);
  if (subst) {
    const [, name, from, to] = subst;
    const words = expandMake(variables.get(name!) ?? '', variables, depth + 1).split(/\s+/);
    return words
      .filter(Boolean)
      .map((w) => {
        if (from!.includes('%')) {
          const [pre, post] = from!.split('%') as [string, string];
          if (!w.startsWith(pre) || !w.endsWith(post)) return w;
          return to!.replace('%', w.slice(pre.length, w.length - post.length));
        }
        return w.endsWith(from!) ? w.slice(0, w.length - from!.length) + to! : w;
      })
      .join(' ');
  }
  const value = variables.get(body);
  return value === undefined ? ANY : expandMake(value, variables, depth + 1);
}

/** A path pattern (with ANY) as a regular expression over whole paths. */
function pathPattern(expanded: string, pattern = false): RegExp {
  const norm = normalize(expanded);
  const source = norm
    .split('')
    .map((c) =>
      c === ANY
        ? '[^/]*'
        : pattern && c === '%'
          ? '[^/]+'
          : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

function normalize(p: string): string {
  return p
    .replace(/^["']|["']$/g, '')
    .replace(/^\.\//, '')
    .replace(/\/+$/, '');
}

/** What one rule writes: its targets (file names), `-o X`, `> X`, `cp … X`, and `mkdir -p X` folders. */
function outputs(rule: MakeRule, variables: ReadonlyMap<string, string>) {
  const files: RegExp[] = [];
  const folders: RegExp[] = [];
  for (const t of rule.targets) {
    const e = expandMake(t, variables);
    if (!t.startsWith('.') && /[/.]/.test(e)) files.push(pathPattern(e, t.includes('%')));
  }
  for (const line of rule.recipe) {
    const e = expandMake(line, variables);
    for (const m of e.matchAll(/(?:^|\s)(?:-o|--output|-O|-Lo)[\s=]+("[^"]+"|\S+)/g))
      files.push(pathPattern(m[1]!));
    for (const m of e.matchAll(/(?:^|\s)>{1,2}\s*(\S+)/g)) files.push(pathPattern(m[1]!));
    const cp = /(?:^|[\s;&])(?:cp|mv|install)\s+(?:-\S+\s+)*(.+)$/.exec(e);
    if (cp) {
      const words = cp[1]!.split(/\s+/);
      files.push(pathPattern(words[words.length - 1]!));
    }
    for (const m of e.matchAll(/mkdir\s+(?:-p\s+)?(\S+)/g)) folders.push(pathPattern(m[1]!));
  }
  return { files, folders };
}

/** A recipe that builds or pushes an image: not a step to run before `docker build`. */
const BUILDS_IMAGE =
  /\b(docker|podman|buildah|nerdctl|kaniko)\b|\$\(CONTAINER_[A-Z_]+\)|\bbuildx\b/;

export interface MakeTarget {
  /** `build-all`, `bin/app.exe`. */
  readonly target: string;
  /** Variables the Makefile reads that the leg's platform sets: `ARCH=$TARGETARCH`. */
  readonly platformVariables: readonly string[];
}

/**
 * The target to run so that `files` (relative to the Makefile's folder) exist: among the
 * rules that do not build an image themselves, the one whose prerequisites (and itself)
 * write the most of them, then the most writers, then the smallest (a file rule over
 * `all`). Undefined when no rule writes any of them.
 */
export function targetWriting(
  make: Makefile,
  files: readonly string[],
  os?: 'linux' | 'windows',
): MakeTarget | undefined {
  const { rules, variables } = make;
  const out = rules.map((r) => outputs(r, variables));
  const direct = (file: string) =>
    rules.filter((_, i) => out[i]!.files.some((re) => re.test(normalize(file))));
  // A rule that only makes the folder (`init-dist: mkdir -p dist`): the rules that need it write there.
  const viaFolder = (file: string) => {
    const makers = rules.filter((_, i) =>
      out[i]!.folders.some((re) => re.test(normalize(path.posix.dirname(file)))),
    );
    const names = new Set(makers.flatMap((r) => r.targets.map((t) => expandMake(t, variables))));
    return rules.filter((r) => r.prerequisites.some((p) => names.has(expandMake(p, variables))));
  };
  const writers = files.map((f) => {
    const d = direct(f);
    return new Set(d.length ? d : viaFolder(f));
  });
  const allWriters = new Set(writers.flatMap((w) => [...w]));
  if (!allWriters.size) return undefined;

  const byTarget = new Map<string, MakeRule[]>();
  for (const r of rules)
    for (const t of r.targets.flatMap((x) => expandMake(x, variables).split(/\s+/)))
      byTarget.set(t, [...(byTarget.get(t) ?? []), r]);
  // Pattern rules (build-%) answer for the targets that match them (build-app).
  const rulesFor = (name: string): MakeRule[] => {
    const exact = byTarget.get(name) ?? [];
    const patterns = rules.filter((r) =>
      r.targets.some(
        (t) => t.includes('%') && pathPattern(expandMake(t, variables), true).test(name),
      ),
    );
    return [...exact, ...patterns];
  };
  const closure = (rule: MakeRule): Set<MakeRule> => {
    const seen = new Set<MakeRule>([rule]);
    const todo = [rule];
    while (todo.length) {
      const r = todo.pop()!;
      for (const p of r.prerequisites)
        for (const word of expandMake(p, variables).split(/\s+/))
          for (const dep of rulesFor(word))
            if (!seen.has(dep)) {
              seen.add(dep);
              todo.push(dep);
            }
    }
    return seen;
  };
  const candidates: {
    name: string;
    covered: number;
    osFit: number;
    writes: number;
    size: number;
  }[] = [];
  for (const rule of rules) {
    if (rule.recipe.some((l) => BUILDS_IMAGE.test(l))) continue;
    const names = rule.targets.flatMap((t) =>
      t.includes('%')
        ? rules
            .flatMap((r) => r.prerequisites.flatMap((p) => expandMake(p, variables).split(/\s+/)))
            .filter((w) => w && pathPattern(expandMake(t, variables), true).test(w))
        : expandMake(t, variables).split(/\s+/),
    );
    const usable = names.filter((n) => n && !n.includes(ANY) && !n.startsWith('.'));
    if (!usable.length) continue;
    const c = closure(rule);
    const covered = writers.filter((w) => [...w].some((r) => c.has(r))).length;
    if (!covered) continue;
    const writes = [...c].filter((r) => allWriters.has(r)).length;
    const recipes = [...c].flatMap((r) => r.recipe.map((l) => expandMake(l, variables)));
    for (const name of new Set(usable))
      candidates.push({
        name,
        covered,
        osFit: osFit(os, [name, ...recipes]),
        writes,
        size: c.size,
      });
  }
  candidates.sort(
    (a, b) =>
      b.covered - a.covered ||
      a.osFit - b.osFit ||
      b.writes - a.writes ||
      a.size - b.size ||
      a.name.length - b.name.length ||
      a.name.localeCompare(b.name),
  );
  const best = candidates[0];
  if (!best) return undefined;
  return { target: best.name, platformVariables: platformVariables(variables) };
}

const OS_WORDS = ['linux', 'windows', 'darwin', 'freebsd'] as const;

/**
 * How well a target suits the leg's OS when several write the same file: 0 its name or
 * recipes name the OS (`GOOS=windows`, `azuredisk-windows`), 1 they name none, 2 they name
 * only another (azuredisk-csi-driver's `azuredisk-darwin` also writes `$(PLUGIN_NAME).exe`).
 */
function osFit(os: string | undefined, texts: readonly string[]): number {
  if (!os) return 1;
  const named = OS_WORDS.filter((w) => texts.some((t) => new RegExp(`\\b${w}\\b`, 'i').test(t)));
  if (named.includes(os as (typeof OS_WORDS)[number])) return 0;
  return named.length ? 2 : 1;
}

/** `ARCH=$TARGETARCH OS=$TARGETOS` for the variables a Makefile takes the platform from. */
function platformVariables(variables: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of variables) {
    if (/^(GO)?ARCH$/.test(name) || (name === 'ARCH' && /GOARCH/.test(value)))
      out.push(`${name}=$TARGETARCH`);
    else if (/^(GO)?OS$/.test(name) || (name === 'PLATFORM' && /GOOS/.test(value)))
      out.push(`${name}=$TARGETOS`);
  }
  return out;
}
