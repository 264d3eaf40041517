import { describe, expect, it } from '@jest/globals';
import { XplatError } from '@xplat/core';
import {
  apiHost,
  formatReference,
  isLoopbackHost,
  manifestReference,
  parseReference,
  parseRepository,
  sameRepository,
  sha256Digest,
  validateDigest,
  validateTag,
} from '../src/index.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    [
      '127.0.0.1:5000/org/app:tag',
      { registry: '127.0.0.1:5000', repository: 'org/app', tag: 'tag' },
    ],
    [`ghcr.io/org/app@${D}`, { registry: 'ghcr.io', repository: 'org/app', digest: D }],
    [
      `ghcr.io/org/app:v1@${D}`,
      { registry: 'ghcr.io', repository: 'org/app', tag: 'v1', digest: D },
    ],
    ['app', { registry: 'docker.io', repository: 'library/app' }],
    ['app:1.0', { registry: 'docker.io', repository: 'library/app', tag: '1.0' }],
    ['org/app', { registry: 'docker.io', repository: 'org/app' }],
    ['docker.io/app', { registry: 'docker.io', repository: 'library/app' }],
    ['index.docker.io/org/app:x', { registry: 'docker.io', repository: 'org/app', tag: 'x' }],
    ['registry-1.docker.io/library/app', { registry: 'docker.io', repository: 'library/app' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    [
      'localhost:5000/a/b/c:latest',
      { registry: 'localhost:5000', repository: 'a/b/c', tag: 'latest' },
    ],
    ['[::1]:5000/app:1', { registry: '[::1]:5000', repository: 'app', tag: '1' }],
    ['Registry.Example.com/app', { registry: 'registry.example.com', repository: 'app' }],
    [
      'example.com/a_b/c__d/e-f/g--h/i.j',
      { registry: 'example.com', repository: 'a_b/c__d/e-f/g--h/i.j' },
    ],
    [
      '  127.0.0.1:5000/app:Tag_1.2-rc  ',
      { registry: '127.0.0.1:5000', repository: 'app', tag: 'Tag_1.2-rc' },
    ],
    [
      `localhost:5000/app:${'t'.repeat(128)}`,
      { registry: 'localhost:5000', repository: 'app', tag: 't'.repeat(128) },
    ],
  ])('%s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['a b', 'it contains whitespace'],
    ['https://ghcr.io/org/app', 'leave out the URL scheme'],
    ['App', 'repository names must be lowercase ("App")'],
    ['ghcr.io/Org/app', 'repository names must be lowercase ("Org")'],
    ['ghcr.io/org/-app', '"-app" may only hold lowercase letters'],
    ['ghcr.io/org/a..b', '"a..b" may only hold'],
    ['ghcr.io//app', 'empty component'],
    ['ghcr.io/app/', 'empty component'],
    ['ghcr.io/', 'the repository name is empty'],
    ['app:', 'the tag after ":" is empty'],
    ['app:-x', 'the tag "-x" may only hold'],
    ['localhost:5000/app:a/b', 'the tag "a/b" may only hold'],
    ['app:a/b', '"app:a" is not a registry host'],
    [`app:${'t'.repeat(129)}`, 'longer than 128 characters'],
    ['app@sha256:abc', 'it has 3 hex characters after "sha256:", not 64'],
    [`app@sha512:${'a'.repeat(128)}`, 'algorithm "sha512" is not supported'],
    [`app@sha256:${'A'.repeat(64)}`, 'the hex must be lowercase'],
    ['app@latest', 'it has no algorithm prefix'],
    ['a'.repeat(64), 'image ID'],
    ['bad_host:5000/app', 'is not a registry host'],
    [`example.com/${'a/'.repeat(130)}a`, 'longer than 255 characters'],
  ])('rejects %p: %s', (text, why) => {
    let error: unknown;
    try {
      parseReference(text, 'sources');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XplatError);
    const message = (error as XplatError).message;
    expect(message).toContain(why);
    expect(message.startsWith('sources: ')).toBe(true);
    expect(message).not.toContain('\n');
    expect((error as XplatError).input).toBe('sources');
  });

  it('formats back to the fully qualified form', () => {
    expect(formatReference(parseReference('app'))).toBe('docker.io/library/app');
    expect(formatReference(parseReference(`127.0.0.1:5000/org/app:v1@${D}`))).toBe(
      `127.0.0.1:5000/org/app:v1@${D}`,
    );
    for (const text of ['127.0.0.1:5000/org/app:tag', `ghcr.io/org/app@${D}`, '[::1]:5000/app:1']) {
      expect(formatReference(parseReference(text))).toBe(text);
    }
  });

  it('asks for the digest first, then the tag, then latest', () => {
    expect(manifestReference(parseReference(`a:b@${D}`))).toBe(D);
    expect(manifestReference(parseReference('a:b'))).toBe('b');
    expect(manifestReference(parseReference('a'))).toBe('latest');
  });

  it('knows where Docker Hub is served from', () => {
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('index.docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });
});

describe('parseRepository', () => {
  it('takes a repository', () => {
    expect(parseRepository('127.0.0.1:5000/org/app')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'org/app',
    });
  });
  it.each(['127.0.0.1:5000/org/app:v1', `127.0.0.1:5000/org/app@${D}`])(
    'refuses %s, naming the input',
    (text) => {
      expect(() => parseRepository(text)).toThrow(
        /^image: .* must name a repository without a tag or digest/,
      );
    },
  );
});

