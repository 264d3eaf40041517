/**
 * Credentials for a registry: from explicit inputs, or from Docker's config.json the way
 * the docker CLI finds them (credHelpers, then credsStore, then auths), so a runner that
 * ran `docker login` (or docker/login-action) needs no extra inputs.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { getExecOutput } from '@actions/exec';
import { XplatError, errorMessage, silentLogger } from '@xplat/core';
import type { RegistryLogger } from './logger.js';
import { DOCKER_HUB, normalizeRegistry } from '@xplat/oci';

export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user). */
  identityToken?: string;
  /** A bearer token to send as is (`registrytoken`). */
  registryToken?: string;
  /** Where they came from, for messages: `the username and password inputs`, `auths["host"]`. */
  source: string;
  /** The input or file an error should name: `username/password`, `/home/u/.docker/config.json`. */
  input: string;
}

export interface ExplicitCredentials {
  username: string;
  password: string;
  /**
   * The registry they are for (`docker.io` for Docker Hub). Without it they are offered
   * to every registry that asks for a login, as `docker login` credentials are not:
   * give it whenever the registry is known.
   */
  registry?: string;
}

export interface CredentialOptions {
  /** Credentials given as inputs; they win over config.json for their registry. */
  explicit?: ExplicitCredentials;
  /** Folder holding config.json; default `$DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfigDir?: string;
  /** Environment to read DOCKER_CONFIG from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Called with every secret found, so the caller can mask it in logs. */
  onSecret?: (secret: string) => void;
  logger?: RegistryLogger;
}

/** The key docker uses for Docker Hub in config.json and with credential helpers. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';

/**
 * Validate the `username`/`password` inputs: both or neither. Returns undefined for
 * neither; the names in errors are the caller's input names.
 */
export function explicitCredentials(
  username: string | undefined,
  password: string | undefined,
  names: { username: string; password: string } = { username: 'username', password: 'password' },
): ExplicitCredentials | undefined {
  const user = username?.trim() ?? '';
  const pass = password ?? '';
  if (!user && !pass) return undefined;
  if (!pass) {
    throw new XplatError(
      `${names.username} is set but ${names.password} is empty: give both or neither`,
      names.password,
    );
  }
  if (!user) {
    throw new XplatError(
      `${names.password} is set but ${names.username} is empty: give both or neither`,
      names.username,
    );
  }
  return { username: user, password: pass };
}

/** Where config.json is: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(
  options: Pick<CredentialOptions, 'dockerConfigDir' | 'env'> = {},
): string {
  const dir =
    options.dockerConfigDir ??
    (options.env ?? process.env).DOCKER_CONFIG ??
    join(homedir(), '.docker');
  return join(dir, 'config.json');
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/**
 * Credentials for `registry`, or undefined for anonymous access. Throws an XplatError
 * naming config.json when that file or a helper it names is broken.
 */
export async function resolveCredentials(
  registry: string,
  options: CredentialOptions = {},
): Promise<Credentials | undefined> {
  const logger = options.logger ?? silentLogger;
  const host = normalizeRegistry(registry);
  const secret = (value: string | undefined): void => {
    if (value) options.onSecret?.(value);
  };

  const given = options.explicit;
  if (given && (given.registry === undefined || normalizeRegistry(given.registry) === host)) {
    secret(given.password);
    logger.debug(`credentials for ${host}: the username and password inputs`);
    return {
      username: given.username,
      password: given.password,
      source: 'the username and password inputs',
      input: 'username/password',
    };
  }

  const path = dockerConfigPath(options);
  const config = await readDockerConfig(path);
  if (!config) return undefined;

  const helperKey = findKey(config.credHelpers, host);
  if (helperKey !== undefined) {
    const helper = config.credHelpers?.[helperKey] ?? '';
    const found = await fromHelper(helper, host, path, `credHelpers["${helperKey}"]`, secret);
    if (found) {
      logger.debug(`credentials for ${host}: ${found.source} in ${path}`);
      return found;
    }
  } else if (config.credsStore) {
    const found = await fromHelper(
      config.credsStore,
      host,
      path,
      `credsStore "${config.credsStore}"`,
      secret,
    );
    if (found) {
      logger.debug(`credentials for ${host}: ${found.source} in ${path}`);
      return found;
    }
  }

  const authKey = findKey(config.auths, host);
  if (authKey === undefined) return undefined;
  const found = fromAuthEntry(config.auths?.[authKey] ?? {}, `auths["${authKey}"]`, path, secret);
  if (found) logger.debug(`credentials for ${host}: ${found.source} in ${path}`);
  return found;
}

