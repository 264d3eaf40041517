import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  classicBuilderProblems,
  type ParsedDockerfile,
  planStages,
  renderForClassicBuilder,
} from '@xplat/dockerfile';
import { userLine } from '../src/render.js';
import type { StagePlanOptions } from '../src/types.js';
import { df, fixturePath, multiOs, native } from './helpers.js';

function render(parsed: ParsedDockerfile, options: StagePlanOptions) {
  return renderForClassicBuilder(parsed, planStages(parsed, options), options);
}

describe('renderForClassicBuilder on the multi-OS pattern', () => {
  it('renders windows/amd64:ltsc2022 with the Linux stage pruned (golden)', () => {
    const parsed = multiOs();
    const rendered = render(parsed, native('windows/amd64:ltsc2022'));
    const golden = readFileSync(
      fixturePath('multi-os', 'Dockerfile.windows-amd64-ltsc2022.golden'),
      'utf8',
    );
    expect(rendered.text).toBe(golden);
    expect(rendered.buildArgs).toEqual({ TARGETOS: 'windows', TARGETARCH: 'amd64' });
    expect(rendered.target).toBe('final');
    expect(rendered.text).not.toContain('install-linux');
    expect(rendered.text).not.toContain('--platform');
    expect(rendered.text).not.toContain('${TARGETOS} AS');
  });

  it('maps every rendered line to the user line it came from', () => {
    const parsed = multiOs();
    const rendered = render(parsed, native('windows/amd64:ltsc2022'));
    const lines = rendered.text.trimEnd().split('\n');
    expect(rendered.lineMap).toHaveLength(lines.length);
    expect(rendered.lineMap[0]).toBe(0); // the header xplat adds
    lines.forEach((text, i) => {
      const user = rendered.lineMap[i] as number;
      if (user === 0) return;
      if (text.startsWith('FROM ')) {
        expect(parsed.lines[user - 1]).toMatch(/^FROM /);
      } else {
        expect(text).toBe(parsed.lines[user - 1]);
      }
    });
    const at = (needle: string) => userLine(rendered, lines.indexOf(needle) + 1);
    expect(at('FROM golang:1.23 AS build')).toBe(8);
    expect(at('FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS install-windows')).toBe(22);
    expect(at('FROM install-windows AS final')).toBe(27);
    // The Linux stage (user lines 14-19) is gone; nothing maps into it.
    expect(rendered.lineMap.filter((l) => l >= 14 && l <= 19)).toEqual([]);
  });

  it('renders linux/amd64 with the Windows stage pruned and the platform ARGs passed', () => {
    const rendered = render(
      multiOs(),
      native('linux/amd64', { buildArgs: { LINUX_BASE: 'example/base:1' } }),
    );
    expect(rendered.text).toContain('FROM example/base:1 AS install-linux\n');
    expect(rendered.text).toContain('FROM install-linux AS final\n');
    expect(rendered.text).not.toContain('nanoserver');
    expect(rendered.buildArgs).toEqual({
      TARGETOS: 'linux',
      TARGETARCH: 'amd64',
      LINUX_BASE: 'example/base:1',
    });
  });
});

