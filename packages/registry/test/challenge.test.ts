import { describe, expect, it } from '@jest/globals';
import { parseWwwAuthenticate, pickChallenge } from '../src/internal/challenge.js';

describe('parseWwwAuthenticate', () => {
  it.each([
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/app:pull,push"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/app:pull,push',
          },
        },
      ],
    ],
    [
      // Two scopes in one quoted value, separated by a space; commas inside quotes.
      'Bearer realm="https://ghcr.io/token", service="ghcr.io", scope="repository:a/b:pull repository:c:pull,push", error="insufficient_scope"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://ghcr.io/token',
            service: 'ghcr.io',
            scope: 'repository:a/b:pull repository:c:pull,push',
            error: 'insufficient_scope',
          },
        },
      ],
    ],
    [
      'bearer REALM=https://x/token,Service=reg',
      [{ scheme: 'bearer', params: { realm: 'https://x/token', service: 'reg' } }],
    ],
    [
      'Basic realm = "spaced" , charset="UTF-8"',
      [{ scheme: 'basic', params: { realm: 'spaced', charset: 'UTF-8' } }],
    ],
    ['Basic realm="say \\"hi\\", ok"', [{ scheme: 'basic', params: { realm: 'say "hi", ok' } }]],
    [
      'Basic realm="a", Bearer realm="https://b/token",service="b"',
      [
        { scheme: 'basic', params: { realm: 'a' } },
        { scheme: 'bearer', params: { realm: 'https://b/token', service: 'b' } },
      ],
    ],
    [
      'Negotiate, Basic realm="x"',
      [
        { scheme: 'negotiate', params: {} },
        { scheme: 'basic', params: { realm: 'x' } },
      ],
    ],
    [
      'Negotiate abc123==, Basic realm="x"',
      [
        { scheme: 'negotiate', params: {}, token68: 'abc123==' },
        { scheme: 'basic', params: { realm: 'x' } },
      ],
    ],
    ['Basic', [{ scheme: 'basic', params: {} }]],
    ['Bearer realm="unterminated', [{ scheme: 'bearer', params: { realm: 'unterminated' } }]],
    ['', []],
    [null, []],
  ])('%p', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});

describe('pickChallenge', () => {
  it('prefers Bearer with a realm, then Basic', () => {
    expect(pickChallenge(parseWwwAuthenticate('Basic realm="a", Bearer realm="b"'))?.scheme).toBe(
      'bearer',
    );
    expect(
      pickChallenge(parseWwwAuthenticate('Basic realm="a", Bearer service="no-realm"'))?.scheme,
    ).toBe('basic');
    expect(pickChallenge(parseWwwAuthenticate('Negotiate'))).toBeUndefined();
  });
});