async function readDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new XplatError(`cannot be read: ${errorMessage(error)}`, path);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new XplatError(
      `is not valid JSON (${errorMessage(error)}); fix it or point DOCKER_CONFIG elsewhere`,
      path,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new XplatError('is not a JSON object; fix it or point DOCKER_CONFIG elsewhere', path);
  }
  const config = parsed as DockerConfig;
  for (const field of ['auths', 'credHelpers'] as const) {
    const value = config[field];
    if (
      value !== undefined &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw new XplatError(`"${field}" must be an object keyed by registry host`, path);
    }
  }
  if (config.credsStore !== undefined && typeof config.credsStore !== 'string') {
    throw new XplatError('"credsStore" must be the name of a credential helper', path);
  }
  return config;
}

/** The registry host a config.json key means: keys may carry a scheme and a path. */
function hostOfKey(key: string): string {
  const host = key.replace(/^https?:\/\//i, '').split('/')[0] ?? '';
  return normalizeRegistry(host);
}

/** The key of `map` for `host`: an exact match first, then any key naming the same host. */
function findKey(map: Record<string, unknown> | undefined, host: string): string | undefined {
  if (!map) return undefined;
  const keys = Object.keys(map);
  if (host === DOCKER_HUB && keys.includes(DOCKER_HUB_CONFIG_KEY)) return DOCKER_HUB_CONFIG_KEY;
  return keys.find((k) => k === host) ?? keys.find((k) => hostOfKey(k) === host);
}

function fromAuthEntry(
  entry: AuthEntry,
  source: string,
  input: string,
  secret: (value: string | undefined) => void,
): Credentials | undefined {
  if (typeof entry !== 'object' || entry === null) {
    throw new XplatError(`${source} must be an object`, input);
  }
  if (entry.registrytoken) {
    secret(entry.registrytoken);
    return { registryToken: entry.registrytoken, source, input };
  }
  let { username, password } = entry;
  if (entry.auth) {
    secret(entry.auth);
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      throw new XplatError(`${source}.auth is not base64 of "username:password"`, input);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  secret(password);
  if (entry.identitytoken) {
    secret(entry.identitytoken);
    return { ...(username ? { username } : {}), identityToken: entry.identitytoken, source, input };
  }
  if (!username && !password) return undefined; // an empty entry, as a credsStore login leaves
  return { username: username ?? '', password: password ?? '', source, input };
}

/**
 * Ask `docker-credential-<helper> get` for `host`: the server URL on stdin, JSON
 * `{ServerURL, Username, Secret}` on stdout. Run silently: its output holds the secret.
 */
async function fromHelper(
  helper: string,
  host: string,
  input: string,
  source: string,
  secret: (value: string | undefined) => void,
): Promise<Credentials | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) {
    throw new XplatError(
      `${source} names "${helper}", which is not a credential helper name`,
      input,
    );
  }
  const program = `docker-credential-${helper}`;
  const serverUrl = host === DOCKER_HUB ? DOCKER_HUB_CONFIG_KEY : host;
  let output;
  try {
    output = await getExecOutput(program, ['get'], {
      input: Buffer.from(serverUrl),
      silent: true,
      ignoreReturnCode: true,
    });
  } catch (error) {
    throw new XplatError(
      `${source} needs ${program}, which could not be run (${errorMessage(error).split('\n')[0]}); install it or remove that entry`,
      input,
    );
  }
  const said = `${output.stdout}\n${output.stderr}`;
  if (output.exitCode !== 0) {
    // Every helper says this when it holds nothing for the server (docker treats it the same).
    if (/credentials not found/i.test(said)) return undefined;
    const line = said.trim().split('\n')[0]?.slice(0, 200) ?? '';
    throw new XplatError(
      `${program} get ${serverUrl} failed (exit ${output.exitCode}): ${line}`,
      input,
    );
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(output.stdout) as typeof parsed;
  } catch {
    throw new XplatError(`${program} get ${serverUrl} did not print JSON`, input);
  }
  const username = typeof parsed.Username === 'string' ? parsed.Username : '';
  const value = typeof parsed.Secret === 'string' ? parsed.Secret : '';
  if (!value) return undefined;
  secret(value);
  const from = `${source} (${program})`;
  if (username === '<token>') return { identityToken: value, source: from, input };
  return { username, password: value, source: from, input };
}
