/**
 * The table of every third-party action a workflow of xplat uses: the generated
 * workflow, the reusable workflow and this repository's own workflows. A test fails when
 * a generated or committed workflow uses an action that is not here, or a major other
 * than the one here (a newer one, as Dependabot writes it, excepted: see dependabot.ts).
 *
 * Every major is a Node 24 one (`runs.using: node24`): GitHub runs JavaScript actions on
 * Node 24 since June 2026 and warns on each Node 20 action.
 *
 * `pin-actions: true` writes `<repository>@<sha> # <version>` instead of the major. How a
 * SHA is obtained and kept current:
 *   - obtained: the commit the release tag points at,
 *     `git ls-remote https://github.com/<repository> 'refs/tags/<version>^{}' 'refs/tags/<version>'`
 *     (the peeled `^{}` line when the tag is annotated); `sha` and `version` change together;
 *   - kept current: in a user's repository, Dependabot (`package-ecosystem: github-actions`)
 *     bumps the SHA and the `# vX.Y.Z` comment, and `xplat generate` keeps the newer pin;
 *     here, a release of xplat that adopts a new version updates this table, regenerates
 *     the goldens (UPDATE_GOLDEN=1) and the committed workflows (`xplat generate`).
 */

/** xplat's own repository as the generated workflows name it; forks and mirrors pass `--uses` or set `xplat: { uses: }`. */
export const XPLAT_REPOSITORY = 'xplat-dev/xplat';
/** The major tag of xplat that generated workflows follow. */
export const XPLAT_MAJOR = 'v1';
/** xplat's actions when xplat.yml does not say (`xplat: { uses: ... }`). */
export const DEFAULT_XPLAT_USES = `${XPLAT_REPOSITORY}@${XPLAT_MAJOR}`;

export interface ActionPin {
  /** owner/repo. */
  readonly repository: string;
  /** The moving major tag used when not pinning: the first Node 24 major of the action. */
  readonly major: string;
  /** The release the SHA belongs to (written as a comment next to the SHA). */
  readonly version: string;
  /** Full 40-hex commit SHA of `version`; absent for actions only this repository's own workflows use (by major). */
  readonly sha?: string;
  /** Where xplat uses it. */
  readonly usedBy: string;
}

export const ACTION_PINS = {
  checkout: {
    repository: 'actions/checkout',
    major: 'v6',
    version: 'v6.0.2',
    sha: 'de0fac2e4500dabe0009e67214ff5f5447ce83dd',
    usedBy: 'build legs (persist-credentials: false)',
  },
  uploadArtifact: {
    repository: 'actions/upload-artifact',
    major: 'v6',
    version: 'v6.0.0',
    sha: 'b7c566a772e6b6bfb58ed0dc250532a479d7789f',
    usedBy: 'build legs: the leg result (name, path, if-no-files-found, retention-days)',
  },
  downloadArtifact: {
    repository: 'actions/download-artifact',
    major: 'v7',
    version: 'v7.0.0',
    sha: '37930b1c2abaa49bbe596cd826c3c89aef350131',
    usedBy: 'fuse job: every leg result (pattern, path)',
  },
  login: {
    repository: 'docker/login-action',
    major: 'v4',
    version: 'v4.1.0',
    sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121',
    usedBy: 'build legs and the attesting fuse job (registry, username, password)',
  },
  metadata: {
    repository: 'docker/metadata-action',
    major: 'v6',
    version: 'v6.2.0',
    sha: 'dc802804100637a589fabce1cb79ff13a1411302',
    usedBy: 'fuse job: the index tags (images, flavor, tags)',
  },
  attest: {
    repository: 'actions/attest-build-provenance',
    major: 'v4',
    version: 'v4.1.0',
    sha: 'a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32',
    usedBy: 'fuse job: provenance of the index (subject-name, subject-digest, push-to-registry)',
  },
  setupNode: {
    repository: 'actions/setup-node',
    major: 'v6',
    version: 'v6.3.0',
    sha: '53b83947a5a98c8d113130e565377fae1a50d02f',
    usedBy:
      "this repository's ci workflow (by major) and release workflow (pinned: it holds the publishing credentials)",
  },
} as const satisfies Record<string, ActionPin>;

export type ThirdPartyAction = keyof typeof ACTION_PINS;

/** The table entry of `owner/repo` (a sub-action `owner/repo/path` counts as its repository). */
export function actionPinFor(repository: string): ActionPin | undefined {
  const repo = repository.split('/').slice(0, 2).join('/').toLowerCase();
  return (Object.values(ACTION_PINS) as ActionPin[]).find((p) => p.repository === repo);
}

/** `actions/checkout@v6`, or `actions/checkout@<sha>` when pinning. */
export function thirdPartyUses(action: ThirdPartyAction, pin: boolean): string {
  const p: ActionPin = ACTION_PINS[action];
  if (pin && !p.sha) throw new Error(`${p.repository} has no pinned SHA in the action table`);
  return `${p.repository}@${pin ? p.sha : p.major}`;
}

/** Appends `# v6.0.2` to each pinned `uses:` line, as Dependabot and reviewers expect. */
export function annotatePins(yamlText: string): string {
  let out = yamlText;
  for (const p of Object.values(ACTION_PINS) as ActionPin[]) {
    if (!p.sha) continue;
    out = out.replaceAll(
      `uses: ${p.repository}@${p.sha}\n`,
      `uses: ${p.repository}@${p.sha} # ${p.version}\n`,
    );
  }
  return out;
}
