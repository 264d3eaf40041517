/**
 * The Windows base tags lint suggests: only tags the repository publishes for that
 * release (windows-tags.ts names the source of each), else the release without a tag.
 */
import { describe, expect, it } from '@jest/globals';
import { lintDockerfile, splitImage } from '@xplat/dockerfile';
import { suggestedWindowsImage } from '../src/lint/base-images.js';
import { isPublishedOrUnknown } from '../src/windows-tags.js';
import { df, native } from './helpers.js';

describe('suggested Windows base images', () => {
  it.each([
    // Nano Server of 2019 is 1809 only; Server Core has ltsc2019.
    [
      'mcr.microsoft.com/windows/nanoserver',
      'ltsc2019',
      'mcr.microsoft.com/windows/nanoserver:1809',
    ],
    [
      'mcr.microsoft.com/windows/nanoserver:1809',
      'ltsc2022',
      'mcr.microsoft.com/windows/nanoserver:ltsc2022',
    ],
    [
      'mcr.microsoft.com/windows/nanoserver',
      'ltsc2025',
      'mcr.microsoft.com/windows/nanoserver:ltsc2025',
    ],
    [
      'mcr.microsoft.com/windows/servercore:1809',
      'ltsc2019',
      'mcr.microsoft.com/windows/servercore:ltsc2019',
    ],
    [
      'mcr.microsoft.com/windows/servercore',
      'ltsc2025',
      'mcr.microsoft.com/windows/servercore:ltsc2025',
    ],
    ['microsoft/nanoserver', 'ltsc2019', 'mcr.microsoft.com/windows/nanoserver:1809'],
    ['microsoft/windowsservercore', 'ltsc2022', 'mcr.microsoft.com/windows/servercore:ltsc2022'],
    // windows/server starts with 2022; the full windows image ends with 1809.
    [
      'mcr.microsoft.com/windows/server',
      'ltsc2019',
      'an image of ltsc2019 (mcr.microsoft.com/windows/server has none)',
    ],
    ['mcr.microsoft.com/windows/server', 'ltsc2025', 'mcr.microsoft.com/windows/server:ltsc2025'],
    ['mcr.microsoft.com/windows:1809', 'ltsc2019', 'mcr.microsoft.com/windows:1809'],
    [
      'mcr.microsoft.com/windows:1809',
      'ltsc2022',
      'an image of ltsc2022 (mcr.microsoft.com/windows has none)',
    ],
    [
      'mcr.microsoft.com/windows/servercore/iis',
      'ltsc2019',
      'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019',
    ],
    // .NET: Nano Server 2019 is nanoserver-1809, Server Core 2019 windowsservercore-ltsc2019.
    [
      'mcr.microsoft.com/dotnet/aspnet:8.0',
      'ltsc2019',
      'mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-1809',
    ],
    [
      'mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022',
      'ltsc2025',
      'mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2025',
    ],
    [
      'mcr.microsoft.com/dotnet/runtime:8.0-windowsservercore-ltsc2022',
      'ltsc2019',
      'mcr.microsoft.com/dotnet/runtime:8.0-windowsservercore-ltsc2019',
    ],
    [
      'mcr.microsoft.com/dotnet/sdk',
      'ltsc2022',
      'mcr.microsoft.com/dotnet/sdk:<version>-nanoserver-ltsc2022',
    ],
    // .NET Framework: 4.8.1 is 2022 and 2025 only, 4.8 not on 2025.
    [
      'mcr.microsoft.com/dotnet/framework/aspnet:4.8',
      'ltsc2022',
      'mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022',
    ],
    [
      'mcr.microsoft.com/dotnet/framework/aspnet:4.8',
      'ltsc2025',
      'mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2025',
    ],
    [
      'mcr.microsoft.com/dotnet/framework/sdk:4.8.1',
      'ltsc2019',
      'mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2019',
    ],
    // PowerShell: lts tags for 1809 and ltsc2022 only.
    [
      'mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022',
      'ltsc2019',
      'mcr.microsoft.com/powershell:lts-nanoserver-1809',
    ],
    [
      'mcr.microsoft.com/powershell:lts-windowsservercore-1809',
      'ltsc2022',
      'mcr.microsoft.com/powershell:lts-windowsservercore-ltsc2022',
    ],
    [
      'mcr.microsoft.com/powershell:lts-windowsservercore-ltsc2022',
      'ltsc2019',
      'an image of ltsc2019 (mcr.microsoft.com/powershell has none)',
    ],
    [
      'mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022',
      'ltsc2025',
      'an image of ltsc2025 (mcr.microsoft.com/powershell has none)',
    ],
    // docker-library: ltsc2022/ltsc2025 variants; no 2019 one is suggested.
    ['golang:1.23', 'ltsc2022', 'golang:1.23-nanoserver-ltsc2022'],
    [
      'golang:1.23-windowsservercore-ltsc2022',
      'ltsc2025',
      'golang:1.23-windowsservercore-ltsc2025',
    ],
    ['golang:nanoserver-ltsc2022', 'ltsc2025', 'golang:nanoserver-ltsc2025'],
    ['golang:1.23', 'ltsc2019', 'an image of ltsc2019 (golang has none)'],
    ['python:3.13', 'ltsc2025', 'python:3.13-windowsservercore-ltsc2025'],
    ['winamd64/golang:1.23', 'ltsc2022', 'winamd64/golang:1.23-nanoserver-ltsc2022'],
    // Tags xplat does not know: the release, no tag.
    [
      'jenkins/agent:jdk17-nanoserver-1809',
      'ltsc2022',
      'a tag of jenkins/agent built for ltsc2022',
    ],
    [
      'example.com/agent:1.0-nanoserver-ltsc2022',
      'ltsc2025',
      'a tag of example.com/agent built for ltsc2025',
    ],
  ])('%s for %s: %s', (image, release, expected) => {
    expect(suggestedWindowsImage(splitImage(image), release)).toBe(expected);
  });

  it.each([
    ['mcr.microsoft.com/windows/nanoserver:1809', 'ltsc2019', true],
    ['mcr.microsoft.com/windows/nanoserver:ltsc2019', 'ltsc2019', false],
    ['mcr.microsoft.com/windows/servercore:ltsc2019', 'ltsc2019', true],
    ['mcr.microsoft.com/windows/server:ltsc2019', 'ltsc2019', false],
    ['example.com/agent:1.0-nanoserver-ltsc2019', 'ltsc2019', true],
  ] as const)('%s is published for %s: %s', (image, release, expected) => {
    expect(isPublishedOrUnknown(splitImage(image), release)).toBe(expected);
  });
});

