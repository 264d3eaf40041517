/** What the engine runs on: the facts that decide networking, isolation and timeouts. */
import { docker, type DockerOptions } from './docker.js';

export interface EngineHost {
  /** `linux` or `windows`: the kind of containers this engine runs. */
  readonly os: string;
  /** As the engine says it: x86_64, aarch64, ... */
  readonly architecture: string;
  /** Windows hosts: `10.0.<build>` read from the kernel version; empty on Linux. */
  readonly osVersion: string;
  readonly kernelVersion: string;
  /** Windows engines: the default isolation (`process` or `hyperv`). */
  readonly isolation: string;
  readonly serverVersion: string;
}

export const infoPlan = (): string[] => ['info', '--format', '{{json .}}'];

export async function engineHost(options: DockerOptions = {}): Promise<EngineHost> {
  return parseEngineInfo(await docker(infoPlan(), options));
}

interface RawInfo {
  OSType?: string;
  Architecture?: string;
  KernelVersion?: string;
  Isolation?: string;
  ServerVersion?: string;
}

export function parseEngineInfo(json: string): EngineHost {
  const raw = JSON.parse(json) as RawInfo;
  const os = (raw.OSType ?? '').toLowerCase();
  const kernelVersion = raw.KernelVersion ?? '';
  return {
    os,
    architecture: raw.Architecture ?? '',
    osVersion: os === 'windows' ? windowsOsVersion(kernelVersion) : '',
    kernelVersion,
    isolation: raw.Isolation ?? '',
    serverVersion: raw.ServerVersion ?? '',
  };
}

/**
 * A Windows engine reports its kernel as `10.0 20348 (20348.1.amd64fre.fe_release...)`;
 * the build is the second number.
 */
export function windowsOsVersion(kernelVersion: string): string {
  const match =
    /^(\d+)\.(\d+)\s+(\d+)/.exec(kernelVersion.trim()) ??
    /^(\d+)\.(\d+)\.(\d+)/.exec(kernelVersion.trim());
  return match ? `${match[1]}.${match[2]}.${match[3]}` : '';
}
