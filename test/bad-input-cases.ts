/**
 * The bad inputs: each is refused by the bundled action or CLI before any engine or
 * registry is asked anything, in one line naming the input, flag, file or field.
 * `{REG}` is a listener on 127.0.0.1 that counts connections (see bad-input-harness.ts).
 */
import type { BadInputCase } from './bad-input-harness.js';

const DOCKERFILE = 'FROM scratch\nCOPY . /\n';
const SHA = `sha256:${'a'.repeat(64)}`;
const OTHER_SHA = `sha256:${'b'.repeat(64)}`;
const BIG = 'a'.repeat(100_000);
const INJECT = 'x\n::warning::injected\n::set-output name=digest::evil';

// ---- build-platform-image ---------------------------------------------------------------

const build = (
  inputs: Record<string, string>,
  error: RegExp,
  files: Record<string, string> = {},
): BadInputCase => ({
  target: 'build-platform-image',
  inputs: { image: '{REG}/app', ...inputs },
  files: { Dockerfile: DOCKERFILE, ...files },
  error,
});

export const buildCases: BadInputCase[] = [
  build({ image: '' }, /^image: is required/),
  build({ image: 'Org/App' }, /^image: .*lowercase/),
  build({ image: '{REG}/app:v1' }, /^image: .*without a tag or digest/),
  build({ image: `{REG}/app@${SHA}` }, /^image: .*without a tag or digest/),
  build({ image: 'http://{REG}/app' }, /^image: /),
  build({ image: '{REG}/app name' }, /^image: /),
  build({ image: `{REG}/${BIG}` }, /^image: .*… \(\d+ bytes\)/),
  build({ image: INJECT }, /^image: /),
  build({ image: '{REG}/app\u0001' }, /^image: /),
  build({ image: '$(touch /tmp/pwned)' }, /^image: /),
  build({ platform: 'linux' }, /^platform: "linux" is not a platform/),
  build({ platform: 'darwin/arm64' }, /^platform: .*os "darwin" is not supported/),
  build({ platform: 'linux/sparc' }, /^platform: .*architecture "sparc" is not known/),
  build({ platform: 'linux/amd64,linux/arm64' }, /^platform: .*names 2 platforms/),
  build(
    { platform: 'linux/amd64:ltsc2022' },
    /^platform: .*only Windows platforms carry a release/,
  ),
  build({ platform: 'windows/386' }, /^platform: .*Windows images are amd64 or arm64/),
  build({ platform: 'windows/arm64:ltsc2019' }, /^platform: .*ltsc2019 has no arm64 release/),
  build({ platform: 'windows/arm64:ltsc2022' }, /^platform: .*ltsc2022 has no arm64 release/),
  build({ platform: 'windows/arm64:10.0.17763.1' }, /^platform: .*has no arm64 release/),
  build(
    { platform: 'windows/arm64', 'windows-version': 'ltsc2022' },
    /^windows-version: .*has no arm64 release/,
  ),
  build({ platform: 'windows/amd64:ltsc2016' }, /^platform: .*is not a Windows release/),
  build({ platform: `linux/${BIG}` }, /^platform: .*… \(\d+ bytes\)/),
  build({ platform: INJECT }, /^platform: /),
  build({ 'windows-version': 'ltsc2016' }, /^windows-version: "ltsc2016" is not a Windows release/),
  build({ 'windows-version': '10.0' }, /^windows-version: /),
  build(
    { platform: 'linux/amd64', 'windows-version': 'ltsc2022' },
    /^windows-version: .*applies to Windows platforms only/,
  ),
  build(
    { platform: 'windows/amd64:ltsc2022', 'windows-version': 'ltsc2025' },
    /^windows-version: .*contradicts the release in platform/,
  ),
  build({ context: 'no-such-dir' }, /^context: "no-such-dir" does not exist/),
  build({ context: 'Dockerfile' }, /^context: "Dockerfile" is a file/),
  build({ context: BIG }, /^context: .*… \(\d+ bytes\)/),
  build({ file: 'Dockerfile.nope' }, /^file: "Dockerfile.nope" does not exist/),
  build({ file: '.' }, /^file: /),
  build({ 'build-args': 'VERSION' }, /^build-args: "VERSION" is not NAME=value/),
  build({ 'build-args': '1X=2' }, /^build-args: "1X=2" is not NAME=value/),
  build({ 'build-args': 'A=1\nINJECTED' }, /^build-args: "INJECTED" is not NAME=value/),
  build({ 'build-args': 'A=1\u0001x' }, /^build-args: the value of A holds a control character/),
  build({ 'build-args': 'A=1\rINJECTED=evil' }, /^build-args: the value of A holds a control/),
  build({ 'build-args': 'A B=1' }, /^build-args: /),
  build({ labels: '=x' }, /^labels: "=x" is not key=value/),
  build({ labels: 'a=1\u001b[31m' }, /^labels: the value of a holds a control character/),
  build({ labels: '-x=1' }, /^labels: /),
  build({ tags: 'v 1' }, /^tags: /),
  build({ tags: 'ghcr.io/other/app:v1' }, /^tags: .*is in another repository than image/),
  build({ tags: `{REG}/app@${SHA}` }, /^tags: .*must be a tag name or repo:tag/),
  build({ tags: '-v1' }, /^tags: /),
  build({ tags: 't'.repeat(129) }, /^tags: /),
  build({ tags: 'v1\u0007' }, /^tags: /),
  build({ 'tag-template': '{nope}' }, /^tag-template: \{nope\} is not a placeholder/),
  build({ 'tag-template': '{sha' }, /^tag-template: .*unmatched brace/),
  build({ 'tag-template': 'sha}' }, /^tag-template: .*unmatched brace/),
  build({ 'tag-template': '{sha}\nlatest' }, /^tag-template: /),
  build({ 'tag-template': '$(id)' }, /^tag-template: /),
  build({ 'tag-template': '`id`-{sha}' }, /^tag-template: /),
  build({ 'tag-template': '{platform-pair}-{sha}'.repeat(10) }, /^tag-template: /),
  build({ 'tag-template': '{branch}-{sha}' }, /^tag-template: \{branch\} is not a placeholder/),
  build({ 'tag-template': '.{sha}' }, /^tag-template: /),
  build({ 'tag-template': INJECT }, /^tag-template: /),
  build({ push: 'maybe' }, /^push: "maybe" is not a boolean/),
  build({ cache: 'redis' }, /^cache: "redis" is not one of auto, gha, registry, none/),
  build({ 'cache-scope': 'a/b' }, /^cache-scope: "a\/b" may hold letters, digits/),
  build(
    { isolation: 'process', platform: 'linux/amd64' },
    /^isolation: isolation applies to Windows builds only/,
  ),
  build({ isolation: 'vm' }, /^isolation: "vm" is not one of auto, process, hyperv/),
  build(
    { network: 'host', platform: 'windows/amd64' },
    /^network: host networking does not exist for Windows builds/,
  ),
  build({ network: 'my net' }, /^network: "my net" is not a network name/),
  build({ network: '--privileged' }, /^network: /),
  build({ builder: 'kaniko' }, /^builder: "kaniko" is not one of auto, buildx, buildkit, classic/),
  build({ target: '-x' }, /^target: "-x" is not a stage name/),
  build({ target: 'a b' }, /^target: /),
  build({ lint: 'sometimes' }, /^lint: "sometimes" is not a boolean/),
  build({ 'result-dir': 'Dockerfile' }, /^result-dir: "Dockerfile" is a file/),
];

