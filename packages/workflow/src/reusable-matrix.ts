/**
 * The reusable workflow's matrix script: the same runner map as `xplat generate`, as a
 * small Node program in a `run:` step (a reusable workflow cannot run this repository's
 * CLI in the caller's repository).
 */
import {
  BUILD_ON_LINUX_RUNNER,
  HOSTED_LINUX_RUNNERS,
  QEMU_RUNNER,
  WINDOWS_RELEASES,
} from '@xplat/core';

/**
 * The matrix script (Node, CommonJS: it runs from the runner's temp folder, outside any
 * package.json). It reads IMAGE, PLATFORMS, RUNNERS, QEMU_PLATFORMS, CONTEXT, FILE,
 * TARGET, their per-platform maps CONTEXTS, FILES, TARGETS, and BUILD_ON and SMOKE_SKIP
 * from the environment, and writes matrix (each leg with its build runner, context, file,
 * target and smoke placement), smoke-matrix (the Windows legs built on Linux, with their
 * smoke runners), platforms, allow-untested, image, registry and the call's artifact
 * prefix (ARTIFACT_PREFIX, or one drawn for this call) to GITHUB_OUTPUT.
 */
export function planScript(): string {
  const windows = WINDOWS_RELEASES.map((r) => ({
    name: r.name,
    build: r.build,
    runner: r.hostedRunner ?? null,
  }));
  return `// The build matrix from the platforms input: the same runner map as \`xplat generate\`.
// Inputs arrive through env only; nothing here is interpolated into the script.
const fs = require('fs');
const path = require('path');
const LINUX = ${JSON.stringify(HOSTED_LINUX_RUNNERS)};
const QEMU_RUNNER = ${JSON.stringify(QEMU_RUNNER)};
const BUILD_ON_LINUX_RUNNER = ${JSON.stringify(BUILD_ON_LINUX_RUNNER)};
const WINDOWS = ${JSON.stringify(windows)};
const fail = (message) => {
  console.log('::error title=xplat::' + String(message).replace(/[\\r\\n%]/g, ' '));
  process.exit(1);
};
const list = (text) => String(text || '').split(/[\\s,]+/).filter(Boolean);
const PLATFORM = /^(linux|windows)\\/(amd64|arm64|arm|386|ppc64le|s390x|riscv64)(?:\\/(v[0-9]+))?(?::([a-z0-9.]+))?$/;
function parse(text, input) {
  const m = PLATFORM.exec(text.trim().toLowerCase());
  if (!m) fail(input + ': "' + text + '" is not a platform; write os/arch[/variant], Windows with its release: linux/amd64, linux/arm64, windows/amd64:ltsc2022');
  const [, os, arch, rawVariant, rawRelease] = m;
  const variant = (arch === 'arm64' && rawVariant === 'v8') || (arch === 'arm' && rawVariant === 'v7') ? '' : rawVariant || '';
  let release = rawRelease || '';
  let runner;
  if (os === 'linux') {
    if (release) fail(input + ': "' + text + '": only Windows platforms carry a release after ":"');
    runner = variant ? undefined : LINUX[arch];
  } else {
    if (!release) fail(input + ': "' + text + '" needs its Windows release, e.g. windows/amd64:ltsc2022');
    const known = WINDOWS.find((w) => w.name === release || w.build === release || release.startsWith(w.build + '.'));
    if (known && (known.name === release || known.build === release)) release = known.name;
    else if (!known && !/^10\\.0\\.[0-9]{5}(\\.[0-9]+)?$/.test(release)) fail(input + ': "' + text + '": use ltsc2019, ltsc2022, ltsc2025 or a full os.version');
    runner = arch === 'amd64' && known ? known.runner || undefined : undefined;
  }
  const name = os + '/' + arch + (variant ? '/' + variant : '') + (release ? ':' + release : '');
  return { os, arch, name, pair: name.replace(/[/:]/g, '-'), runner };
}
let runners = {};
try {
  runners = JSON.parse(process.env.RUNNERS || '{}');
} catch (error) {
  fail('runners: not JSON: ' + error.message + ' (e.g. {"windows/amd64:ltsc2019": ["self-hosted", "windows"]})');
}
if (runners === null || typeof runners !== 'object' || Array.isArray(runners)) fail('runners: must be a JSON object of platform -> labels');
const overrides = {};
for (const [key, labels] of Object.entries(runners)) {
  const ok = typeof labels === 'string' ? labels.length > 0 : Array.isArray(labels) && labels.length > 0 && labels.every((l) => typeof l === 'string' && l);
  if (!ok) fail('runners: ' + key + ': give a runner label or a list of labels');
  overrides[parse(key, 'runners').name] = labels;
}
// files / targets / contexts: JSON objects whose keys are a platform or an OS family
// (linux, windows); a platform's own entry wins over its family's, both over file/target/context.
function perPlatform(input, variable, check) {
  let value = {};
  try {
    value = JSON.parse(process.env[variable] || '{}');
  } catch (error) {
    fail(input + ': not JSON: ' + error.message + ' (e.g. {"windows": "Dockerfile.windows"})');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(input + ': must be a JSON object of platform or OS (linux, windows) -> value, e.g. {"windows": "Dockerfile.windows"}');
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' || !v.trim()) fail(input + ': ' + key + ': give a non-empty string');
    check(key, v.trim());
    out[key === 'linux' || key === 'windows' ? key : parse(key, input).name] = v.trim();
  }
  return out;
}
const repoPath = (input) => (key, v) => {
  if (/^([a-zA-Z]:|[\\\\/])/.test(v) || v.includes('\\\\') || v.split('/').includes('..')) fail(input + ': ' + key + ': "' + v + '" must be a path from the repository root with / between folders, e.g. docker/Dockerfile.windows');
};
const files = perPlatform('files', 'FILES', repoPath('files'));
const contexts = perPlatform('contexts', 'CONTEXTS', repoPath('contexts'));
const targets = perPlatform('targets', 'TARGETS', (key, v) => {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v)) fail('targets: ' + key + ': "' + v + '" is not a stage name');
});
const buildOn = perPlatform('build-on', 'BUILD_ON', (key, v) => {
  if (v !== 'linux' && v !== 'windows') fail('build-on: ' + key + ': "' + v + '" must be linux (BuildKit on ' + BUILD_ON_LINUX_RUNNER + ') or windows');
  if (key !== 'windows' && !key.startsWith('windows/')) fail('build-on: ' + key + ': applies to Windows platforms (windows, or a windows/... platform)');
});
const skips = perPlatform('smoke-skip', 'SMOKE_SKIP', (key, v) => {
  if (key === 'linux' || key === 'windows') fail('smoke-skip: ' + key + ': name one platform; skipping an OS leaves it untested');
  if (v.length > 200 || /[\\u0000-\\u001f\\u007f]/.test(v)) fail('smoke-skip: ' + key + ': the reason must be one line of at most 200 characters');
});
const pick = (map, p) => map[p.name] || map[p.os] || '';
const qemu = new Set(list(process.env.QEMU_PLATFORMS).map((p) => parse(p, 'qemu-platforms').name));
const include = [];
const apart = [];
for (const text of list(process.env.PLATFORMS)) {
  const p = parse(text, 'platforms');
  if (include.some((leg) => leg.platform === p.name)) fail('platforms: ' + p.name + ' is listed twice');
  const emulated = qemu.has(p.name);
  if (emulated && (p.os !== 'linux' || p.arch === 'amd64')) fail('qemu-platforms: ' + p.name + ' builds natively; QEMU is for non-amd64 Linux platforms');
  const onLinux = p.os === 'windows' && pick(buildOn, p) === 'linux';
  const skip = skips[p.name] || '';
  // A Windows image built on Linux: runners names its smoke runner, as runs-on does in xplat.yml.
  const runsOn = onLinux ? BUILD_ON_LINUX_RUNNER : overrides[p.name] || (emulated ? QEMU_RUNNER : p.runner);
  if (!runsOn) fail('platforms: ' + p.name + ' has no GitHub-hosted runner; name a self-hosted runner in runners (e.g. {"' + p.name + '": ["self-hosted", "' + p.os + '"]})' + (p.os === 'linux' ? ' or list it in qemu-platforms' : ', or build it on Linux with build-on (e.g. {"windows": "linux"})'));
  let smokeRunsOn = runsOn;
  if (onLinux && skip && overrides[p.name]) fail('runners: ' + p.name + ' names the runner that smoke-tests it, and smoke-skip skips it: give one of them');
  if (onLinux && !skip) {
    smokeRunsOn = overrides[p.name] || (p.arch === 'amd64' ? p.runner : undefined);
    if (!smokeRunsOn) fail('platforms: ' + p.name + ' is built on ' + BUILD_ON_LINUX_RUNNER + ' and no GitHub-hosted runner smoke-tests it; name a self-hosted one in runners (e.g. {"' + p.name + '": ["self-hosted", "windows"]}) or skip it in smoke-skip (e.g. {"' + p.name + '": "no hosted runner"})');
  }
  const context = pick(contexts, p) || String(process.env.CONTEXT || '').trim() || '.';
  const file = pick(files, p) || String(process.env.FILE || '').trim() || path.posix.join(context, 'Dockerfile');
  const target = pick(targets, p) || String(process.env.TARGET || '').trim();
  include.push({ platform: p.name, pair: p.pair, 'runs-on': runsOn, qemu: emulated ? 'true' : 'auto', context, file, target, 'smoke-apart': String(smokeRunsOn !== runsOn), 'smoke-skip': skip });
  if (smokeRunsOn !== runsOn) apart.push({ platform: p.name, pair: p.pair, 'runs-on': smokeRunsOn });
}
if (!include.length) fail('platforms: list at least one platform, e.g. linux/amd64, windows/amd64:ltsc2022');
for (const [input, map] of [['files', files], ['targets', targets], ['contexts', contexts], ['build-on', buildOn], ['smoke-skip', skips]]) {
  for (const key of Object.keys(map)) {
    const known = key === 'linux' || key === 'windows' ? include.some((leg) => leg.platform.startsWith(key + '/')) : include.some((leg) => leg.platform === key);
    if (!known) fail(input + ': ' + key + ' is not in platforms (' + include.map((leg) => leg.platform).join(', ') + '); name one of those or an OS they have');
  }
}
const image = String(process.env.IMAGE || '').trim().toLowerCase();
if (!/^[a-z0-9.-]+(:[0-9]+)?(\\/[a-z0-9]+([._-]+[a-z0-9]+)*)+$|^[a-z0-9]+([._-]+[a-z0-9]+)*(\\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/.test(image)) fail('image: "' + image + '" is not a repository such as ghcr.io/org/app (no tag)');
const first = image.split('/')[0];
const registry = image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io';
// The attestation subject is fully qualified; Docker Hub's is index.docker.io/<path>.
const path0 = image.includes('/') && /[.:]|^localhost$/.test(first) ? image.slice(first.length + 1) : image;
const subject = registry === 'docker.io' ? 'index.docker.io/' + (path0.includes('/') ? path0 : 'library/' + path0) : image;
// The image's name in artifact names, as xplat.yml derives it for a one-image file.
const name = (image.split('/').pop() || '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '') || 'image';
// This call's prefix of artifact names. Two calls of this workflow in one caller run share
// the run's artifacts: without a prefix of their own the second upload of a name fails,
// and a fuse downloads the other call's results. Single hyphens only, so the '--' after
// it delimits it. The default is drawn here, once per call: jobs re-run after a failure
// reuse this job's outputs, so a call keeps its prefix.
let prefix = String(process.env.ARTIFACT_PREFIX || '').trim();
if (prefix && !(prefix.length <= 40 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(prefix))) fail('artifact-prefix: "' + prefix.slice(0, 60) + '" must be lowercase letters, digits and single hyphens, at most 40 characters, e.g. app-a');
if (!prefix) prefix = 'call-' + require('crypto').randomBytes(4).toString('hex');
const out = [
  'matrix=' + JSON.stringify({ include }),
  'platforms=' + include.map((leg) => leg.platform).join(','),
  'allow-untested=' + include.filter((leg) => leg['smoke-skip']).map((leg) => leg.platform).join(','),
  'smoke-matrix=' + JSON.stringify({ include: apart }),
  'smoke-apart=' + String(apart.length > 0),
  'image=' + image,
  'name=' + name,
  'prefix=' + prefix,
  'registry=' + registry,
  'subject=' + subject,
];
fs.appendFileSync(process.env.GITHUB_OUTPUT, out.join('\\n') + '\\n');
const smokeRunner = (leg) => JSON.stringify(apart.find((a) => a.platform === leg.platform)['runs-on']);
console.log(include.map((leg) => leg.platform + ' -> ' + JSON.stringify(leg['runs-on']) + (leg.qemu === 'true' ? ' (QEMU)' : '') + ', ' + leg.file + (leg.target ? ' (target ' + leg.target + ')' : '') + (leg['smoke-skip'] ? ', not smoke-tested: ' + leg['smoke-skip'] : '') + (leg['smoke-apart'] === 'true' ? ', smoke-tested on ' + smokeRunner(leg) : '')).join('\\n'));
`;
}