describe('digests', () => {
  it('accepts sha256 digests', () => {
    expect(validateDigest(` ${D} `)).toBe(D);
  });
  it.each([
    ['a'.repeat(64), 'the "sha256:" prefix is missing'],
    ['sha256:', 'it has 0 hex characters'],
    [`sha256:${'a'.repeat(63)}`, 'it has 63 hex characters'],
    [`sha256:${'g'.repeat(64)}`, 'it has characters that are not hex'],
    [`sha384:${'a'.repeat(96)}`, 'algorithm "sha384" is not supported'],
    ['latest', 'it has no algorithm prefix'],
  ])('rejects %p: %s', (text, why) => {
    expect(() => validateDigest(text, 'sources')).toThrow(
      new RegExp(
        `^sources: ".*" is not a valid digest: ${why.replace(/[()"]/g, '.')}.*\\(expected sha256: followed by 64 lowercase hex characters\\)$`,
      ),
    );
  });
  it('computes sha256 over exact bytes', () => {
    expect(sha256Digest(Buffer.from(''))).toBe(
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});

describe('validateTag', () => {
  it.each(['latest', 'v1.2.3', 'linux-amd64-1a2b3c4', '_x'])('accepts %s', (tag) => {
    expect(validateTag(tag)).toBe(tag);
  });
  it.each([
    ['', 'empty'],
    ['.x', 'may only hold'],
    ['a:b', 'may only hold'],
    ['t'.repeat(129), 'longer than 128'],
  ])('rejects %p', (tag, why) => {
    expect(() => validateTag(tag, 'tags')).toThrow(new RegExp(`^tags: .*${why}`));
  });
});

describe('sameRepository', () => {
  it('folds Docker Hub aliases and host case', () => {
    const a = { registry: 'index.docker.io', repository: 'library/app' };
    expect(sameRepository(a, parseRepository('app'))).toBe(true);
    expect(
      sameRepository({ registry: 'GHCR.io', repository: 'o/a' }, parseRepository('ghcr.io/o/a')),
    ).toBe(true);
    expect(sameRepository(parseRepository('ghcr.io/o/a'), parseRepository('ghcr.io/o/b'))).toBe(
      false,
    );
  });
});

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'LOCALHOST:5000',
    '127.0.0.1',
    '127.1.2.3:5000',
    '[::1]',
    '[::1]:5000',
    '::1',
  ])('%s is this machine', (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each(['ghcr.io', '10.0.0.1:5000', 'localhost.example.com', '128.0.0.1', '[::2]'])(
    '%s is not',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});
