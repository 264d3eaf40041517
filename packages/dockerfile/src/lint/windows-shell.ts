/**
 * XP020–XP021: what a Windows stage's shell and environment do differently from a POSIX
 * one. `ENV PATH=...;${PATH}` (Windows images keep PATH in the registry, not in the
 * image config, so ${PATH} is empty) and POSIX shell syntax in a RUN that cmd or Windows
 * PowerShell 5.1 runs. The text scanning here is hand-written on purpose: dockerfile-ast
 * gives the RUN text, not the shell's grammar, and the patterns are few and specific.
 */
import { isLinuxOnlyImageName, splitImage } from '../images.js';
import type { ParsedInstruction, ParsedStage, Stage } from '../types.js';
import { fromChain, parsedStage, rootImage, stageLabel, type LintContext } from './context.js';

export type WindowsShell = 'cmd' | 'powershell' | 'pwsh' | 'other' | 'unknown';

interface ShellState {
  shell: WindowsShell;
  /** Where it was set: `SHELL on line 4`, or `the default shell of <image>`. */
  origin: string;
}

/** The shell a `SHELL [...]` runs: the first cmd/powershell/pwsh word (wrappers skipped). */
function shellOfJson(json: readonly string[]): WindowsShell {
  for (const word of json) {
    const base = (word.split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.exe$/, '');
    if (base === 'cmd' || base === 'powershell' || base === 'pwsh') return base;
  }
  return 'other';
}

/**
 * The shell an external image's config sets, where it is known: the Windows OS images
 * keep cmd; docker-library's golang and python set powershell on Server Core and cmd on
 * Nano Server. Anything else is unknown (its Dockerfile may set a SHELL).
 */
function shellOfImage(image: string): WindowsShell {
  const ref = splitImage(image);
  const tag = ref.tag?.toLowerCase() ?? '';
  if (
    /^(mcr\.microsoft\.com\/windows\/|microsoft\/(windowsservercore|nanoserver)$)/.test(
      ref.repository,
    )
  ) {
    return 'cmd';
  }
  if (ref.repository === 'golang' || ref.repository === 'python') {
    if (tag.includes('nanoserver')) return 'cmd';
    if (tag.includes('windowsservercore')) return 'powershell';
  }
  return 'unknown';
}

const SHELL_NAMES: Record<WindowsShell, string> = {
  cmd: 'cmd',
  powershell: 'Windows PowerShell 5.1 (powershell.exe)',
  pwsh: 'PowerShell 7 (pwsh)',
  other: 'the shell',
  unknown: 'the shell',
};

/** The shell at the start of a stage: its parent stage's last SHELL, else the image's. */
function initialShell(ctx: LintContext, stage: Stage): ShellState {
  const chain = fromChain(ctx, stage).slice(1);
  for (const s of chain) {
    const shells = parsedStage(ctx, s).instructions.filter((i) => i.keyword === 'SHELL' && i.json);
    const last = shells[shells.length - 1];
    if (last)
      return { shell: shellOfJson(last.json as string[]), origin: `SHELL on line ${last.line}` };
  }
  const image = rootImage(ctx, stage);
  return { shell: shellOfImage(image), origin: `the default shell of ${image}` };
}

/** Remove '...' and "..." strings (PowerShell), so operators inside them are not seen. */
function withoutStrings(text: string): string {
  return text.replace(/'[^']*'|"(?:`.|[^"`])*"/g, ' ');
}

