/** `xplat init`'s proposal: platforms from a Dockerfile's base images. */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { releaseByName, type WindowsRelease } from '@xplat/core';
import { parseDockerfile } from '@xplat/dockerfile';
import { checkLeg } from '../src/propose-check.js';
import { findDockerfiles } from '../src/dockerfile-files.js';
import { guessImage } from '../src/init.js';
import { loadConfig } from '../src/index.js';
import { proposeFromDockerfile } from '../src/propose.js';
import { releaseArgValues } from '../src/release-args.js';
import { renderInitConfig } from '../src/init-render.js';

const platforms = (text: string) => proposeFromDockerfile(text).platforms;

describe('proposeFromDockerfile', () => {
  it('proposes both Linux architectures for Linux base images, and the EXPOSEd port', () => {
    const proposal = proposeFromDockerfile(
      'FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nEXPOSE 9090/tcp\nCMD ["/app"]\n',
    );
    expect(proposal.platforms).toEqual([{ platform: 'linux/amd64' }, { platform: 'linux/arm64' }]);
    expect(proposal.port).toBe(9090);
    expect(proposal.notes[0]).toMatch(/gcr.io\/distroless\/static \(line 3\)/);
  });

  it('takes the Windows release from the base image tag', () => {
    expect(platforms('FROM mcr.microsoft.com/windows/nanoserver:ltsc2025\nCMD ["cmd"]\n')).toEqual([
      { platform: 'windows/amd64:ltsc2025', buildOn: 'linux' },
    ]);
    expect(
      platforms('FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022\nRUN dir\n'),
    ).toEqual([{ platform: 'windows/amd64:ltsc2022' }]);
  });

  it('proposes ltsc2019 that needs a Windows host on a self-hosted runner (no hosted runner has it)', () => {
    expect(platforms('FROM mcr.microsoft.com/windows/servercore:ltsc2019\nRUN dir\n')).toEqual([
      { platform: 'windows/amd64:ltsc2019', runsOn: ['self-hosted', 'windows', 'ltsc2019'] },
    ]);
  });

  it('builds ltsc2019 without RUN on Linux, and skips its smoke test (no runner of its release)', () => {
    expect(platforms('FROM mcr.microsoft.com/windows/servercore:ltsc2019\nCOPY a.exe /\n')).toEqual(
      [
        {
          platform: 'windows/amd64:ltsc2019',
          buildOn: 'linux',
          smokeSkip: 'no GitHub-hosted ltsc2019 runner to run it on',
        },
      ],
    );
  });

  it('sets every ARG that picks the release together, and the ARCH arg per architecture', () => {
    const windows = [
      'ARG ADDON_IMAGE=servercore:1809',
      'ARG BASE_IMAGE=nanoserver:1809',
      'ARG REGISTRY=mcr.microsoft.com/windows',
      'FROM ${REGISTRY}/${ADDON_IMAGE} AS addon',
      'FROM ${REGISTRY}/${BASE_IMAGE}',
      'COPY --from=addon /Windows/System32/netapi32.dll /Windows/System32/netapi32.dll',
      '',
    ].join('\n');
    expect(proposeFromDockerfile(windows, 'Dockerfile.Windows').platforms[1]).toEqual({
      platform: 'windows/amd64:ltsc2022',
      buildOn: 'linux',
      buildArgs: { ADDON_IMAGE: 'servercore:ltsc2022', BASE_IMAGE: 'nanoserver:ltsc2022' },
    });
    const linux =
      'FROM --platform=linux/amd64 golang:1.24 AS build\nARG ARCH=amd64\nRUN make ARCH=${ARCH}\nFROM gcr.io/distroless/base\nCOPY --from=build /bin/app /app\n';
    expect(platforms(linux)).toEqual([
      { platform: 'linux/amd64' },
      { platform: 'linux/arm64', buildArgs: { ARCH: 'arm64' } },
    ]);
  });

  it('follows the TARGETOS pattern, and every release a build arg can pick', () => {
    const text = [
      'ARG TARGETOS',
      'ARG WIN=ltsc2022',
      'FROM alpine:3.20 AS app-linux',
      'EXPOSE 8080',
      'FROM mcr.microsoft.com/windows/nanoserver:${WIN} AS app-windows',
      'EXPOSE 8080',
      'FROM app-${TARGETOS}',
      '',
    ].join('\n');
    const proposal = proposeFromDockerfile(text);
    const skip = 'no GitHub-hosted ltsc2019 runner to run it on';
    expect(proposal.platforms).toEqual([
      { platform: 'linux/amd64' },
      { platform: 'linux/arm64' },
      {
        platform: 'windows/amd64:ltsc2019',
        buildArgs: { WIN: 'ltsc2019' },
        buildOn: 'linux',
        smokeSkip: skip,
      },
      { platform: 'windows/amd64:ltsc2022', buildArgs: { WIN: 'ltsc2022' }, buildOn: 'linux' },
      { platform: 'windows/amd64:ltsc2025', buildArgs: { WIN: 'ltsc2025' }, buildOn: 'linux' },
    ]);
    expect(proposal.port).toBe(8080);
    // What init writes loads as a config.
    const config = loadConfig(
      renderInitConfig(proposal, { image: 'ghcr.io/a/b', context: '.', source: 'Dockerfile' }),
    );
    expect(config.images[0]!.legs.map((l) => l.name)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'windows/amd64:ltsc2019',
      'windows/amd64:ltsc2022',
      'windows/amd64:ltsc2025',
    ]);
    expect(config.images[0]!.legs[4]!.smoke).toEqual({ port: 8080, path: '/' });
  });
});

