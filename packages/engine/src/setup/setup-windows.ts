/**
 * The plan on a Windows runner: the Windows engine's own (classic) builder, after the
 * containers mode, the architecture and every requested release have been checked
 * against the host build.
 */
import { formatPlatform, XplatError, type Platform } from '@xplat/core';
import { BUILDER_ENV } from '../platform-image/builders.js';
import type { HostFacts } from '../docker/capabilities.js';
import {
  hostRelease,
  runnableReleaseNames,
  windowsReleaseRefusal,
} from '../docker/windows-host.js';
import type { SetupRequest } from './setup-inputs.js';
import type { SetupPlan } from './setup-types.js';

export function planWindows(
  facts: HostFacts,
  request: SetupRequest,
  requested: readonly Platform[],
  notes: string[],
): SetupPlan {
  const host = facts.engine.osVersion;
  for (const p of requested) {
    if (p.os === 'linux')
      throw new XplatError(
        `${formatPlatform(p)}: Linux containers requested on a Windows runner; hosted Windows runners run Windows containers only (no Linux VM, no Hyper-V). Build it on ubuntu-24.04 (linux/amd64) or ubuntu-24.04-arm (linux/arm64)`,
        'platforms',
      );
    if (p.architecture !== facts.engine.architecture)
      throw new XplatError(
        `${formatPlatform(p)} cannot be built on this ${facts.engine.platform} host: Windows does not emulate other architectures`,
        'platforms',
      );
    // An engine that does not say its build leaves the check to the build itself.
    if (p.osVersion && host) {
      const refusal = windowsReleaseRefusal(host, p.osVersion, 'process', 'platforms');
      if (refusal) throw refusal;
    }
  }
  if (request.driver === 'docker-container' || request.driver === 'docker')
    throw new XplatError(
      `the ${request.driver} driver runs BuildKit through the engine, and the Windows engine has none; leave driver: auto (the engine's own builder)`,
      'driver',
    );
  if (request.append.length || request.endpoint || request.builder === 'buildx')
    throw new XplatError(
      'a Windows runner builds with its engine; run buildx with remote nodes from a Linux runner',
      request.append.length ? 'append' : request.endpoint ? 'endpoint' : 'builder',
    );
  if (request.builder === 'buildkit')
    throw new XplatError(
      "BuildKit does not build Windows containers on hosted runners; use builder: auto (the engine's classic builder)",
      'builder',
    );
  if (request.qemu === 'true')
    notes.push('qemu: QEMU emulation is for Linux platforms; ignored on Windows');
  const releases = runnableReleaseNames(host);
  const arch = facts.engine.architecture;
  return {
    kind: 'classic',
    name: '',
    create: false,
    steps: [],
    cleanup: [],
    files: [],
    platforms: releases.length
      ? releases.map((r) => `windows/${arch}:${r}`)
      : [`windows/${arch}:${hostRelease(host)}`],
    requested: requested.map(formatPlatform),
    hostPlatform: facts.engine.platform,
    hostOsVersion: host,
    runnableReleases: releases,
    windowsOnLinux: [],
    env: { [BUILDER_ENV]: 'classic' },
    notes,
  };
}
