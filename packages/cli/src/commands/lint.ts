import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatPlatform,
  parsePlatform,
  parsePlatformList,
  XplatError,
  type Platform,
} from '@xplat/core';
import {
  formatFinding,
  hostOsVersionForRunner,
  lintDockerfile,
  parseDockerfile,
  type Finding,
  type LintOptions,
} from '@xplat/dockerfile';
import type { Command } from '../command.js';

const usage = `usage: xplat lint [--file Dockerfile] [--context .] [--platform P ...] [options]

Lint a Dockerfile for each platform it is built for (the same check build-platform-image
runs first): only the stages that platform's target reaches, each for its own OS.
Exit code 1 when any finding is an error.

  --file F              the Dockerfile (default: Dockerfile in --context)
  --context DIR         build context, read for script and .gitattributes checks (default .)
  --platform P          linux/amd64, linux/arm64, windows/amd64:ltsc2022 (repeat or
                        comma-separate; default linux/amd64)
  --target T            the stage to build (default: the last one)
  --build-arg K=V       build argument (repeat; K alone takes it from the environment)
  --runner R            the GitHub runner label (windows-2022, windows-2025, ubuntu-24.04):
                        gives the build platform and the Windows host build
  --host-os-version V   Windows host build, e.g. 10.0.20348.2849 (overrides --runner)
  --build-platform P    the platform the build runs on (default: native, as xplat builds)
  --builder B           buildx, buildkit or classic (default: classic for Windows)
  --engine-version V    Docker Engine version, for flags older engines reject
  --json                print the findings as JSON`;

const BUILDERS = ['buildx', 'buildkit', 'classic'] as const;

/** KEY=VALUE pairs; a bare KEY takes its value from the environment, as docker build does. */
export function parseBuildArgs(
  items: readonly string[],
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = (eq >= 0 ? item.slice(0, eq) : item).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new XplatError(`"${item}" is not KEY=VALUE (e.g. VERSION=1.2.3)`, 'build-arg');
    }
    const value = eq >= 0 ? item.slice(eq + 1) : env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The OS of a GitHub runner label, when the label says. */
function runnerOs(runner: string): Platform['os'] | undefined {
  if (/^windows/i.test(runner)) return 'windows';
  if (/^(ubuntu|linux)/i.test(runner)) return 'linux';
  return undefined;
}

/**
 * The platform a build for `platform` runs on: the runner's when the runner is of the
 * same OS, else native (xplat builds every platform on a runner of its own OS).
 */
function buildPlatformFor(platform: Platform, runner: string, explicit: string): Platform {
  if (explicit) return parsePlatform(explicit, 'build-platform');
  if (runner && runnerOs(runner) === platform.os) {
    if (platform.os === 'windows') {
      const host = hostOsVersionForRunner(runner);
      return { os: 'windows', architecture: 'amd64', ...(host ? { osVersion: host } : {}) };
    }
    return /arm/i.test(runner)
      ? { os: 'linux', architecture: 'arm64', variant: 'v8' }
      : { os: 'linux', architecture: 'amd64' };
  }
  return platform;
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'lint a Dockerfile for every platform it is built for',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f', default: '' },
        context: { type: 'string', default: '.' },
        platform: { type: 'string', multiple: true, default: [] },
        target: { type: 'string', default: '' },
        'build-arg': { type: 'string', multiple: true, default: [] },
        runner: { type: 'string', default: '' },
        'host-os-version': { type: 'string', default: '' },
        'build-platform': { type: 'string', default: '' },
        builder: { type: 'string', default: '' },
        'engine-version': { type: 'string', default: '' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 0) {
      throw new XplatError(
        `unexpected argument "${positionals[0]}"; pass the Dockerfile with --file and the context with --context`,
      );
    }
    const builder = values.builder.trim();
    if (builder && !(BUILDERS as readonly string[]).includes(builder)) {
      throw new XplatError(`"${builder}" is not a builder; use ${BUILDERS.join(', ')}`, 'builder');
    }
    const contextDir = path.resolve(io.cwd, values.context);
    const shownFile = values.file || path.join(values.context, 'Dockerfile');
    const filePath = path.resolve(io.cwd, shownFile);
    const text = await readFile(filePath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new XplatError(
        error.code === 'ENOENT'
          ? `${shownFile} does not exist; pass the Dockerfile with --file`
          : `cannot read ${shownFile}: ${error.message}`,
        'file',
      );
    });
    const platforms = parsePlatformList(
      values.platform.length ? values.platform.join(',') : 'linux/amd64',
      'platform',
    );
    const buildArgs = parseBuildArgs(values['build-arg'], io.env);
    const parsed = parseDockerfile({ file: shownFile, text });

    const results: { platform: string; findings: Finding[] }[] = [];
    for (const platform of platforms) {
      const options: LintOptions = {
        platform,
        buildPlatform: buildPlatformFor(platform, values.runner, values['build-platform']),
        buildArgs,
        contextDir,
        ...(values.target ? { target: values.target } : {}),
        ...(values.runner && platform.os === 'windows' ? { runner: values.runner } : {}),
        ...(values['host-os-version'] && platform.os === 'windows'
          ? { hostOsVersion: values['host-os-version'] }
          : {}),
        ...(builder ? { builder: builder as LintOptions['builder'] & string } : {}),
        ...(values['engine-version'] ? { engineVersion: values['engine-version'] } : {}),
      };
      results.push({
        platform: formatPlatform(platform),
        findings: await lintDockerfile(parsed, options),
      });
    }

    const all = results.flatMap((r) => r.findings);
    const errors = all.filter((f) => f.severity === 'error').length;
    const warnings = all.length - errors;
    if (values.json) {
      io.stdout(JSON.stringify({ file: shownFile, errors, warnings, platforms: results }, null, 2));
    } else {
      const lines: string[] = [];
      for (const r of results) {
        const e = r.findings.filter((f) => f.severity === 'error').length;
        const w = r.findings.length - e;
        lines.push(
          r.findings.length === 0
            ? `${r.platform}: no findings`
            : `${r.platform}: ${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`,
        );
        for (const f of r.findings) lines.push(`  ${formatFinding(f)}`);
      }
      io.stdout(lines.join('\n'));
    }
    return errors > 0 ? 1 : 0;
  },
};
