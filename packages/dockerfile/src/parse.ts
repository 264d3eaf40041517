/**
 * Parsing with dockerfile-ast (the parser behind the Docker language server), plus the
 * checks Docker's own parser makes that a lenient editor parser does not: unknown
 * instructions and flags, instructions before FROM, malformed FROM, stage names.
 * Only what Docker refuses is fatal; what Docker builds but reads differently than it
 * looks (an ARG line with extra words) is a warning finding in `warnings` (XP019).
 */
import { DockerfileParser } from 'dockerfile-ast';
import type { Flag as AstFlag, Instruction as AstInstruction } from 'dockerfile-ast';
import { argDeclarations } from './args.js';
import { DockerfileError } from './errors.js';
import type {
  DockerfileSource,
  Finding,
  ParsedArg,
  ParsedDirective,
  ParsedDockerfile,
  ParsedFlag,
  ParsedInstruction,
  ParsedStage,
} from './types.js';

const INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** The flags Docker (BuildKit's Dockerfile frontend) accepts, per instruction. */
const FLAGS: Record<string, readonly string[]> = {
  FROM: ['platform'],
  RUN: ['mount', 'network', 'security', 'device'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['chown', 'chmod', 'link', 'checksum', 'keep-git-dir', 'exclude', 'unpack'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

const STAGE_NAME = /^[a-z][a-z0-9._-]*$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether the file refers to variable `name` anywhere ($X, ${X}, %X%, $env:X). */
function isReferenced(text: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$\\{?${n}\\b|%${n}%|\\$env:${n}\\b`, 'i').test(text);
}

/**
 * Docker reads every word of an ARG line as a declaration (`ARG A B=2`), so a trailing
 * `# comment` or `ARG NAME value` builds, but declares ARGs nobody meant. The first such
 * word of the line, as a warning that names it; undefined when the line reads as written.
 */
function argWordsWarning(
  decls: { name: string; value: string | null }[],
  text: string,
): string | undefined {
  for (let i = 0; i < decls.length; i++) {
    const word = decls[i] as { name: string; value: string | null };
    const prev = decls[i - 1];
    if (!prev) {
      if (VARIABLE_NAME.test(word.name)) continue;
      return `ARG declares "${word.name}", which is no variable name, so nothing can refer to it; use letters, digits and _ (not first a digit)`;
    }
    if (word.name.startsWith('#')) {
      const comment = decls
        .slice(i)
        .map((d) => (d.value === null ? d.name : `${d.name}=${d.value}`))
        .join(' ');
      return `"${comment}" is no comment here: Docker has comments only at the start of a line, so this ARG also declares ${decls
        .slice(i)
        .map((d) => `"${d.name}"`)
        .join(', ')}; move the comment to its own line above the ARG`;
    }
    if (!VARIABLE_NAME.test(word.name)) {
      return `ARG declares "${word.name}", which is no variable name (Docker reads each word of ARG as a declaration)${prev.value === null ? `; if it is the default of ${prev.name}, write ARG ${prev.name}=${word.name}` : '; remove it'}`;
    }
    // `ARG VERSION latest`: an upper-case name followed by a lower-case word nothing
    // refers to reads as a default written without "=" (`ARG TARGETOS TARGETARCH` not).
    if (
      word.value === null &&
      prev.value === null &&
      !/[a-z]/.test(prev.name) &&
      /[a-z]/.test(word.name) &&
      !isReferenced(text, word.name)
    ) {
      return `ARG ${prev.name} ${word.name} declares two ARGs, ${prev.name} without a default and "${word.name}", which nothing uses; if "${word.name}" is meant as the default, write ARG ${prev.name}=${word.name}`;
    }
  }
  return undefined;
}

interface MaybeFlags {
  getFlags?: () => AstFlag[];
}
interface MaybeJson {
  getOpeningBracket?: () => unknown;
  getClosingBracket?: () => unknown;
  getJSONStrings?: () => { getJSONValue(): string }[];
}
interface MaybeHeredocs {
  getHeredocs?: () => unknown[];
}

function toInstruction(node: AstInstruction): ParsedInstruction {
  const range = node.getRange();
  const flagNode = node as unknown as MaybeFlags;
  const flags: ParsedFlag[] =
    typeof flagNode.getFlags === 'function'
      ? flagNode.getFlags().map((f) => {
          const range = f.getValueRange();
          return {
            name: f.getName(),
            value: f.getValue(),
            line: f.getRange().start.line + 1,
            ...(range && range.start.line === range.end.line
              ? { valueStart: range.start.character, valueEnd: range.end.character }
              : {}),
          };
        })
      : [];
  const keyword = node.getKeyword().toUpperCase();
  const jsonNode = node as unknown as MaybeJson;
  let json: string[] | undefined;
  if (
    typeof jsonNode.getJSONStrings === 'function' &&
    jsonNode.getOpeningBracket?.() &&
    jsonNode.getClosingBracket?.()
  ) {
    json = jsonNode.getJSONStrings().map((s) => s.getJSONValue());
  }
  const heredocNode = node as unknown as MaybeHeredocs;
  const heredoc =
    ['RUN', 'COPY', 'ADD'].includes(keyword) &&
    typeof heredocNode.getHeredocs === 'function' &&
    heredocNode.getHeredocs().length > 0;
  return {
    keyword,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    flags,
    args: node.getArgumentsContent() ?? '',
    ...(json ? { json } : {}),
    heredoc,
    node,
  };
}

/** Throws the DockerfileError for this file; typed `never` so TypeScript narrows after it. */
type Fail = (reason: string, line?: number) => never;

/**
 * Parse a Dockerfile. Throws a DockerfileError (an XplatError with `file` and `line`) for
 * what Docker would reject while parsing: an unknown instruction or flag, an instruction
 * other than ARG before the first FROM, a FROM without an image or with a bad `AS name`,
 * a duplicate stage name, an ARG without a name, or a file without any FROM. What Docker
 * accepts is never fatal: an ARG line with extra words is read as Docker reads it and
 * reported in `warnings` (XP019); a flag given twice is left to the lint (XP023).
 */
export function parseDockerfile(source: DockerfileSource): ParsedDockerfile {
  const { file, text } = source;
  const fail: Fail = (reason, line) => {
    throw new DockerfileError(reason, file, line);
  };
  const warnings: Finding[] = [];
  const ast = DockerfileParser.parse(text);
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();

  const directives: ParsedDirective[] = ast.getDirectives().map((d) => ({
    name: d.getName().toLowerCase(),
    value: d.getValue(),
    line: d.getRange().start.line + 1,
  }));

  const preamble: ParsedInstruction[] = [];
  const globalArgs: ParsedArg[] = [];
  const stages: ParsedStage[] = [];
  const names = new Map<string, number>();

  for (const node of ast.getInstructions()) {
    const ins = toInstruction(node);
    checkInstruction(ins, node, fail);
    if (ins.keyword === 'ARG') {
      const decls = readArg(ins, source, ast.getEscapeCharacter(), warnings, fail);
      if (stages.length === 0) {
        for (const d of decls) {
          if (VARIABLE_NAME.test(d.name))
            globalArgs.push({ name: d.name, defaultValue: d.value, line: ins.line });
        }
      }
    }
    if (ins.keyword === 'FROM') {
      const previous = stages[stages.length - 1];
      stages.push(readFrom(ins, node, stages, names, lines.length, fail));
      if (previous) previous.endLine = (stages[stages.length - 1] as ParsedStage).firstLine - 1;
      continue;
    }
    const current = stages[stages.length - 1];
    if (current) {
      current.instructions.push(ins);
    } else if (ins.keyword === 'ARG') {
      preamble.push(ins);
    } else {
      fail(`${ins.keyword} comes before the first FROM; only ARG may come before FROM`, ins.line);
    }
  }
  if (stages.length === 0) {
    fail('has no FROM instruction; a Dockerfile needs at least one stage');
  }
  return {
    file,
    text,
    lines,
    crlf: /\r\n/.test(text),
    escapeChar: ast.getEscapeCharacter(),
    directives,
    globalArgs,
    preamble,
    stages,
    warnings,
    ast,
  };
}

/**
 * Refuses what Docker's parser refuses in any instruction: an unknown keyword, or a flag
 * the instruction does not take. Adds the leading `--word` that dockerfile-ast leaves in
 * the arguments of an instruction without flags, so it is refused too.
 */
function checkInstruction(ins: ParsedInstruction, node: AstInstruction, fail: Fail): void {
  if (!INSTRUCTIONS.has(ins.keyword)) {
    fail(
      `unknown instruction "${node.getKeyword()}"; Dockerfile instructions are ${[...INSTRUCTIONS].join(', ')}`,
      ins.line,
    );
  }
  if (!FLAGS[ins.keyword] && ins.keyword !== 'ONBUILD') {
    // dockerfile-ast reads flags only where Docker allows them; Docker's parser takes
    // leading --words of any instruction as flags (and rejects them).
    const leading = /^--([A-Za-z][\w-]*)/.exec(ins.args.trim());
    if (leading) ins.flags.push({ name: leading[1] as string, value: null, line: ins.line });
  }
  const allowed = FLAGS[ins.keyword] ?? [];
  for (const flag of ins.flags) {
    if (!allowed.includes(flag.name)) {
      fail(
        allowed.length
          ? `${ins.keyword} has no flag --${flag.name}; it takes ${allowed.map((f) => `--${f}`).join(', ')}`
          : `${ins.keyword} takes no flags, but has --${flag.name}`,
        flag.line,
      );
    }
  }
}

/**
 * An ARG's declarations. Docker refuses only an ARG without words and a blank name
 * (`ARG =1`); extra words it reads its own way are a warning (XP019).
 */
function readArg(
  ins: ParsedInstruction,
  source: DockerfileSource,
  escapeChar: string,
  warnings: Finding[],
  fail: Fail,
): ReturnType<typeof argDeclarations> {
  const decls = argDeclarations(ins.args, escapeChar);
  if (decls.length === 0 || decls.some((d) => d.name === '')) {
    fail('ARG needs a variable name, e.g. ARG VERSION or ARG VERSION=1.0', ins.line);
  }
  const warning = argWordsWarning(decls, source.text);
  if (warning) {
    warnings.push({
      rule: 'XP019',
      severity: 'warning',
      message: warning,
      file: source.file,
      line: ins.line,
    });
  }
  return decls;
}

/**
 * A FROM as a new stage after `stages`, refused without an image, with a bad or reused
 * `AS name`, or with an empty --platform. Its region starts after the last instruction
 * of the stage before and runs to the end of the file until the next stage starts.
 */
function readFrom(
  ins: ParsedInstruction,
  node: AstInstruction,
  stages: readonly ParsedStage[],
  names: Map<string, number>,
  lineCount: number,
  fail: Fail,
): ParsedStage {
  const words = node.getArguments().map((a) => a.getValue());
  const image = words[0];
  if (!image) {
    fail('FROM needs an image, e.g. FROM alpine:3.20 AS build', ins.line);
  }
  let name: string | undefined;
  if (words.length === 3 && words[1]?.toLowerCase() === 'as') {
    name = (words[2] as string).toLowerCase();
    if (!STAGE_NAME.test(name)) {
      fail(
        `stage name "${words[2]}" is not valid: start with a letter, then letters, digits, ".", "_" or "-"`,
        ins.line,
      );
    }
    const seen = names.get(name);
    if (seen !== undefined) {
      fail(
        `stage name "${name}" is already used on line ${seen}; give each stage its own name`,
        ins.line,
      );
    }
    names.set(name, ins.line);
  } else if (words.length !== 1) {
    fail(`FROM takes an image and an optional "AS name", not "${words.join(' ')}"`, ins.line);
  }
  const platformFlag = ins.flags.find((f) => f.name === 'platform');
  if (platformFlag && !platformFlag.value) {
    fail('FROM --platform needs a value, e.g. --platform=$BUILDPLATFORM', ins.line);
  }
  const previous = stages[stages.length - 1];
  const lastInstruction = previous?.instructions[previous.instructions.length - 1];
  return {
    index: stages.length,
    ...(name ? { name } : {}),
    from: image,
    ...(platformFlag?.value ? { platformFlag: platformFlag.value } : {}),
    line: ins.line,
    firstLine: lastInstruction ? lastInstruction.endLine + 1 : ins.line,
    endLine: lineCount,
    instructions: [ins],
  };
}
