import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { XplatError } from '@xplat/core';
import {
  type CredentialOptions,
  dockerConfigPath,
  explicitCredentials,
  resolveCredentials,
} from '../src/internal/credentials.js';

let root: string;
let bin: string;
let savedPath: string | undefined;

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A config.json in a fresh folder; returns options that point there and collect secrets. */
async function config(
  json: unknown,
): Promise<CredentialOptions & { secrets: string[]; path: string }> {
  const dir = await mkdtemp(join(root, 'cfg-'));
  const path = join(dir, 'config.json');
  await writeFile(path, typeof json === 'string' ? json : JSON.stringify(json));
  const secrets: string[] = [];
  return { env: { DOCKER_CONFIG: dir }, onSecret: (s) => secrets.push(s), secrets, path };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'xplat-creds-'));
  bin = join(root, 'bin');
  await mkdir(bin);
  // A real credential helper, as docker runs them: `get` with the server URL on stdin.
  const helper = `#!/bin/sh
[ "$1" = get ] || { echo "unexpected command $1" >&2; exit 2; }
read -r server
printf '%s\\n' "$server" >> "${join(root, 'helper-calls')}"
case "$server" in
  reg.example:5000) printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}' "$server" ;;
  https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"hub-user","Secret":"hub-secret"}' "$server" ;;
  token.example) printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-me"}' "$server" ;;
  broken.example) echo "keychain is locked" >&2; exit 3 ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;
  await writeFile(join(bin, 'docker-credential-test'), helper);
  await chmod(join(bin, 'docker-credential-test'), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${savedPath ?? ''}`;
});

afterAll(async () => {
  process.env.PATH = savedPath;
  await rm(root, { recursive: true, force: true });
});

describe('config.json auths', () => {
  it.each([
    [
      'base64 auth',
      { auths: { 'reg.example:5000': { auth: b64('alice:s3cr:et') } } },
      'reg.example:5000',
      'alice',
      's3cr:et',
    ],
    [
      'username and password fields',
      { auths: { 'reg.example:5000': { username: 'bob', password: 'pw' } } },
      'reg.example:5000',
      'bob',
      'pw',
    ],
    [
      'a key with scheme and path',
      { auths: { 'https://reg.example:5000/v2/': { auth: b64('carol:pw') } } },
      'reg.example:5000',
      'carol',
      'pw',
    ],
    [
      'Docker Hub under its v1 URL',
      { auths: { 'https://index.docker.io/v1/': { auth: b64('dan:pw') } } },
      'docker.io',
      'dan',
      'pw',
    ],
    [
      'Docker Hub by alias',
      { auths: { 'https://index.docker.io/v1/': { auth: b64('dan:pw') } } },
      'index.docker.io',
      'dan',
      'pw',
    ],
    [
      'case-insensitive host',
      { auths: { 'REG.example:5000': { auth: b64('eve:pw') } } },
      'reg.example:5000',
      'eve',
      'pw',
    ],
  ])('%s', async (_name, json, registry, username, password) => {
    const options = await config(json);
    const found = await resolveCredentials(registry, options);
    expect(found).toMatchObject({ username, password, input: options.path });
    expect(found?.source).toMatch(/^auths\[".*"\]$/);
    expect(options.secrets).toContain(password);
  });

  it('reads an identity token', async () => {
    const options = await config({
      auths: { 'reg.example:5000': { auth: b64('<token>:'), identitytoken: 'idt' } },
    });
    expect(await resolveCredentials('reg.example:5000', options)).toMatchObject({
      identityToken: 'idt',
    });
    expect(options.secrets).toContain('idt');
  });

  it.each([
    ['no entry for the host', { auths: { 'other.example': { auth: b64('a:b') } } }],
    ['an empty entry (a credsStore login leaves these)', { auths: { 'reg.example:5000': {} } }],
    ['no auths at all', {}],
  ])('anonymous when %s', async (_name, json) => {
    expect(await resolveCredentials('reg.example:5000', await config(json))).toBeUndefined();
  });

  it('is anonymous when there is no config.json', async () => {
    expect(
      await resolveCredentials('reg.example:5000', {
        env: { DOCKER_CONFIG: join(root, 'nowhere') },
      }),
    ).toBeUndefined();
  });

  it.each([
    ['{ not json', /is not valid JSON/],
    ['[]', /is not a JSON object/],
    [JSON.stringify({ auths: [] }), /"auths" must be an object keyed by registry host/],
    [
      JSON.stringify({ auths: { 'reg.example:5000': { auth: b64('nocolon') } } }),
      /auths\["reg.example:5000"\]\.auth is not base64 of "username:password"/,
    ],
  ])('names the file when config.json is broken: %s', async (json, why) => {
    const options = await config(json);
    const error = await resolveCredentials('reg.example:5000', options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XplatError);
    expect((error as Error).message.startsWith(`${options.path}: `)).toBe(true);
    expect((error as Error).message).toMatch(why);
  });

  it('finds config.json through DOCKER_CONFIG, else ~/.docker', () => {
    expect(dockerConfigPath({ env: { DOCKER_CONFIG: '/x/y' } })).toBe(join('/x/y', 'config.json'));
    expect(dockerConfigPath({ env: {} })).toMatch(/\.docker[\\/]config\.json$/);
  });
});

