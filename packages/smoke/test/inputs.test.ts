import { describe, expect, test } from '@jest/globals';
import { XplatError } from '@xplat/core';
import {
  checkProbePath,
  checkRunArgs,
  parseSmokeInputs,
  parseStatus,
  parseWords,
  requirePortForHttp,
  requireProbe,
  type SmokeInputs,
  smokeTimeout,
} from '@xplat/smoke';
import { statusMatches } from '../src/parse.js';

const base: SmokeInputs = { image: '127.0.0.1:5000/app:linux-amd64', port: '8080' };

describe('parseSmokeInputs', () => {
  test('defaults: an HTTP GET / expecting 200-399, host-dependent timeouts left to the plan', () => {
    const request = parseSmokeInputs(base);
    expect(request.http).toEqual({
      port: 8080,
      path: '/',
      method: 'GET',
      headers: {},
      expectStatus: { text: '200-399', ranges: [[200, 399]] },
    });
    expect(request.timeoutMs).toBeUndefined();
    expect(request.stopTimeoutSeconds).toBeUndefined();
    expect(request.network).toBe('auto');
    expect(request.expectGracefulStop).toBe(false);
    expect(request.oneShot).toBe(false);
  });

  test('every probe kind and option, as a user writes them', () => {
    const request = parseSmokeInputs({
      ...base,
      path: '/healthz',
      method: 'head',
      headers: 'Accept: application/json\nX-Probe: smoke',
      'expect-status': '200,204',
      'expect-body': '(?i)ok',
      'tcp-port': '9000',
      'expect-log': 'listening on',
      command: `sh -c "test -f /ready && echo 'it is ready'"`,
      'expect-output': 'ready',
      env: 'A=1\nB=two words=x',
      'run-args': '--memory 256m --init',
      timeout: '30s',
      'probe-timeout': '1500ms',
      'stop-timeout': '1500ms',
      'expect-graceful-stop': 'true',
    });
    expect(request.http?.method).toBe('HEAD');
    expect(request.http?.headers).toEqual({ Accept: 'application/json', 'X-Probe': 'smoke' });
    expect(request.http?.expectBody?.flags).toContain('i');
    expect(request.command).toEqual(['sh', '-c', "test -f /ready && echo 'it is ready'"]);
    expect(request.env).toEqual(['A=1', 'B=two words=x']);
    expect(request.runArgs).toEqual(['--memory', '256m', '--init']);
    expect(request.timeoutMs).toBe(30_000);
    expect(request.probeTimeoutMs).toBe(1500);
    expect(request.stopTimeoutSeconds).toBe(2);
    expect(request.expectGracefulStop).toBe(true);
  });

  test('one-shot: command is what the container runs; args is the same thing', () => {
    expect(
      parseSmokeInputs({
        image: 'app',
        'one-shot': 'true',
        command: '["app", "--version"]',
        'expect-output': 'v1',
      }).command,
    ).toEqual(['app', '--version']);
    expect(parseSmokeInputs({ image: 'app', 'one-shot': 'true' }).oneShot).toBe(true);
  });

  test('no image with a leg result: the image comes from the leg result when it runs', () => {
    const request = parseSmokeInputs({ port: '8080', 'result-file': 'legs/linux-amd64.json' });
    expect(request.image).toBe('');
    expect(request.resultFile).toBe('legs/linux-amd64.json');
  });

  test('skip: a reason and a leg result; nothing to check is needed, probes may still be given', () => {
    expect(
      parseSmokeInputs({ skip: ' no hosted ltsc2019 runner ', 'result-file': 'leg.json' }),
    ).toMatchObject({ skip: 'no hosted ltsc2019 runner', resultFile: 'leg.json', image: '' });
    expect(
      parseSmokeInputs({ ...base, skip: 'no runner', 'result-file': 'leg.json' }).http?.port,
    ).toBe(8080);
    expect(parseSmokeInputs(base).skip).toBeUndefined();
  });

  test('an image id (as build-platform-image outputs it) is accepted', () => {
    expect(parseSmokeInputs({ ...base, image: `sha256:${'a'.repeat(64)}` }).image).toBe(
      `sha256:${'a'.repeat(64)}`,
    );
  });

  // Each bad input is refused with one line that starts with the input's name.
  test.each<[string, SmokeInputs, string]>([
    [
      'image',
      { port: '80' },
      'image: is required: the image (tag, repo@digest or image id) to smoke-test, or result-file to test the image of a leg result',
    ],
    ['image', { image: 'app:latest extra', port: '80' }, 'whitespace'],
    ['image', { image: 'https://ghcr.io/acme/app', port: '80' }, 'URL scheme'],
    ['platform', { ...base, platform: 'linux/sparc' }, 'architecture "sparc" is not known'],
    ['platform', { ...base, platform: 'darwin/arm64' }, 'os "darwin" is not supported'],
    ['port', { ...base, port: 'http' }, 'not a port'],
    ['port', { ...base, port: '70000' }, 'from 1 to 65535'],
    ['tcp-port', { ...base, 'tcp-port': '0' }, 'not a port'],
    ['path', { ...base, path: 'healthz' }, 'must start with "/"'],
    ['path', { image: 'app', path: '/healthz', 'tcp-port': '80' }, 'needs port'],
    ['method', { ...base, method: 'GE T' }, 'not an HTTP method'],
    ['headers', { ...base, headers: 'Authorization Bearer x' }, '"Name: value"'],
    ['expect-status', { ...base, 'expect-status': 'ok' }, 'not an HTTP status'],
    ['expect-status', { ...base, 'expect-status': '600' }, 'outside the HTTP status codes'],
    ['expect-body', { ...base, 'expect-body': '(unclosed' }, 'not a valid regular expression'],
    ['expect-log', { ...base, 'expect-log': '[a-' }, 'not a valid regular expression'],
    ['expect-output', { ...base, 'expect-output': 'ok' }, 'give command too'],
    [
      'expect-exit-code',
      { image: 'app', 'one-shot': 'true', 'expect-exit-code': '256' },
      'whole number from 0 to 255',
    ],
    ['command', { ...base, command: 'sh -c "echo' }, 'unterminated " quote'],
    ['command', { ...base, command: '["sh", 1]' }, 'only strings'],
    ['env', { ...base, env: 'GOOD=1\n1BAD=2' }, '"1BAD=2" is not KEY=VALUE'],
    ['run-args', { ...base, 'run-args': '--rm' }, 'removes the container itself'],
    ['run-args', { ...base, 'run-args': '--network=bridge' }, 'use the network input'],
    ['network', { ...base, network: 'my net' }, 'not a network name'],
    ['network', { ...base, network: 'none' }, 'nothing to reach'],
    ['isolation', { ...base, isolation: 'fast' }, 'not one of auto, process, hyperv'],
    ['timeout', { ...base, timeout: 'soon' }, 'not a duration'],
    ['timeout', { ...base, timeout: '0' }, 'longer than zero'],
    ['timeout', { ...base, timeout: '2h' }, 'not a duration'],
    ['probe-timeout', { ...base, timeout: '10s', 'probe-timeout': '20s' }, 'longer than timeout'],
    ['stop-timeout', { ...base, 'stop-timeout': '-1' }, 'not a duration'],
    ['expect-graceful-stop', { ...base, 'expect-graceful-stop': 'maybe' }, 'not a boolean'],
    ['one-shot', { ...base, 'one-shot': 'sometimes' }, 'not a boolean'],
    ['port', { image: 'app', 'one-shot': 'true', port: '80' }, 'does not apply with one-shot'],
    [
      'args',
      { image: 'app', 'one-shot': 'true', command: 'a', args: 'b' },
      'either command or args',
    ],
    ['port', { image: 'app' }, 'nothing to check'],
    [
      'result-file',
      { skip: 'no runner' },
      'result-file: is required with skip: the leg result that records why the smoke test was skipped',
    ],
    ['skip', { skip: 'true', 'result-file': 'leg.json' }, 'skip: "true" is not a reason'],
    ['skip', { skip: 'a\nb', 'result-file': 'leg.json' }, 'must be one line'],
    ['skip', { skip: 'x'.repeat(201), 'result-file': 'leg.json' }, 'at most 200'],
    ['port', { skip: 'no runner', 'result-file': 'l.json', port: 'http' }, 'not a port'],
    ['log-lines', { ...base, 'log-lines': '0' }, 'whole number from 1'],
  ])('%s: %j is refused', (input, inputs, message) => {
    let error: unknown;
    try {
      parseSmokeInputs(inputs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XplatError);
    const text = (error as XplatError).message;
    expect(text.startsWith(`${input}: `)).toBe(true);
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
  });
});

describe('parsers', () => {
  test.each([
    ['200', 200, true],
    ['200', 201, false],
    ['2xx', 299, true],
    ['2xx,304', 304, true],
    ['200-204', 205, false],
  ])('status %s matches %d: %s', (text, status, expected) => {
    expect(statusMatches(parseStatus(text, 'expect-status'), status)).toBe(expected);
  });

  test.each<[string, string[]]>([
    ['a b  c', ['a', 'b', 'c']],
    [`sh -c 'echo "$HOME"; exit 3'`, ['sh', '-c', 'echo "$HOME"; exit 3']],
    ['echo "a \\"quoted\\" word" x\\ y', ['echo', 'a "quoted" word', 'x y']],
    ['""', ['']],
    ['["sh", "-c", "a b"]', ['sh', '-c', 'a b']],
  ])('words of %s', (text, words) => {
    expect(parseWords(text, 'command')).toEqual(words);
  });
});

describe('checks shared with typed requests (xplat run names its own fields)', () => {
  test.each<[string, () => unknown, string]>([
    ['smoke.path', () => checkProbePath('/a b', 'smoke.path'), 'must not contain whitespace'],
    ['smoke.path', () => checkProbePath('health', 'smoke.path'), 'must start with "/"'],
    [
      'smoke.run-args',
      () => checkRunArgs(['--memory', '64m', '--rm'], 'smoke.run-args'),
      '"--rm" is not allowed here',
    ],
    ['smoke.timeout', () => smokeTimeout('0s', 'smoke.timeout'), 'must be longer than zero'],
    [
      'smoke.expect-status',
      () => requirePortForHttp(['smoke.expect-status'], undefined),
      'is an HTTP check and needs port',
    ],
    ['smoke.timeout', () => smokeTimeout('61m', 'smoke.timeout'), 'the 60 minute limit'],
    [
      'smoke.port',
      () =>
        requireProbe(
          {
            skip: undefined,
            port: undefined,
            tcpPort: undefined,
            expectLog: false,
            command: undefined,
          },
          { port: 'smoke.port', command: 'smoke.command' },
        ),
      'nothing to check',
    ],
  ])('%s: %s', (input, check, message) => {
    expect(check).toThrow(
      new RegExp(`^${input.replace('.', '\\.')}: .*${message.replace(/[.*"]/g, '.')}`),
    );
  });

  test('what they accept comes back typed', () => {
    expect(checkProbePath('', 'smoke.path')).toBe('/');
    expect(checkRunArgs(['--memory', '64m'])).toEqual(['--memory', '64m']);
    expect(smokeTimeout('1500ms', 'smoke.timeout')).toBe(1500);
    expect(smokeTimeout('', 'smoke.timeout')).toBeUndefined();
    // A skip needs no probe.
    expect(() =>
      requireProbe({
        skip: 'no runner',
        port: undefined,
        tcpPort: undefined,
        expectLog: false,
        command: undefined,
      }),
    ).not.toThrow();
  });
});
