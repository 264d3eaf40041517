import { describe, expect, it } from '@jest/globals';
import {
  isLinuxOnlyImageName,
  isWindowsImageName,
  splitImage,
  windowsReleaseOfTag,
} from '@xplat/dockerfile';

describe('image names', () => {
  it.each([
    ['alpine', { repository: 'alpine' }],
    ['docker.io/library/alpine:3.20', { repository: 'alpine', tag: '3.20' }],
    [
      '127.0.0.1:5000/app:1@sha256:ab',
      { repository: '127.0.0.1:5000/app', tag: '1', digest: 'sha256:ab' },
    ],
    ['127.0.0.1:5000/app', { repository: '127.0.0.1:5000/app' }],
  ])('splits %s', (image, expected) => {
    expect(splitImage(image)).toEqual(expected);
  });

  it.each([
    ['ltsc2022', '10.0.20348'],
    ['8.0-nanoserver-ltsc2025', '10.0.26100'],
    ['1809', '10.0.17763'],
    ['nanoserver-1809-amd64', '10.0.17763'],
    ['10.0.20348.2849', '10.0.20348.2849'],
    ['20H2', '10.0.19042'],
    ['8.0', undefined],
    ['latest', undefined],
  ])('tag %s names release %s', (tag, release) => {
    expect(windowsReleaseOfTag(tag)).toBe(release);
  });

  it.each([
    ['mcr.microsoft.com/windows/nanoserver:ltsc2022', true, false],
    ['mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022', true, false],
    ['mcr.microsoft.com/dotnet/aspnet:8.0', false, false],
    ['golang:1.23', false, false],
    ['golang:1.23-alpine', false, true],
    ['busybox', false, true],
    ['gcr.io/distroless/static-debian12', false, true],
    ['python:3.12-slim-bookworm', false, true],
  ])('%s: windows %s, linux-only %s', (image, windows, linuxOnly) => {
    const ref = splitImage(image);
    expect([isWindowsImageName(ref), isLinuxOnlyImageName(ref)]).toEqual([windows, linuxOnly]);
  });
});
