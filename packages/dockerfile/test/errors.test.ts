/**
 * Bad inputs: each fails with one line that names the file:line (or the input) and says
 * what would be right.
 */
import { describe, expect, it } from '@jest/globals';
import { errorMessage } from '@xplat/core';
import {
  DockerfileError,
  parseDockerfile,
  planStages,
  renderForClassicBuilder,
} from '@xplat/dockerfile';
import { native } from './helpers.js';

function failure(text: string, options = native('windows/amd64:ltsc2022')): string {
  try {
    const parsed = parseDockerfile({ file: 'app/Dockerfile', text });
    const plan = planStages(parsed, options);
    renderForClassicBuilder(parsed, plan, options);
  } catch (error) {
    return errorMessage(error);
  }
  throw new Error('expected an error');
}

const cases: [string, string, RegExp][] = [
  [
    'unknown instruction',
    'FROM a:1\nFROOM b\n',
    /^app\/Dockerfile:2: unknown instruction "FROOM"; Dockerfile instructions are ADD, ARG/,
  ],
  [
    'no FROM',
    'ARG A=1\n',
    /^app\/Dockerfile: has no FROM instruction; a Dockerfile needs at least one stage$/,
  ],
  ['empty file', '', /^app\/Dockerfile: has no FROM instruction/],
  [
    'RUN before FROM',
    'RUN echo\nFROM a:1\n',
    /^app\/Dockerfile:1: RUN comes before the first FROM; only ARG may come before FROM$/,
  ],
  [
    'FROM without image',
    'FROM\n',
    /^app\/Dockerfile:1: FROM needs an image, e.g. FROM alpine:3.20 AS build$/,
  ],
  [
    'FROM x AS (no name)',
    'FROM a:1 AS\n',
    /^app\/Dockerfile:1: FROM takes an image and an optional "AS name", not "a:1 AS"$/,
  ],
  [
    'FROM with extra words',
    'FROM a:1 b c d\n',
    /^app\/Dockerfile:1: FROM takes an image and an optional "AS name"/,
  ],
  [
    'bad stage name',
    'FROM a:1 AS 1st\n',
    /^app\/Dockerfile:1: stage name "1st" is not valid: start with a letter/,
  ],
  [
    'duplicate stage name',
    'FROM a:1 AS x\nFROM b:1 AS X\n',
    /^app\/Dockerfile:2: stage name "x" is already used on line 1; give each stage its own name$/,
  ],
  [
    'ARG without name',
    'FROM a:1\nARG\n',
    /^app\/Dockerfile:2: ARG needs a variable name, e.g. ARG VERSION or ARG VERSION=1.0$/,
  ],
  ['ARG with a blank name', 'ARG =1\nFROM a:1\n', /^app\/Dockerfile:1: ARG needs a variable name/],
  [
    'unknown COPY flag',
    'FROM a:1\nCOPY --form=b x y\n',
    /^app\/Dockerfile:2: COPY has no flag --form; it takes --from, --chown, --chmod/,
  ],
  [
    'unknown FROM flag',
    'FROM --plattform=linux/amd64 a:1\n',
    /^app\/Dockerfile:1: FROM has no flag --plattform; it takes --platform$/,
  ],
  [
    'unknown HEALTHCHECK flag',
    'FROM a:1\nHEALTHCHECK --intervall=5s CMD x\n',
    /^app\/Dockerfile:2: HEALTHCHECK has no flag --intervall; it takes --interval/,
  ],
  [
    'flag on an instruction without flags',
    'FROM a:1\nENTRYPOINT --x ["a"]\n',
    /^app\/Dockerfile:2: ENTRYPOINT takes no flags, but has --x$/,
  ],
  [
    'empty --platform',
    'FROM --platform= a:1\n',
    /^app\/Dockerfile:1: FROM --platform needs a value/,
  ],
  [
    'FROM resolving to nothing',
    'FROM ${NOPE}\n',
    /^app\/Dockerfile:1: FROM \$\{NOPE\} resolves to an empty image name; declare the ARG before the first FROM with a default, or pass it with --build-arg$/,
  ],
  [
    'bad substitution',
    'ARG A=x\nFROM ${A^^}\n',
    /^app\/Dockerfile:2: "\$\{A\^\^\}" has a bad substitution \$\{A\^\^\}; use/,
  ],
  [
    'a required ARG that is not set',
    'ARG A\nFROM ${A:?base}\n',
    /^app\/Dockerfile:2: A is required \(base\) by "\$\{A:\?base\}"; pass it with --build-arg A=\.\.\./,
  ],
  ['unterminated ${', 'FROM ${A\n', /^app\/Dockerfile:1: "\$\{A" has an unterminated \$\{$/],
  [
    '--platform that is no platform',
    'FROM --platform=linux/sparc a:1\n',
    /^app\/Dockerfile:1: FROM --platform=linux\/sparc: "linux\/sparc" is not a platform: architecture "sparc" is not known/,
  ],
  [
    '--platform resolving to nothing',
    'FROM --platform=$NOPE a:1\n',
    /^app\/Dockerfile:1: FROM --platform=\$NOPE resolves to nothing; use \$BUILDPLATFORM, \$TARGETPLATFORM or os\/arch$/,
  ],
  [
    'COPY --from a later stage',
    'FROM a:1 AS one\nCOPY --from=two x y\nFROM b:1 AS two\n',
    /^app\/Dockerfile:2: "two" is the stage on line 3, which is not before this one; a stage can only use earlier stages$/,
  ],
  [
    'COPY --from an index not before',
    'FROM a:1\nCOPY --from=0 x y\n',
    /^app\/Dockerfile:2: --from=0 refers to stage 0, which is not before this stage \(0\); refer to an earlier stage$/,
  ],
  [
    'FROM its own stage',
    'FROM a:1 AS a\nFROM b AS b\n',
    /^app\/Dockerfile:2: "b" is the stage on line 2, which is not before this one/,
  ],
  [
    'COPY --from without value',
    'FROM a:1\nCOPY --from= x y\n',
    /^app\/Dockerfile:2: COPY --from needs a stage name, index or image$/,
  ],
  [
    'classic: RUN --mount',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN --mount=type=cache,target=C:/c build.cmd\n',
    /^app\/Dockerfile:2: RUN --mount: the classic builder has no RUN --mount; copy what the step needs with COPY/,
  ],
  [
    'classic: heredoc',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n\nRUN <<EOF\necho hi\nEOF\n',
    /^app\/Dockerfile:3: the classic builder has no here-documents \(RUN <<EOF\)/,
  ],
  [
    'classic: COPY --chmod',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY --chmod=755 a b\n',
    /^app\/Dockerfile:2: COPY --chmod: the classic builder rejects --chmod \("the --chmod option requires BuildKit"\)/,
  ],
  [
    'classic: ADD --checksum',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nADD --checksum=sha256:00 http://127.0.0.1/a b\n',
    /^app\/Dockerfile:2: ADD --checksum: the classic builder has no ADD --checksum/,
  ],
  [
    'classic: custom frontend',
    '# syntax=example.com/frontend:1\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n',
    /^app\/Dockerfile:1: "# syntax=example.com\/frontend:1" needs BuildKit to run that frontend/,
  ],
  [
    'classic: a Linux stage in a Windows build',
    'FROM --platform=linux/amd64 alpine:3.20 AS tools\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY --from=tools /bin/busybox C:/busybox\n',
    /^app\/Dockerfile:1: FROM --platform=linux\/amd64 makes this a linux stage, but the classic builder builds every stage on the engine's own OS \(windows\); drop --platform/,
  ],
];

describe('bad Dockerfiles fail in one line naming file:line', () => {
  it.each(cases)('%s', (_name, text, expected) => {
    const message = failure(text);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('has at least 20 of them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it('names the input for an unknown --target', () => {
    expect(
      failure('FROM a:1 AS build\nFROM b:1\n', native('linux/amd64', { target: 'Final' })),
    ).toBe('target: stage "Final" is not in the Dockerfile; its stages are build, 1');
  });

  it('throws a DockerfileError carrying file and line', () => {
    const thrown = (fn: () => unknown): DockerfileError => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(DockerfileError);
        return error as DockerfileError;
      }
      throw new Error('expected a DockerfileError');
    };
    const e = thrown(() =>
      parseDockerfile({ file: 'app/Dockerfile', text: 'FROM a:1\nFROOM b\n' }),
    );
    expect([e.file, e.line, e.reason.startsWith('unknown instruction "FROOM"')]).toEqual([
      'app/Dockerfile',
      2,
      true,
    ]);
    const whole = thrown(() => parseDockerfile({ file: 'app/Dockerfile', text: 'ARG A=1\n' }));
    expect([whole.file, whole.line]).toEqual(['app/Dockerfile', undefined]);
    const planned = thrown(() =>
      planStages(
        parseDockerfile({ file: 'app/Dockerfile', text: 'FROM a:1\nCOPY --from= x y\n' }),
        native('linux/amd64'),
      ),
    );
    expect([planned.file, planned.line, planned.message]).toEqual([
      'app/Dockerfile',
      2,
      'app/Dockerfile:2: COPY --from needs a stage name, index or image',
    ]);
  });

  it('counts lines in CRLF files like the user sees them', () => {
    expect(failure('FROM a:1\r\n\r\nFROOM b\r\n')).toMatch(
      /^app\/Dockerfile:3: unknown instruction/,
    );
  });
});
