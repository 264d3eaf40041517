/**
 * The steps the generated workflows are made of, each a plain object in the workflow's
 * own terms: xplat's actions, the registry logins, the `prepare:` steps, the hand-off of
 * a leg result as an artifact, and the attestation of an index.
 */
import { parseRepository } from '@xplat/oci';
import type { ActionSource, RegistryLogin, ResolvedPrepareStep } from './config-types.js';
import { thirdPartyUses } from './pins.js';
import type { SmokeSettings } from './schema.js';

/** Names of xplat's actions, as folders under actions/. */
export type XplatAction =
  'setup-crossplatform-builder' | 'build-platform-image' | 'smoke-test' | 'fuse-manifest';

/**
 * Leg results travel as artifacts named `xplat-leg-<image>--<platform pair>`. The double
 * hyphen cannot occur in an image name, so `xplat-leg-app--*` never matches the legs of
 * an image named `app-win` (whose artifacts start `xplat-leg-app-win--`).
 */
export const LEG_ARTIFACT_PREFIX = 'xplat-leg-';
export const LEG_ARTIFACT_SEPARATOR = '--';

/**
 * With `callPrefix` (the reusable workflow's per-call prefix, which never contains `--`):
 * `<callPrefix>--xplat-leg-<image>--<pair>`, so one call's download pattern never matches
 * another call's artifacts in the same run.
 */
export function legArtifactName(image: string, pair: string, callPrefix?: string): string {
  return `${callPart(callPrefix)}${LEG_ARTIFACT_PREFIX}${image}${LEG_ARTIFACT_SEPARATOR}${pair}`;
}

/** The download pattern of every leg result of one image (of one call, with `callPrefix`). */
export function legArtifactPattern(image: string, callPrefix?: string): string {
  return `${callPart(callPrefix)}${LEG_ARTIFACT_PREFIX}${image}${LEG_ARTIFACT_SEPARATOR}*`;
}

function callPart(callPrefix: string | undefined): string {
  return callPrefix ? `${callPrefix}${LEG_ARTIFACT_SEPARATOR}` : '';
}

/**
 * `owner/xplat/actions/<name>@v1`, `./actions/<name>` for a local folder, or
 * `$/actions/<name>` for the actions of the workflow's own repository and commit.
 */
export function xplatUses(source: ActionSource, action: XplatAction): string {
  if (source.kind === 'local') return `${source.dir}/${action}`;
  if (source.kind === 'self') return `${SELF_REPOSITORY}actions/${action}`;
  return `${source.repository}/actions/${action}@${source.ref}`;
}

/**
 * GitHub's self-repository reference: `uses: $/<path>` is the repository of the file it is
 * written in, at the commit that is running, with no checkout and no `@ref`; in a called
 * (reusable) workflow that is the called workflow's repository and commit
 * (job.workflow_repository, job.workflow_sha), not the caller's. github.com only (not
 * GitHub Enterprise Server); runner 2.336.0 or later. See "Using pre-written building
 * blocks in your workflow" and "Workflow syntax" (example using an action in the same
 * repository as the workflow at the running commit), docs.github.com, and the changelog
 * of 2026-07-30, "Reference same-repository actions with self-repository syntax".
 */
export const SELF_REPOSITORY = '$/';

/** A string, number or expression value of one `with:` input; '' is left out. */
export type Input = string;