describe('proposeFromDockerfile by content and name', () => {
  const windows22 = [{ platform: 'windows/amd64:ltsc2022' }];
  const onLinux22 = [{ platform: 'windows/amd64:ltsc2022', buildOn: 'linux' }];
  const skip = 'no GitHub-hosted ltsc2019 runner to run it on';
  /** Every release, built on Linux, from build args. */
  const everyRelease = (arg: string, values: [string, string, string]) =>
    ['ltsc2019', 'ltsc2022', 'ltsc2025'].map((r, i) => ({
      platform: `windows/amd64:${r}`,
      buildArgs: { [arg]: values[i]! },
      buildOn: 'linux',
      ...(r === 'ltsc2019' ? { smokeSkip: skip } : {}),
    }));
  const linux = [{ platform: 'linux/amd64' }, { platform: 'linux/arm64' }];
  it.each([
    [
      'a HostProcess base that names no OS, with an .exe entrypoint',
      'Dockerfile',
      'ARG BASE=mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0\nFROM $BASE\nCOPY out/x.exe /x.exe\nENTRYPOINT ["x.exe"]\n',
      onLinux22,
    ],
    [
      'an unknown base with a PowerShell SHELL',
      'Dockerfile',
      'FROM example.com/base:1.0\nSHELL ["powershell", "-Command"]\nRUN Write-Host hi\n',
      windows22,
    ],
    [
      'an unknown base, Windows by the file name only',
      'Dockerfile.windows',
      'FROM example.com/base:1.0\nCOPY app /app\n',
      onLinux22,
    ],
    [
      'an unknown base with apt-get stays Linux, whatever the name',
      'Dockerfile.windows',
      'FROM example.com/base:1.0\nRUN apt-get install -y curl\n',
      linux,
    ],
    [
      'an unknown base and nothing OS-specific is Linux',
      'Dockerfile',
      'FROM example.com/base:1.0\nCOPY app /app\n',
      linux,
    ],
    [
      'a release year in an ARG (ltsc${WIN_VERSION}, WIN_VERSION=2019): every release, built on Linux',
      'Dockerfile',
      '# escape=`\nARG WIN_VERSION=2019\nFROM mcr.microsoft.com/windows/nanoserver:ltsc${WIN_VERSION}\nCOPY app.exe ./app.exe\n',
      everyRelease('WIN_VERSION', ['2019', '2022', '2025']),
    ],
    [
      'a base tag ARG without a default',
      'Dockerfile.windows',
      'ARG BASE_TAG\nFROM mcr.microsoft.com/windows/nanoserver:${BASE_TAG}\n',
      everyRelease('BASE_TAG', ['1809', 'ltsc2022', 'ltsc2025']),
    ],
    [
      // Azure/azure-container-networking cni/Dockerfile: ARG ARCH and ARG OS without a
      // default stand for the platform (the Makefile passes both); a final stage per OS.
      "ARG ARCH and ARG OS without a default are the leg's",
      'Dockerfile',
      'ARG ARCH\nARG OS\nFROM --platform=linux/${ARCH} golang:1.26 AS go\nFROM go AS build\nARG OS\nRUN GOOS=$OS go build -o /bin/app .\nFROM gcr.io/distroless/static AS linux\nCOPY --from=build /bin/app /app\nFROM --platform=windows/${ARCH} mcr.microsoft.com/windows/nanoserver:ltsc2022 AS windows\nCOPY --from=build /bin/app /app.exe\n',
      [
        {
          platform: 'windows/amd64:ltsc2022',
          buildOn: 'linux',
          buildArgs: { ARCH: 'amd64', OS: 'windows' },
        },
      ],
    ],
    [
      'an ARG that does not reach FROM picks no release',
      'Dockerfile',
      'ARG VERSION\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2025\nLABEL v=$VERSION\n',
      [{ platform: 'windows/amd64:ltsc2025', buildOn: 'linux' }],
    ],
  ])('%s', (_what, file, text, want) => {
    expect(proposeFromDockerfile(text, file).platforms).toEqual(want);
  });

  it.each([
    ['ltsc2022', 'ltsc2025', ['ltsc2025']],
    ['2019', 'ltsc2022', ['2022']],
    ['10.0.20348.2849', 'ltsc2025', ['10.0.26100.2849']],
    ['1809', 'ltsc2022', ['ltsc2022']],
    [null, 'ltsc2025', ['ltsc2025', '10.0.26100']],
    [null, 'ltsc2019', ['1809', 'ltsc2019', '10.0.17763']],
    ['ltsc2025', 'ltsc2025', []],
  ])('releaseArgValues(%j, %s) is %j', (value, name, want) => {
    expect(releaseArgValues(value, releaseByName(name) as WindowsRelease)).toEqual(want);
  });
});