describe('credential helpers (a real docker-credential-test on PATH)', () => {
  it('asks credHelpers[host] with the host on stdin', async () => {
    const options = await config({
      credHelpers: { 'reg.example:5000': 'test' },
      auths: { 'reg.example:5000': {} },
    });
    const found = await resolveCredentials('reg.example:5000', options);
    expect(found).toMatchObject({ username: 'helper-user', password: 'helper-secret' });
    expect(found?.source).toBe('credHelpers["reg.example:5000"] (docker-credential-test)');
    expect(options.secrets).toContain('helper-secret');
    const calls = await readFile(join(root, 'helper-calls'), 'utf8');
    expect(calls.trim().split('\n')).toContain('reg.example:5000');
  });

  it('passes Docker Hub as https://index.docker.io/v1/', async () => {
    const options = await config({ credHelpers: { 'https://index.docker.io/v1/': 'test' } });
    expect(await resolveCredentials('docker.io', options)).toMatchObject({
      username: 'hub-user',
      password: 'hub-secret',
    });
  });

  it('treats the <token> user as an identity token', async () => {
    const options = await config({ credHelpers: { 'token.example': 'test' } });
    const found = await resolveCredentials('token.example', options);
    expect(found).toMatchObject({ identityToken: 'refresh-me' });
    expect(found?.username).toBeUndefined();
  });

  it('uses credsStore for every host, and auths when the store has nothing', async () => {
    const options = await config({
      credsStore: 'test',
      auths: { 'plain.example': { auth: b64('filed:pw') } },
    });
    expect(await resolveCredentials('reg.example:5000', options)).toMatchObject({
      username: 'helper-user',
    });
    expect(await resolveCredentials('plain.example', options)).toMatchObject({
      username: 'filed',
      password: 'pw',
    });
    expect(await resolveCredentials('nothing.example', options)).toBeUndefined();
  });

  it('prefers credHelpers over credsStore', async () => {
    const options = await config({
      credsStore: 'missing-store',
      credHelpers: { 'reg.example:5000': 'test' },
    });
    expect(await resolveCredentials('reg.example:5000', options)).toMatchObject({
      username: 'helper-user',
    });
  });

  it('names config.json and the helper when the helper is not installed', async () => {
    const options = await config({ credsStore: 'nosuch' });
    const error = await resolveCredentials('reg.example:5000', options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XplatError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${options.path.replace(/[.\\]/g, '\\$&')}: credsStore "nosuch" needs docker-credential-nosuch, which could not be run`,
      ),
    );
  });

  it('reports a helper that fails for another reason', async () => {
    const options = await config({ credHelpers: { 'broken.example': 'test' } });
    await expect(resolveCredentials('broken.example', options)).rejects.toThrow(
      /docker-credential-test get broken.example failed \(exit 3\): keychain is locked/,
    );
  });

  it('refuses a helper name that is not one', async () => {
    const options = await config({ credsStore: 'a b; rm -rf' });
    await expect(resolveCredentials('reg.example:5000', options)).rejects.toThrow(
      /is not a credential helper name/,
    );
  });
});

describe('explicit credentials', () => {
  it('win over config.json, for their registry only when it is named', async () => {
    const options = await config({ auths: { 'reg.example:5000': { auth: b64('filed:pw') } } });
    const explicit = { username: 'input-user', password: 'input-pw', registry: 'reg.example:5000' };
    expect(await resolveCredentials('reg.example:5000', { ...options, explicit })).toMatchObject({
      username: 'input-user',
      source: 'the username and password inputs',
      input: 'username/password',
    });
    expect(await resolveCredentials('other.example', { ...options, explicit })).toBeUndefined();
    expect(options.secrets).toContain('input-pw');
  });

  it('must come as both or neither', () => {
    expect(explicitCredentials('', '')).toBeUndefined();
    expect(explicitCredentials(undefined, undefined)).toBeUndefined();
    expect(explicitCredentials(' u ', 'p')).toEqual({ username: 'u', password: 'p' });
    expect(() => explicitCredentials('u', '')).toThrow(
      'password: username is set but password is empty: give both or neither',
    );
    expect(() => explicitCredentials('', 'p')).toThrow(
      'username: password is set but username is empty: give both or neither',
    );
  });
});
