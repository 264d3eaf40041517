/**
 * Registry credentials for CLI commands: --username with the password from
 * --password-stdin or XPLAT_PASSWORD (never a flag: it would sit in shell
 * history and `ps`); otherwise Docker's config.json, like `docker login` left it.
 */
import { XplatError, type Logger } from '@xplat/core';
import { createRegistryClient, type RegistryClient } from '@xplat/registry';
import { readFileSync } from 'node:fs';
import type { CliIO } from '../command.js';
import { bool, text, type FlagTable, type ParsedFlags } from '../flags.js';

export const registryFlags: FlagTable = [
  {
    flag: 'username',
    input: 'username',
    kind: 'string',
    value: 'NAME',
    help: 'registry user; the password from --password-stdin or XPLAT_PASSWORD (default: Docker config.json)',
  },
  { flag: 'password-stdin', kind: 'boolean', help: 'read the password from standard input' },
];

/**
 * A client per target registry; sources elsewhere use config.json. The password is read
 * once (standard input cannot be read twice), for commands that work on several images.
 */
export function registryClients(
  parsed: ParsedFlags,
  io: CliIO,
  logger: Logger = io.logger,
): (registry: string) => RegistryClient {
  const username = text(parsed, 'username');
  let password = io.env.XPLAT_PASSWORD ?? '';
  if (bool(parsed, 'password-stdin')) password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (password && !username)
    throw new XplatError('a password was given without --username', 'username');
  return (registry) =>
    createRegistryClient({
      logger,
      credentials: username ? { username, password, registry } : undefined,
    });
}
