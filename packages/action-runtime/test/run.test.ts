/**
 * readInputs, runAction and runPost as a runner sees them: the INPUT_* variables they
 * read, the workflow commands they print and the exit code they leave. (The actions' own
 * tests run the bundles end to end.)
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { XplatError } from '@xplat/core';
import { readInputs, runAction, runPost } from '@xplat/action-runtime';

let printed: string[];
let write: typeof process.stdout.write;
const env = { ...process.env };

beforeEach(() => {
  printed = [];
  write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed.push(String(chunk).trimEnd());
    return true;
  }) as typeof process.stdout.write;
});

afterEach(() => {
  process.stdout.write = write;
  process.exitCode = 0;
  process.env = { ...env };
});

describe('runAction', () => {
  test('a main that returns leaves the step passing', async () => {
    await runAction(async () => undefined);
    expect(printed).toEqual([]);
    expect(process.exitCode ?? 0).toBe(0);
  });

  test('a throw fails the step with one line naming the input', async () => {
    await runAction(async () => {
      throw new XplatError('"x" is not a boolean: use true or false', 'push');
    });
    expect(printed).toEqual(['::error::push: "x" is not a boolean: use true or false']);
    expect(process.exitCode).toBe(1);
  });

  test('the failure hook runs first, sees the error, and cannot hide it', async () => {
    const seen: unknown[] = [];
    const boom = new Error('gate closed');
    await runAction(
      async () => {
        throw boom;
      },
      {
        onFailure: (error) => {
          seen.push(error);
          printed.push('hook');
          throw new Error('summary not writable');
        },
      },
    );
    expect(seen).toEqual([boom]);
    expect(printed).toEqual(['hook', '::warning::summary not writable', '::error::gate closed']);
    expect(process.exitCode).toBe(1);
  });
});

describe('runPost', () => {
  test('a throw is a warning worded by the step, never a failure', async () => {
    await runPost(
      async () => {
        throw new Error('no such container');
      },
      (message) => `could not remove container abc: ${message}`,
    );
    expect(printed).toEqual(['::warning::could not remove container abc: no such container']);
    expect(process.exitCode ?? 0).toBe(0);
  });
});

describe('readInputs', () => {
  test('every name of the list, keyed by input name, trimmed, empty when not given', () => {
    process.env['INPUT_IMAGE'] = '  ghcr.io/org/app \n';
    process.env['INPUT_EXPECTED-PLATFORMS'] = 'linux/amd64';
    process.env['INPUT_NOT-LISTED'] = 'x';
    expect(readInputs(['image', 'expected-platforms', 'dry-run'])).toEqual({
      image: 'ghcr.io/org/app',
      'expected-platforms': 'linux/amd64',
      'dry-run': '',
    });
    expect(printed).toEqual([]);
  });

  test('a secret is masked before it is returned; a multi-line one line by line', () => {
    process.env['INPUT_PASSWORD'] = 's3cret';
    process.env['INPUT_TLS-KEY'] =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    const raw = readInputs(['password', 'tls-key', 'username'], {
      secrets: ['password', 'tls-key', 'username'],
    });
    expect(raw.password).toBe('s3cret');
    expect(printed).toEqual([
      '::add-mask::s3cret',
      // The whole key, as a multi-line value, is escaped into one command.
      '::add-mask::-----BEGIN PRIVATE KEY-----%0AMIIEvQIBADANBgkq%0AhkiG9w0BAQEFAASC%0A-----END PRIVATE KEY-----',
      '::add-mask::MIIEvQIBADANBgkq',
      '::add-mask::hkiG9w0BAQEFAASC',
    ]);
  });
});