describe('checkLeg', () => {
  const text =
    'ARG WINDOWS_VERSION=ltsc2022\nFROM mcr.microsoft.com/windows/nanoserver:${WINDOWS_VERSION}\nCMD ["cmd"]\n';
  const parsed = parseDockerfile({ file: 'Dockerfile.windows', text });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-check-'));

  it('fixes a leg the default release would break, with the build arg', async () => {
    const checked = await checkLeg(parsed, { platform: 'windows/amd64:ltsc2025' }, dir);
    expect(checked.errors).toEqual([]);
    expect(checked.fixedBy).toEqual({ WINDOWS_VERSION: 'ltsc2025' });
    expect(checked.leg.buildArgs).toEqual({ WINDOWS_VERSION: 'ltsc2025' });
  });

  it('keeps a leg that lints clean as it is', async () => {
    const checked = await checkLeg(parsed, { platform: 'windows/amd64:ltsc2022' }, dir);
    expect(checked).toEqual({ leg: { platform: 'windows/amd64:ltsc2022' }, errors: [] });
  });

  it('proposes a leg whose COPY source a build step makes first (XP027 leaves no leg out)', async () => {
    const prebuilt = parseDockerfile({
      file: 'Dockerfile.windows',
      text: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY bin/app.exe C:/app.exe\n',
    });
    const checked = await checkLeg(prebuilt, { platform: 'windows/amd64:ltsc2022' }, dir);
    expect(checked.errors).toEqual([]);
  });

  it.each<[string, string, string, Record<string, string> | undefined, string[]]>([
    [
      // kubernetes-sigs/azuredisk-csi-driver pkg/azurediskplugin/Windows.Dockerfile:
      // Nano Server of 2019 is tagged 1809 only.
      'an OSVERSION without a default, on ltsc2019',
      'ARG OSVERSION\nFROM mcr.microsoft.com/windows/nanoserver:${OSVERSION}\nCMD ["cmd"]\n',
      'windows/amd64:ltsc2019',
      { OSVERSION: '1809' },
      [],
    ],
    [
      'the tag of a Windows base, whatever the ARG is called',
      'ARG TAG\nFROM mcr.microsoft.com/windows/servercore:${TAG}\nCMD ["cmd"]\n',
      'windows/amd64:ltsc2025',
      { TAG: 'ltsc2025' },
      [],
    ],
    [
      // antrea-io/antrea build/images/Dockerfile.build.windows: the OVS and Go versions
      // come from a build script; a release number there would only silence lint.
      'an ARG without a default that names no release (OVS_VERSION) is not set',
      'ARG GO_VERSION\nARG OVS_VERSION\nFROM --platform=linux/amd64 golang:${GO_VERSION} AS build\nFROM example.org/antrea/windows-ovs:${OVS_VERSION} AS ovs\nFROM mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0\nCOPY --from=ovs /openvswitch /openvswitch\n',
      'windows/amd64:ltsc2022',
      undefined,
      ['XP001'],
    ],
    [
      // kubernetes-sigs/azurefile-csi-driver pkg/azurefileplugin/Dockerfile: a builder stage
      // downloads azcopy_linux_${TARGETARCH}, and its default keeps it amd64 on arm64.
      'ARG TARGETARCH=amd64 in a builder stage, on linux/arm64',
      'FROM debian:bookworm AS builder\nARG TARGETARCH=amd64\nRUN curl -Lo /azcopy.tgz https://example.com/azcopy_linux_${TARGETARCH}.tar.gz\nFROM debian:bookworm\nCOPY --from=builder /azcopy.tgz /\n',
      'linux/arm64',
      { TARGETARCH: 'arm64' },
      [],
    ],
    [
      'ARG ARCH=x86_64 keeps its spelling: aarch64',
      'FROM debian:bookworm\nARG ARCH=x86_64\nRUN curl -Lo /tool https://example.com/tool-${ARCH}\n',
      'linux/arm64',
      { ARCH: 'aarch64' },
      [],
    ],
  ])('%s', async (_what, body, platform, fixedBy, rules) => {
    const file = parseDockerfile({ file: 'Dockerfile.windows', text: body });
    const checked = await checkLeg(file, { platform, buildOn: 'linux' }, dir);
    expect([checked.fixedBy, [...new Set(checked.errors.map((f) => f.rule))]]).toEqual([
      fixedBy,
      rules,
    ]);
  });

  it('reports what it cannot fix', async () => {
    const pinned = parseDockerfile({
      file: 'Dockerfile.windows',
      text: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n',
    });
    const checked = await checkLeg(pinned, { platform: 'windows/amd64:ltsc2025' }, dir);
    expect(checked.errors.map((f) => f.rule)).toContain('XP004');
    expect(checked.fixedBy).toBeUndefined();
  });
});

