/**
 * Parsing with dockerfile-ast (the parser behind the Docker language server), plus the
 * checks Docker's own parser makes that a lenient editor parser does not: unknown
 * instructions and flags, instructions before FROM, malformed FROM and ARG, stage names.
 */
import { XplatError } from '@xplat/core';
import { DockerfileParser } from 'dockerfile-ast';
import type { Flag as AstFlag, Instruction as AstInstruction } from 'dockerfile-ast';
import { argDeclarations } from './args.js';
import type {
  DockerfileSource,
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

/**
 * Parse a Dockerfile. Throws an XplatError naming `file:line` for what Docker would
 * reject while parsing: an unknown instruction or flag, an instruction other than ARG
 * before the first FROM, a FROM without an image or with a bad `AS name`, a duplicate
 * stage name, an ARG without a name, or a file without any FROM.
 */
export function parseDockerfile(source: DockerfileSource): ParsedDockerfile {
  const { file, text } = source;
  const at = (line: number): string => `${file}:${line}`;
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
    if (!INSTRUCTIONS.has(ins.keyword)) {
      throw new XplatError(
        `unknown instruction "${node.getKeyword()}"; Dockerfile instructions are ${[...INSTRUCTIONS].join(', ')}`,
        at(ins.line),
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
        throw new XplatError(
          allowed.length
            ? `${ins.keyword} has no flag --${flag.name}; it takes ${allowed.map((f) => `--${f}`).join(', ')}`
            : `${ins.keyword} takes no flags, but has --${flag.name}`,
          at(flag.line),
        );
      }
    }
    if (ins.keyword === 'ARG') {
      const decls = argDeclarations(ins.args, ast.getEscapeCharacter());
      if (decls.length === 0 || decls.some((d) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.name))) {
        throw new XplatError(
          'ARG needs a variable name, e.g. ARG VERSION or ARG VERSION=1.0',
          at(ins.line),
        );
      }
      if (stages.length === 0) {
        for (const d of decls)
          globalArgs.push({ name: d.name, defaultValue: d.value, line: ins.line });
      }
    }
    if (ins.keyword === 'FROM') {
      const words = node.getArguments().map((a) => a.getValue());
      const image = words[0];
      if (!image) {
        throw new XplatError('FROM needs an image, e.g. FROM alpine:3.20 AS build', at(ins.line));
      }
      let name: string | undefined;
      if (words.length === 3 && words[1]?.toLowerCase() === 'as') {
        name = (words[2] as string).toLowerCase();
        if (!STAGE_NAME.test(name)) {
          throw new XplatError(
            `stage name "${words[2]}" is not valid: start with a letter, then letters, digits, ".", "_" or "-"`,
            at(ins.line),
          );
        }
        const seen = names.get(name);
        if (seen !== undefined) {
          throw new XplatError(
            `stage name "${name}" is already used on line ${seen}; give each stage its own name`,
            at(ins.line),
          );
        }
        names.set(name, ins.line);
      } else if (words.length !== 1) {
        throw new XplatError(
          `FROM takes an image and an optional "AS name", not "${words.join(' ')}"`,
          at(ins.line),
        );
      }
      const platformFlag = ins.flags.find((f) => f.name === 'platform');
      if (platformFlag && !platformFlag.value) {
        throw new XplatError(
          'FROM --platform needs a value, e.g. --platform=$BUILDPLATFORM',
          at(ins.line),
        );
      }
      const previous = stages[stages.length - 1];
      const lastInstruction = previous?.instructions[previous.instructions.length - 1];
      stages.push({
        index: stages.length,
        ...(name ? { name } : {}),
        from: image,
        ...(platformFlag?.value ? { platformFlag: platformFlag.value } : {}),
        line: ins.line,
        firstLine: lastInstruction ? lastInstruction.endLine + 1 : ins.line,
        endLine: lines.length,
        instructions: [ins],
      });
      if (previous) previous.endLine = (stages[stages.length - 1] as ParsedStage).firstLine - 1;
      continue;
    }
    const current = stages[stages.length - 1];
    if (current) {
      current.instructions.push(ins);
    } else if (ins.keyword === 'ARG') {
      preamble.push(ins);
    } else {
      throw new XplatError(
        `${ins.keyword} comes before the first FROM; only ARG may come before FROM`,
        at(ins.line),
      );
    }
  }
  if (stages.length === 0) {
    throw new XplatError('has no FROM instruction; a Dockerfile needs at least one stage', file);
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
    ast,
  };
}