// ---- setup-crossplatform-builder --------------------------------------------------------

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const setup = (inputs: Record<string, string>, error: RegExp): BadInputCase => ({
  target: 'setup-crossplatform-builder',
  inputs,
  error,
});

export const setupCases: BadInputCase[] = [
  setup({ platforms: 'linux/amd64,linux' }, /^platforms: "linux" is not a platform/),
  setup({ platforms: 'linux/sparc' }, /^platforms: .*architecture "sparc" is not known/),
  setup({ platforms: 'windows/arm64:ltsc2019' }, /^platforms: .*has no arm64 release/),
  setup({ platforms: 'darwin/amd64' }, /^platforms: .*os "darwin" is not supported/),
  setup({ platforms: `linux/${BIG}` }, /^platforms: .*… \(\d+ bytes\)/),
  setup({ platforms: INJECT }, /^platforms: /),
  setup({ name: '-bad' }, /^name: "-bad" is not a builder name/),
  setup({ name: 'a b' }, /^name: /),
  setup({ name: INJECT }, /^name: /),
  setup({ driver: 'kubernetes' }, /^driver: "kubernetes" is not one of/),
  setup({ driver: 'remote' }, /^endpoint: driver: remote needs an endpoint/),
  setup(
    { endpoint: 'win-builder:1234' },
    /^endpoint: "win-builder:1234" is not a BuildKit endpoint/,
  ),
  setup(
    { endpoint: 'tcp://h:1', driver: 'docker-container' },
    /^endpoint: an endpoint needs driver: remote/,
  ),
  setup({ endpoint: INJECT }, /^endpoint: /),
  setup({ append: 'tcp://win:1234' }, /^append: node tcp:\/\/win:1234 needs platforms=/),
  setup({ append: 'platforms=windows/amd64' }, /^append: .*has no endpoint/),
  setup(
    { append: 'tcp://w:1 platforms=windows/amd64 colour=blue' },
    /^append: "colour" is not a node setting/,
  ),
  setup(
    { append: 'tcp://w:1 platforms=windows/amd64', driver: 'docker-container' },
    /^append: remote nodes need driver: remote or auto/,
  ),
  setup(
    { append: 'tcp://w:1 platforms=windows/arm64:ltsc2022' },
    /^append: .*has no arm64 release/,
  ),
  setup({ qemu: 'sometimes' }, /^qemu: "sometimes" is not one of auto, true, false/),
  setup({ cleanup: 'later' }, /^cleanup: "later" is not a boolean/),
  setup({ builder: 'kaniko' }, /^builder: "kaniko" is not one of/),
  setup(
    { 'tls-ca-cert': '/etc/ssl/ca.pem', endpoint: 'tcp://h:1' },
    /^tls-ca-cert: must be PEM text/,
  ),
  setup({ 'tls-cert': CERT, endpoint: 'tcp://h:1' }, /^tls-key: a client certificate needs both/),
  setup({ 'tls-ca-cert': CERT }, /^tls-ca-cert: TLS material is for remote nodes/),
  setup({ 'driver-opts': 'network host' }, /^driver-opts: "network host" is not a driver option/),
  setup({ 'buildkitd-flags': '--x\u0001' }, /^buildkitd-flags: /),
  setup({ 'qemu-image': 'Bad Image' }, /^qemu-image: /),
];

// ---- smoke-test -------------------------------------------------------------------------

const smoke = (
  inputs: Record<string, string>,
  error: RegExp,
  files: Record<string, string> = {},
): BadInputCase => ({
  target: 'smoke-test',
  inputs: { image: '{REG}/app:v1', port: '8080', ...inputs },
  files,
  error,
});