describe('renderInitConfig', () => {
  type Place = [platform: string, dockerfile: string, context: string];
  it.each<[string, Place[], Record<string, unknown>]>([
    [
      'one file for all',
      [
        ['linux/amd64', 'Dockerfile', '.'],
        ['windows/amd64:ltsc2022', 'Dockerfile', '.'],
      ],
      {},
    ],
    [
      'Dockerfile + Dockerfile.windows',
      [
        ['linux/amd64', 'Dockerfile', '.'],
        ['windows/amd64:ltsc2022', 'Dockerfile.windows', '.'],
      ],
      { windows: { dockerfile: 'Dockerfile.windows' } },
    ],
    [
      'a Windows folder that is its own context',
      [
        ['linux/amd64', 'Dockerfile', '.'],
        ['windows/amd64:ltsc2022', 'windows/Dockerfile', 'windows'],
      ],
      { windows: { context: 'windows' } },
    ],
    [
      'files in docker/ built from the root',
      [
        ['linux/amd64', 'docker/Dockerfile', '.'],
        ['windows/amd64:ltsc2022', 'docker/Dockerfile.windows', '.'],
      ],
      { dockerfile: 'docker/Dockerfile', windows: { dockerfile: 'docker/Dockerfile.windows' } },
    ],
    [
      'a file per Windows release',
      [
        ['linux/amd64', 'app/Dockerfile', 'app'],
        ['windows/amd64:ltsc2022', 'windows/ltsc2022/Dockerfile', '.'],
        ['windows/amd64:ltsc2025', 'windows/ltsc2025/Dockerfile', '.'],
      ],
      { context: 'app' },
    ],
    [
      'Windows only, not at the default path',
      [['windows/amd64:ltsc2022', 'Dockerfile.windows', '.']],
      { dockerfile: 'Dockerfile.windows' },
    ],
  ])('%s: writes the fewest fields that load back the same', (_what, places, top) => {
    const text = renderInitConfig(
      {
        platforms: places.map(([platform, dockerfile, context]) => ({
          platform,
          dockerfile,
          context,
        })),
        notes: [],
      },
      { image: 'ghcr.io/a/b', context: '.', source: 'test' },
    );
    const config = loadConfig(text);
    expect(config.images[0]!.legs.map((l): Place => [l.name, l.dockerfile, l.context])).toEqual(
      places,
    );
    const data = parse(text) as Record<string, unknown>;
    const { image: _image, platforms: _platforms, ...rest } = data;
    expect(rest).toEqual(top);
  });
});

