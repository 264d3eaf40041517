// Types of release-channels.mjs, for the tests that import it.
export interface Release {
  readonly tag: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: readonly (string | number)[];
}
export interface Channels {
  readonly version: string;
  readonly major: string;
  readonly prerelease: boolean;
  readonly moveMajor: boolean;
  readonly npmTag: string;
  readonly githubLatest: boolean;
}
export function parseRelease(tag: string): Release | undefined;
export function compareReleases(a: Release, b: Release): number;
export function releaseChannels(tag: string, tags: readonly string[]): Channels;
