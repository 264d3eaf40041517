/**
 * xplat.yml -> .github/workflows/xplat.yml. One matrix of legs (image x platform), each on
 * the runner that builds it (checkout -> login -> prepare -> setup-crossplatform-builder ->
 * build-platform-image -> smoke-test -> the leg result as an artifact); a smoke job for the
 * Windows images built on Linux, on a Windows runner of their release; then one gated fuse
 * per image, which downloads that image's leg results and lets fuse-manifest's gate decide.
 *
 * Output is deterministic: the same config gives byte-identical YAML (goldens and
 * `xplat generate --check` rely on it). The only `run:` scripts are the user's own
 * `prepare:` steps, which xplat.yml holds literally (it refuses `${{ }}`), so no
 * expression of an event can reach a shell.
 */
import { Document, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import {
  allLegs,
  smokesApart,
  type ResolvedConfig,
  type ResolvedImage,
  type ResolvedLeg,
  type ResolvedPrepareStep,
} from './config-types.js';
import { inputFor, isUniform, matrixInclude, vary, type Varying } from './generate-matrix.js';
import {
  allOf,
  attestationSubject,
  ATTEST_PERMISSIONS,
  attestSteps,
  keyValueLines,
  legArtifactName,
  legArtifactPattern,
  loginSteps,
  matrixIs,
  multiline,
  prepareStep,
  smokeInputs,
  uploadLegResultStep,
  withInputs,
  xplatUses,
} from './generate-steps.js';
import {
  BUILD_AFTER_PROMOTE,
  BUILD_RAN,
  PROMOTE_JOB,
  promoteJob,
  promotes,
} from './generate-promote.js';
import { annotatePins, thirdPartyUses } from './pins.js';
import { annotateXplatPin, pinXplatActions } from './pin-xplat.js';
import { bundledRelease, type XplatRelease } from './xplat-release.js';
import { XPLAT_NPX } from './npm.js';
import { formatRunsOn, type RunsOn } from '@xplat/core';

export * from './generate-steps.js';

export const BUILD_JOB = 'build';
export const SMOKE_JOB = 'smoke';
export const FUSE_JOB = 'fuse';
/** Where a leg's result is written in its build job, and downloaded to in its smoke job. */
const LEG_RESULT_DIR = '${{ runner.temp }}/xplat-leg';

export interface GenerateOptions {
  /** The config as the header names it (default xplat.yml). */
  readonly configPath?: string;
  /**
   * The release xplat's own actions are pinned to with `pin-actions: true`; default the
   * one this build was stamped with (none for a development build).
   */
  readonly release?: XplatRelease | undefined;
}

const runsOnValue = (r: RunsOn): string | string[] => (typeof r === 'string' ? r : [...r]);

/** A leg's own matrix keys in a job that runs on `runsOn` (its build or its smoke runner). */
function matrixEntry(
  config: ResolvedConfig,
  leg: ResolvedLeg,
  runsOn: RunsOn,
): Record<string, unknown> {
  return {
    ...(config.several ? { image: leg.imageName } : {}),
    platform: leg.name,
    pair: leg.pair,
    'runs-on': runsOnValue(runsOn),
  };
}

/** The image a leg belongs to. */
function imageOf(config: ResolvedConfig, leg: ResolvedLeg): ResolvedImage {
  return config.images.find((i) => i.name === leg.imageName)!;
}

/** The smoke-test inputs of these legs, each a literal or a matrix key (`smoke-port`). */
function smokeKeys(legs: readonly ResolvedLeg[]): Varying[] {
  const first = legs[0];
  if (!first) return [];
  return smokeInputs(first.smoke).map(([name], index) =>
    vary(legs, `smoke-${name}`, (l) => smokeInputs(l.smoke)[index]![1]),
  );
}

/**
 * The `prepare:` steps of every leg, each once, with the condition that selects its legs:
 * an image's own steps (for every leg of the image, or of every image when they all have
 * the same), then its OS family's (for its legs of that OS).
 */
function prepareWorkflowSteps(
  config: ResolvedConfig,
  legs: readonly ResolvedLeg[],
): Record<string, unknown>[] {
  const same = (a: readonly ResolvedPrepareStep[], b: readonly ResolvedPrepareStep[]) =>
    JSON.stringify(a) === JSON.stringify(b);
  const stepsOf = (leg: ResolvedLeg, from: ResolvedPrepareStep['from']) =>
    leg.prepare.filter((s) => s.from === from);
  const out: Record<string, unknown>[] = [];
  for (const from of ['image', 'linux', 'windows'] as const) {
    const mine = legs.filter(
      (l) => (from === 'image' || l.platform.os === from) && stepsOf(l, from).length,
    );
    if (!mine.length) continue;
    const osCondition =
      from !== 'image' && legs.some((l) => l.platform.os !== from)
        ? `matrix.os == '${from}'`
        : undefined;
    // Legs (by image) that share one list of steps get them once.
    const groups: { steps: readonly ResolvedPrepareStep[]; images: string[] }[] = [];
    for (const leg of mine) {
      const steps = stepsOf(leg, from);
      const group = groups.find((g) => same(g.steps, steps));
      if (!group) groups.push({ steps, images: [leg.imageName] });
      else if (!group.images.includes(leg.imageName)) group.images.push(leg.imageName);
    }
    const imagesWith = (os?: string) =>
      new Set(legs.filter((l) => !os || l.platform.os === os).map((l) => l.imageName));
    for (const group of groups) {
      const every = group.images.length === imagesWith(from === 'image' ? undefined : from).size;
      const condition = allOf(every ? undefined : matrixIs('image', group.images), osCondition);
      for (const step of group.steps) out.push(prepareStep(step, condition || undefined));
    }
  }
  return out;
}

/**
 * Per-leg values of the build job: literal inputs when every leg shares them, matrix keys
 * when not, and the matrix's `include` list that carries them.
 */
interface LegMatrix {
  readonly include: unknown[];
  readonly repository: Varying;
  readonly qemu: Varying;
  readonly context: Varying;
  readonly file: Varying;
  readonly target: Varying;
  readonly buildArgs: Varying;
  readonly labels: Varying;
  readonly legTag: Varying;
  readonly cache: Varying;
  readonly smoke: Varying[];
  readonly smokeSkip: Varying;
}

function legMatrix(
  config: ResolvedConfig,
  legs: readonly ResolvedLeg[],
  options: { readonly prepared: boolean; readonly apart: boolean },
): LegMatrix {
  const image = (l: ResolvedLeg) => imageOf(config, l);
  const keys = {
    repository: vary(legs, 'repository', (l) => image(l).image),
    qemu: vary(legs, 'qemu', (l) => (l.buildRunner.qemu ? 'true' : 'auto')),
    context: vary(legs, 'context', (l) => l.context),
    file: vary(legs, 'file', (l) => l.dockerfile),
    target: vary(legs, 'target', (l) => l.target ?? ''),
    buildArgs: vary(legs, 'build-args', (l) => keyValueLines(l.buildArgs)),
    labels: vary(legs, 'labels', (l) => keyValueLines(image(l).labels)),
    legTag: vary(legs, 'leg-tag', (l) => image(l).legTag ?? ''),
    cache: vary(legs, 'cache', (l) => image(l).cache ?? ''),
    smoke: smokeKeys(legs),
    smokeSkip: vary(legs, 'smoke-skip', (l) => l.smokeSkip ?? ''),
  };
  // The prepare steps read the platform's parts (TARGETOS, TARGETARCH) from matrix keys.
  const platformKeys = options.prepared
    ? [
        vary(legs, 'os', (l) => l.platform.os),
        vary(legs, 'arch', (l) => l.platform.architecture),
        vary(legs, 'variant', (l) => l.platform.variant ?? ''),
      ]
    : [];
  const smokeApart = vary(legs, 'smoke-apart', (l) => String(smokesApart(l)));
  const include = matrixInclude(
    legs,
    (leg) => matrixEntry(config, leg, leg.buildRunner.runsOn),
    [
      keys.repository,
      keys.qemu,
      keys.context,
      keys.file,
      keys.target,
      keys.buildArgs,
      keys.labels,
      keys.legTag,
      keys.cache,
      keys.smokeSkip,
      ...keys.smoke,
    ],
    [...platformKeys, ...(options.apart ? [smokeApart] : [])],
  );
  return { include, ...keys };
}

/**
 * The steps of one build leg: checkout, logins, prepare, builder, build, smoke test (not
 * for a leg smoke-tested apart), and its leg result as an artifact.
 */
function buildSteps(
  config: ResolvedConfig,
  legs: readonly ResolvedLeg[],
  m: LegMatrix,
  options: {
    readonly prepare: readonly Record<string, unknown>[];
    readonly apart: boolean;
    readonly artifact: string;
  },
): unknown[] {
  const pin = config.pinActions;
  const pr = config.triggers.pullRequests;
  const notPr = "github.event_name != 'pull_request'";
  const skips = legs.some((l) => l.smokeSkip !== undefined);
  return [
    { uses: thirdPartyUses('checkout', pin), with: { 'persist-credentials': false } },
    ...loginSteps(config.images, { pin, ...(pr ? { when: notPr } : {}) }),
    ...options.prepare,
    {
      name: 'Set up the builder',
      id: 'builder',
      uses: xplatUses(config.actions, 'setup-crossplatform-builder'),
      with: withInputs([
        ['platforms', '${{ matrix.platform }}'],
        ['qemu', legs.some((l) => l.buildRunner.qemu) ? inputFor(m.qemu) : ''],
      ]),
    },
    {
      name: 'Build ${{ matrix.platform }}',
      id: 'build',
      uses: xplatUses(config.actions, 'build-platform-image'),
      with: withInputs([
        ['image', inputFor(m.repository)],
        ['platform', '${{ matrix.platform }}'],
        ['context', inputFor(m.context)],
        ['file', inputFor(m.file)],
        ['target', inputFor(m.target)],
        ['build-args', inputFor(m.buildArgs)],
        ['labels', inputFor(m.labels)],
        ['tag-template', inputFor(m.legTag)],
        ['push', pr ? `\${{ ${notPr} }}` : 'true'],
        ['cache', inputFor(m.cache)],
        ['result-dir', LEG_RESULT_DIR],
      ]),
    },
    {
      name: 'Smoke-test ${{ matrix.platform }}',
      id: 'smoke',
      ...(options.apart ? { if: "matrix.smoke-apart != 'true'" } : {}),
      uses: xplatUses(config.actions, 'smoke-test'),
      with: withInputs([
        ['image', '${{ steps.build.outputs.ref }}'],
        ['platform', '${{ matrix.platform }}'],
        ...m.smoke.map((v): [string, string] => [v.key.replace(/^smoke-/, ''), inputFor(v)]),
        ['skip', skips ? inputFor(m.smokeSkip) : ''],
        ['result-file', '${{ steps.build.outputs.result-file }}'],
      ]),
    },
    uploadLegResultStep({
      pin,
      name: options.artifact,
      path: '${{ steps.build.outputs.result-file }}',
      if: "always() && steps.build.outputs.result-file != ''",
    }),
  ];
}

/** The workflow's `on:` from xplat.yml's triggers. */
function triggersOf(config: ResolvedConfig): Record<string, unknown> {
  const on: Record<string, unknown> = {};
  const push: Record<string, unknown> = {};
  if (config.triggers.branches.length) push.branches = [...config.triggers.branches];
  if (config.triggers.tags.length) push.tags = [...config.triggers.tags];
  if (Object.keys(push).length) on.push = push;
  if (config.triggers.pullRequests) on.pull_request = null;
  if (config.triggers.workflowDispatch) on.workflow_dispatch = null;
  if (config.triggers.schedule.length)
    on.schedule = config.triggers.schedule.map((cron) => ({ cron }));
  return on;
}

/** The comment above each job: what it does and why it is placed where it is. */
function commentJobs(
  doc: Document,
  config: ResolvedConfig,
  jobs: { readonly promote: boolean; readonly apart: boolean },
): void {
  if (jobs.promote)
    comment(
      doc,
      ['jobs', PROMOTE_JOB],
      ' Build once, release by tags: on a tag push, the index main built and gated for this commit\n (its commit tag, with its revision annotation equal to the commit) gets the release tags,\n after checking every platform and os.version; the build, smoke and fuse jobs are then\n skipped. Without such an index nothing is written and the run builds as on a branch.',
    );
  comment(
    doc,
    ['jobs', BUILD_JOB],
    config.several
      ? ' One leg per image and platform, each on the runner that builds it; fail-fast is off so every leg reports.'
      : jobs.apart
        ? ' One leg per platform, each on the runner that builds it (the Windows images built on Linux by\n BuildKit on ubuntu-24.04); fail-fast is off so every leg reports.'
        : ' One leg per platform, each on a runner that builds it natively; fail-fast is off so every leg reports.',
  );
  if (jobs.apart)
    comment(
      doc,
      ['jobs', SMOKE_JOB],
      ' The Windows images built on Linux, each smoke-tested on a Windows runner of its release:\n it pulls the digest its leg result names (and no other) and records the verdict there.',
    );
  comment(
    doc,
    ['jobs', FUSE_JOB],
    ` The gate: runs after every leg (even failed ones, so the gate can say which), and\n fuse-manifest writes the index only when every expected platform was pushed and passed.${
      config.several ? "\n One fuse per image, gated on that image's legs only." : ''
    }${
      config.attest
        ? '\n Then the index is attested (id-token and attestations: write, on this job only);\n verify with `gh attestation verify oci://<image>@<digest> --owner <org>`.'
        : ''
    }`,
  );
}

export function generateWorkflow(configIn: ResolvedConfig, options: GenerateOptions = {}): string {
  const release = 'release' in options ? options.release : bundledRelease();
  // pin-actions pins xplat's own actions too: to this xplat's release, or not at all.
  const pinned = configIn.pinActions
    ? pinXplatActions(configIn.actions, release, options.configPath ?? 'xplat.yml')
    : undefined;
  const config = pinned ? { ...configIn, actions: pinned.source } : configIn;
  const legs = allLegs(config);
  const several = config.several;
  const pin = config.pinActions;
  const pr = config.triggers.pullRequests;
  const notPr = "github.event_name != 'pull_request'";
  const apart = legs.filter(smokesApart);
  const prepare = prepareWorkflowSteps(config, legs);
  const matrix = legMatrix(config, legs, { prepared: prepare.length > 0, apart: apart.length > 0 });

  const githubToken = config.images.some((i) => i.login?.githubToken);
  const pushPermissions: Record<string, string> = githubToken
    ? { contents: 'read', packages: 'write' }
    : { contents: 'read' };
  const artifact = several
    ? legArtifactName('${{ matrix.image }}', '${{ matrix.pair }}')
    : legArtifactName(config.images[0]!.name, '${{ matrix.pair }}');
  const legName = several ? '${{ matrix.image }} ${{ matrix.platform }}' : '${{ matrix.platform }}';

  // On a tag push, the promote job first: an index this commit already has gets the tags.
  const promote = promotes(config);
  const jobs: Record<string, unknown> = {
    ...(promote ? { [PROMOTE_JOB]: promoteJob(config, { pin, pushPermissions }) } : {}),
    [BUILD_JOB]: {
      name: legName,
      ...(promote ? { needs: PROMOTE_JOB, if: BUILD_AFTER_PROMOTE } : {}),
      'runs-on': '${{ matrix.runs-on }}',
      'timeout-minutes': config.workflow.timeoutMinutes,
      permissions: pushPermissions,
      strategy: { 'fail-fast': false, matrix: { include: matrix.include } },
      steps: buildSteps(config, legs, matrix, { prepare, apart: apart.length > 0, artifact }),
    },
  };
  const ran = promote ? BUILD_RAN : undefined;
  if (apart.length)
    jobs[SMOKE_JOB] = smokeJob(config, apart, { pin, pr, notPr, ran, artifact, legName });
  jobs[FUSE_JOB] = fuseJob(config, {
    pin,
    pr,
    notPr,
    ran,
    pushPermissions,
    needs: apart.length ? [BUILD_JOB, SMOKE_JOB] : BUILD_JOB,
  });

  const workflow = {
    name: config.workflow.name,
    on: triggersOf(config),
    permissions: { contents: 'read' },
    concurrency: {
      group: '${{ github.workflow }}-${{ github.ref }}',
      'cancel-in-progress': pr ? `\${{ github.event_name == 'pull_request' }}` : false,
    },
    jobs,
  };

  const doc = new Document(workflow, { aliasDuplicateObjects: false });
  doc.commentBefore = header(config, options.configPath ?? 'xplat.yml');
  commentJobs(doc, config, { promote, apart: apart.length > 0 });
  const text = render(doc);
  return pinned ? annotateXplatPin(text, pinned) : text;
}

interface JobOptions {
  readonly pin: boolean;
  readonly pr: boolean;
  readonly notPr: string;
  /** With a promote job: the build ran (it is skipped after a promote). */
  readonly ran: string | undefined;
}

/** The condition of a job after the build: not cancelled, not for pull requests, the build ran. */
function afterBuild(options: JobOptions): string {
  return `\${{ ${allOf('!cancelled()', options.pr ? options.notPr : undefined, options.ran)} }}`;
}

/**
 * The smoke job of the Windows images built on Linux: on a Windows runner of the release,
 * it downloads the leg's result, smoke-tests the digest in it, and uploads the result
 * again under the same name. Pull requests build without pushing, so it runs on pushes.
 */
function smokeJob(
  config: ResolvedConfig,
  legs: readonly ResolvedLeg[],
  options: JobOptions & { readonly artifact: string; readonly legName: string },
): Record<string, unknown> {
  const smoke = smokeKeys(legs);
  const images = config.images.filter((i) => legs.some((l) => l.imageName === i.name));
  const include = matrixInclude(
    legs,
    (leg) => matrixEntry(config, leg, leg.smokeRunner.runsOn),
    smoke,
  );
  const resultFile = `${LEG_RESULT_DIR}/\${{ matrix.pair }}.json`;
  return {
    name: `smoke ${options.legName}`,
    needs: BUILD_JOB,
    if: afterBuild(options),
    'runs-on': '${{ matrix.runs-on }}',
    'timeout-minutes': config.workflow.timeoutMinutes,
    permissions: config.images.some((i) => i.login?.githubToken)
      ? { contents: 'read', packages: 'read' }
      : { contents: 'read' },
    strategy: { 'fail-fast': false, matrix: { include } },
    steps: [
      {
        name: 'Download the leg result',
        uses: thirdPartyUses('downloadArtifact', options.pin),
        with: { name: options.artifact, path: LEG_RESULT_DIR },
      },
      ...loginSteps(
        images.map((i) => ({ name: i.name, login: i.login })),
        { pin: options.pin },
      ),
      {
        name: 'Smoke-test ${{ matrix.platform }}',
        id: 'smoke',
        uses: xplatUses(config.actions, 'smoke-test'),
        with: withInputs([
          ['platform', '${{ matrix.platform }}'],
          ...smoke.map((v): [string, string] => [v.key.replace(/^smoke-/, ''), inputFor(v)]),
          ['result-file', resultFile],
        ]),
      },
      uploadLegResultStep({
        pin: options.pin,
        name: options.artifact,
        path: resultFile,
        if: 'always()',
        overwrite: true,
      }),
    ],
  };
}

/** The gate and the fuse: one job, or one matrix leg per image when there are several. */
function fuseJob(
  config: ResolvedConfig,
  options: JobOptions & {
    readonly pushPermissions: Record<string, string>;
    readonly needs: string | string[];
  },
): Record<string, unknown> {
  const { images, several } = config;
  const { pin } = options;
  const repository = vary(images, 'repository', (i) => i.image);
  const expected = vary(images, 'platforms', (i) => i.legs.map((l) => l.name).join('\n'));
  const untested = vary(images, 'allow-untested', (i) =>
    i.legs
      .filter((l) => l.smokeSkip !== undefined)
      .map((l) => l.name)
      .join('\n'),
  );
  const tags = vary(images, 'tags', (i) => i.tags.map((t) => t.metadata).join('\n'));
  const mutable = vary(images, 'mutable-tags', (i) =>
    i.tags
      .filter((t) => t.mutable)
      .map((t) => t.metadata)
      .join('\n'),
  );
  const subject = vary(images, 'subject', (i) => attestationSubject(i.image));
  const anyTags = tags.values.some(Boolean);
  const anyMutable = mutable.values.some(Boolean);
  const anyUntested = untested.values.some(Boolean);
  const logins = loginSteps(images, { pin });
  const metadata = (name: string, id: string, v: Varying) => ({
    name,
    id,
    ...(isUniform(v) ? {} : { if: `matrix.${v.key} != ''` }),
    uses: thirdPartyUses('metadata', pin),
    with: { images: inputFor(repository), flavor: 'latest=false', tags: multiline(inputFor(v)) },
  });
  const steps = [
    {
      name: several
        ? 'Download the leg results of ${{ matrix.image }}'
        : 'Download every leg result',
      uses: thirdPartyUses('downloadArtifact', pin),
      with: {
        pattern: legArtifactPattern(several ? '${{ matrix.image }}' : images[0]!.name),
        path: '${{ runner.temp }}/xplat-legs',
      },
    },
    ...(anyTags ? [metadata('Resolve the tags', 'tags', tags)] : []),
    ...(anyMutable ? [metadata('Resolve the tags that may move', 'mutable', mutable)] : []),
    {
      name: 'Fuse (only when every platform passed)',
      id: 'fuse',
      uses: xplatUses(config.actions, 'fuse-manifest'),
      with: withInputs([
        ['image', inputFor(repository)],
        ['tags', anyTags ? '${{ steps.tags.outputs.tags }}' : ''],
        ['mutable-tags', anyMutable ? '${{ steps.mutable.outputs.tags }}' : ''],
        ['results', '${{ runner.temp }}/xplat-legs'],
        ['expected-platforms', inputFor(expected)],
        ['allow-untested', anyUntested ? inputFor(untested) : ''],
        ...fuseCredentials(config),
      ]),
    },
    // The fuse job never runs for pull requests, so neither does the attestation.
    ...(config.attest ? attestSteps({ pin, subject: inputFor(subject), logins }) : []),
  ];
  const include = several
    ? matrixInclude(images, (i) => ({ image: i.name }), [
        repository,
        expected,
        untested,
        tags,
        mutable,
        subject,
      ])
    : undefined;
  return {
    name: several ? 'fuse ${{ matrix.image }}' : 'fuse',
    needs: options.needs,
    if: afterBuild(options),
    'runs-on': runsOnValue(config.workflow.fuseRunsOn),
    'timeout-minutes': 15,
    permissions: config.attest
      ? { ...options.pushPermissions, ...ATTEST_PERMISSIONS }
      : options.pushPermissions,
    ...(include ? { strategy: { 'fail-fast': false, matrix: { include } } } : {}),
    // A matrix job's outputs are its last leg's: only one image has outputs to give.
    ...(several
      ? {}
      : {
          outputs: {
            digest: '${{ steps.fuse.outputs.digest }}',
            ref: '${{ steps.fuse.outputs.ref }}',
          },
        }),
    steps,
  };
}

/**
 * fuse-manifest's username and password: the image's login. Secrets cannot be matrix
 * values, so when images log in differently the expression picks by the image's name.
 */
function fuseCredentials(config: ResolvedConfig): [string, string][] {
  const logins = config.images.map((i) => i.login);
  const first = logins[0];
  if (
    logins.every(
      (l) => l && first && l.username === first.username && l.password === first.password,
    )
  )
    return [
      ['username', first!.username],
      ['password', first!.password],
    ];
  const pick = (of: (l: NonNullable<(typeof logins)[number]>) => string) =>
    `\${{ ${config.images
      .filter((i) => i.login)
      .map((i) => `matrix.image == '${i.name}' && ${unwrap(of(i.login!))}`)
      .join(' || ')} || '' }}`;
  return [
    ['username', pick((l) => l.username)],
    ['password', pick((l) => l.password)],
  ];
}

/** `${{ secrets.X }}` -> `secrets.X`; a literal -> a quoted string. */
function unwrap(value: string): string {
  const m = /^\$\{\{\s*(.*?)\s*\}\}$/.exec(value);
  return m ? m[1]! : `'${value.replace(/'/g, "''")}'`;
}

