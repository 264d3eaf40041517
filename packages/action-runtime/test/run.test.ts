/**
 * runAction and runPost as a runner sees them: the workflow commands they print and the
 * exit code they leave. (The actions' own tests run the bundles end to end.)
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { XplatError } from '@xplat/core';
import { runAction, runPost } from '@xplat/action-runtime';

let printed: string[];
let write: typeof process.stdout.write;

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