describe('init helpers', () => {
  it('finds the shallowest Dockerfile', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-find-'));
    mkdirSync(path.join(dir, 'svc', 'api'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(path.join(dir, 'svc', 'api', 'Dockerfile'), 'FROM alpine\n');
    writeFileSync(path.join(dir, 'svc', 'Containerfile'), 'FROM alpine\n');
    writeFileSync(path.join(dir, 'node_modules', 'x', 'Dockerfile'), 'FROM alpine\n');
    expect(findDockerfiles(dir)).toEqual(['svc/Containerfile', 'svc/api/Dockerfile']);
  });

  it.each([
    // fluent/fluent-bit vendors libraries (with their own Dockerfiles) under lib/.
    ['lib/cmetrics/dockerfiles/Dockerfile.centos7', false],
    ['src/nghttp2-1.65.0/Dockerfile.android', false],
    ['modules/agent/Dockerfile', false],
    ['deps/zlib/Dockerfile', false],
    ['images/app/Dockerfile', true],
    ['src/app-1/Dockerfile', true],
  ])('%s is looked at: %s (vendored copies and submodules are not)', (file, found) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-find-'));
    mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(dir, file), 'FROM alpine\n');
    writeFileSync(path.join(dir, '.gitmodules'), '[submodule "agent"]\n\tpath = modules/agent\n');
    expect(findDockerfiles(dir)).toEqual(found ? [file] : []);
  });

  it('guesses ghcr.io/<owner>/<repo>, lowercased, from the environment or the git remote', () => {
    expect(guessImage('/nonexistent', { GITHUB_REPOSITORY: 'Acme/Web-App' })).toBe(
      'ghcr.io/acme/web-app',
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-git-'));
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(
      path.join(dir, '.git', 'config'),
      '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:Acme/Tool.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
    );
    expect(guessImage(dir)).toBe('ghcr.io/acme/tool');
  });
});