describe('renderForClassicBuilder details', () => {
  it('renumbers COPY --from=N after pruning and keeps names', () => {
    const parsed = df(
      'FROM alpine:3.20 AS unused', // 1
      'RUN --mount=type=cache,target=/c echo only-buildkit', // 2: pruned, so no error
      'FROM alpine:3.20 AS deps', // 3
      'FROM alpine:3.20', // 4
      'FROM scratch AS out', // 5
      'COPY --from=1 /a /a', // 6
      'COPY --from=2 /b /b', // 7
      'COPY --from=Deps /c /c', // 8
    );
    const rendered = render(parsed, native('linux/amd64'));
    expect(rendered.text.split('\n').slice(1)).toEqual([
      'FROM alpine:3.20 AS deps',
      'FROM alpine:3.20',
      'FROM scratch AS out',
      'COPY --from=0 /a /a',
      'COPY --from=1 /b /b',
      'COPY --from=deps /c /c',
      '',
    ]);
    expect(rendered.lineMap).toEqual([0, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps the escape directive first, drops # syntax=docker/dockerfile and joins a multi-line FROM', () => {
    const parsed = df(
      '# syntax=docker/dockerfile:1.7',
      '# escape=`',
      'ARG BASE=alpine:3.20',
      'FROM --platform=$TARGETPLATFORM `',
      '    ${BASE} AS app',
      'RUN echo a `',
      '    && echo b',
    );
    const rendered = render(parsed, native('linux/arm64'));
    expect(rendered.text).toBe(
      [
        '# escape=`',
        '# Rendered by xplat from Dockerfile for linux/arm64 (classic builder); stages: app',
        'ARG BASE=alpine:3.20',
        'FROM alpine:3.20 AS app',
        'RUN echo a `',
        '    && echo b',
        '',
      ].join('\n'),
    );
    expect(rendered.lineMap).toEqual([2, 0, 3, 4, 6, 7]);
    expect(rendered.buildArgs).toEqual({});
  });

  it('substitutes ARGs in COPY --from', () => {
    const parsed = df(
      'ARG SRC=build',
      'FROM alpine:3.20 AS build',
      'FROM scratch',
      'COPY --from=${SRC} /a /a',
    );
    expect(render(parsed, native('linux/amd64')).text).toContain('COPY --from=build /a /a');
  });

  it('passes every declared platform ARG and the caller build args', () => {
    const parsed = df(
      'FROM alpine:3.20',
      'ARG TARGETPLATFORM TARGETVARIANT BUILDPLATFORM',
      'ARG BUILDARCH',
    );
    const rendered = render(parsed, {
      ...native('linux/arm/v7'),
      buildPlatform: native('linux/amd64').platform,
      buildArgs: { EXTRA: '1' },
    });
    expect(rendered.buildArgs).toEqual({
      TARGETPLATFORM: 'linux/arm/v7',
      TARGETVARIANT: 'v7',
      BUILDPLATFORM: 'linux/amd64',
      BUILDARCH: 'amd64',
      EXTRA: '1',
    });
  });

  it('reports BuildKit-only syntax of kept stages as XP017 findings at the user line', () => {
    const parsed = df(
      'FROM alpine:3.20 AS linux', // 1
      'RUN --mount=type=cache,target=/c make', // 2 (pruned for the target below)
      'FROM alpine:3.20 AS app', // 3
      'COPY --link --chmod=755 run.sh /run.sh', // 4
      'RUN --network=host wget http://127.0.0.1/x', // 5
      'RUN <<EOF', // 6
      'echo hi',
      'EOF',
    );
    const options = native('linux/amd64', { target: 'app', engineVersion: '20.10.24' });
    const plan = planStages(parsed, options);
    const problems = classicBuilderProblems(parsed, plan, options);
    expect(problems.map((p) => [p.rule, p.line, p.message.split(':')[0]])).toEqual([
      ['XP017', 4, 'COPY --link'],
      ['XP017', 4, 'COPY --chmod'],
      ['XP017', 5, 'RUN --network'],
      [
        'XP017',
        6,
        'the classic builder has no here-documents (RUN <<EOF); put the script in a file in the context and COPY it, or write it on one RUN line; or build with BuildKit (--builder buildx)',
      ],
    ]);
    expect(() => renderForClassicBuilder(parsed, plan, options)).toThrow(
      /^Dockerfile:4: COPY --link: the classic builder of Engine 20\.10\.24 rejects it .*\(and 3 more\)$/,
    );
  });

  it.each([
    [
      'a Windows leg whose Windows stages only copy: build-on: linux',
      [
        'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
        'RUN --mount=type=cache,target=/root/.cache go build -o /out/app.exe .',
        'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
        'COPY --from=build /out/app.exe C:/app.exe',
      ],
      'windows/amd64:ltsc2022',
      /^RUN --mount: the classic builder has no RUN --mount; copy what the step needs with COPY \(--from=<stage> for another stage\); or build this leg on Linux with BuildKit \(build-on: linux in xplat\.yml; its Windows stages only copy files\)$/,
    ],
    [
      'a Windows leg whose Windows stage runs a command: no BuildKit to offer',
      [
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
        'RUN --mount=type=cache,target=C:/cache build.cmd',
      ],
      'windows/amd64:ltsc2022',
      /^RUN --mount: the classic builder has no RUN --mount; copy what the step needs with COPY \(--from=<stage> for another stage\)$/,
    ],
    [
      'a Linux leg: --builder buildx',
      ['FROM alpine:3.20', 'RUN --mount=type=cache,target=/root/.cache true'],
      'linux/amd64',
      /; or build with BuildKit \(--builder buildx\)$/,
    ],
  ])('advises BuildKit the way the user sets it: %s', (_name, lines, platform, message) => {
    const parsed = df(...lines);
    const options = native(platform);
    const problems = classicBuilderProblems(parsed, planStages(parsed, options), options);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
  });

  it('keeps COPY --link for engines whose classic builder parses and ignores it', () => {
    const parsed = df('FROM alpine:3.20', 'COPY --link run.sh /run.sh');
    for (const engineVersion of ['23.0.0', '27.5.1']) {
      const options = native('linux/amd64', { engineVersion });
      const plan = planStages(parsed, options);
      expect(classicBuilderProblems(parsed, plan, options)).toEqual([]);
      expect(renderForClassicBuilder(parsed, plan, options).text).toContain('COPY --link run.sh');
    }
    // Unknown engine: a warning, and the file still renders.
    const options = native('linux/amd64');
    const plan = planStages(parsed, options);
    expect(classicBuilderProblems(parsed, plan, options).map((p) => p.severity)).toEqual([
      'warning',
    ]);
    expect(renderForClassicBuilder(parsed, plan, options).text).toContain('COPY --link');
  });
});
