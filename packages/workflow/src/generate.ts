/**
 * xplat.yml -> .github/workflows/xplat.yml. One matrix leg per platform on its native
 * runner (checkout -> login -> setup-crossplatform-builder -> build-platform-image ->
 * smoke-test -> the leg result as an artifact), then a fuse job that needs the matrix,
 * downloads every leg result and lets fuse-manifest's gate decide.
 *
 * Output is deterministic: the same config gives byte-identical YAML (goldens and
 * `xplat generate --check` rely on it). No `run:` script is generated at all, so no
 * user-controlled expression can reach a shell.
 */
import { parseRepository } from '@xplat/registry';
import { Document, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { ActionSource, ResolvedConfig, ResolvedLeg } from './config.js';
import { annotatePins, thirdPartyUses } from './pins.js';
import { XPLAT_NPX } from './npm.js';
import type { SmokeSettings } from './schema.js';

/** Names of xplat's actions, as folders under actions/. */
export type XplatAction =
  'setup-crossplatform-builder' | 'build-platform-image' | 'smoke-test' | 'fuse-manifest';

export const LEG_ARTIFACT_PREFIX = 'xplat-leg-';
export const BUILD_JOB = 'build';
export const FUSE_JOB = 'fuse';

/** `owner/xplat/actions/<name>@v1`, or `./actions/<name>` for a local folder. */
export function xplatUses(source: ActionSource, action: XplatAction): string {
  return source.kind === 'local'
    ? `${source.dir}/${action}`
    : `${source.repository}/actions/${action}@${source.ref}`;
}

export interface GenerateOptions {
  /** The config as the header names it (default xplat.yml). */
  readonly configPath?: string;
}

/** A string, number or expression value of one `with:` input; '' is left out. */
type Input = string;

/** Smoke settings as smoke-test inputs (strings), in a fixed order. */
export function smokeInputs(smoke: SmokeSettings): [string, Input][] {
  const lines = (r: Record<string, string> | undefined) =>
    r
      ? Object.entries(r)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')
      : '';
  return [
    ['port', smoke.port !== undefined ? String(smoke.port) : ''],
    ['path', smoke.path ?? ''],
    ['expect-status', smoke['expect-status'] ?? ''],
    ['expect-body', smoke['expect-body'] ?? ''],
    ['expect-log', smoke['expect-log'] ?? ''],
    ['tcp-port', smoke['tcp-port'] !== undefined ? String(smoke['tcp-port']) : ''],
    ['command', smoke.command ?? ''],
    ['env', lines(smoke.env)],
    ['run-args', smoke['run-args'] ?? ''],
    ['timeout', smoke.timeout ?? ''],
    ['stop-timeout', smoke['stop-timeout'] ?? ''],
    [
      'expect-graceful-stop',
      smoke['expect-graceful-stop'] !== undefined ? String(smoke['expect-graceful-stop']) : '',
    ],
  ];
}

export function keyValueLines(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/**
 * Per-leg values: the same for every leg -> a literal input; different -> a matrix key
 * (present in every matrix entry, so every leg reads a defined value).
 */
interface Varying {
  readonly key: string;
  readonly values: readonly string[];
}
function vary(
  legs: readonly ResolvedLeg[],
  key: string,
  of: (leg: ResolvedLeg) => string,
): Varying {
  return { key, values: legs.map(of) };
}
function isUniform(v: Varying): boolean {
  return v.values.every((x) => x === v.values[0]);
}
function inputFor(v: Varying): Input {
  return isUniform(v) ? (v.values[0] ?? '') : `\${{ matrix.${v.key} }}`;
}

function withInputs(entries: readonly [string, Input | undefined][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of entries) if (v !== undefined && v !== '') out[k] = multiline(v);
  return out;
}
/** Multi-line values end with a newline so they print as `|` blocks. */
function multiline(v: string): string {
  return v.includes('\n') && !v.endsWith('\n') ? `${v}\n` : v;
}

/**
 * The hand-off of one leg to the gate: its leg result as an artifact named after the
 * platform pair, uploaded even when the smoke test failed so the gate can say so.
 */
export function uploadLegResultStep(pin: boolean): Record<string, unknown> {
  return {
    name: 'Upload the leg result',
    if: "always() && steps.build.outputs.result-file != ''",
    uses: thirdPartyUses('uploadArtifact', pin),
    with: {
      name: `${LEG_ARTIFACT_PREFIX}\${{ matrix.pair }}`,
      path: '${{ steps.build.outputs.result-file }}',
      'if-no-files-found': 'error',
      'retention-days': 7,
    },
  };
}

/**
 * The image as an attestation subject names it: fully qualified, Docker Hub as
 * `index.docker.io` (what `gh attestation verify oci://…` and the registry push expect).
 */
export function attestationSubject(image: string): string {
  const { registry, repository } = parseRepository(image, 'image');
  return `${registry === 'docker.io' ? 'index.docker.io' : registry}/${repository}`;
}

/** Permissions the attest step needs, on the fuse job only: the OIDC token for Sigstore, and writing the attestation. */
export const ATTEST_PERMISSIONS = { 'id-token': 'write', attestations: 'write' } as const;

/**
 * Attest the fused index (SLSA build provenance, signed with the job's OIDC identity)
 * and push the attestation next to it in the registry, which needs a registry login in
 * this job (attest-build-provenance reads Docker's config.json).
 */
export function attestSteps(options: {
  readonly pin: boolean;
  readonly subject: string;
  readonly login?: Record<string, unknown> | undefined;
  readonly if?: string;
}): Record<string, unknown>[] {
  const when = options.if ? { if: options.if } : {};
  return [
    ...(options.login
      ? [
          {
            name: `${String(options.login.name)} (the attestation is pushed next to the index)`,
            ...when,
            uses: options.login.uses,
            with: options.login.with,
          },
        ]
      : []),
    {
      name: 'Attest the index',
      ...when,
      uses: thirdPartyUses('attest', options.pin),
      with: {
        'subject-name': options.subject,
        'subject-digest': '${{ steps.fuse.outputs.digest }}',
        'push-to-registry': true,
      },
    },
  ];
}

export function generateWorkflow(config: ResolvedConfig, options: GenerateOptions = {}): string {
  const { legs } = config;
  const pin = config.pinActions;
  const pr = config.triggers.pullRequests;
  const notPr = "github.event_name != 'pull_request'";

  const qemu = vary(legs, 'qemu', (l) => (l.runner.qemu ? 'true' : 'auto'));
  // Where each leg builds from: literal inputs when every leg shares them, matrix keys
  // when a platform has its own (Dockerfile + Dockerfile.windows).
  const context = vary(legs, 'context', (l) => l.context);
  const file = vary(legs, 'file', (l) => l.dockerfile);
  const target = vary(legs, 'target', (l) => l.target ?? '');
  const buildArgs = vary(legs, 'build-args', (l) => keyValueLines(l.buildArgs));
  const smoke = smokeInputs(legs[0]!.smoke).map(([name], index) =>
    vary(legs, `smoke-${name}`, (l) => smokeInputs(l.smoke)[index]![1]),
  );
  const varying = [qemu, context, file, target, buildArgs, ...smoke].filter((v) => !isUniform(v));

  const include = legs.map((leg, i) => {
    const entry: Record<string, unknown> = {
      platform: leg.name,
      pair: leg.pair,
      'runs-on': typeof leg.runner.runsOn === 'string' ? leg.runner.runsOn : [...leg.runner.runsOn],
    };
    for (const v of varying) entry[v.key] = multiline(v.values[i]!);
    return entry;
  });

  const packagesWrite = config.login?.githubToken ?? false;
  const pushPermissions = packagesWrite
    ? { contents: 'read', packages: 'write' }
    : { contents: 'read' };

  const login = config.login
    ? {
        name: `Log in to ${config.login.host}`,
        uses: thirdPartyUses('login', pin),
        with: {
          registry: config.login.host,
          username: config.login.username,
          password: config.login.password,
        },
      }
    : undefined;
  const loginStep =
    login && pr ? { name: login.name, if: notPr, uses: login.uses, with: login.with } : login;

  const buildSteps = [
    {
      uses: thirdPartyUses('checkout', pin),
      with: { 'persist-credentials': false },
    },
    ...(loginStep ? [loginStep] : []),
    {
      name: 'Set up the builder',
      id: 'builder',
      uses: xplatUses(config.actions, 'setup-crossplatform-builder'),
      with: withInputs([
        ['platforms', '${{ matrix.platform }}'],
        ['qemu', legs.some((l) => l.runner.qemu) ? inputFor(qemu) : ''],
      ]),
    },
    {
      name: 'Build ${{ matrix.platform }}',
      id: 'build',
      uses: xplatUses(config.actions, 'build-platform-image'),
      with: withInputs([
        ['image', config.image],
        ['platform', '${{ matrix.platform }}'],
        ['context', inputFor(context)],
        ['file', inputFor(file)],
        ['target', inputFor(target)],
        ['build-args', inputFor(buildArgs)],
        ['labels', keyValueLines(config.labels)],
        ['tag-template', config.legTag ?? ''],
        ['push', pr ? `\${{ ${notPr} }}` : 'true'],
        ['cache', config.cache ?? ''],
        ['result-dir', '${{ runner.temp }}/xplat-leg'],
      ]),
    },
    {
      name: 'Smoke-test ${{ matrix.platform }}',
      id: 'smoke',
      uses: xplatUses(config.actions, 'smoke-test'),
      with: withInputs([
        ['image', '${{ steps.build.outputs.ref }}'],
        ['platform', '${{ matrix.platform }}'],
        ...smoke.map((v): [string, string] => [v.key.replace(/^smoke-/, ''), inputFor(v)]),
        ['result-file', '${{ steps.build.outputs.result-file }}'],
      ]),
    },
    uploadLegResultStep(pin),
  ];

  const mutable = config.tags.filter((t) => t.mutable);
  const fuseSteps = [
    {
      name: 'Download every leg result',
      uses: thirdPartyUses('downloadArtifact', pin),
      with: {
        pattern: `${LEG_ARTIFACT_PREFIX}*`,
        path: '${{ runner.temp }}/xplat-legs',
      },
    },
    ...(config.tags.length
      ? [
          {
            name: 'Resolve the tags',
            id: 'tags',
            uses: thirdPartyUses('metadata', pin),
            with: {
              images: config.image,
              flavor: 'latest=false',
              tags: multiline(config.tags.map((t) => t.metadata).join('\n')),
            },
          },
        ]
      : []),
    ...(mutable.length
      ? [
          {
            name: 'Resolve the tags that may move',
            id: 'mutable',
            uses: thirdPartyUses('metadata', pin),
            with: {
              images: config.image,
              flavor: 'latest=false',
              tags: multiline(mutable.map((t) => t.metadata).join('\n')),
            },
          },
        ]
      : []),
    {
      name: 'Fuse (only when every platform passed)',
      id: 'fuse',
      uses: xplatUses(config.actions, 'fuse-manifest'),
      with: withInputs([
        ['image', config.image],
        ['tags', config.tags.length ? '${{ steps.tags.outputs.tags }}' : ''],
        ['mutable-tags', mutable.length ? '${{ steps.mutable.outputs.tags }}' : ''],
        ['results', '${{ runner.temp }}/xplat-legs'],
        ['expected-platforms', legs.map((l) => l.name).join('\n')],
        ['username', config.login?.username ?? ''],
        ['password', config.login?.password ?? ''],
      ]),
    },
    // The fuse job never runs for pull requests, so neither does the attestation.
    ...(config.attest
      ? attestSteps({ pin, subject: attestationSubject(config.image), login })
      : []),
  ];

  const on: Record<string, unknown> = {};
  const push: Record<string, unknown> = {};
  if (config.triggers.branches.length) push.branches = [...config.triggers.branches];
  if (config.triggers.tags.length) push.tags = [...config.triggers.tags];
  if (Object.keys(push).length) on.push = push;
  if (pr) on.pull_request = null;
  if (config.triggers.workflowDispatch) on.workflow_dispatch = null;
  if (config.triggers.schedule.length)
    on.schedule = config.triggers.schedule.map((cron) => ({ cron }));

  const workflow = {
    name: config.workflow.name,
    on,
    permissions: { contents: 'read' },
    concurrency: {
      group: '${{ github.workflow }}-${{ github.ref }}',
      'cancel-in-progress': pr ? `\${{ github.event_name == 'pull_request' }}` : false,
    },
    jobs: {
      [BUILD_JOB]: {
        name: '${{ matrix.platform }}',
        'runs-on': '${{ matrix.runs-on }}',
        'timeout-minutes': config.workflow.timeoutMinutes,
        permissions: pushPermissions,
        strategy: { 'fail-fast': false, matrix: { include } },
        steps: buildSteps,
      },
      [FUSE_JOB]: {
        name: 'fuse',
        needs: BUILD_JOB,
        if: pr ? `\${{ !cancelled() && ${notPr} }}` : '${{ !cancelled() }}',
        'runs-on':
          typeof config.workflow.fuseRunsOn === 'string'
            ? config.workflow.fuseRunsOn
            : [...config.workflow.fuseRunsOn],
        'timeout-minutes': 15,
        permissions: config.attest
          ? { ...pushPermissions, ...ATTEST_PERMISSIONS }
          : pushPermissions,
        outputs: {
          digest: '${{ steps.fuse.outputs.digest }}',
          ref: '${{ steps.fuse.outputs.ref }}',
        },
        steps: fuseSteps,
      },
    },
  };

  const doc = new Document(workflow, { aliasDuplicateObjects: false });
  doc.commentBefore = header(config, options.configPath ?? 'xplat.yml');
  comment(
    doc,
    ['jobs', BUILD_JOB],
    ' One leg per platform, each on a runner that builds it natively; fail-fast is off so every leg reports.',
  );
  comment(
    doc,
    ['jobs', FUSE_JOB],
    ` The gate: runs after every leg (even failed ones, so the gate can say which), and\n fuse-manifest writes the index only when every expected platform was pushed and passed.${
      config.attest
        ? '\n Then the index is attested (id-token and attestations: write, on this job only);\n verify with `gh attestation verify oci://<image>@<digest> --owner <org>`.'
        : ''
    }`,
  );
  return render(doc);
}

function header(config: ResolvedConfig, configPath: string): string {
  // The command users run (npx xplat@1), with the config when it is not the default.
  const regenerate = `${XPLAT_NPX} generate${configPath === 'xplat.yml' ? '' : ` --config ${configPath}`}`;
  const lines = [
    ` Generated by xplat from ${configPath}: do not edit by hand.`,
    ` Regenerate with \`${regenerate}\`; \`${regenerate} --check\` fails when this file is stale.`,
    ' A newer version of a third-party action below (as Dependabot bumps it) is kept, not drift.',
    '',
    ' Platforms (runner):',
    ...config.legs.map(
      (l) =>
        `   ${l.name} (${typeof l.runner.runsOn === 'string' ? l.runner.runsOn : `[${l.runner.runsOn.join(', ')}]`}${l.runner.qemu ? ', QEMU' : ''})`,
    ),
  ];
  if (config.pinActions)
    lines.push(
      '',
      ' Third-party actions are pinned by commit SHA from the table xplat ships; upgrade xplat',
      ' and regenerate to refresh them.',
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
