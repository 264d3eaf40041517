/** The pieces of `xplat run` that turn flags into decisions: registries, engines, ids. */
import { describe, expect, it } from '@jest/globals';
import { endpointEnv, parseEngineFlags } from '../src/run/engines.js';
import { registryConfig, registryContainerArgs } from '../src/run/embedded-registry.js';
import { newRunId } from '../src/project.js';
import { retarget } from '../src/run/run-registry.js';

describe('retarget: xplat.yml image into the run registry', () => {
  it.each([
    ['ghcr.io/org/app', '127.0.0.1:5000', '127.0.0.1:5000/org/app'],
    ['ghcr.io/org/app', '127.0.0.1:5000/ci', '127.0.0.1:5000/ci/org/app'],
    ['ghcr.io/org/app', 'registry.example.com/team/x/', 'registry.example.com/team/x/org/app'],
    ['app', 'localhost:5000', 'localhost:5000/library/app'],
  ])('%s with --registry %s -> %s', (image, registry, want) => {
    expect(retarget(image, registry)).toBe(want);
  });

  it.each(['http://127.0.0.1:5000', '', 'bad host/x', 'UPPER.example.com/Team'])(
    'refuses %j, naming --registry',
    (registry) => {
      expect(() => retarget('ghcr.io/org/app', registry)).toThrow(/^--registry: /);
    },
  );
});

describe('--engine PLATFORM=ENDPOINT', () => {
  it('keys engines by the platform as xplat.yml names it', () => {
    expect(
      parseEngineFlags(['windows/amd64:ltsc2022=ssh://builder@winhost', 'linux/arm64/v8=arm-box']),
    ).toEqual({
      'windows/amd64:ltsc2022': 'ssh://builder@winhost',
      'linux/arm64': 'arm-box',
    });
  });
  it.each([
    ['winhost', /--engine: "winhost" is not PLATFORM=ENDPOINT/],
    ['windows/amd64:ltsc2022=', /is not PLATFORM=ENDPOINT/],
    ['windows/sparc=ssh://x', /^--engine: /],
  ])('refuses %s', (flag, message) => {
    expect(() => parseEngineFlags([flag])).toThrow(message);
  });
});

describe('endpointEnv: how the docker CLI reaches an engine', () => {
  const base = { DOCKER_HOST: 'unix:///local.sock', DOCKER_CONTEXT: 'old', PATH: '/bin' };
  it('a URL becomes DOCKER_HOST and drops the context', () => {
    expect(endpointEnv('ssh://builder@winhost', base)).toEqual({
      DOCKER_HOST: 'ssh://builder@winhost',
      PATH: '/bin',
    });
  });
  it('a context name becomes DOCKER_CONTEXT and drops DOCKER_HOST, which would override it', () => {
    expect(endpointEnv('winhost', base)).toEqual({ DOCKER_CONTEXT: 'winhost', PATH: '/bin' });
  });
  it('the local engine keeps the environment as it is', () => {
    expect(endpointEnv('local', base)).toEqual(base);
  });
});

describe('the embedded registry', () => {
  it('binds loopback only and keeps its storage where it is told', () => {
    const text = registryConfig('127.0.0.1:41000', '/p/.xplat/registry/data');
    expect(text).toContain('  addr: 127.0.0.1:41000\n');
    expect(text).toContain('    rootdirectory: "/p/.xplat/registry/data"\n');
  });
  it('the registry:2 fallback publishes on 127.0.0.1 only, or binds it itself on host networking', () => {
    expect(registryContainerArgs('r', 41000, '/s', undefined)).toEqual([
      'run',
      '--detach',
      '--name',
      'r',
      '--label',
      'xplat.run=registry',
      '-p',
      '127.0.0.1:41000:5000',
      '-e',
      'REGISTRY_STORAGE_DELETE_ENABLED=true',
      '-v',
      '/s:/var/lib/registry',
      'registry:2',
    ]);
    expect(registryContainerArgs('r', 41000, '/s', 'host')).toEqual(
      expect.arrayContaining(['--network', 'host', '-e', 'REGISTRY_HTTP_ADDR=127.0.0.1:41000']),
    );
  });
});

describe('run ids', () => {
  it('sort by time and are valid in a tag', () => {
    const id = newRunId(new Date('2026-12-01T10:15:00Z'));
    expect(id).toMatch(/^20261201-101500-[0-9a-f]{4}$/);
  });
});