describe('lint advises only published tags', () => {
  it.each([
    [
      'XP001',
      'on an ltsc2019 leg suggests nanoserver:1809',
      ['FROM mcr.microsoft.com/windows/nanoserver'],
      'windows/amd64:ltsc2019',
      /pin one: mcr\.microsoft\.com\/windows\/nanoserver:1809 \(or @sha256:<digest>\)$/,
    ],
    [
      'XP004',
      'a base ARG whose value names the release: nanoserver:1809, not nanoserver:ltsc2019',
      ['ARG BASE_IMAGE=nanoserver:ltsc2022', 'FROM mcr.microsoft.com/windows/${BASE_IMAGE}'],
      'windows/amd64:ltsc2019',
      /the release comes from ARG BASE_IMAGE \(now "nanoserver:ltsc2022"\): set it for this leg, build-args: \{ BASE_IMAGE: "nanoserver:1809" \}/,
    ],
    [
      'XP004',
      'nanoserver:ltsc${WIN_VERSION} cannot name 2019: no ARG value to advise, the 1809 image instead',
      ['ARG WIN_VERSION=2022', 'FROM mcr.microsoft.com/windows/nanoserver:ltsc${WIN_VERSION}'],
      'windows/amd64:ltsc2019',
      /use the ltsc2019 base for this leg \(e\.g\. mcr\.microsoft\.com\/windows\/nanoserver:1809, selected with a build arg per leg\)/,
    ],
    [
      'XP004',
      'windows/server has no 2019 image',
      ['FROM mcr.microsoft.com/windows/server:ltsc2022'],
      'windows/amd64:ltsc2019',
      /e\.g\. an image of ltsc2019 \(mcr\.microsoft\.com\/windows\/server has none\)/,
    ],
  ])('%s %s', async (rule, _name, lines, platform, message) => {
    const findings = await lintDockerfile(df(...lines), {
      ...native(platform),
      hostOsVersion: '10.0.17763.6414',
    });
    expect(findings.filter((f) => f.rule === rule).map((f) => f.message)).toEqual([
      expect.stringMatching(message),
    ]);
  });
});
