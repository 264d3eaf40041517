/**
 * Registry credentials for CLI commands: --username with the password from
 * --password-stdin or XPLAT_PASSWORD (never a flag: it would sit in shell
 * history and `ps`); otherwise Docker's config.json, like `docker login` left it.
 */
import { XplatError, type Logger } from '@xplat/core';
import { createRegistryClient, type RegistryClient } from '@xplat/registry';
import { readFileSync } from 'node:fs';
import type { CliIO } from '../command.js';

export const registryOptions = {
  username: { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
} as const;

export const registryUsage = `registry options:
  --username NAME       registry user; the password comes from --password-stdin or
                        XPLAT_PASSWORD. Without them Docker's config.json is used.
  --password-stdin      read the password from standard input`;

/** `registry` is the one registry the credentials are for; sources elsewhere use config.json. */
export function clientFromFlags(
  values: { username?: string | undefined; 'password-stdin'?: boolean | undefined },
  io: CliIO,
  registry: string,
  logger: Logger = io.logger,
): RegistryClient {
  let password = io.env.XPLAT_PASSWORD ?? '';
  if (values['password-stdin']) password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (password && !values.username)
    throw new XplatError('a password was given without --username', 'username');
  return createRegistryClient({
    logger,
    credentials: values.username ? { username: values.username, password, registry } : undefined,
  });
}
