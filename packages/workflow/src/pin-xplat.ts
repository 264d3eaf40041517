/**
 * `pin-actions: true` for xplat's own actions: `owner/xplat/actions/<name>@<commit>` with
 * `# vX.Y.Z`, the commit of the release the generating CLI comes from (fuse-manifest gets
 * the registry password in the job that holds id-token: write; a movable @v1 there is what
 * pinning is meant to rule out). Refused, in one line saying what to set, when this xplat
 * cannot know that commit: a development build, a fork's repository, another major (a
 * UsageError: the setting cannot be used by this xplat).
 */
import { UsageError } from '@xplat/core';
import type { ActionSource } from './config-types.js';
import type { XplatRelease } from './xplat-release.js';

const SHA = /^[0-9a-f]{40}$/;

/** The pinned source and the `# version` comment its uses: lines get (none when given as a SHA). */
export interface PinnedXplat {
  readonly source: ActionSource;
  readonly version: string | undefined;
}

export function pinXplatActions(
  source: ActionSource,
  release: XplatRelease | undefined,
  where: string,
): PinnedXplat {
  // Local actions are this checkout's; an explicit SHA is pinned already.
  if (source.kind !== 'remote' || SHA.test(source.ref)) return { source, version: undefined };
  const input = `${where}: pin-actions`;
  const set = (repository: string) =>
    `set xplat: { uses: ${repository}@<full commit SHA of a release> } in xplat.yml`;
  if (!release)
    throw new UsageError(
      `this xplat is a development build and knows no release commit to pin ${source.repository}@${source.ref} to; ${set(source.repository)}, or generate with a released xplat (npx xplat@1 generate)`,
      input,
    );
  if (source.repository.toLowerCase() !== release.repository.toLowerCase())
    throw new UsageError(
      `this xplat is ${release.version} of ${release.repository} and cannot pin ${source.repository}@${source.ref}; ${set(source.repository)}`,
      input,
    );
  const major = release.version.split('.')[0]!;
  if (source.ref !== major && source.ref !== release.version)
    throw new UsageError(
      `this xplat is ${release.version} and cannot pin ${source.repository}@${source.ref}; use xplat: { uses: ${source.repository}@${major} } (pinned to ${release.version}) or ${set(source.repository).replace(/^set /, '')}`,
      input,
    );
  return {
    source: { kind: 'remote', repository: source.repository, ref: release.commit },
    version: release.version,
  };
}

/** Appends `# vX.Y.Z` to each `uses:` line of xplat's actions pinned to `commit`. */
export function annotateXplatPin(text: string, pinned: PinnedXplat): string {
  const { source, version } = pinned;
  if (!version || source.kind !== 'remote') return text;
  const escaped = source.repository.replace(/[.]/g, '\\.');
  return text.replace(
    new RegExp(`^(\\s*(?:-\\s+)?uses: ${escaped}/actions/[\\w-]+@${source.ref})$`, 'gm'),
    `$1 # ${version}`,
  );
}