const legResult = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({
    schema: 'xplat.leg/v1',
    platform: 'linux/amd64',
    image: '{REG}/app',
    digest: SHA,
    pushed: true,
    tags: ['linux-amd64-0123456'],
    builder: 'buildkit',
    timings: {
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      buildMs: 1000,
    },
    smoke: { status: 'passed', checks: [] },
    // Built in this run: the harness runs the actions as run 1001 (GITHUB_RUN_ID).
    source: { sha: '0123456789abcdef0123456789abcdef01234567', runId: '1001', runAttempt: '1' },
    ...over,
  });

export const smokeCases: BadInputCase[] = [
  smoke({ image: '' }, /^image: is required/),
  smoke({ image: 'Bad Image' }, /^image: /),
  smoke({ image: `{REG}/${BIG}` }, /^image: .*… \(\d+ bytes\)/),
  smoke({ image: INJECT }, /^image: /),
  smoke({ platform: 'linux' }, /^platform: /),
  smoke({ platform: 'windows/arm64:ltsc2022' }, /^platform: .*has no arm64 release/),
  smoke({ port: 'http' }, /^port: "http" is not a port/),
  smoke({ port: '0' }, /^port: /),
  smoke({ port: '70000' }, /^port: /),
  smoke({ port: '80\n81' }, /^port: /),
  smoke({ path: 'healthz' }, /^path: .*must start with/),
  smoke({ path: '/a b' }, /^path: .*whitespace/),
  smoke({ path: '/\n::warning::injected' }, /^path: /),
  smoke({ method: 'G ET' }, /^method: /),
  smoke({ headers: 'no-colon' }, /^headers: /),
  smoke({ 'expect-status': '20x' }, /^expect-status: /),
  smoke({ 'expect-status': '999' }, /^expect-status: /),
  smoke({ 'expect-body': '(' }, /^expect-body: /),
  smoke({ 'tcp-port': '-1' }, /^tcp-port: /),
  smoke({ 'expect-log': '[' }, /^expect-log: /),
  smoke({ command: '"unterminated' }, /^command: /),
  smoke({ 'expect-output': 'x' }, /^expect-output: checks the output of command/),
  smoke({ 'expect-exit-code': '256', command: 'true' }, /^expect-exit-code: /),
  smoke({ 'one-shot': 'perhaps' }, /^one-shot: /),
  smoke({ 'one-shot': 'true' }, /^port: does not apply with one-shot/),
  smoke({ env: 'NOEQUALS' }, /^env: /),
  smoke({ env: '1A=x' }, /^env: /),
  smoke({ 'run-args': '--rm' }, /^run-args: /),
  smoke({ 'run-args': '"unterminated' }, /^run-args: /),
  smoke({ network: 'a b' }, /^network: /),
  smoke({ network: 'none' }, /^network: /),
  smoke({ isolation: 'vm' }, /^isolation: /),
  smoke({ timeout: 'soon' }, /^timeout: /),
  smoke({ timeout: '0s' }, /^timeout: /),
  smoke({ timeout: '2h' }, /^timeout: /),
  smoke({ 'probe-timeout': '2m', timeout: '1m' }, /^probe-timeout: /),
  smoke({ 'stop-timeout': 'x' }, /^stop-timeout: /),
  smoke({ 'expect-graceful-stop': 'maybe' }, /^expect-graceful-stop: /),
  smoke({ 'log-lines': '0' }, /^log-lines: /),
  smoke({ 'log-lines': 'many' }, /^log-lines: /),
  smoke({ port: '', 'tcp-port': '' }, /^port: nothing to check/),
  smoke({ 'result-file': 'nope.json' }, /^nope\.json: cannot read leg result: ENOENT/),
  smoke({ 'result-file': 'leg.json' }, /^leg\.json: leg result is not JSON/, { 'leg.json': '{' }),
  smoke({ 'result-file': 'leg.json' }, /^leg\.json: invalid leg result, field digest/, {
    'leg.json': legResult({ digest: 'sha256:1' }),
  }),
  // The image of a leg result: the leg's, or refused naming both digests.
  smoke(
    { image: `{REG}/app@${OTHER_SHA}`, 'result-file': 'leg.json' },
    new RegExp(
      `^image: .*app@${OTHER_SHA} is ${OTHER_SHA}, but the leg result leg\\.json is ${SHA}`,
    ),
    { 'leg.json': legResult() },
  ),
  smoke(
    { image: OTHER_SHA, 'result-file': 'leg.json' },
    new RegExp(`^image: ${OTHER_SHA} is ${OTHER_SHA}, but the leg result leg\\.json is ${SHA}`),
    { 'leg.json': legResult({ pushed: false }) },
  ),
  smoke(
    { image: '', 'result-file': 'leg.json' },
    /^result-file: leg\.json was built with push: false/,
    {
      'leg.json': legResult({ pushed: false }),
    },
  ),
  smoke(
    { image: '', 'result-file': 'leg.json' },
    /^result-file: leg\.json is a failed build \(no BuildKit\)/,
    {
      'leg.json': legResult({ digest: '', failure: { step: 'build', reason: 'no BuildKit' } }),
    },
  ),
  // skip: a reason of one bounded line, a leg result to record it in, never over a verdict.
  smoke({ skip: 'no runner' }, /^result-file: is required with skip/),
  smoke({ skip: 'true', 'result-file': 'leg.json' }, /^skip: "true" is not a reason/, {
    'leg.json': legResult({ smoke: { status: 'pending', checks: [] } }),
  }),
  smoke({ skip: 'a\nb', 'result-file': 'leg.json' }, /^skip: "a\\nb" must be one line/, {
    'leg.json': legResult({ smoke: { status: 'pending', checks: [] } }),
  }),
  smoke({ skip: INJECT, 'result-file': 'leg.json' }, /^skip: .*must be one line/, {
    'leg.json': legResult({ smoke: { status: 'pending', checks: [] } }),
  }),
  smoke(
    { skip: BIG, 'result-file': 'leg.json' },
    /^skip: is 100000 characters; a reason is at most 200/,
    {
      'leg.json': legResult({ smoke: { status: 'pending', checks: [] } }),
    },
  ),
  smoke(
    { skip: 'no runner', 'result-file': 'leg.json' },
    /^skip: leg\.json already records a smoke test that passed; skip records only a leg whose smoke test has not run$/,
    { 'leg.json': legResult() },
  ),
  smoke(
    { skip: 'no runner', 'result-file': 'leg.json', platform: 'linux/arm64' },
    /^platform: linux\/arm64 does not match linux\/amd64 in the leg result leg\.json/,
    { 'leg.json': legResult({ smoke: { status: 'pending', checks: [] } }) },
  ),
];

