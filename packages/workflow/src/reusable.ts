/**
 * The reusable workflow (`on: workflow_call`, .github/workflows/xplat-reusable.yml),
 * generated so it stays in step with `xplat generate`'s legs and with the runner map
 * (the starter workflow that calls it: starter.ts; its matrix script: reusable-matrix.ts).
 *
 * A reusable workflow runs in the caller's repository: it cannot run this repository's
 * CLI, and local `./actions/...` paths would point into the caller's checkout. So the
 * matrix is computed by a small script in a `run:` step that reads the inputs through
 * `env:` only, and xplat's actions are referenced as `$/actions/<name>`: GitHub resolves
 * `$/` to the repository and commit of this very file, so a caller that pins the workflow
 * by SHA (or a tag) runs the actions of that same commit, and no release has to rewrite
 * it (see SELF_REPOSITORY). `--uses owner/xplat@<ref>` still writes fixed references, for
 * a copy on GitHub Enterprise Server, which has no `$/`.
 */
import { Document } from 'yaml';
import type { ActionSource, RegistryLogin } from './config.js';
import {
  ATTEST_PERMISSIONS,
  attestSteps,
  legArtifactName,
  legArtifactPattern,
  loginStep,
  render,
  SELF_REPOSITORY,
  uploadLegResultStep,
  xplatUses,
} from './generate.js';
import { DEFAULT_XPLAT_USES, thirdPartyUses, XPLAT_REPOSITORY } from './pins.js';
import { planScript } from './reusable-matrix.js';
import { DEFAULT_TAGS, parseTagTemplate } from './tags.js';

export const REUSABLE_WORKFLOW_FILE = '.github/workflows/xplat-reusable.yml';

export interface ReusableOptions {
  /**
   * Where xplat's actions come from: `owner/xplat@ref`, or `./actions`; default (or `$/`)
   * the workflow's own repository and commit.
   */
  readonly uses?: string;
  /** Pin third-party actions by commit SHA. */
  readonly pinActions?: boolean;
}

export function parseUses(uses: string): ActionSource {
  const at = uses.indexOf('@');
  if (uses === SELF_REPOSITORY) return { kind: 'self' };
  if (uses.startsWith('./')) return { kind: 'local', dir: uses.replace(/\/+$/, '') };
  if (at < 0 || !/^[\w.-]+\/[\w.-]+@[\w./-]+$/.test(uses))
    throw new Error(`"${uses}" is not owner/repo@ref (e.g. ${DEFAULT_XPLAT_USES})`);
  return { kind: 'remote', repository: uses.slice(0, at), ref: uses.slice(at + 1) };
}

const str = (description: string, defaultValue = '') => ({
  description,
  required: false,
  type: 'string',
  default: defaultValue,
});

/**
 * The head of a job run once per entry of a matrix the plan job wrote (`output`): on the
 * runner the entry names, every entry run even when another fails, and the packages
 * permission the job needs (write to push, read to pull).
 */
function matrixJob(output: string, packages: 'read' | 'write'): Record<string, unknown> {
  return {
    'runs-on': '${{ matrix.runs-on }}',
    'timeout-minutes': '${{ inputs.timeout-minutes }}',
    permissions: { contents: 'read', packages },
    strategy: {
      'fail-fast': false,
      matrix: { include: `\${{ fromJSON(needs.plan.outputs.${output}).include }}` },
    },
  };
}