/** Smoke settings as smoke-test inputs (strings), in a fixed order. */
export function smokeInputs(smoke: SmokeSettings): [string, Input][] {
  return [
    ['port', smoke.port !== undefined ? String(smoke.port) : ''],
    ['path', smoke.path ?? ''],
    ['expect-status', smoke['expect-status'] ?? ''],
    ['expect-body', smoke['expect-body'] ?? ''],
    ['expect-log', smoke['expect-log'] ?? ''],
    ['tcp-port', smoke['tcp-port'] !== undefined ? String(smoke['tcp-port']) : ''],
    ['command', smoke.command ?? ''],
    ['env', keyValueLines(smoke.env ?? {})],
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

export function withInputs(
  entries: readonly [string, Input | undefined][],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of entries) if (v !== undefined && v !== '') out[k] = multiline(v);
  return out;
}

/** Multi-line values end with a newline so they print as `|` blocks. */
export function multiline(v: string): string {
  return v.includes('\n') && !v.endsWith('\n') ? `${v}\n` : v;
}

/** `a || b` of conditions, each parenthesised when it has an operator of its own. */
export function anyOf(conditions: readonly string[]): string {
  return conditions
    .map((c) => (/&&|\|\|/.test(c) && conditions.length > 1 ? `(${c})` : c))
    .join(' || ');
}

/** `a && b`, leaving out the empty ones. */
export function allOf(...conditions: readonly (string | undefined)[]): string {
  const parts = conditions.filter((c): c is string => !!c);
  return parts.map((c) => (/\|\|/.test(c) && parts.length > 1 ? `(${c})` : c)).join(' && ');
}

/** `matrix.image == 'csi-node' || matrix.image == 'csi-controller'`. */
export function matrixIs(key: string, values: readonly string[]): string {
  return anyOf(values.map((v) => `matrix.${key} == '${v}'`));
}

/**
 * The hand-off of one leg to the gate: its leg result as an artifact named after the image
 * and the platform pair, uploaded even when the smoke test failed so the gate can say so.
 * The smoke job of a Windows image built on Linux uploads the updated result under the
 * same name (overwrite).
 */
export function uploadLegResultStep(options: {
  readonly pin: boolean;
  /** The artifact name (an expression over the matrix). */
  readonly name: string;
  /** The leg result file. */
  readonly path: string;
  readonly if: string;
  readonly overwrite?: boolean;
}): Record<string, unknown> {
  return {
    name: 'Upload the leg result',
    if: options.if,
    uses: thirdPartyUses('uploadArtifact', options.pin),
    with: {
      name: options.name,
      path: options.path,
      'if-no-files-found': 'error',
      'retention-days': 7,
      ...(options.overwrite ? { overwrite: true } : {}),
    },
  };
}

/** One docker/login-action step for `login`, run only where `condition` holds. */
export function loginStep(
  login: RegistryLogin,
  pin: boolean,
  condition?: string,
  purpose = '',
): Record<string, unknown> {
  return {
    name: `Log in to ${login.host}${purpose}`,
    ...(condition ? { if: condition } : {}),
    uses: thirdPartyUses('login', pin),
    with: { registry: login.host, username: login.username, password: login.password },
  };
}

/** Logins that are the same registry with the same credentials are one step. */
export function sameLogin(a: RegistryLogin, b: RegistryLogin): boolean {
  return a.host === b.host && a.username === b.username && a.password === b.password;
}

/**
 * One login step per distinct login of the images; a step serves the images whose login
 * it is (`if: matrix.image == ...`) unless every image shares it.
 */
export function loginSteps(
  images: readonly { readonly name: string; readonly login: RegistryLogin | undefined }[],
  options: { readonly pin: boolean; readonly when?: string; readonly purpose?: string },
): Record<string, unknown>[] {
  const groups: { login: RegistryLogin; names: string[] }[] = [];
  for (const image of images) {
    if (!image.login) continue;
    const group = groups.find((g) => sameLogin(g.login, image.login!));
    if (group) group.names.push(image.name);
    else groups.push({ login: image.login, names: [image.name] });
  }
  return groups.map((g) =>
    loginStep(
      g.login,
      options.pin,
      allOf(
        options.when,
        g.names.length === images.length ? undefined : matrixIs('image', g.names),
      ),
      options.purpose,
    ),
  );
}

/**
 * A `prepare:` step as a workflow step, with the leg's platform in its environment (from
 * the matrix: the step serves every leg its condition selects).
 */
export function prepareStep(
  step: ResolvedPrepareStep,
  condition: string | undefined,
): Record<string, unknown> {
  const env = {
    TARGETOS: '${{ matrix.os }}',
    TARGETARCH: '${{ matrix.arch }}',
    TARGETVARIANT: '${{ matrix.variant }}',
    XPLAT_PLATFORM: '${{ matrix.platform }}',
    ...step.env,
  };
  const name =
    step.name ?? (step.run ? `Prepare: ${firstLine(step.run)}` : `Prepare: ${step.uses}`);
  return {
    name,
    ...(condition ? { if: condition } : {}),
    ...(step.uses
      ? { uses: step.uses, ...(step.with ? { with: { ...step.with } } : {}) }
      : {
          ...(step.shell ? { shell: step.shell } : {}),
          ...(step.workingDirectory ? { 'working-directory': step.workingDirectory } : {}),
          run: multiline(step.run!),
        }),
    env,
  };
}

function firstLine(script: string): string {
  const line = script.trim().split(/\r?\n/)[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
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
  readonly logins: readonly Record<string, unknown>[];
  readonly if?: string;
}): Record<string, unknown>[] {
  const when = options.if;
  return [
    ...options.logins.map((login) => {
      const condition = allOf(when, login.if as string | undefined);
      return {
        name: `${String(login.name)} (the attestation is pushed next to the index)`,
        ...(condition ? { if: condition } : {}),
        uses: login.uses,
        with: login.with,
      };
    }),
    {
      name: 'Attest the index',
      ...(when ? { if: when } : {}),
      uses: thirdPartyUses('attest', options.pin),
      with: {
        'subject-name': options.subject,
        'subject-digest': '${{ steps.fuse.outputs.digest }}',
        'push-to-registry': true,
      },
    },
  ];
}