// ---- fuse-manifest ----------------------------------------------------------------------

const fuse = (
  inputs: Record<string, string>,
  error: RegExp,
  files: Record<string, string> = {},
  env?: Record<string, string>,
): BadInputCase => ({
  ...(env ? { env } : {}),
  target: 'fuse-manifest',
  inputs: {
    image: '{REG}/app',
    results: 'legs',
    'expected-platforms': 'linux/amd64',
    ...inputs,
  },
  files: { 'legs/linux-amd64.json': legResult(), ...files },
  error,
});

export const fuseCases: BadInputCase[] = [
  fuse({ image: '' }, /^image: is required/),
  fuse({ image: 'Org/App' }, /^image: /),
  fuse({ image: '{REG}/app:v1' }, /^image: /),
  fuse({ image: `{REG}/${BIG}` }, /^image: .*… \(\d+ bytes\)/),
  fuse({ image: INJECT }, /^image: /),
  fuse({ tags: 'v 1' }, /^tags: /),
  fuse({ tags: '-v1' }, /^tags: /),
  fuse({ tags: 'ghcr.io/other/app:v1' }, /^tags: /),
  fuse({ tags: 't'.repeat(129) }, /^tags: /),
  fuse({ tags: INJECT }, /^tags: /),
  fuse({ 'mutable-tags': 'a b' }, /^mutable-tags: /),
  fuse({ 'expected-platforms': 'linux' }, /^expected-platforms: /),
  fuse({ 'expected-platforms': 'windows/arm64:ltsc2019' }, /^expected-platforms: .*has no arm64/),
  fuse({ 'expected-platforms': '' }, /^expected-platforms: is required with results/),
  fuse({ 'expected-platforms': `linux/${BIG}` }, /^expected-platforms: .*… \(\d+ bytes\)/),
  fuse({ annotations: 'novalue' }, /^annotations: /),
  fuse({ 'media-type': 'v3' }, /^media-type: "v3" is not a media type choice/),
  fuse({ 'dry-run': 'perhaps' }, /^dry-run: /),
  fuse({ results: '', sources: '' }, /^results: nothing to fuse/),
  fuse({ sources: `{REG}/app@${SHA}` }, /^sources: give leg results or sources, not both/),
  fuse({ results: '', sources: 'not a ref' }, /^sources: /),
  fuse({ results: '', sources: `{REG}/${BIG}@${SHA}` }, /^sources: .*… \(\d+ bytes\)/),
  fuse({ results: 'nothing-here' }, /^results: "nothing-here" matched no leg result file/),
  fuse({ results: 'legs/*.yaml' }, /^results: /),
  // Searches from the filesystem root are refused before reading anything, so the answer
  // does not depend on what the machine has at / (a stray .json there was read first).
  fuse(
    { results: '/' },
    /^results: "\/" searches from the root of the filesystem \(\/\); point it at/,
  ),
  fuse(
    { results: '/**/*.json' },
    /^results: "\/\*\*\/\*\.json" searches from the root of the filesystem \(\/\); point it at/,
  ),
  fuse(
    { results: 'empty' },
    /^results: "empty" matched no leg result file \(searched .*empty and 4 levels below/,
    {
      'empty/.keep': '',
    },
  ),
  fuse({}, /legs\/linux-amd64\.json: leg result is not JSON/, { 'legs/linux-amd64.json': '{' }),
  fuse({}, /legs\/linux-amd64\.json: invalid leg result, field digest/, {
    'legs/linux-amd64.json': legResult({ digest: 'sha256:xyz' }),
  }),
  fuse({}, /legs\/linux-amd64\.json: invalid leg result, field schema/, {
    'legs/linux-amd64.json': legResult({ schema: 'xplat.leg/v9' }),
  }),
  fuse({}, /legs\/linux-amd64\.json: invalid leg result, field extra: unknown field/, {
    'legs/linux-amd64.json': legResult({ extra: 1 }),
  }),
  fuse({}, /legs\/linux-amd64\.json: invalid leg result, field platform/, {
    'legs/linux-amd64.json': legResult({ platform: 'windows/arm64:ltsc2019' }),
  }),
  fuse({}, /legs\/linux-amd64\.json: invalid leg result, field osVersion/, {
    'legs/linux-amd64.json': legResult({ osVersion: 'x'.repeat(100_000) }),
  }),
  fuse({}, /legs\/linux-amd64\.json: the leg result is for .*… \(\d+ bytes\), not the target/, {
    'legs/linux-amd64.json': legResult({ image: `{REG}/${'b'.repeat(5 * 1024 * 1024)}` }),
  }),
  fuse({}, /legs\/linux-amd64\.json: the leg result is for .*%0A::warning::injected, not/, {
    'legs/linux-amd64.json': legResult({ image: '{REG}/app\n::warning::injected' }),
  }),
  fuse({}, /legs\/linux-amd64\.json: the leg result is for .*\/other, not the target/, {
    'legs/linux-amd64.json': legResult({ image: '{REG}/other' }),
  }),
  // One run's legs, one index: a leg of another workflow run, or of a later attempt than
  // this one, is refused naming both runs; so is one that names no run.
  fuse(
    {},
    /^.*legs\/linux-amd64\.json: the leg result is from workflow run 999 \(attempt 1\), not this run 1001 \(attempt 1\); fuse the legs built in this run, or set allow-foreign-runs: true/,
    { 'legs/linux-amd64.json': legResult({ source: { runId: '999', runAttempt: '1' } }) },
    { GITHUB_RUN_ATTEMPT: '1' },
  ),
  fuse(
    {},
    /^.*legs\/linux-amd64\.json: the leg result is from workflow run 1001 \(attempt 2\), a later attempt than this run 1001 \(attempt 1\)/,
    { 'legs/linux-amd64.json': legResult({ source: { runId: '1001', runAttempt: '2' } }) },
    { GITHUB_RUN_ATTEMPT: '1' },
  ),
  fuse({}, /^.*legs\/linux-amd64\.json: the leg result names no workflow run/, {
    'legs/linux-amd64.json': legResult({ source: { sha: 'abc' } }),
  }),
  fuse({}, /legs\/linux-amd64\.json: invalid leg result, field source\.runAttempt/, {
    'legs/linux-amd64.json': legResult({ source: { runId: '1001', runAttempt: 'x' } }),
  }),
  fuse({ 'allow-foreign-runs': 'perhaps' }, /^allow-foreign-runs: /),
  fuse(
    { results: '', sources: `{REG}/app@${SHA}`, 'allow-foreign-runs': 'true' },
    /^allow-foreign-runs: applies to leg results/,
  ),
  fuse({}, /legs\/linux-amd64\.json: invalid leg result, field smoke/, {
    'legs/linux-amd64.json': legResult({ smoke: { status: 'great', checks: [] } }),
  }),
  fuse({}, /legs\/linux-amd64\.json: invalid leg result, field timings/, {
    'legs/linux-amd64.json': legResult({ timings: {} }),
  }),
  fuse({}, /legs\/linux-amd64\.json: /, { 'legs/linux-amd64.json': '[]' }),
  fuse({}, /legs\/linux-amd64\.json: /, { 'legs/linux-amd64.json': 'null' }),
  fuse(
    { 'allow-untested': 'linux/arm64' },
    /^allow-untested: linux\/arm64 is not in expected-platforms \(linux\/amd64\); list only platforms the index must contain$/,
  ),
  fuse({ 'allow-untested': 'linux' }, /^allow-untested: "linux" is not a platform/),
  fuse({ 'allow-untested': 'windows/arm64:ltsc2019' }, /^allow-untested: .*has no arm64/),
  fuse({ 'allow-untested': `linux/${BIG}` }, /^allow-untested: .*… \(\d+ bytes\)/),
  fuse({ 'allow-untested': INJECT }, /^allow-untested: /),
  fuse(
    { results: '', sources: `{REG}/app@${SHA}`, 'allow-untested': 'linux/amd64' },
    /^allow-untested: applies to leg results/,
  ),
];

// ---- the CLI ----------------------------------------------------------------------------

const YML = 'image: {REG}/app\nplatforms: [linux/amd64]\n';
const TWO_IMAGES =
  'platforms: [linux/amd64]\nimages:\n  - { name: a, image: {REG}/a }\n  - { name: b, image: {REG}/b }\n';
const cli = (
  args: string[],
  error: RegExp,
  files: Record<string, string> = {},
  extra: Partial<BadInputCase> = {},
): BadInputCase => ({ target: 'cli', args, files, error, ...extra });
/** A command in a project whose xplat.yml is `yml`. */
const config = (command: string[], yml: string, error: RegExp): BadInputCase =>
  cli(command, error, { 'xplat.yml': yml, Dockerfile: DOCKERFILE });

export const cliCases: BadInputCase[] = [
  cli(['build', '--imag', 'x'], /Unknown option '--imag'/),
  cli(['build', '--image'], /--image/),
  cli(['build', '--image', '{REG}/app', 'a', 'b'], /one context only/),
  cli(['build', '--image', 'Org/App'], /^--image: /, { Dockerfile: DOCKERFILE }),
  cli(['build', '--image', `{REG}/${BIG}`], /^--image: .*… \(\d+ bytes\)/, {
    Dockerfile: DOCKERFILE,
  }),
  cli(
    ['build', '--image', '{REG}/app', '--platform', 'windows/arm64:ltsc2019'],
    /^--platform: .*no arm64 release/,
    { Dockerfile: DOCKERFILE },
  ),
  cli(
    ['build', '--image', '{REG}/app', '--tag-template', '{nope}'],
    /^--tag-template: \{nope\} is not a placeholder/,
    { Dockerfile: DOCKERFILE },
  ),
  cli(
    ['build', '--image', '{REG}/app', '--tag-template', '{sha'],
    /^--tag-template: .*unmatched brace/,
    { Dockerfile: DOCKERFILE },
  ),
  cli(['build', '--image', '{REG}/app', '--tag-template', '$(id)'], /^--tag-template: /, {
    Dockerfile: DOCKERFILE,
  }),
  cli(
    ['build', '--image', '{REG}/app', '--tag-template', 'a\nb'],
    /^--tag-template: "a\\nb" holds a line break/,
    { Dockerfile: DOCKERFILE },
  ),
  cli(['build', '--image', '{REG}/app', '--build-arg', 'NOVALUE'], /^--build-arg: /, {
    Dockerfile: DOCKERFILE,
  }),
  cli(
    ['build', '--image', '{REG}/app', '--build-arg', 'A=1\u0001'],
    /^--build-arg: .*control character/,
    { Dockerfile: DOCKERFILE },
  ),
  cli(['build', '--image', '{REG}/app', '--label', '=x'], /^--label: /, { Dockerfile: DOCKERFILE }),
  cli(['build', '--image', '{REG}/app', '--cache', 'redis'], /^--cache: /, {
    Dockerfile: DOCKERFILE,
  }),
  cli(['build', '--image', '{REG}/app', '--network', 'a b'], /^--network: /, {
    Dockerfile: DOCKERFILE,
  }),
  cli(['build', '--image', '{REG}/app', '--builder', 'kaniko'], /^--builder: /, {
    Dockerfile: DOCKERFILE,
  }),
  cli(['build', '--image', '{REG}/app', '--isolation', 'vm'], /^--isolation: /, {
    Dockerfile: DOCKERFILE,
  }),
  cli(['build', '--image', '{REG}/app', '--context', 'nowhere'], /^--context: /),
  cli(['build', '--image', '{REG}/app', '--file', 'nope'], /^--file: /, { Dockerfile: DOCKERFILE }),
  cli(['build', '--image', '{REG}/app', '--run-id', '../x'], /^--run-id: /, {
    Dockerfile: DOCKERFILE,
  }),
  cli(['build', '--image', '{REG}/app', '--tag', 'a b'], /^--tag: /, { Dockerfile: DOCKERFILE }),
  config(
    ['build', '--tag-template', '{nope}'],
    YML,
    /^--tag-template: \{nope\} is not a placeholder/,
  ),
  config(['build', '--cache', 'redis'], YML, /^--cache: /),
  config(['build', '--run-id', '..'], YML, /^--run-id: /),
  config(['build', '--build-arg', 'X'], YML, /^--build-arg: /),
  config(['build', '--network', '$(id)'], YML, /^--network: /),
  cli(['smoke'], /^--image: is required/),
  cli(['smoke', '--image', '{REG}/app:v1', '--port', 'http'], /^--port: /),
  cli(['smoke', '--image', '{REG}/app:v1', '--port', '80', '--timeout', 'soon'], /^--timeout: /),
  cli(['smoke', '--image', '{REG}/app:v1', '--port', '80', '--path', 'x'], /^--path: /),
  cli(
    ['smoke', '--image', '{REG}/app:v1', '--port', '80', '--platform', 'windows/arm64:ltsc2019'],
    /^--platform: .*no arm64/,
  ),
  cli(['smoke', '--image', `{REG}/${BIG}:v1`, '--port', '80'], /^--image: .*… \(\d+ bytes\)/),
  cli(
    ['smoke', '--image', '{REG}/app:v1', '--port', '80', '--run-args', '--rm'],
    /^Option '--run-args' argument is ambiguous; /,
  ),
  cli(['smoke', '--skip', 'no runner'], /^--result-file: is required with skip/),
  cli(['smoke', '{REG}/app:v1', '--port', '80', '--skip', 'off'], /^--skip: "off" is not a reason/),
  cli(
    ['smoke', '--result-file', 'leg.json', '--skip', 'no runner'],
    /^--skip: leg\.json already records a smoke test that passed/,
    { 'leg.json': legResult() },
    { exitCode: 1 },
  ),
  cli(
    ['smoke', '--image', `{REG}/app@${OTHER_SHA}`, '--result-file', 'leg.json', '--port', '80'],
    new RegExp(`^--image: .* is ${OTHER_SHA}, but the leg result leg\\.json is ${SHA}`),
    { 'leg.json': legResult() },
    { exitCode: 1 },
  ),
  cli(
    [
      'fuse',
      '--image',
      '{REG}/app',
      '--source',
      `{REG}/app@${SHA}`,
      '--allow-untested',
      'linux/amd64',
    ],
    /^--allow-untested: applies to leg results/,
  ),
  cli(
    [
      'fuse',
      '--image',
      '{REG}/app',
      '--results',
      'legs',
      '--expected-platforms',
      'linux/amd64',
      '--allow-untested',
      'windows/amd64:ltsc2019',
    ],
    /^--allow-untested: windows\/amd64:ltsc2019 is not in expected-platforms \(linux\/amd64\)/,
    { 'legs/l.json': legResult() },
  ),
  config(['smoke', '--timeout', 'soon'], `${YML}smoke: { port: 8080 }\n`, /^--timeout: /),
  config(['smoke', '--port', 'http'], YML, /^--port: /),
  config(
    ['smoke', '--expect-status', 'abc'],
    `${YML}smoke: { port: 8080 }\n`,
    /^--expect-status: /,
  ),
  cli(
    ['fuse', '--image', '{REG}/app', '--results', 'nothing'],
    /^--expected-platforms: is required|^--results: /,
  ),
  cli(
    ['fuse', '--image', '{REG}/app', '--results', 'nothing', '--expected-platforms', 'linux/amd64'],
    /^--results: "nothing" matched no leg result file/,
  ),
  cli(['fuse', '--image', '{REG}/app', '--source', 'not a ref'], /^--source: /),
  cli(
    ['fuse', '--image', '{REG}/app', '--source', `{REG}/app@${SHA}`, '--media-type', 'v3'],
    /^--media-type: /,
  ),
  cli(['fuse', '--image', '{REG}/app', '--source', `{REG}/app@${SHA}`, '--tag', 'a b'], /^--tag: /),
  cli(
    ['fuse', '--image', '{REG}/app', '--source', `{REG}/app@${SHA}`, '--annotation', 'x'],
    /^--annotation: /,
  ),
  cli(
    [
      'fuse',
      '--image',
      '{REG}/app',
      '--source',
      `{REG}/app@${SHA}`,
      '--expected-platforms',
      'windows/arm64:ltsc2022',
    ],
    /^--expected-platforms: .*no arm64/,
  ),
  cli(
    ['fuse', '--image', '{REG}/app', '--results', 'legs', '--expected-platforms', 'linux/amd64'],
    /legs\/bad\.json: leg result is not JSON/,
    { 'legs/bad.json': '{' },
  ),
  cli(
    ['fuse', '--image', '{REG}/app', '--results', 'legs', '--expected-platforms', 'linux/amd64'],
    /legs\/l\.json: the leg result is for .*… \(\d+ bytes\), not/,
    { 'legs/l.json': legResult({ image: `{REG}/${'c'.repeat(5 * 1024 * 1024)}` }) },
  ),
  cli(
    ['fuse', '--image', '{REG}/app', '--results', '/', '--expected-platforms', 'linux/amd64'],
    /^--results: "\/" /,
  ),
  cli(['inspect'], /REF|usage|ref/i),
  cli(['inspect', 'Not A Ref'], /^REF: /),
  cli(['inspect', `{REG}/${BIG}`], /^REF: .*… \(\d+ bytes\)/),
  cli(['lint', '--platform', 'linux'], /^--platform: /, { Dockerfile: DOCKERFILE }),
  cli(['lint', '--platform', 'windows/arm64:ltsc2019'], /^--platform: .*no arm64/, {
    Dockerfile: DOCKERFILE,
  }),
  cli(['lint', '--file', 'nope'], /nope/),
  cli(['plan'], /xplat\.yml does not exist/),
  cli(['generate', '--uses', 'not valid'], /^--uses: |uses/, { 'xplat.yml': YML }),
  cli(['init', '--platforms', 'windows/arm64:ltsc2019'], /^--platforms: .*no arm64/, {
    Dockerfile: DOCKERFILE,
  }),
  cli(['init', '--image', 'Org/App'], /^--image: /, { Dockerfile: DOCKERFILE }),
  cli(['init', '--port', 'http'], /^--port: /, { Dockerfile: DOCKERFILE }),
  cli(['run', '--jobs', '0'], /^--jobs: /, { 'xplat.yml': YML }),
  cli(['run', '--jobs', BIG], /^--jobs: .*… \(\d+ bytes\)/, { 'xplat.yml': YML }),
  cli(['run', '--network', 'a b'], /^--network: /, { 'xplat.yml': YML }),
  cli(['run', '--tag', 'a b'], /^--tag: /, { 'xplat.yml': YML }),
  cli(['run', '--build-arg', 'NOPE'], /^--build-arg: /, { 'xplat.yml': YML }),
  cli(['run', '--engine', 'linux'], /^--engine: /, { 'xplat.yml': YML }),
  cli(['run', '--registry', 'Bad Registry'], /^--registry: /, { 'xplat.yml': YML }),
  cli(['run', '--registry', '{REG}', '--keep-registry'], /^--keep-registry: /, {
    'xplat.yml': YML,
  }),
  cli(['run', 'extra'], /^--dir: /, { 'xplat.yml': YML }),
  // --image with several images: a name of xplat.yml, or (build, smoke, fuse) one's repository.
  config(
    ['plan', '--image', 'nope'],
    TWO_IMAGES,
    /^--image: "nope" is not the name of an image of xplat\.yml; its images: a, b/,
  ),
  config(['lint', '--image', 'nope'], TWO_IMAGES, /^--image: "nope" is not the name/),
  config(['inspect', '--image', BIG], TWO_IMAGES, /^--image: ".*… \(\d+ bytes\)" is not the name/),
  config(
    ['build', '--image', 'nope'],
    TWO_IMAGES,
    /^--image: "nope" is neither the name .* nor the repository of one; its images: a, b/,
  ),
  config(['build', '--image', '{REG}/c'], TWO_IMAGES, /^--image: ".*\/c" is neither the name/),
  config(
    ['smoke', '--image', '{REG}/c:v1'],
    TWO_IMAGES,
    /^--image: .* nor a reference to one's repository/,
  ),
  config(['smoke', '{REG}/c:v1'], TWO_IMAGES, /^IMAGE: .* nor a reference to one's repository/),
  config(['fuse', '--image', 'nope'], TWO_IMAGES, /^--image: "nope" is neither the name/),
  config(
    ['fuse', '--results', 'legs'],
    TWO_IMAGES,
    /^--results: name the image they are for with --image NAME \(a, b\)/,
  ),
  config(
    ['smoke', '--result-file', 'leg.json'],
    TWO_IMAGES,
    /^--result-file: names one leg result/,
  ),
  cli(
    ['lint', '--image', 'a'],
    /^--image: "a" would name an image of xplat\.yml, and there is none here/,
    { Dockerfile: DOCKERFILE },
  ),
];

/** xplat.yml problems, through `xplat plan` and `xplat build` (one line: file:line:col: field). */
const yml = (text: string, field: RegExp, command = 'plan'): BadInputCase =>
  config([command], text, new RegExp(`^xplat\\.yml:\\d+:\\d+: ${field.source}`));

export const configCases: BadInputCase[] = [
  yml(`${YML}build-args: {A: "1\\nINJECTED=evil"}\n`, /build-args\.A: holds a line break/),
  yml(`${YML}build-args: {A: "1\\nINJECTED=evil"}\n`, /build-args\.A: holds a line break/, 'build'),
  yml(
    `${YML}build-args: {A: "1\\nINJECTED=evil"}\n`,
    /build-args\.A: holds a line break/,
    'generate',
  ),
  yml(`${YML}labels: {a: "1\\nINJECTED=evil"}\n`, /labels\.a: holds a line break/),
  yml(`${YML}labels: {a: "1\\rx"}\n`, /labels\.a: holds a carriage return/),
  yml(`${YML}build-args: {A: "\\u0001"}\n`, /build-args\.A: holds the control character U\+0001/),
  yml(`${YML}build-args: {A: "\\e[31m"}\n`, /build-args\.A: holds the control character U\+001B/),
  yml(`${YML}linux: {build-args: {A: "a\\nb"}}\n`, /linux\.build-args\.A: holds a line break/),
  yml(
    'image: {REG}/app\nplatforms:\n  - platform: linux/amd64\n    build-args: {A: "a\\nB=c"}\n',
    /platforms\[0\]\.build-args\.A: holds a line break/,
  ),
  yml(`${YML}smoke: {port: 80, env: {A: "x\\ny"}}\n`, /smoke\.env\.A: holds a line break/),
  yml(`${YML}smoke: {port: 80, path: "/\\nx"}\n`, /smoke\.path: holds a line break/),
  yml(`${YML}smoke: {command: "a\\nb"}\n`, /smoke\.command: holds a line break/),
  yml(`${YML}tags: ["v1\\nlatest"]\n`, /tags\[0\]: holds a line break/),
  yml(`${YML}leg-tag: "{platform-pair}\\nx"\n`, /leg-tag: holds a line break/),
  yml(
    `${YML}triggers: {schedule: ["0 4 * *\\n1"]}\n`,
    /triggers\.schedule\[0\]: holds a line break/,
  ),
  yml(`${YML}workflow: {name: "a\\nb"}\n`, /workflow\.name: holds a line break/),
  yml(`${YML}target: "a\\nb"\n`, /target: holds a line break/),
  yml(`image: "{REG}/app\\nx"\nplatforms: [linux/amd64]\n`, /image: holds a line break/),
  yml(
    'image: {REG}/app\nplatforms: [windows/arm64:ltsc2019]\n',
    /platforms\[0\]: .*no arm64 release/,
  ),
  yml(
    'image: {REG}/app\nplatforms: [windows/arm64:ltsc2022]\n',
    /platforms\[0\]: .*no arm64 release/,
  ),
  yml(
    'image: {REG}/app\nplatforms: [linux/amd64]\nimage: {REG}/b\n',
    /image: YAML: Map keys must be unique/,
  ),
  yml(`${YML}leg-tag: "{nope}"\n`, /leg-tag: /),
  yml(`${YML}tags: ["{nope}"]\n`, /tags\[0\]: /),
  yml(`${YML}tags: ["{sha"]\n`, /tags\[0\]: /),
  yml(`image: {REG}/${'d'.repeat(300)}\nplatforms: [linux/amd64]\n`, /image: .*… \(\d+ bytes\)/),
  yml('image: {REG}/app\nplatforms: [linux]\n', /platforms\[0\]: /),
  yml('image: {REG}/app\nplatforms: []\n', /platforms: /),
  yml('image: Org/App\nplatforms: [linux/amd64]\n', /image: /),
  yml(`${YML}cache: redis\n`, /cache: /),
  yml(`${YML}colour: blue\n`, /colour: unknown field/),
  yml(`${YML}smoke: {port: 0}\n`, /smoke\.port: /),
  yml(`${YML}engines: {linux/amd64: "a b"}\n`, /engines\.linux\/amd64: /),
  yml(`${YML}workflow: {timeout-minutes: 1000}\n`, /workflow\.timeout-minutes: /),
  yml('image: [a\nplatforms: x\n', /.*YAML: /),
  yml(
    `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n${YML}`,
    /\(file\): YAML: Excessive alias count/,
  ),
  yml(
    `${YML}# ${'x'.repeat(1024 * 1024)}\n`,
    /\(file\): is \d+ bytes; an xplat\.yml is at most 1048576 bytes/,
  ),
  yml(`${YML}# ${'x'.repeat(1024 * 1024)}\n`, /\(file\): is \d+ bytes/, 'build'),
  yml(`${YML}# ${'x'.repeat(1024 * 1024)}\n`, /\(file\): is \d+ bytes/, 'generate'),
  yml(`${YML}# ${'x'.repeat(1024 * 1024)}\n`, /\(file\): is \d+ bytes/, 'run'),
  yml(`${YML}build-args: {A: "1\\nINJECTED=evil"}\n`, /build-args\.A: holds a line break/, 'run'),
  yml(`${YML}build-args: {A: "1\\nINJECTED=evil"}\n`, /build-args\.A: holds a line break/, 'fuse'),
  yml(`${YML}build-args: {A: "1\\nINJECTED=evil"}\n`, /build-args\.A: holds a line break/, 'smoke'),
  yml(`${YML}build-args: {A: "1\\nINJECTED=evil"}\n`, /build-args\.A: holds a line break/, 'lint'),
  cli(['plan', '--config', 'conf'], /^conf:1:1: \(file\): is a folder/, {}, { dirs: ['conf'] }),
  cli(['build', '--config', 'conf'], /^conf:1:1: \(file\): is a folder/, {}, { dirs: ['conf'] }),
  cli(['run', '--config', 'conf'], /^conf:1:1: \(file\): is a folder/, {}, { dirs: ['conf'] }),
  cli(['generate', '--config', 'conf'], /^conf:1:1: \(file\): is a folder/, {}, { dirs: ['conf'] }),
];

export const allCases: BadInputCase[] = [
  ...buildCases,
  ...setupCases,
  ...smokeCases,
  ...fuseCases,
  ...cliCases,
  ...configCases,
];