/** The -Command string handed to powershell.exe from cmd: `powershell -Command "..."`. */
function powershellCommandString(text: string): string | undefined {
  const m = /(?:^|[\s&|(])powershell(?:\.exe)?\b[^"]*?(?:-c(?:ommand)?\s+)?"([^"]*)"/i.exec(text);
  return m?.[1];
}

/**
 * POSIX shell syntax that neither cmd nor PowerShell runs: `export NAME=...` and the
 * one-command variable prefix `NAME=value command`. For a RUN whose Windows shell is not
 * known. Only the text before a hand-off to another shell (powershell, pwsh, sh) counts.
 */
export function posixForAnyWindowsShell(text: string): string | undefined {
  const handoff = /(^|[\s&|(;])(powershell|pwsh|bash|sh)(\.exe)?(\s|$)/i.exec(text);
  const own = handoff ? text.slice(0, handoff.index) : text;
  const exported = /(^|&&?|\|\|?|\(|;)\s*export\s+([A-Za-z_]\w*)=/.exec(own);
  if (exported) return `"export ${exported[2]}=..."`;
  const prefix = /(^|&&?|\|\|?|;)\s*([A-Za-z_]\w*)=(\S*)\s+[A-Za-z.\\/]/.exec(own);
  if (prefix) return `"${prefix[2]}=${prefix[3]} ..."`;
  return undefined;
}

function posixInCmd(text: string): { what: string; fix: string } | undefined {
  // What cmd parses: the text before a hand-off to another shell.
  const handoff = /(^|[\s&|(])(powershell|pwsh|bash|sh)(\.exe)?(\s|$)/i.exec(text);
  const own = handoff ? text.slice(0, handoff.index) : text;
  const exported = /(^|&&?|\|\|?|\()\s*export\s+([A-Za-z_]\w*)=/.exec(own);
  if (exported) {
    return {
      what: `"export ${exported[2]}=..."`,
      fix: `cmd has no export: write set ${exported[2]}=...&& ..., or ENV ${exported[2]}=... in the Dockerfile`,
    };
  }
  const prefix = /(^|&&?|\|\|?)\s*([A-Za-z_]\w*)=(\S*)\s+[A-Za-z.\\/]/.exec(own);
  if (prefix) {
    return {
      what: `"${prefix[2]}=${prefix[3]} ..."`,
      fix: `a POSIX shell sets a variable for one command that way, cmd runs "${prefix[2]}=${prefix[3]}" as a program: write set ${prefix[2]}=${prefix[3]}&& ..., or ENV/ARG ${prefix[2]}`,
    };
  }
  const dollar = /\$(\{[A-Za-z_]\w*[^}]*\}|[A-Za-z_]\w*|\()/.exec(own);
  if (dollar) {
    const name = /[A-Za-z_]\w*/.exec(dollar[1] as string)?.[0];
    return {
      what: `"$${dollar[1]}"`,
      fix: name
        ? `cmd does not expand $ variables and passes the text on as is: write %${name}% (declared with ARG ${name} in this stage), or use SHELL ["powershell", "-Command"] and $env:${name}`
        : 'cmd has no command substitution: run the step in PowerShell (powershell -Command "...")',
    };
  }
  if (handoff && handoff[2]?.toLowerCase() === 'powershell') {
    const script = powershellCommandString(text.slice(handoff.index));
    if (script !== undefined) {
      const op = /&&|\|\|/.exec(withoutStrings(script));
      if (op) {
        return {
          what: `"${op[0]}" inside powershell -Command "..."`,
          fix: `Windows PowerShell 5.1 has no ${op[0]} (pwsh 7 does): separate the commands with ";" (add if ($LASTEXITCODE) { exit $LASTEXITCODE } where it matters), or call pwsh`,
        };
      }
    }
  }
  return undefined;
}

function posixInPowershell(
  text: string,
  shell: 'powershell' | 'pwsh',
): { what: string; fix: string } | undefined {
  const code = withoutStrings(text);
  const exported = /(^|;|\{)\s*export\s+([A-Za-z_]\w*)=/.exec(code);
  if (exported) {
    return {
      what: `"export ${exported[2]}=..."`,
      fix: `PowerShell has no export: write $env:${exported[2]} = '...'; ...`,
    };
  }
  if (shell === 'powershell') {
    const op = /&&|\|\|/.exec(code);
    if (op) {
      return {
        what: `"${op[0]}"`,
        fix: `Windows PowerShell 5.1 has no ${op[0]} (pwsh 7 does): separate the commands with ";" (add if ($LASTEXITCODE) { exit $LASTEXITCODE } where it matters), or SHELL ["pwsh", "-Command"] where pwsh is installed`,
      };
    }
  }
  return undefined;
}

/** XP021: POSIX shell syntax in a shell-form RUN of a Windows stage, per the stage's shell. */
export function checkWindowsShellSyntax(ctx: LintContext, stage: Stage, ps: ParsedStage): void {
  let state = initialShell(ctx, stage);
  for (const ins of ps.instructions.slice(1)) {
    if (ins.keyword === 'SHELL' && ins.json) {
      state = { shell: shellOfJson(ins.json), origin: `SHELL on line ${ins.line}` };
      continue;
    }
    if (ins.keyword !== 'RUN' || ins.json || ins.heredoc) continue;
    const { shell } = state;
    if (shell === 'unknown') {
      // A Linux-only image here is XP005's finding; its RUN lines follow from that.
      if (isLinuxOnlyImageName(splitImage(rootImage(ctx, stage)))) continue;
      // Not known which of cmd and PowerShell: report only what fails under both.
      const what = posixForAnyWindowsShell(ins.args);
      if (what) {
        ctx.add(
          'XP021',
          ins.line,
          `RUN uses ${what}, POSIX shell syntax, but ${stageLabel(stage)} runs RUN with cmd or PowerShell (${state.origin}), which run it as a program name; set variables with ENV/ARG (or set NAME=value&& in cmd, $env:NAME = 'value'; in PowerShell)`,
        );
      }
      continue;
    }
    const hit =
      shell === 'cmd'
        ? posixInCmd(ins.args)
        : shell === 'powershell' || shell === 'pwsh'
          ? posixInPowershell(ins.args, shell)
          : undefined;
    if (!hit) continue;
    ctx.add(
      'XP021',
      ins.line,
      `RUN uses ${hit.what}, POSIX shell syntax, but ${stageLabel(stage)} runs RUN with ${SHELL_NAMES[shell]} (${state.origin}); ${hit.fix}`,
    );
  }
}

/** Windows base images whose config is known to carry no PATH (it lives in the registry). */
function knownWithoutPath(image: string): boolean {
  const ref = splitImage(image);
  return /^(mcr\.microsoft\.com\/|microsoft\/|golang$|python$)/.test(ref.repository);
}

const PATH_REFERENCE = /\$\{?PATH\b[^}]*\}?|%PATH%/i;

/** XP020: ENV PATH that extends ${PATH} in a Windows stage whose image config has none. */
export function checkWindowsPath(ctx: LintContext, stage: Stage, ps: ParsedStage): void {
  const chain = fromChain(ctx, stage);
  const setBefore = (ins: ParsedInstruction): boolean =>
    chain.some((s) =>
      parsedStage(ctx, s).instructions.some(
        (i) =>
          i.keyword === 'ENV' &&
          (s !== stage || i.line < ins.line) &&
          envNames(i).some((n) => n.toUpperCase() === 'PATH'),
      ),
    );
  for (const ins of ps.instructions) {
    if (ins.keyword !== 'ENV') continue;
    for (const { name, value } of envProperties(ins)) {
      if (name.toUpperCase() !== 'PATH') continue;
      const ref = PATH_REFERENCE.exec(value);
      if (!ref || setBefore(ins)) continue;
      const image = rootImage(ctx, stage);
      const known = knownWithoutPath(image);
      const added =
        value
          .replace(PATH_REFERENCE, '')
          .split(';')
          .map((d) => d.trim())
          .filter(Boolean)
          .join(';') || 'C:\\tools';
      const literal = ref[0].startsWith('%');
      ctx.add(
        'XP020',
        ins.line,
        `ENV PATH=${value} in ${stageLabel(stage)}: ${
          literal
            ? 'Docker does not expand %PATH% in ENV, so PATH becomes that literal text'
            : `Windows images keep PATH in the registry, not in the image config, so ${ref[0]} is empty here`
        }${known ? '' : ` (unless ${image} sets ENV PATH itself)`} and this PATH drops C:\\Windows\\system32; append instead with RUN setx /M PATH "%PATH%;${added}" (Nano Server: as USER ContainerAdministrator), or write the whole PATH: ENV PATH="${added};C:\\Windows\\system32;C:\\Windows"`,
        known ? 'error' : 'warning',
      );
    }
  }
}

interface Property {
  name: string;
  value: string;
}

function envProperties(ins: ParsedInstruction): Property[] {
  const node = ins.node as unknown as {
    getProperties?: () => { getName(): string; getValue(): string | null }[];
  };
  return (node.getProperties?.() ?? []).map((p) => ({
    name: p.getName(),
    value: p.getValue() ?? '',
  }));
}

function envNames(ins: ParsedInstruction): string[] {
  return envProperties(ins).map((p) => p.name);
}
