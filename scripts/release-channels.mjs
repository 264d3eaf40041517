#!/usr/bin/env node
// Where a release goes besides its own tag: whether the major tag (v1) moves to it, the npm
// dist-tag it is published under, and whether GitHub marks it the latest release. Only the
// highest release moves anything: a backport v1.0.5 published after v1.3.0 is published
// (npm needs a dist-tag for it, so it gets backport-1.0, which names only its own line),
// but moves neither v1 nor npm's latest back.
//
//   node scripts/release-channels.mjs --tag v1.0.5 [--tags v1.3.0,v1.0.4,...]
//
// Without --tags, the release tags come from `git tag --list 'v*'` of the checkout (a
// full clone: fetch-depth 0). Prints name=value lines for $GITHUB_OUTPUT on stdout
// (version, major, prerelease, move-major, npm-tag, github-latest) and the decision in
// words on stderr. Exit 2 when --tag is not a release tag.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const RELEASE = /^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

/** `v1.3.0-rc.1` -> { major: 1, minor: 3, patch: 0, pre: ['rc', 1] }; undefined if not a release tag. */
export function parseRelease(tag) {
  const m = RELEASE.exec(tag);
  if (!m) return undefined;
  const pre = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { tag, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre };
}

/** Semantic version order (semver.org §11): < 0, 0, > 0. */
export function compareReleases(a, b) {
  for (const key of ['major', 'minor', 'patch']) if (a[key] !== b[key]) return a[key] - b[key];
  if (!a.pre.length || !b.pre.length) return b.pre.length - a.pre.length;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The channels of release `tag` among `tags` (every release tag of the repository; the
 * tag itself may be among them). Pre-releases go to npm's `next` and move nothing.
 */
export function releaseChannels(tag, tags) {
  const release = parseRelease(tag);
  if (!release) throw new Error(`"${tag}" is not a release tag such as v1.2.3 or v1.3.0-rc.1`);
  const version = tag.slice(1);
  const major = `v${release.major}`;
  if (release.pre.length)
    return {
      version,
      major,
      prerelease: true,
      moveMajor: false,
      npmTag: 'next',
      githubLatest: false,
    };
  const stable = tags
    .map(parseRelease)
    .filter((r) => r !== undefined && r.pre.length === 0 && r.tag !== tag);
  const above = stable.filter((r) => compareReleases(r, release) > 0);
  const highest = above.length === 0;
  const highestOfMajor = !above.some((r) => r.major === release.major);
  return {
    version,
    major,
    prerelease: false,
    moveMajor: highestOfMajor,
    // npm's latest is one tag for every major: it moves only forward. The highest of an
    // older major gets latest-<major> (as npm itself publishes old lines); a backport a
    // tag of its own line, which moves nothing anyone follows.
    npmTag: highest
      ? 'latest'
      : highestOfMajor
        ? `latest-${release.major}`
        : `backport-${release.major}.${release.minor}`,
    githubLatest: highest,
  };
}

function describe(c, tag) {
  if (c.prerelease) return `${tag} is a pre-release: npm dist-tag next; ${c.major} and latest stay`;
  return [
    c.moveMajor
      ? `${c.major} moves to ${tag}`
      : `${c.major} stays (a higher ${c.major} release exists)`,
    `npm dist-tag ${c.npmTag}`,
    c.githubLatest ? 'the latest GitHub release' : 'not the latest GitHub release',
  ].join('; ');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { tag: { type: 'string' }, tags: { type: 'string' } } });
  const tags =
    values.tags !== undefined
      ? values.tags.split(/[\s,]+/).filter(Boolean)
      : execFileSync('git', ['tag', '--list', 'v*'], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean);
  let channels;
  try {
    channels = releaseChannels(values.tag ?? '', tags);
  } catch (error) {
    console.error(`release-channels: --tag ${error.message}`);
    process.exit(2);
  }
  const out = {
    version: channels.version,
    major: channels.major,
    prerelease: channels.prerelease,
    'move-major': channels.moveMajor,
    'npm-tag': channels.npmTag,
    'github-latest': channels.githubLatest,
  };
  for (const [k, v] of Object.entries(out)) console.log(`${k}=${v}`);
  console.error(describe(channels, values.tag));
}
