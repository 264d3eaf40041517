/**
 * What a lint message may say. A message that advises another builder, host or value
 * names what the user edits: an xplat.yml field (build-args, build-on: linux, runs-on) or
 * an `xplat lint` flag (--build-arg, --builder, --host-os-version, --runner); never an
 * option name of this package. Every message of every fixture (the rule table and the
 * corpus) is scanned, so a new message cannot slip one in.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { formatFinding, type Finding } from '@xplat/dockerfile';
import { BUILD_ON_LINUX_CORPUS } from './corpus/build-on-linux.js';
import { lintCorpusLeg, removeCorpusContexts } from './corpus/run.js';
import { CORPUS } from './corpus/windows-dockerfiles.js';
import { LINT_CASES, lintCase, removeContexts } from './lint-cases.js';

afterAll(async () => {
  await removeContexts();
  await removeCorpusContexts();
});

/** LintOptions and internal names a user has nowhere to write. */
const INTERNAL =
  /\b(hostOsVersion|buildPlatform|osVersion|contextDir|buildArgs|engineVersion|LintOptions|StagePlanOptions)\b|\bbuilder: ?(buildx|buildkit|classic)\b|a node of that OS/;

async function corpusFindings(): Promise<Finding[]> {
  const all: Finding[] = [];
  for (const entry of [...CORPUS, ...BUILD_ON_LINUX_CORPUS]) {
    for (const leg of entry.legs) all.push(...(await lintCorpusLeg(entry, leg)));
  }
  return all;
}

async function caseFindings(): Promise<Finding[]> {
  const cases = Object.values(LINT_CASES).flat();
  return (await Promise.all(cases.map((c) => lintCase(c)))).flat();
}

describe('lint messages', () => {
  it('name xplat.yml fields and xplat lint flags, never an internal option', async () => {
    const findings = [...(await caseFindings()), ...(await corpusFindings())];
    // Enough to mean something: every rule's failing fixtures, and the corpus.
    expect(new Set(findings.map((f) => f.rule)).size).toBeGreaterThanOrEqual(
      Object.keys(LINT_CASES).length,
    );
    const leaking = findings.map(formatFinding).filter((line) => INTERNAL.test(line));
    expect(leaking).toEqual([]);
  });

  it('the scan recognises the internal names it is there to catch', () => {
    for (const bad of [
      'or give the host build (hostOsVersion) of your own runner',
      'build this leg with BuildKit on a Linux node (builder: buildx)',
      'drop --platform from this FROM or build with BuildKit (a node of that OS)',
      'pass buildPlatform linux/amd64',
    ]) {
      expect([bad, INTERNAL.test(bad)]).toEqual([bad, true]);
    }
    for (const good of [
      'build-args: { OSVERSION: ltsc2022 } on this platform in xplat.yml (--build-arg OSVERSION=ltsc2022)',
      'FROM --platform=$BUILDPLATFORM golang',
      "the image's os.version matches",
      'or build with BuildKit (--builder buildx)',
    ]) {
      expect([good, INTERNAL.test(good)]).toEqual([good, false]);
    }
  });
});
