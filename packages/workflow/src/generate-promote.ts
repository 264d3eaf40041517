/**
 * The promote path of the generated workflow: build once, release by tags. On a tag push
 * (`v1.2.3`) for a commit that main built and gated already, the `promote` job finds that
 * commit's index by its immutable commit tag (`sha-{sha}` in xplat.yml's tags), checks it
 * (xplat's gate mark, the revision annotation equal to the commit, every platform with
 * its os.version) and gives it the release tags; the build legs, the smoke jobs and the
 * fuse are skipped, and the attestation is renewed for the promoted index by this run.
 * When no such index exists (a tag on a commit never built), nothing is written and the
 * run builds as before. A promote that finds an index it must refuse fails the run.
 *
 * Several images are promoted all or none: each image's index is first found and checked
 * (a dry run), and only when every one is there are the tags written, so the build never
 * runs for some images after others were released.
 */
import type { ResolvedConfig, ResolvedImage, RegistryLogin } from './config-types.js';
import {
  ATTEST_PERMISSIONS,
  attestationSubject,
  attestSteps,
  loginStep,
  sameLogin,
  withInputs,
  xplatUses,
} from './generate-steps.js';
import { thirdPartyUses } from './pins.js';
import type { TagTemplate } from './tags.js';

export const PROMOTE_JOB = 'promote';

/** The image's immutable commit tag (`sha-{sha}`), where the index of a commit is found. */
export function commitTag(image: ResolvedImage): TagTemplate | undefined {
  return image.tags.find((t) => !t.mutable && t.metadata.startsWith('type=sha,'));
}

/** A promote path exists when tag pushes run the workflow and every image has a commit tag. */
export function promotes(config: ResolvedConfig): boolean {
  return config.triggers.tags.length > 0 && config.images.every((i) => commitTag(i) !== undefined);
}

/**
 * The build job's condition after the promote job: it runs when there was no promote (not
 * a tag push) or the promote found nothing; never after a promote, nor after a failed one.
 */
export const BUILD_AFTER_PROMOTE = `\${{ !cancelled() && (needs.${PROMOTE_JOB}.result == 'skipped' || (needs.${PROMOTE_JOB}.result == 'success' && needs.${PROMOTE_JOB}.outputs.promoted != 'true')) }}`;

/** What the smoke and fuse jobs add to their condition: the build ran. */
export const BUILD_RAN = "needs.build.result != 'skipped'";

const suffix = (config: ResolvedConfig, image: ResolvedImage) =>
  config.several ? `-${image.name}` : '';

function metadataStep(
  name: string,
  id: string,
  image: ResolvedImage,
  tags: string,
  pin: boolean,
): Record<string, unknown> {
  return {
    name,
    id,
    uses: thirdPartyUses('metadata', pin),
    with: { images: image.image, flavor: 'latest=false', tags },
  };
}

/** fuse-manifest in promote mode for one image: a dry run finds and checks, else it writes. */
function promoteStep(
  config: ResolvedConfig,
  image: ResolvedImage,
  options: { readonly id: string; readonly dryRun: boolean; readonly if?: string },
): Record<string, unknown> {
  const s = suffix(config, image);
  const mutable = image.tags.some((t) => t.mutable);
  const of = config.several ? ` of ${image.name}` : '';
  return {
    name: options.dryRun
      ? `Find and check the index${of} of this commit`
      : `Give the index${of} of this commit the release tags (no rebuild)`,
    id: options.id,
    ...(options.if ? { if: options.if } : {}),
    uses: xplatUses(config.actions, 'fuse-manifest'),
    with: withInputs([
      ['image', image.image],
      ['promote-from', `\${{ steps.commit-tag${s}.outputs.tags }}`],
      ['promote-revision', '${{ github.sha }}'],
      ['promote-missing', 'skip'],
      ['tags', `\${{ steps.tags${s}.outputs.tags }}`],
      ['mutable-tags', mutable ? `\${{ steps.mutable${s}.outputs.tags }}` : ''],
      ['expected-platforms', image.legs.map((l) => l.name).join('\n')],
      ['dry-run', options.dryRun ? 'true' : ''],
      ['username', image.login?.username ?? ''],
      ['password', image.login?.password ?? ''],
    ]),
  };
}

/** One login step per distinct registry login (no matrix here: every image in one job). */
function logins(config: ResolvedConfig, pin: boolean): Record<string, unknown>[] {
  const distinct: RegistryLogin[] = [];
  for (const image of config.images)
    if (image.login && !distinct.some((l) => sameLogin(l, image.login!)))
      distinct.push(image.login);
  return distinct.map((l) => loginStep(l, pin));
}

export function promoteJob(
  config: ResolvedConfig,
  options: { readonly pin: boolean; readonly pushPermissions: Record<string, string> },
): Record<string, unknown> {
  const { pin } = options;
  const { several } = config;
  const all = (prefix: string) =>
    config.images.map((i) => `steps.${prefix}${suffix(config, i)}.outputs.promoted == 'true'`);
  const everyFound = several ? all('find').join(' && ') : undefined;
  const steps: Record<string, unknown>[] = [...logins(config, pin)];
  for (const image of config.images) {
    const s = suffix(config, image);
    const of = several ? ` of ${image.name}` : '';
    steps.push(
      metadataStep(
        `Resolve the commit tag${of}`,
        `commit-tag${s}`,
        image,
        commitTag(image)!.metadata,
        pin,
      ),
      metadataStep(
        `Resolve the release tags${of}`,
        `tags${s}`,
        image,
        `${image.tags.map((t) => t.metadata).join('\n')}\n`,
        pin,
      ),
    );
    const mutable = image.tags.filter((t) => t.mutable);
    if (mutable.length)
      steps.push(
        metadataStep(
          `Resolve the tags that may move${of}`,
          `mutable${s}`,
          image,
          `${mutable.map((t) => t.metadata).join('\n')}\n`,
          pin,
        ),
      );
    if (several) steps.push(promoteStep(config, image, { id: `find${s}`, dryRun: true }));
  }
  for (const image of config.images) {
    const s = suffix(config, image);
    steps.push(
      promoteStep(config, image, {
        id: `promote${s}`,
        dryRun: false,
        ...(everyFound ? { if: everyFound } : {}),
      }),
    );
    // This run renews the attestation: it names the promoted index by its digest.
    if (config.attest)
      steps.push(
        ...attestSteps({
          pin,
          subject: attestationSubject(image.image),
          logins: [],
          if: `steps.promote${s}.outputs.promoted == 'true'`,
        }).map((step) => ({
          ...step,
          ...(several ? { name: `Attest the index of ${image.name}` } : {}),
          with: {
            ...(step.with as Record<string, unknown>),
            'subject-digest': `\${{ steps.promote${s}.outputs.digest }}`,
          },
        })),
      );
  }
  return {
    name: 'promote',
    if: "${{ github.ref_type == 'tag' }}",
    'runs-on': runsOnValue(config),
    'timeout-minutes': 15,
    permissions: config.attest
      ? { ...options.pushPermissions, ...ATTEST_PERMISSIONS }
      : options.pushPermissions,
    outputs: {
      promoted: several
        ? `\${{ ${all('promote').join(' && ')} }}`
        : '${{ steps.promote.outputs.promoted }}',
    },
    steps,
  };
}

function runsOnValue(config: ResolvedConfig): string | string[] {
  const r = config.workflow.fuseRunsOn;
  return typeof r === 'string' ? r : [...r];
}
