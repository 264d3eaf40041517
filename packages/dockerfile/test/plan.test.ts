import { describe, expect, it } from '@jest/globals';
import { parsePlatform } from '@xplat/core';
import { expandVariables, planStages, platformBuildArgs } from '@xplat/dockerfile';
import { df, multiOs, native } from './helpers.js';

describe('planStages on the multi-OS pattern', () => {
  it('linux/amd64 reaches build, install-linux and final', () => {
    const plan = planStages(multiOs(), native('linux/amd64'));
    expect(plan.stages.map((s) => s.name)).toEqual(['build', 'install-linux', 'final']);
    expect(plan.target.name).toBe('final');
    expect(plan.target.from).toBe('install-${TARGETOS}');
    expect(plan.target.resolvedFrom).toBe('install-linux');
    expect(plan.target.isStageRef).toBe(true);
    expect(plan.target.line).toBe(27);
    expect(plan.baseImages.map((b) => [b.image, b.line, b.stage.name, b.via])).toEqual([
      ['golang:1.23', 8, 'build', 'FROM'],
      ['busybox:1.36', 16, 'install-linux', 'FROM'],
    ]);
  });

  it('windows/amd64:ltsc2022 reaches build, install-windows and final', () => {
    const plan = planStages(multiOs(), native('windows/amd64:ltsc2022'));
    expect(plan.stages.map((s) => s.name)).toEqual(['build', 'install-windows', 'final']);
    expect(plan.stages.map((s) => s.line)).toEqual([8, 22, 27]);
    expect(plan.target.resolvedFrom).toBe('install-windows');
    expect(plan.baseImages.map((b) => b.image)).toEqual([
      'golang:1.23',
      'mcr.microsoft.com/windows/nanoserver:ltsc2022',
    ]);
    // COPY --from=0 in install-windows is the build stage.
    expect(plan.stages[1]?.dependsOn).toEqual([0]);
    expect(plan.target.platform).toEqual({
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.20348',
    });
  });

  it('resolves --platform=$BUILDPLATFORM to the build platform (cross build)', () => {
    const plan = planStages(multiOs(), {
      platform: parsePlatform('linux/arm64'),
      buildPlatform: parsePlatform('linux/amd64'),
    });
    const build = plan.stages[0];
    expect(build?.platformFlag).toBe('linux/amd64');
    expect(build?.platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(plan.stages[1]?.platform).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
  });

  it('uses --build-arg over a global default, and keeps unrelated stages out', () => {
    const plan = planStages(
      multiOs(),
      native('linux/amd64', { buildArgs: { LINUX_BASE: 'example/base:2', UNUSED: 'x' } }),
    );
    expect(plan.stages[1]?.resolvedFrom).toBe('example/base:2');
    expect(plan.globalValues).toMatchObject({
      LINUX_BASE: 'example/base:2',
      TARGETOS: 'linux',
      VERSION: '1.0.0',
    });
    expect(plan.globalValues.UNUSED).toBeUndefined();
  });

  it('plans an explicit target by name or index', () => {
    const byName = planStages(
      multiOs(),
      native('windows/amd64:ltsc2022', { target: 'Install-Linux' }),
    );
    expect(byName.stages.map((s) => s.name)).toEqual(['build', 'install-linux']);
    const byIndex = planStages(multiOs(), native('linux/amd64', { target: '0' }));
    expect(byIndex.stages.map((s) => s.name)).toEqual(['build']);
  });

  it('names the input and lists the stages for an unknown target', () => {
    expect(() => planStages(multiOs(), native('linux/amd64', { target: 'nope' }))).toThrow(
      'target: stage "nope" is not in the Dockerfile; its stages are build, install-linux, install-windows, final',
    );
  });
});

describe('planStages references', () => {
  it('follows COPY --from by name and index, RUN --mount=from, and lists external images', () => {
    const parsed = df(
      'FROM alpine:3.20 AS deps', // 1
      'FROM alpine:3.20 AS unused', // 2
      'FROM alpine:3.20 AS tools', // 3
      'FROM scratch AS out', // 4
      'COPY --from=0 /a /a', // 5
      'COPY --from=nginx:1.27 /etc/nginx /etc/nginx', // 6
      'RUN --mount=type=bind,from=TOOLS,target=/t /t/run', // 7
    );
    const plan = planStages(parsed, native('linux/amd64'));
    expect(plan.stages.map((s) => s.name)).toEqual(['deps', 'tools', 'out']);
    expect(plan.target.dependsOn).toEqual([0, 2]);
    expect(plan.target.references.map((r) => [r.via, r.resolved, r.stage])).toEqual([
      ['FROM', 'scratch', undefined],
      ['COPY --from', '0', 0],
      ['COPY --from', 'nginx:1.27', undefined],
      ['RUN --mount', 'TOOLS', 2],
    ]);
    expect(plan.baseImages.map((b) => [b.image, b.line, b.via])).toEqual([
      ['alpine:3.20', 1, 'FROM'],
      ['alpine:3.20', 3, 'FROM'],
      ['nginx:1.27', 6, 'COPY --from'],
    ]);
  });

  it('treats stage names case-insensitively and inherits the platform of a FROM stage', () => {
    const parsed = df('FROM --platform=linux/amd64 alpine:3.20 AS Base', 'FROM base AS final');
    const plan = planStages(parsed, native('linux/arm64'));
    expect(plan.target.isStageRef).toBe(true);
    expect(plan.target.fromStage).toBe(0);
    expect(plan.target.platform).toEqual({ os: 'linux', architecture: 'amd64' });
  });

  it('gives platform ARGs their automatic value unless a global default or build arg says otherwise', () => {
    const parsed = df(
      'ARG TARGETARCH',
      'ARG TARGETOS=custom',
      'FROM app-${TARGETOS}-${TARGETARCH}',
    );
    expect(planStages(parsed, native('linux/arm64')).target.resolvedFrom).toBe('app-custom-arm64');
    const given = planStages(parsed, native('linux/arm64', { buildArgs: { TARGETOS: 'given' } }));
    expect(given.target.resolvedFrom).toBe('app-given-arm64');
  });

  it('resolves global ARGs that use earlier ones', () => {
    const parsed = df('ARG REG=example.com', 'ARG IMAGE=${REG}/app:1', 'FROM $IMAGE');
    expect(planStages(parsed, native('linux/amd64')).target.resolvedFrom).toBe('example.com/app:1');
  });
});

describe('platformBuildArgs', () => {
  it.each([
    [
      'linux/amd64',
      'linux/amd64',
      ['linux/amd64', 'linux', 'amd64', '', 'linux/amd64', 'linux', 'amd64', ''],
    ],
    [
      'linux/arm64',
      'linux/amd64',
      ['linux/arm64', 'linux', 'arm64', '', 'linux/amd64', 'linux', 'amd64', ''],
    ],
    [
      'linux/arm/v7',
      'linux/arm64',
      ['linux/arm/v7', 'linux', 'arm', 'v7', 'linux/arm64', 'linux', 'arm64', ''],
    ],
    [
      'windows/amd64:ltsc2022',
      'windows/amd64:ltsc2022',
      ['windows/amd64', 'windows', 'amd64', '', 'windows/amd64', 'windows', 'amd64', ''],
    ],
  ])('%s built on %s', (target, build, values) => {
    expect(platformBuildArgs(parsePlatform(target), parsePlatform(build))).toEqual({
      TARGETPLATFORM: values[0],
      TARGETOS: values[1],
      TARGETARCH: values[2],
      TARGETVARIANT: values[3],
      BUILDPLATFORM: values[4],
      BUILDOS: values[5],
      BUILDARCH: values[6],
      BUILDVARIANT: values[7],
    });
  });
});

describe('expandVariables', () => {
  const values = { A: 'a', EMPTY: '', OS: 'linux' };
  it.each([
    ['install-${OS}', 'install-linux'],
    ['$A/$OS', 'a/linux'],
    ['${MISSING}x', 'x'],
    ['${MISSING:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${A:+alt}', 'alt'],
    ['${MISSING:+alt}', ''],
    ['${MISSING-${A}}', 'a'],
    ['\\$A', '$A'],
    ['cost$', 'cost$'],
  ])('%s -> %s', (word, expected) => {
    expect(expandVariables(word, values)).toBe(expected);
  });

  it('honours another escape character', () => {
    expect(expandVariables('`$A-$A', values, '`')).toBe('$A-a');
  });

  // BuildKit's Dockerfile 1.7+ lexer: trimming and replacing by glob, and required values.
  it.each([
    ['${V#*.}', '0.20348.2849'],
    ['${V##*.}', '2849'],
    ['${V%.*}', '10.0.20348'],
    ['${V%%.*}', '10'],
    ['${V/20348/26100}', '10.0.26100.2849'],
    ['${T//-/_}', 'jdk17_windowsservercore_ltsc2022'],
    ['${T:?}', 'jdk17-windowsservercore-ltsc2022'],
  ])('%s -> %s', (word, expected) => {
    const more = { V: '10.0.20348.2849', T: 'jdk17-windowsservercore-ltsc2022' };
    expect(expandVariables(word, more)).toBe(expected);
  });

  it('reads quotes as Docker does in FROM and flag values', () => {
    const quoted = { WINDOWS_VERSION: '1809' };
    expect(expandVariables('servercore:"${WINDOWS_VERSION}"', quoted, '\\', { quotes: true })).toBe(
      'servercore:1809',
    );
    expect(
      expandVariables('temurin:"17"-jdk-windowsservercore-"${WINDOWS_VERSION}"', quoted, '`', {
        quotes: true,
      }),
    ).toBe('temurin:17-jdk-windowsservercore-1809');
    expect(expandVariables("a:'${WINDOWS_VERSION}'", quoted, '\\', { quotes: true })).toBe(
      'a:${WINDOWS_VERSION}',
    );
  });

  it('plans a FROM with a quoted tag', () => {
    const plan = planStages(
      df('ARG TAG=ltsc2022', 'FROM mcr.microsoft.com/windows/servercore:"${TAG}" AS base'),
      native('windows/amd64:ltsc2022'),
    );
    expect(plan.baseImages.map((b) => b.image)).toEqual([
      'mcr.microsoft.com/windows/servercore:ltsc2022',
    ]);
  });
});
