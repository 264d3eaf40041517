/**
 * A docker CLI that runs nothing: each call is logged and fails. A test points
 * XPLAT_DOCKER at it to prove a step asked the engine nothing (a skip, an input refused
 * before anything runs).
 */
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface DockerStandIn {
  /** The binary, for XPLAT_DOCKER. */
  readonly docker: string;
  /** Every call so far, one line of arguments each. */
  calls(): Promise<string>;
}

export async function dockerStandIn(): Promise<DockerStandIn> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xplat-no-docker-'));
  const log = path.join(dir, 'calls.log');
  const docker = path.join(dir, 'docker');
  await writeFile(log, '');
  await writeFile(docker, `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\nexit 1\n`);
  await chmod(docker, 0o755);
  return { docker, calls: () => readFile(log, 'utf8') };
}
