import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePlatform, type Platform } from '@xplat/core';
import { type ParsedDockerfile, parseDockerfile } from '@xplat/dockerfile';
import type { StagePlanOptions } from '../src/types.js';

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixturePath(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}

/** The common multi-stage pattern: fixtures/multi-os/Dockerfile. */
export function multiOs(): ParsedDockerfile {
  return parseDockerfile({
    file: 'Dockerfile',
    text: readFileSync(fixturePath('multi-os', 'Dockerfile'), 'utf8'),
  });
}

/** Parse Dockerfile text given as lines (file name "Dockerfile"). */
export function df(...lines: string[]): ParsedDockerfile {
  return parseDockerfile({ file: 'Dockerfile', text: `${lines.join('\n')}\n` });
}

/** A native build: the build platform is the target platform. */
export function native(platform: string, extra: Partial<StagePlanOptions> = {}): StagePlanOptions {
  const p: Platform = parsePlatform(platform);
  return { platform: p, buildPlatform: p, ...extra };
}
