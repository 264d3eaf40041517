/** readInputs as a runner drives it: INPUT_* variables in, a record and add-mask lines out. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { readInputs } from '@xplat/action-runtime';

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
  process.env = { ...env };
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
