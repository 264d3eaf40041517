/**
 * XP026: a Linux leg whose stages take the architecture from an ARG fixed to another one.
 * `ARG ARCH=amd64` then `COPY bin/app-${ARCH}`, `ADD .../tool_linux_${ARCH}.tar.gz` or
 * `RUN make ARCH=${ARCH}` builds fine for linux/arm64 and ships amd64 binaries in the arm64
 * image, unless every non-amd64 leg passes its own value as a build arg. The same holds
 * for `ARG TARGETARCH=amd64` (and TARGETPLATFORM): BuildKit sets an automatic platform ARG
 * only when the Dockerfile gives it no default (docker/buildx#510), so the default wins on
 * every platform. The classic builder and the engine's built-in BuildKit get TARGETARCH
 * from xplat as a build arg, which overrides the default, so there it is fine.
 */
import { argDeclarations, PLATFORM_ARG_NAMES, referencedVariables } from '../args.js';
import { buildArgAdvice } from '../advice.js';
import { formatPlatform } from '@xplat/core';
import type { ParsedInstruction } from '../types.js';
import { parsedStage, type LintContext } from './context.js';

/** Architecture names as Go, uname, Node and docker-library write them -> the OCI name. */
const ARCH_NAMES: Record<string, string> = {
  amd64: 'amd64',
  x86_64: 'amd64',
  'x86-64': 'amd64',
  x64: 'amd64',
  arm64: 'arm64',
  aarch64: 'arm64',
  arm64v8: 'arm64',
  arm: 'arm',
  armv7: 'arm',
  armv7l: 'arm',
  armhf: 'arm',
  arm32v7: 'arm',
  '386': '386',
  i386: '386',
  i686: '386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** The same architecture in the spelling a value already uses (x86_64 -> aarch64). */
const SPELLINGS: Record<string, Record<string, string>> = {
  uname: { amd64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', '386': 'i686' },
  node: { amd64: 'x64', arm64: 'arm64', arm: 'armv7l', '386': 'x86' },
  library: { amd64: 'amd64', arm64: 'arm64v8', arm: 'arm32v7', '386': 'i386' },
};

function spellingOf(word: string): string | undefined {
  if (['x86_64', 'aarch64', 'armv7l', 'i686'].includes(word)) return 'uname';
  if (word === 'x64') return 'node';
  if (['arm64v8', 'arm32v7'].includes(word)) return 'library';
  return undefined;
}

/** `amd64` for `amd64`, `x86_64`, `linux/amd64`, `linux/arm/v7` -> arm; else undefined. */
function architectureOf(value: string): { arch: string; word: string; os: boolean } | undefined {
  const m = /^(linux\/)?([A-Za-z0-9_-]+?)(\/v\d+)?$/.exec(value.trim());
  const word = m?.[2]?.toLowerCase();
  const arch = word ? ARCH_NAMES[word] : undefined;
  return arch && word ? { arch, word, os: Boolean(m?.[1]) } : undefined;
}

/** `value` rewritten for `arch`, in its own spelling: x86_64 -> aarch64, linux/amd64 -> linux/arm64. */
function valueFor(value: string, arch: string): string {
  const found = architectureOf(value);
  if (!found) return arch;
  const spelling = spellingOf(found.word);
  const word = (spelling ? SPELLINGS[spelling]?.[arch] : undefined) ?? arch;
  return found.os ? `linux/${word}` : word;
}

/** An ARG whose value (default or build arg) is a fixed architecture. */
interface Pinned {
  name: string;
  /** Where the value comes from: the ARG line with the default, or the leg's build args. */
  line: number;
  value: string;
  arch: string;
  from: 'default' | 'build-args';
}

interface Use {
  pinned: Pinned;
  line: number;
  keyword: string;
}

const PLATFORM = new Set<string>(PLATFORM_ARG_NAMES);
/** Tools that read these ARGs from RUN's environment without a $ in the command. */
const READ_FROM_ENV = /(^|[\s;&|(])(go|make)(\s|$)/;
const ENV_READ_NAMES = new Set(['GOARCH', 'ARCH', 'TARGETARCH']);

export function checkArchArgs(ctx: LintContext): void {
  const { parsed, plan, options } = ctx;
  if (options.platform.os !== 'linux') return;
  const leg = ARCH_NAMES[options.platform.architecture] ?? options.platform.architecture;
  const buildArgs = options.buildArgs ?? {};
  // The classic builder and `buildkit` get TARGETARCH & co. from xplat (build-image.ts).
  const platformArgsPassed = options.builder === 'classic' || options.builder === 'buildkit';

  const pin = (name: string, defaultValue: string | null, line: number): Pinned | undefined => {
    // BUILDARCH & co. describe the build machine, not the image.
    if (name.startsWith('BUILD') && PLATFORM.has(name)) return undefined;
    const given = Object.hasOwn(buildArgs, name) ? buildArgs[name] : undefined;
    if (given !== undefined) {
      const found = architectureOf(given);
      return found ? { name, line, value: given, arch: found.arch, from: 'build-args' } : undefined;
    }
    if (defaultValue === null || defaultValue.includes('$')) return undefined;
    if (PLATFORM.has(name) && platformArgsPassed) return undefined;
    const found = architectureOf(defaultValue);
    return found
      ? { name, line, value: defaultValue, arch: found.arch, from: 'default' }
      : undefined;
  };

  // An ARG whose default is built from a pinned one carries its pin: `ARG ARCH=amd64` then
  // `ARG binary=./_output/${ARCH}/app` and `COPY ${binary} /app` (azuredisk-csi-driver).
  const derived = (
    name: string,
    value: string | null,
    scope: ReadonlyMap<string, Pinned | undefined>,
  ): Pinned | undefined =>
    value === null || Object.hasOwn(buildArgs, name)
      ? undefined
      : referencedVariables(value, parsed.escapeChar)
          .map((n) => scope.get(n))
          .find((p) => p !== undefined);
  const globals = new Map<string, Pinned | undefined>();
  for (const arg of parsed.globalArgs)
    globals.set(
      arg.name,
      pin(arg.name, arg.defaultValue, arg.line) ?? derived(arg.name, arg.defaultValue, globals),
    );

  const uses: Use[] = [];
  const usesIn = (
    text: string,
    scope: Map<string, Pinned | undefined>,
    ins: ParsedInstruction | undefined,
    line: number,
    keyword: string,
  ): void => {
    for (const name of referencedVariables(text, parsed.escapeChar)) {
      const pinned = scope.get(name);
      if (pinned) uses.push({ pinned, line, keyword });
    }
    if (ins?.keyword === 'RUN' && READ_FROM_ENV.test(ins.args)) {
      for (const [name, pinned] of scope) {
        if (pinned && ENV_READ_NAMES.has(name)) uses.push({ pinned, line, keyword });
      }
    }
  };

  for (const stage of plan.stages) {
    const ps = parsedStage(ctx, stage);
    usesIn([ps.from, ps.platformFlag ?? ''].join(' '), globals, undefined, ps.line, 'FROM');
    const scope = new Map<string, Pinned | undefined>();
    for (const ins of ps.instructions.slice(1)) {
      if (ins.keyword === 'ARG') {
        for (const d of argDeclarations(ins.args, parsed.escapeChar)) {
          // Without a default it inherits the global ARG's value (or the build arg's).
          const inherited = d.value === null && globals.has(d.name);
          scope.set(
            d.name,
            inherited
              ? globals.get(d.name)
              : (pin(d.name, d.value, ins.line) ?? derived(d.name, d.value, scope)),
          );
        }
        continue;
      }
      if (!['RUN', 'COPY', 'ADD', 'ENV'].includes(ins.keyword)) continue;
      // --from is read in the global scope (where FROM lines are).
      const fromFlags = ins.flags.filter((f) => f.name === 'from').map((f) => f.value ?? '');
      usesIn(fromFlags.join(' '), globals, undefined, ins.line, ins.keyword);
      const text = [
        ins.args,
        ...ins.flags.filter((f) => f.name !== 'from').map((f) => f.value ?? ''),
      ].join(' ');
      usesIn(text, scope, ins, ins.line, ins.keyword);
    }
  }

  const reported = new Set<string>();
  for (const { pinned, line, keyword } of uses) {
    const key = `${pinned.name}@${pinned.line}`;
    if (pinned.arch === leg || reported.has(key)) continue;
    reported.add(key);
    ctx.add(
      'XP026',
      pinned.line,
      message(pinned, line, keyword, formatPlatform(options.platform), leg),
    );
  }
}

function message(
  p: Pinned,
  useLine: number,
  keyword: string,
  platform: string,
  leg: string,
): string {
  const use = `line ${useLine} (${keyword})`;
  const wrong = `so the ${platform} image would get ${p.arch} binaries`;
  if (p.from === 'default' && PLATFORM.has(p.name)) {
    return `ARG ${p.name}=${p.value} pins ${p.name}: BuildKit sets a platform ARG only when it has no default, so it stays ${p.value} for ${platform}, and ${use} uses it, ${wrong}; declare it without a default (ARG ${p.name})`;
  }
  const value = valueFor(p.value, leg);
  const where =
    p.from === 'default'
      ? `ARG ${p.name} defaults to ${p.value}`
      : `ARG ${p.name} is ${p.value} for ${platform} (its build args)`;
  return `${where} and ${use} uses it, ${wrong}; set it for this platform, ${buildArgAdvice(p.name, value)}, or use TARGETARCH, which BuildKit sets per platform (ARG TARGETARCH without a default)`;
}