function runnerText(leg: ResolvedLeg): string {
  const build = `${formatRunsOn(leg.buildRunner.runsOn)}${leg.buildRunner.qemu ? ', QEMU' : ''}`;
  if (leg.smokeSkip !== undefined)
    return `${leg.buildOn === leg.platform.os ? build : `built on ${build}`}; not smoke-tested: ${leg.smokeSkip}`;
  if (!smokesApart(leg)) return build;
  return `built on ${build}, smoke-tested on ${formatRunsOn(leg.smokeRunner.runsOn)}`;
}

function header(config: ResolvedConfig, configPath: string): string {
  // The command users run (npx xplat@1), with the config when it is not the default.
  const regenerate = `${XPLAT_NPX} generate${configPath === 'xplat.yml' ? '' : ` --config ${configPath}`}`;
  const lines = [
    ` Generated by xplat from ${configPath}: do not edit by hand.`,
    ` Regenerate with \`${regenerate}\`; \`${regenerate} --check\` fails when this file is stale.`,
    ' A newer version of a third-party action below (as Dependabot bumps it) is kept, not drift.',
    '',
    ...(config.several
      ? [
          ' Images and platforms (runner):',
          ...config.images.flatMap((image) => [
            `   ${image.name}: ${image.image}`,
            ...image.legs.map((l) => `     ${l.name} (${runnerText(l)})`),
          ]),
        ]
      : [' Platforms (runner):', ...allLegs(config).map((l) => `   ${l.name} (${runnerText(l)})`)]),
  ];
  if (config.pinActions)
    lines.push(
      '',
      ' Actions are pinned by commit SHA: third-party ones from the table xplat ships, and',
      " xplat's own to the release of the xplat that generated this file; upgrade xplat and",
      ' regenerate to refresh them.',
    );
  return lines.join('\n');
}

/** A comment above the key at `path` (a job id, a step). */
function comment(doc: Document, path: readonly string[], text: string): void {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (!isMap(node)) return;
    pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment) as Pair | undefined;
    node = pair?.value;
  }
  if (pair && isScalar(pair.key)) (pair.key as Node).commentBefore = text;
}

export function render(doc: Document): string {
  // Blank lines between jobs and between steps keep the file readable.
  const jobs = doc.get('jobs', true);
  if (isMap(jobs)) {
    jobs.items.forEach((job, i) => {
      if (i > 0 && isScalar(job.key)) job.key.spaceBefore = true;
      const steps = isMap(job.value) ? job.value.get('steps', true) : undefined;
      if (isSeq(steps))
        steps.items.forEach((step, j) => {
          if (j > 0 && isMap(step)) step.spaceBefore = true;
        });
    });
  }
  const text = doc.toString({ lineWidth: 0, minContentWidth: 0, nullStr: '', singleQuote: true });
  return annotatePins(text);
}
