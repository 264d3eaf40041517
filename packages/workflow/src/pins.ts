/**
 * Third-party actions the generated workflows use, with the full commit SHA of a known
 * release of each, for `pin-actions: true` (a tag can be moved; a commit cannot).
 *
 * These SHAs must be refreshed when a new release is adopted: look up the release's
 * commit (`git ls-remote https://github.com/<repo> refs/tags/<version>`), update `sha`
 * and `version` together, regenerate the goldens (UPDATE_GOLDEN=1) and the committed
 * workflows (`xplat generate`).
 */

export interface ActionPin {
  /** owner/repo. */
  readonly repository: string;
  /** The moving major tag used when not pinning. */
  readonly major: string;
  /** The release the SHA belongs to (written as a comment next to the SHA). */
  readonly version: string;
  /** Full 40-hex commit SHA of `version`. */
  readonly sha: string;
}

export const ACTION_PINS = {
  checkout: {
    repository: 'actions/checkout',
    major: 'v4',
    version: 'v4.2.2',
    sha: '11bd71901bbe5b1630ceea73d27597364c9af683',
  },
  uploadArtifact: {
    repository: 'actions/upload-artifact',
    major: 'v4',
    version: 'v4.6.2',
    sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02',
  },
  downloadArtifact: {
    repository: 'actions/download-artifact',
    major: 'v4',
    version: 'v4.3.0',
    sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093',
  },
  login: {
    repository: 'docker/login-action',
    major: 'v3',
    version: 'v3.4.0',
    sha: '74a5d142397b4f367a81961eba4e8cd7edddf772',
  },
  metadata: {
    repository: 'docker/metadata-action',
    major: 'v5',
    version: 'v5.7.0',
    sha: '902fa8ec7d6ecbf8d84d538b9b233a880e428804',
  },
} as const satisfies Record<string, ActionPin>;

export type ThirdPartyAction = keyof typeof ACTION_PINS;

/** `actions/checkout@v4`, or `actions/checkout@<sha>` when pinning. */
export function thirdPartyUses(action: ThirdPartyAction, pin: boolean): string {
  const p: ActionPin = ACTION_PINS[action];
  return `${p.repository}@${pin ? p.sha : p.major}`;
}

/** Appends `# v4.2.2` to each pinned `uses:` line, as Dependabot and reviewers expect. */
export function annotatePins(yamlText: string): string {
  let out = yamlText;
  for (const p of Object.values(ACTION_PINS) as ActionPin[]) {
    out = out.replaceAll(
      `uses: ${p.repository}@${p.sha}\n`,
      `uses: ${p.repository}@${p.sha} # ${p.version}\n`,
    );
  }
  return out;
}