export function generateReusableWorkflow(options: ReusableOptions = {}): string {
  const source = parseUses(options.uses ?? SELF_REPOSITORY);
  const pin = options.pinActions ?? false;
  const tags = DEFAULT_TAGS.map(parseTagTemplate);
  const live = "inputs.push && github.event_name != 'pull_request'";
  // The leg result's artifact in the build and smoke jobs: one per matrix entry and call.
  const legArtifact = legArtifactName(
    '${{ needs.plan.outputs.name }}',
    '${{ matrix.pair }}',
    '${{ needs.plan.outputs.prefix }}',
  );
  // The caller's registry and credentials, the same in every job that logs in.
  const login: RegistryLogin = {
    host: '${{ needs.plan.outputs.registry }}',
    username: '${{ secrets.registry-username || github.actor }}',
    password: '${{ secrets.registry-password || secrets.GITHUB_TOKEN }}',
    githubToken: true,
  };
  // The smoke settings, the same for the build job's smoke test and the smoke job's.
  const probes = {
    port: '${{ inputs.smoke-port }}',
    path: '${{ inputs.smoke-path }}',
    'expect-status': '${{ inputs.smoke-expect-status }}',
    'expect-body': '${{ inputs.smoke-expect-body }}',
    'expect-log': '${{ inputs.smoke-expect-log }}',
    command: '${{ inputs.smoke-command }}',
    timeout: '${{ inputs.smoke-timeout }}',
  };

  const workflow = {
    name: 'xplat (reusable)',
    on: {
      workflow_call: {
        inputs: {
          image: {
            description:
              'Repository of the images and the index, without a tag (ghcr.io/org/app); lowercased.',
            required: true,
            type: 'string',
          },
          platforms: {
            description:
              'Platforms, comma- or newline-separated: linux/amd64, linux/arm64, windows/amd64:ltsc2022, windows/amd64:ltsc2025.',
            required: true,
            type: 'string',
          },
          context: str('Build context folder.', '.'),
          file: str('Dockerfile path (default <context>/Dockerfile).'),
          target: str('Stage to build (default: the last).'),
          files: str(
            'Per-platform Dockerfiles: JSON object of platform or OS (linux, windows) -> Dockerfile path, e.g. {"windows": "Dockerfile.windows"} or {"windows/amd64:ltsc2025": "windows/ltsc2025/Dockerfile"}. A platform\'s own entry wins over its OS, both over file.',
            '{}',
          ),
          targets: str(
            'Per-platform stages: JSON object of platform or OS -> stage, e.g. {"windows": "runtime-windows"}; over target.',
            '{}',
          ),
          contexts: str(
            'Per-platform build contexts: JSON object of platform or OS -> folder, e.g. {"windows": "windows"}; over context.',
            '{}',
          ),
          'build-args': str('Build args, one KEY=VALUE per line.'),
          runners: str(
            'JSON object of platform -> runner label(s) for platforms without a hosted runner, e.g. {"windows/amd64:ltsc2019": ["self-hosted", "windows"]}.',
            '{}',
          ),
          'build-on': str(
            'Where Windows platforms are built: JSON object of platform or windows -> linux (BuildKit on ubuntu-24.04, for Windows stages that only COPY; then smoke-tested on a Windows runner of the release) or windows (default), e.g. {"windows": "linux"}. runners then names the smoke runner.',
            '{}',
          ),
          'smoke-skip': str(
            'Platforms not to smoke-test: JSON object of platform -> reason, e.g. {"windows/amd64:ltsc2019": "no hosted ltsc2019 runner"}. The leg result records the reason and the gate accepts it.',
            '{}',
          ),
          'qemu-platforms': str(
            'Linux platforms to build under QEMU on ubuntu-24.04 instead of natively.',
          ),
          'smoke-port': str(
            'Port the service listens on in the container (enables the HTTP probe).',
          ),
          'smoke-path': str('HTTP path to probe (default /).'),
          'smoke-expect-status': str('Expected HTTP status (default 200-399).'),
          'smoke-expect-body': str('Regular expression the response body must match.'),
          'smoke-expect-log': str(
            "Regular expression a line of the container's output must match.",
          ),
          'smoke-command': str('A command run inside the running container that must succeed.'),
          'smoke-timeout': str('How long the container has to pass every probe (30s, 2m).'),
          'artifact-prefix': str(
            "Prefix of this call's leg-result artifact names: lowercase letters, digits and single hyphens, at most 40. Default: a value unique to this call, so two calls in one caller run never collide nor download each other's results.",
          ),
          tags: str(
            'Tags of the index in docker/metadata-action format, one per line.',
            `${tags.map((t) => t.metadata).join('\n')}\n`,
          ),
          'mutable-tags': str(
            'The tags (same format) that may move to a new index; any other existing tag is never moved.',
            `${tags
              .filter((t) => t.mutable)
              .map((t) => t.metadata)
              .join('\n')}\n`,
          ),
          push: {
            description: 'Push the legs and fuse the index (never on pull_request events).',
            required: false,
            type: 'boolean',
            default: true,
          },
          attest: {
            description:
              'Attest the fused index with actions/attest-build-provenance and push the attestation to the registry (the caller grants id-token: write and attestations: write).',
            required: false,
            type: 'boolean',
            default: true,
          },
          'timeout-minutes': {
            description: 'Timeout of each build leg.',
            required: false,
            type: 'number',
            default: 60,
          },
        },
        secrets: {
          'registry-username': {
            description: 'Registry user name (default: github.actor, for ghcr.io).',
            required: false,
          },
          'registry-password': {
            description: 'Registry password or token (default: GITHUB_TOKEN, for ghcr.io).',
            required: false,
          },
        },
        outputs: {
          digest: {
            description: 'Digest of the fused index.',
            value: '${{ jobs.fuse.outputs.digest }}',
          },
          ref: {
            description: 'The fused index as repo@digest.',
            value: '${{ jobs.fuse.outputs.ref }}',
          },
        },
      },
    },
    permissions: { contents: 'read' },
    jobs: {
      plan: {
        name: 'plan',
        'runs-on': 'ubuntu-24.04',
        'timeout-minutes': 5,
        outputs: {
          matrix: '${{ steps.plan.outputs.matrix }}',
          platforms: '${{ steps.plan.outputs.platforms }}',
          'allow-untested': '${{ steps.plan.outputs.allow-untested }}',
          'smoke-matrix': '${{ steps.plan.outputs.smoke-matrix }}',
          'smoke-apart': '${{ steps.plan.outputs.smoke-apart }}',
          image: '${{ steps.plan.outputs.image }}',
          name: '${{ steps.plan.outputs.name }}',
          prefix: '${{ steps.plan.outputs.prefix }}',
          registry: '${{ steps.plan.outputs.registry }}',
          subject: '${{ steps.plan.outputs.subject }}',
        },
        steps: [
          {
            name: 'Compute the matrix',
            id: 'plan',
            shell: 'node {0}',
            env: {
              IMAGE: '${{ inputs.image }}',
              PLATFORMS: '${{ inputs.platforms }}',
              RUNNERS: '${{ inputs.runners }}',
              BUILD_ON: '${{ inputs.build-on }}',
              SMOKE_SKIP: '${{ inputs.smoke-skip }}',
              QEMU_PLATFORMS: '${{ inputs.qemu-platforms }}',
              CONTEXT: '${{ inputs.context }}',
              FILE: '${{ inputs.file }}',
              TARGET: '${{ inputs.target }}',
              CONTEXTS: '${{ inputs.contexts }}',
              FILES: '${{ inputs.files }}',
              TARGETS: '${{ inputs.targets }}',
              ARTIFACT_PREFIX: '${{ inputs.artifact-prefix }}',
            },
            run: planScript(),
          },
        ],
      },
      build: {
        name: '${{ matrix.platform }}',
        needs: 'plan',
        ...matrixJob('matrix', 'write'),
        steps: [
          { uses: thirdPartyUses('checkout', pin), with: { 'persist-credentials': false } },
          loginStep(login, pin, live),
          {
            name: 'Set up the builder',
            id: 'builder',
            uses: xplatUses(source, 'setup-crossplatform-builder'),
            with: { platforms: '${{ matrix.platform }}', qemu: '${{ matrix.qemu }}' },
          },
          {
            name: 'Build ${{ matrix.platform }}',
            id: 'build',
            uses: xplatUses(source, 'build-platform-image'),
            with: {
              image: '${{ needs.plan.outputs.image }}',
              platform: '${{ matrix.platform }}',
              context: '${{ matrix.context }}',
              file: '${{ matrix.file }}',
              target: '${{ matrix.target }}',
              'build-args': '${{ inputs.build-args }}',
              push: `\${{ ${live} }}`,
              'result-dir': '${{ runner.temp }}/xplat-leg',
            },
          },
          {
            name: 'Smoke-test ${{ matrix.platform }}',
            id: 'smoke',
            if: "matrix.smoke-apart != 'true'",
            uses: xplatUses(source, 'smoke-test'),
            with: {
              image: '${{ steps.build.outputs.ref }}',
              platform: '${{ matrix.platform }}',
              ...probes,
              skip: '${{ matrix.smoke-skip }}',
              'result-file': '${{ steps.build.outputs.result-file }}',
            },
          },
          uploadLegResultStep({
            pin,
            name: legArtifact,
            path: '${{ steps.build.outputs.result-file }}',
            if: "always() && steps.build.outputs.result-file != ''",
          }),
        ],
      },
      // The Windows images built on Linux (build-on), each smoke-tested on a Windows runner
      // of its release from its leg result; pull requests build without pushing.
      smoke: {
        name: 'smoke ${{ matrix.platform }}',
        needs: ['plan', 'build'],
        if: `\${{ !cancelled() && needs.plan.outputs.smoke-apart == 'true' && ${live} }}`,
        ...matrixJob('smoke-matrix', 'read'),
        steps: [
          {
            name: 'Download the leg result',
            uses: thirdPartyUses('downloadArtifact', pin),
            with: {
              name: legArtifact,
              path: '${{ runner.temp }}/xplat-leg',
            },
          },
          loginStep(login, pin),
          {
            name: 'Smoke-test ${{ matrix.platform }}',
            id: 'smoke',
            uses: xplatUses(source, 'smoke-test'),
            with: {
              platform: '${{ matrix.platform }}',
              ...probes,
              'result-file': '${{ runner.temp }}/xplat-leg/${{ matrix.pair }}.json',
            },
          },
          uploadLegResultStep({
            pin,
            name: legArtifact,
            path: '${{ runner.temp }}/xplat-leg/${{ matrix.pair }}.json',
            if: 'always()',
            overwrite: true,
          }),
        ],
      },
      fuse: {
        name: 'fuse',
        needs: ['plan', 'build', 'smoke'],
        if: `\${{ !cancelled() && needs.plan.result == 'success' && ${live} }}`,
        'runs-on': 'ubuntu-24.04',
        'timeout-minutes': 15,
        permissions: { contents: 'read', packages: 'write', ...ATTEST_PERMISSIONS },
        outputs: {
          digest: '${{ steps.fuse.outputs.digest }}',
          ref: '${{ steps.fuse.outputs.ref }}',
        },
        steps: [
          {
            name: 'Download every leg result',
            uses: thirdPartyUses('downloadArtifact', pin),
            with: {
              pattern: legArtifactPattern(
                '${{ needs.plan.outputs.name }}',
                '${{ needs.plan.outputs.prefix }}',
              ),
              path: '${{ runner.temp }}/xplat-legs',
            },
          },
          {
            name: 'Resolve the tags',
            id: 'tags',
            uses: thirdPartyUses('metadata', pin),
            with: {
              images: '${{ needs.plan.outputs.image }}',
              flavor: 'latest=false',
              tags: '${{ inputs.tags }}',
            },
          },
          {
            name: 'Resolve the tags that may move',
            id: 'mutable',
            uses: thirdPartyUses('metadata', pin),
            with: {
              images: '${{ needs.plan.outputs.image }}',
              flavor: 'latest=false',
              tags: '${{ inputs.mutable-tags }}',
            },
          },
          {
            name: 'Fuse (only when every platform passed)',
            id: 'fuse',
            uses: xplatUses(source, 'fuse-manifest'),
            with: {
              image: '${{ needs.plan.outputs.image }}',
              tags: '${{ steps.tags.outputs.tags }}',
              'mutable-tags': '${{ steps.mutable.outputs.tags }}',
              results: '${{ runner.temp }}/xplat-legs',
              'expected-platforms': '${{ needs.plan.outputs.platforms }}',
              'allow-untested': '${{ needs.plan.outputs.allow-untested }}',
              username: '${{ secrets.registry-username || github.actor }}',
              password: '${{ secrets.registry-password || secrets.GITHUB_TOKEN }}',
            },
          },
          ...attestSteps({
            pin,
            subject: '${{ needs.plan.outputs.subject }}',
            logins: [loginStep(login, pin)],
            if: 'inputs.attest',
          }),
        ],
      },
    },
  };

  const doc = new Document(workflow, { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ` Generated by xplat: do not edit by hand. Regenerate with`,
    `   xplat generate --reusable${options.uses ? ` --uses ${options.uses}` : ''}${pin ? ' --pin-actions' : ''}`,
    '',
    " xplat's pipeline as a reusable workflow: a plan job turns the platforms input into",
    ' the matrix (runner map: linux/amd64 -> ubuntu-24.04, linux/arm64 -> ubuntu-24.04-arm,',
    ' ltsc2022 -> windows-2022, ltsc2025 -> windows-2025; others need runners), one leg per',
    ' platform builds, smoke-tests and uploads its leg result, and the fuse job gates on all.',
    ' With build-on: \'{"windows": "linux"}\', the Windows legs build on ubuntu-24.04 and a',
    ' smoke job tests each on a Windows runner of its release.',
    '',
    ' Call it from a job that grants packages: write (for ghcr.io with GITHUB_TOKEN), and',
    ' id-token: write and attestations: write for the attestation of the index (only the',
    ' fuse job asks for them; a called workflow cannot ask for more than its caller grants,',
    ' so grant them even with attest: false):',
    '   jobs:',
    '     image:',
    `       uses: ${source.kind === 'remote' ? source.repository : source.kind === 'self' ? XPLAT_REPOSITORY : 'OWNER/xplat'}/.github/workflows/xplat-reusable.yml@<ref>`,
    '       permissions: { contents: read, packages: write, id-token: write, attestations: write }',
    '       with: { image: ghcr.io/org/app, platforms: "linux/amd64,windows/amd64:ltsc2022", smoke-port: "8080" }',
    ' With Dockerfile and Dockerfile.windows side by side, add files: \'{"windows": "Dockerfile.windows"}\'.',
    ' Leg results travel as artifacts named <artifact-prefix>--xplat-leg-<image>--<platform>;',
    ' the prefix defaults to one unique to the call, so calls in one run stay apart.',
    '',
    ...(source.kind === 'self'
      ? [
          " xplat's actions are `$/actions/<name>`: the repository and commit of this file, so",
          ' pinning this workflow by SHA (or a tag) pins them too. github.com only (not GitHub',
          ' Enterprise Server), runner 2.336.0 or later.',
        ]
      : [
          " xplat's actions are pinned to the ref above: regenerate with a release's --uses",
          ' before tagging it, so callers of that tag get its actions.',
        ]),
    ...(pin
      ? [' Third-party actions are pinned by commit SHA, with their version as a comment.']
      : []),
  ].join('\n');
  return render(doc);
}
