import { describe, expect, it } from '@jest/globals';
import { parseDockerfile } from '@xplat/dockerfile';
import { df, multiOs } from './helpers.js';

describe('parseDockerfile', () => {
  it('reads the multi-OS pattern: directives, global ARGs, stages and their regions', () => {
    const parsed = multiOs();
    expect(parsed.directives).toEqual([{ name: 'syntax', value: 'docker/dockerfile:1', line: 1 }]);
    expect(parsed.escapeChar).toBe('\\');
    expect(parsed.globalArgs).toEqual([
      { name: 'TARGETOS', defaultValue: null, line: 3 },
      { name: 'BUILD_IMAGE', defaultValue: 'golang:1.23', line: 4 },
      { name: 'LINUX_BASE', defaultValue: 'busybox:1.36', line: 5 },
      { name: 'VERSION', defaultValue: '1.0.0', line: 6 },
    ]);
    expect(
      parsed.stages.map((s) => [
        s.index,
        s.name,
        s.from,
        s.platformFlag,
        s.line,
        s.firstLine,
        s.endLine,
      ]),
    ).toEqual([
      [0, 'build', '${BUILD_IMAGE}', '$BUILDPLATFORM', 8, 8, 13],
      [1, 'install-linux', '${LINUX_BASE}', undefined, 16, 14, 19],
      [
        2,
        'install-windows',
        'mcr.microsoft.com/windows/nanoserver:ltsc2022',
        undefined,
        22,
        20,
        25,
      ],
      [3, 'final', 'install-${TARGETOS}', undefined, 27, 26, 28],
    ]);
  });

  it('keeps flags with their lines and value columns, exec form and heredocs', () => {
    const parsed = df(
      'FROM alpine:3.20',
      'COPY --from=build \\',
      '     --chmod=755 a.sh /a.sh',
      'CMD ["/a.sh", "run"]',
      'RUN <<EOF',
      'echo hi',
      'EOF',
    );
    const [copy, cmd, run] = parsed.stages[0]?.instructions.slice(1) ?? [];
    expect(copy?.flags).toEqual([
      { name: 'from', value: 'build', line: 2, valueStart: 12, valueEnd: 17 },
      { name: 'chmod', value: '755', line: 3, valueStart: 13, valueEnd: 16 },
    ]);
    expect([copy?.line, copy?.endLine]).toEqual([2, 3]);
    expect(cmd?.json).toEqual(['/a.sh', 'run']);
    expect(run?.heredoc).toBe(true);
    expect(copy?.heredoc).toBe(false);
  });

  it('parses several ARGs in one instruction, with quotes', () => {
    const parsed = df('ARG A B=2 C="x y"', 'FROM alpine:3.20');
    expect(parsed.globalArgs.map((a) => [a.name, a.defaultValue])).toEqual([
      ['A', null],
      ['B', '2'],
      ['C', 'x y'],
    ]);
  });

  it('honours # escape=` (Windows Dockerfiles)', () => {
    const parsed = parseDockerfile({
      file: 'Dockerfile.win',
      text: '# escape=`\r\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\r\nRUN dir C:\\ `\r\n  && echo done\r\n',
    });
    expect(parsed.escapeChar).toBe('`');
    expect(parsed.crlf).toBe(true);
    expect(parsed.lines).toHaveLength(4);
    const run = parsed.stages[0]?.instructions[1];
    expect([run?.line, run?.endLine]).toEqual([3, 4]);
  });

  it('reads ARG lines as Docker does, with a warning instead of a failure', () => {
    const parsed = df(
      'ARG WINDOWS_VERSION_TAG=ltsc2022',
      'ARG TOOLS_WINDOWS_VERSION # Empty (only used on nanoserver)',
      'FROM mcr.microsoft.com/windows/servercore:"${WINDOWS_VERSION_TAG}"',
    );
    expect(parsed.globalArgs.map((a) => a.name)).toEqual([
      'WINDOWS_VERSION_TAG',
      'TOOLS_WINDOWS_VERSION',
      // Docker declares every word; these can never be referred to, but they exist.
      'Empty',
      'used',
      'on',
    ]);
    expect(parsed.warnings.map((w) => [w.rule, w.severity, w.line])).toEqual([
      ['XP019', 'warning', 2],
    ]);
    expect(parsed.warnings[0]?.message).toContain('"# Empty (only used on nanoserver)"');
  });
});
