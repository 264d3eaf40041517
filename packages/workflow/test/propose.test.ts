/** `xplat init`'s proposal: platforms from a Dockerfile's base images. */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  findDockerfiles,
  guessImage,
  loadConfig,
  proposeFromDockerfile,
  renderInitConfig,
} from '../src/index.js';

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
      { platform: 'windows/amd64:ltsc2025' },
    ]);
    expect(platforms('FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022\n')).toEqual([
      { platform: 'windows/amd64:ltsc2022' },
    ]);
  });

  it('proposes ltsc2019 on a self-hosted runner (no hosted runner has it)', () => {
    expect(platforms('FROM mcr.microsoft.com/windows/servercore:ltsc2019\n')).toEqual([
      { platform: 'windows/amd64:ltsc2019', runsOn: ['self-hosted', 'windows', 'ltsc2019'] },
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
    expect(proposal.platforms).toEqual([
      { platform: 'linux/amd64' },
      { platform: 'linux/arm64' },
      { platform: 'windows/amd64:ltsc2022', buildArgs: { WIN: 'ltsc2022' } },
      { platform: 'windows/amd64:ltsc2025', buildArgs: { WIN: 'ltsc2025' } },
    ]);
    expect(proposal.port).toBe(8080);
    // What init writes loads as a config.
    const config = loadConfig(
      renderInitConfig(proposal, { image: 'ghcr.io/a/b', context: '.', source: 'Dockerfile' }),
    );
    expect(config.legs.map((l) => l.name)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'windows/amd64:ltsc2022',
      'windows/amd64:ltsc2025',
    ]);
    expect(config.legs[3]!.smoke).toEqual({ port: 8080, path: '/' });
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
