/**
 * QEMU user-mode emulation as the kernel has it registered (binfmt_misc): which foreign
 * Linux platforms this host's engine can run RUN steps for, and the command that
 * registers the missing ones (tonistiigi/binfmt, what docker/setup-qemu-action runs).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Step } from './steps.js';

export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';
export const DEFAULT_BINFMT_IMAGE = 'tonistiigi/binfmt:latest';

/** binfmt handler name (as qemu/binfmt register it) -> the platforms it runs. */
const HANDLER_PLATFORMS: Record<string, readonly string[]> = {
  'qemu-aarch64': ['linux/arm64'],
  'qemu-arm': ['linux/arm/v7', 'linux/arm/v6'],
  'qemu-x86_64': ['linux/amd64'],
  'qemu-i386': ['linux/386'],
  'qemu-ppc64le': ['linux/ppc64le'],
  'qemu-s390x': ['linux/s390x'],
  'qemu-riscv64': ['linux/riscv64'],
};

/** The name tonistiigi/binfmt --install takes for a platform's architecture. */
const INSTALL_NAMES: Record<string, string> = {
  arm64: 'arm64',
  arm: 'arm',
  amd64: 'amd64',
  '386': '386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export interface BinfmtHandler {
  readonly name: string;
  readonly enabled: boolean;
  readonly interpreter: string;
}

export interface BinfmtFacts {
  /** Whether binfmt_misc is mounted and switched on at all. */
  readonly available: boolean;
  readonly handlers: readonly BinfmtHandler[];
  /** Linux platforms an enabled QEMU handler runs. */
  readonly emulated: readonly string[];
}

/** One handler file: `enabled`, `interpreter /usr/bin/qemu-aarch64`, `flags: F`, ... */
export function parseBinfmtHandler(name: string, content: string): BinfmtHandler {
  const lines = content.split(/\r?\n/).map((l) => l.trim());
  return {
    name,
    enabled: lines[0] === 'enabled',
    interpreter:
      lines
        .find((l) => l.startsWith('interpreter '))
        ?.slice(12)
        .trim() ?? '',
  };
}

export function binfmtFacts(available: boolean, handlers: readonly BinfmtHandler[]): BinfmtFacts {
  const emulated = new Set<string>();
  for (const h of handlers) {
    if (!h.enabled) continue;
    // Docker Desktop and some distributions register without the qemu- prefix.
    const key = h.name.startsWith('qemu-') ? h.name : `qemu-${h.name}`;
    for (const p of HANDLER_PLATFORMS[key] ?? []) emulated.add(p);
  }
  return { available, handlers, emulated: [...emulated].sort() };
}

/** Reads the kernel's registrations; a host without binfmt_misc has none. */
export async function probeBinfmt(dir = BINFMT_DIR): Promise<BinfmtFacts> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return binfmtFacts(false, []);
  }
  let status = 'enabled';
  try {
    status = (await readFile(path.join(dir, 'status'), 'utf8')).trim();
  } catch {
    // An unreadable status file: trust the handlers' own flags.
  }
  const handlers: BinfmtHandler[] = [];
  for (const name of names) {
    if (name === 'register' || name === 'status') continue;
    try {
      handlers.push(parseBinfmtHandler(name, await readFile(path.join(dir, name), 'utf8')));
    } catch {
      // A handler removed while reading: not registered any more.
    }
  }
  return binfmtFacts(status === 'enabled', handlers);
}

/** `linux/arm64` -> `arm64`, the name binfmt --install takes. */
export function binfmtArchitecture(platform: string): string | undefined {
  const arch = platform.split('/')[1];
  return arch ? INSTALL_NAMES[arch] : undefined;
}

/**
 * Registers QEMU handlers for the architectures of `platforms`. A privileged container
 * is the only way to write to the host's binfmt_misc from a runner step; `--rm` so
 * nothing is left behind (the registrations themselves stay, as with setup-qemu-action).
 */
export function binfmtInstallStep(
  platforms: readonly string[],
  image = DEFAULT_BINFMT_IMAGE,
): Step {
  const arches = [...new Set(platforms.map(binfmtArchitecture).filter((a): a is string => !!a))];
  return {
    title: `register QEMU emulation for ${platforms.join(', ')}`,
    args: ['run', '--privileged', '--rm', image, '--install', arches.join(',')],
    stream: true,
  };
}
