/**
 * Tag templates of xplat.yml (`{version}`, `{major}.{minor}`, `{branch}`, `sha-{sha}`,
 * `latest`, literals) and their translation to docker/metadata-action `tags` lines, which
 * resolve them from the git ref at run time in the fuse job.
 */
import { fillTemplate, tagProblem, templatePlaceholders, unmatchedBrace } from '@xplat/oci';

/** Index-tag placeholders from a v1.2.3 git tag. */
export const SEMVER_PLACEHOLDERS = ['version', 'major', 'minor', 'patch'] as const;
/** Index-tag placeholders from the git ref and the run. */
export const REF_PLACEHOLDERS = ['branch', 'tag', 'sha', 'date'] as const;
/** Placeholders of the index tags in xplat.yml (not a leg tag). */
export const INDEX_TAG_PLACEHOLDERS = [...SEMVER_PLACEHOLDERS, ...REF_PLACEHOLDERS] as const;

/** Tags of the index when xplat.yml names none. */
export const DEFAULT_TAGS: readonly string[] = [
  '{version}',
  '{major}.{minor}',
  '{branch}',
  'sha-{sha}',
  'latest',
];

export interface TagTemplate {
  /** As written in xplat.yml. */
  readonly template: string;
  /** One docker/metadata-action `tags` line. */
  readonly metadata: string;
  /**
   * Whether the tag may move to another index (fuse-manifest's mutable-tags): branch,
   * major.minor, latest and literal tags move; {version}, {patch}, {tag} and {sha} do not.
   */
  readonly mutable: boolean;
  /** When the tag is produced, in a few words (for `xplat plan`). */
  readonly when: string;
}

const SAMPLE: Record<string, string> = {
  version: '1.2.3',
  major: '1',
  minor: '2',
  patch: '3',
  branch: 'main',
  tag: 'v1.2.3',
  sha: '1a2b3c4',
  date: '20250101',
};

/** Parse one template; throws an Error whose message says what is wrong and what is right. */
export function parseTagTemplate(text: string): TagTemplate {
  const template = text.trim();
  if (!template) throw new Error('a tag template is empty');
  const brace = unmatchedBrace(template, 'version');
  if (brace) throw new Error(brace);
  const tokens = templatePlaceholders(template);
  for (const token of tokens) {
    if (!(INDEX_TAG_PLACEHOLDERS as readonly string[]).includes(token))
      throw new Error(
        `"{${token}}" is not a tag placeholder; use ${INDEX_TAG_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
      );
  }
  const sample = fillTemplate(template, (t) => SAMPLE[t]!);
  const problem = tagProblem(sample);
  if (problem) throw new Error(`"${template}" does not make a valid tag: ${problem}`);

  const semver = tokens.filter((t) => (SEMVER_PLACEHOLDERS as readonly string[]).includes(t));
  const refs = tokens.filter((t) => !(SEMVER_PLACEHOLDERS as readonly string[]).includes(t));
  const only = tokens.length === 1 ? tokens[0] : undefined;
  const at = tokens.length === 1 ? template.indexOf(`{${only}}`) : -1;
  const prefix = at >= 0 ? template.slice(0, at) : '';
  const suffix = at >= 0 ? template.slice(at + `{${only}}`.length) : '';
  const affixes = `${prefix ? `,prefix=${prefix}` : ''}${suffix ? `,suffix=${suffix}` : ''}`;

  if (semver.length) {
    if (refs.length)
      throw new Error(
        `"${template}" mixes semver placeholders (from a v1.2.3 git tag) with {${refs[0]}}; give them as separate tags`,
      );
    const pattern = fillTemplate(template, (t) => `{{${t}}}`);
    return {
      template,
      metadata: `type=semver,pattern=${pattern}`,
      mutable: !semver.includes('version') && !semver.includes('patch'),
      when: 'a semver git tag (v1.2.3)',
    };
  }
  if (tokens.length === 0) {
    if (template === 'latest')
      return {
        template,
        metadata: 'type=raw,value=latest,enable={{is_default_branch}}',
        mutable: true,
        when: 'the default branch',
      };
    return { template, metadata: `type=raw,value=${template}`, mutable: true, when: 'always' };
  }
  if (only === 'branch')
    return {
      template,
      metadata: `type=ref,event=branch${affixes}`,
      mutable: true,
      when: 'a branch push',
    };
  if (only === 'tag')
    return {
      template,
      metadata: `type=ref,event=tag${affixes}`,
      mutable: false,
      when: 'a git tag',
    };
  if (only === 'sha')
    return {
      template,
      metadata: `type=sha,prefix=${prefix},suffix=${suffix}`,
      mutable: false,
      when: 'always',
    };
  if (refs.includes('branch') && refs.includes('tag'))
    throw new Error(
      `"${template}" combines {branch} and {tag}, which never exist together; give them as separate tags`,
    );
  const value = template
    .replace(/\{date\}/g, "{{date 'YYYYMMDD'}}")
    .replace(/\{(branch|tag|sha)\}/g, '{{$1}}');
  const enable = refs.includes('branch')
    ? ",enable=${{ github.ref_type == 'branch' }}"
    : refs.includes('tag')
      ? ",enable=${{ github.ref_type == 'tag' }}"
      : '';
  return {
    template,
    metadata: `type=raw,value=${value}${enable}`,
    mutable: !refs.includes('sha') && !refs.includes('tag'),
    when: refs.includes('branch') ? 'a branch push' : refs.includes('tag') ? 'a git tag' : 'always',
  };
}
