/**
 * The xplat.yml schema: strict (an unknown or misspelt field is an error, never ignored),
 * with descriptions that become the editor schema (xplat.schema.json, from
 * z.toJSONSchema). Checks that need more than one field (runners, duplicates, registry
 * credentials) are in config.ts, so every error still names its field and line.
 */
import { parsePlatform } from '@xplat/core';
import { DEFAULT_LEG_TAG, parseRepository } from '@xplat/oci';
import { z } from 'zod';
import { DEFAULT_XPLAT_USES } from './pins.js';
import { parseTagTemplate } from './tags.js';

const EXPRESSION = /\$\{\{/;

/** A non-empty literal string: xplat.yml is data, GitHub expressions are not evaluated in it. */
const text = (what: string) =>
  z
    .string({ error: `must be a string (${what})` })
    .trim()
    .min(1, { error: `must not be empty (${what})` })
    .refine((v) => !EXPRESSION.test(v), {
      error: 'is taken literally: GitHub expressions (${{ }}) are not evaluated in xplat.yml',
    });

/** Scalars YAML may type as numbers or booleans (build args, env): kept as strings. */
const scalar = z
  .union([z.string(), z.number(), z.boolean()], {
    error: 'must be a string, number or boolean',
  })
  .transform((v) => String(v))
  .refine((v) => !EXPRESSION.test(v), {
    error: 'is taken literally: GitHub expressions (${{ }}) are not evaluated in xplat.yml',
  });

const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const keyValues = (what: string) =>
  z.record(
    z.string().regex(ARG_NAME, { error: `is not a ${what} name (letters, digits, _)` }),
    scalar,
    { error: `must be a mapping of ${what} names to values` },
  );

const platformString = text('a platform such as linux/amd64 or windows/amd64:ltsc2022')
  .superRefine((value, ctx) => {
    try {
      parsePlatform(value, '');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  })
  .meta({
    description:
      'os/arch[/variant], Windows with its release: linux/amd64, linux/arm64, windows/amd64:ltsc2022, windows/amd64:ltsc2025',
    examples: ['linux/amd64', 'linux/arm64', 'windows/amd64:ltsc2022', 'windows/amd64:ltsc2025'],
  });

const label = text('a runner label');
const runsOn = z
  .union([label, z.array(label).min(1, { error: 'must list at least one label' })], {
    error: 'must be a runner label or a list of labels, e.g. [self-hosted, windows, ltsc2019]',
  })
  .meta({
    description:
      'Runner labels for this platform instead of the hosted runner xplat picks, e.g. [self-hosted, windows, ltsc2019].',
  });

const DURATION = /^\d+(ms|s|m)$/;
const duration = z
  .string({ error: 'must be a duration such as 30s, 2m or 1500ms' })
  .regex(DURATION, { error: 'must be a duration such as 30s, 2m or 1500ms' });
const STATUS = /^(\d{3}|[1-5]xx|\d{3}-\d{3})(,(\d{3}|[1-5]xx|\d{3}-\d{3}))*$/;

export const smokeSchema = z
  .strictObject({
    port: z
      .number({ error: 'must be a port number (1-65535)' })
      .int({ error: 'must be a whole port number' })
      .min(1, { error: 'must be a port number (1-65535)' })
      .max(65535, { error: 'must be a port number (1-65535)' })
      .optional()
      .meta({
        description: 'Port the service listens on inside the container; enables the HTTP probe.',
      }),
    path: z
      .string({ error: 'must be an HTTP path such as /healthz' })
      .startsWith('/', { error: 'must start with / (e.g. /healthz)' })
      .optional()
      .meta({ description: 'HTTP path to probe (default /).' }),
    'expect-status': z
      .union([z.number().int(), z.string()], { error: 'must be a status such as 200 or 2xx' })
      .transform((v) => String(v))
      .refine((v) => STATUS.test(v), {
        error: 'must be a status such as 200, 2xx, 200-299 or 200,204',
      })
      .optional()
      .meta({
        description: 'Expected HTTP status: 200, 2xx, 200-299 or 200,204 (default 200-399).',
      }),
    'expect-body': text('a regular expression').optional().meta({
      description: 'Regular expression the response body must match.',
    }),
    'expect-log': text('a regular expression').optional().meta({
      description: "Regular expression a line of the container's output must match.",
    }),
    'tcp-port': z
      .number({ error: 'must be a port number (1-65535)' })
      .int()
      .min(1, { error: 'must be a port number (1-65535)' })
      .max(65535, { error: 'must be a port number (1-65535)' })
      .optional()
      .meta({ description: 'A port that must accept a TCP connection.' }),
    command: text('a command').optional().meta({
      description: 'A command run inside the running container that must succeed.',
    }),
    env: keyValues('environment variable').optional().meta({
      description: 'Environment for the container.',
    }),
    'run-args': text('docker run arguments').optional().meta({
      description: 'Extra docker run arguments, e.g. --memory 512m.',
    }),
    timeout: duration.optional().meta({
      description:
        'How long the container has to pass every probe (default 60s Linux, 180s Windows).',
    }),
    'stop-timeout': duration.optional().meta({
      description: 'How long docker stop waits before killing the container.',
    }),
    'expect-graceful-stop': z
      .boolean({ error: 'must be true or false' })
      .optional()
      .meta({ description: 'Fail unless the container exits on its own when stopped.' }),
    skip: text('the reason this platform is not smoke-tested')
      .refine((v) => v.length <= 200, { error: 'must be at most 200 characters (one line)' })
      .optional()
      .meta({
        description:
          'On a platform entry only: do not smoke-test this platform, for this reason (e.g. "no GitHub-hosted ltsc2019 runner"). The leg result records it as skipped and the gate accepts it; the job summary shows "not tested: <reason>".',
      }),
  })
  .meta({ description: 'The smoke test each platform image must pass before it is fused.' });

export type SmokeSettings = z.infer<typeof smokeSchema>;

/**
 * A path inside the repository, as the build actions take it: relative to the root, with
 * forward slashes (the same xplat.yml builds on Linux and Windows runners).
 */
const repoPath = (what: string) =>
  text(what)
    .refine((v) => !/^([a-zA-Z]:|[\\/])/.test(v), {
      error: `must be relative to the repository root (${what}), e.g. docker/Dockerfile.windows`,
    })
    .refine((v) => !v.includes('\\'), {
      error: `must use / between folders (${what}), e.g. docker/Dockerfile.windows`,
    })
    .refine((v) => !v.split('/').includes('..'), {
      error: `must stay inside the repository (${what}): no .. segments`,
    });

const stageName = z
  .string({ error: 'must be a stage name' })
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, { error: 'must be a stage name' });

/** What a platform builds from: its Dockerfile, stage and context. */
const buildFields = {
  context: repoPath('a folder')
    .optional()
    .meta({ description: 'Build context folder from the repository root (default .).' }),
  dockerfile: repoPath('a file').optional().meta({
    description: 'Dockerfile path from the repository root (default <context>/Dockerfile).',
  }),
  target: stageName.optional().meta({ description: 'Stage to build (default: the last).' }),
};

/**
 * Where a Windows platform's image is built: `windows` (default) on a Windows runner of its
 * release with the engine's own builder; `linux` by BuildKit on ubuntu-24.04 (the Windows
 * stages may only copy files), then smoke-tested on a Windows runner of its release.
 */
export const BUILD_ON = ['windows', 'linux'] as const;
const buildOn = z
  .enum(BUILD_ON, {
    error: 'must be windows (a Windows runner builds it) or linux (BuildKit on ubuntu-24.04)',
  })
  .meta({
    description:
      "Where this Windows image is built: windows (default: a Windows runner of its release, the engine's own builder) or linux (BuildKit on ubuntu-24.04, for Dockerfiles whose Windows stages only COPY files; the smoke test still runs on a Windows runner of the release).",
  });

/** Shells a `run:` step may name, as GitHub Actions takes them. */
export const PREPARE_SHELLS = ['bash', 'sh', 'pwsh', 'powershell', 'cmd', 'python'] as const;
const ACTION_USES = /^(\.\/[\w./-]*[\w-]|docker:\/\/\S+|[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w./-]+)$/;
const STEP_NAME = text('a step name').refine((v) => v.length <= 100, {
  error: 'must be at most 100 characters',
});

/**
 * One `prepare:` step: what must exist before the image build (binaries `make` writes,
 * a toolchain), as a workflow step. `run:` may span lines (a script); every other value
 * is one line.
 */
export const prepareStepSchema = z
  .strictObject(
    {
      name: STEP_NAME.optional().meta({ description: 'The step name shown in the job log.' }),
      run: z
        .string({ error: 'must be a script (a string)' })
        .refine((v) => v.trim().length > 0, { error: 'must not be empty' })
        .refine((v) => v.length <= 10_000, { error: 'must be at most 10000 characters' })
        .refine((v) => !EXPRESSION.test(v), {
          error:
            'is taken literally: GitHub expressions (${{ }}) are not evaluated in xplat.yml; read $TARGETOS, $TARGETARCH, $XPLAT_PLATFORM or env: instead',
        })
        .optional()
        .meta({
          description:
            'A script run before the build, from the repository root. Its environment has TARGETOS, TARGETARCH, TARGETVARIANT and XPLAT_PLATFORM of the leg. `xplat run` runs it too.',
        }),
      shell: z
        .enum(PREPARE_SHELLS, { error: `must be one of ${PREPARE_SHELLS.join(', ')}` })
        .optional()
        .meta({
          description:
            'The shell of run: (default: bash on Linux and macOS, pwsh on Windows runners; `xplat run` uses PowerShell on Windows).',
        }),
      'working-directory': repoPath('a folder').optional().meta({
        description: 'Folder the run: script starts in, from the repository root (default .).',
      }),
      uses: text('an action such as actions/setup-go@v6')
        .regex(ACTION_USES, {
          error:
            'must be owner/repo@ref, owner/repo/path@ref, ./path or docker://image, e.g. actions/setup-go@v6',
        })
        .optional()
        .meta({
          description:
            'An action run before the build (e.g. actions/setup-go@v6). Runs in CI only: `xplat run` lists it and goes on.',
        }),
      with: z
        .record(z.string().regex(/^[A-Za-z_][\w-]*$/, { error: 'is not an input name' }), scalar, {
          error: 'must be a mapping of input names to values',
        })
        .optional()
        .meta({ description: 'Inputs of the uses: action.' }),
      env: keyValues('environment variable').optional().meta({
        description:
          'Environment of this step, over TARGETOS, TARGETARCH, TARGETVARIANT and XPLAT_PLATFORM.',
      }),
    },
    { error: 'must be a step: { run: <script> } or { uses: owner/repo@ref, with: {...} }' },
  )
  .superRefine((step, ctx) => {
    const say = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (step.run === undefined && step.uses === undefined)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'needs run: (a script) or uses: (an action), e.g. { run: make build }',
      });
    if (step.run !== undefined && step.uses !== undefined)
      say('uses', 'a step has run: or uses:, not both: make them two steps');
    if (step.uses !== undefined && step.shell !== undefined)
      say('shell', 'applies to run: steps only');
    if (step.uses !== undefined && step['working-directory'] !== undefined)
      say('working-directory', 'applies to run: steps only');
    if (step.run !== undefined && step.with !== undefined)
      say('with', 'gives the inputs of a uses: action; a run: step takes env:');
  })
  .meta({
    description:
      'A workflow step before the image build: { run: <script>, shell?, working-directory?, env? } or { uses: owner/repo@ref, with?, env? }.',
  });
export type PrepareStep = z.output<typeof prepareStepSchema>;

const prepare = (where: string) =>
  z
    .array(prepareStepSchema, { error: 'must be a list of steps, e.g. [{ run: make build }]' })
    .max(50, { error: 'must list at most 50 steps' })
    .optional()
    .meta({
      description: `Steps before the image build of ${where}, in order: { run: make build } or { uses: actions/setup-go@v6, with: {...} }. Each sees TARGETOS, TARGETARCH, TARGETVARIANT and XPLAT_PLATFORM.`,
    });

/**
 * `linux:` / `windows:`: what every platform of one OS builds from, for repositories
 * that keep `Dockerfile` and `Dockerfile.windows` side by side.
 */
const osFamilySchema = <Extra extends z.core.$ZodLooseShape>(
  os: 'linux' | 'windows',
  extra: Extra,
) =>
  z
    .strictObject(
      {
        ...buildFields,
        'build-args': keyValues('build arg')
          .optional()
          .meta({
            description: `Build args for every ${os === 'linux' ? 'Linux' : 'Windows'} platform (over the top-level ones, under a platform's own).`,
          }),
        prepare: prepare(
          `every ${os === 'linux' ? 'Linux' : 'Windows'} platform (after the image's own prepare: steps)`,
        ),
        ...extra,
      },
      {
        error: `must be a mapping such as { dockerfile: ${os === 'linux' ? 'Dockerfile' : 'Dockerfile.windows'} }`,
      },
    )
    .meta({
      description:
        os === 'linux'
          ? 'What every Linux platform builds from, over the top-level context, dockerfile, target and build-args; a platform entry overrides it.'
          : 'What every Windows platform builds from (e.g. dockerfile: Dockerfile.windows), over the top-level context, dockerfile, target and build-args, and where it is built (build-on); a platform entry overrides it.',
    });

export const platformEntrySchema = z.union(
  [
    platformString,
    z
      .strictObject({
        platform: platformString,
        'runs-on': runsOn.optional(),
        qemu: z.boolean({ error: 'must be true or false' }).optional().meta({
          description: `Build this Linux platform under QEMU (on ubuntu-24.04 unless runs-on says otherwise) instead of on a native runner.`,
        }),
        'build-on': buildOn.optional(),
        context: buildFields.context.meta({
          description: 'Build context of this platform (over linux:/windows: and the top level).',
        }),
        dockerfile: buildFields.dockerfile.meta({
          description:
            'Dockerfile of this platform, from the repository root (over linux:/windows: and the top level).',
        }),
        target: buildFields.target.meta({
          description: 'Stage to build for this platform (over linux:/windows: and the top level).',
        }),
        'build-args': keyValues('build arg').optional().meta({
          description:
            'Build args for this platform only (merged over the top-level and linux:/windows: ones).',
        }),
        smoke: smokeSchema.optional().meta({
          description:
            'Smoke settings for this platform only (merged over the top-level ones); skip: "<reason>" to leave it untested.',
        }),
      })
      .meta({ description: 'A platform with overrides.' }),
  ],
  { error: 'must be a platform string or a mapping with platform:' },
);

/**
 * A docker context name or a DOCKER_HOST URL. Contexts are names `docker context create`
 * accepts; URLs are the schemes the docker CLI dials.
 */
const ENGINE_ENDPOINT = /^((unix|tcp|ssh|npipe):\/\/\S+|[a-zA-Z0-9][a-zA-Z0-9_.+-]*)$/;
const engineEndpoint = z
  .string({ error: 'must be a docker context name or a DOCKER_HOST URL' })
  .regex(ENGINE_ENDPOINT, {
    error:
      'must be a docker context name (e.g. winhost) or a DOCKER_HOST URL (ssh://builder@winhost, tcp://winhost:2376, npipe:////./pipe/docker_engine)',
  });

const SECRET = /^[A-Za-z_][A-Za-z0-9_]*$/;
const secretName = z
  .string({ error: 'must be the name of a repository secret' })
  .regex(SECRET, { error: 'must be a secret name (letters, digits, _), e.g. REGISTRY_PASSWORD' })
  .refine((v) => v === 'GITHUB_TOKEN' || !/^GITHUB_/i.test(v), {
    error: 'secret names cannot start with GITHUB_ (except GITHUB_TOKEN)',
  });

const CRON = /^(\S+\s+){4}\S+$/;
const USES = /^(\.\/[\w./-]*[\w-]|[\w.-]+\/[\w.-]+@[\w./-]+)$/;

/** The repository of an image: `ghcr.io/org/app`, no tag. */
const repository = text('a repository such as ghcr.io/org/app')
  .superRefine((value, ctx) => {
    try {
      parseRepository(value, '');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  })
  .meta({
    description:
      'Repository of the images and the fused index, without a tag: ghcr.io/org/app. Lowercase.',
  });

/**
 * What one image is: its platforms, what each builds from, how it is tested and tagged.
 * At the top level of xplat.yml they describe the one image or, with `images:`, they are
 * the defaults of every entry.
 */
const imageFields = {
  platforms: z
    .array(platformEntrySchema, { error: 'must be a list of platforms' })
    .min(1, { error: 'must list at least one platform' })
    .optional()
    .meta({
      description:
        'Every platform the index must contain; one build leg each. Required: at the top level, or on every entry of images:.',
    }),
  ...buildFields,
  linux: osFamilySchema('linux', {}).optional(),
  windows: osFamilySchema('windows', { 'build-on': buildOn.optional() }).optional(),
  'build-args': keyValues('build arg')
    .optional()
    .meta({ description: 'Build args for every platform.' }),
  labels: z
    .record(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, { error: 'is not a label key' }),
      scalar,
      { error: 'must be a mapping of label keys to values' },
    )
    .optional()
    .meta({ description: 'Image labels.' }),
  cache: z
    .enum(['auto', 'gha', 'registry', 'none'], {
      error: 'must be one of auto, gha, registry, none',
    })
    .optional()
    .meta({ description: 'Build cache (default auto).' }),
  smoke: smokeSchema.optional(),
  prepare: prepare('every platform'),
  tags: z
    .array(
      z.string({ error: 'must be a tag template' }).superRefine((value, ctx) => {
        try {
          parseTagTemplate(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
      { error: 'must be a list of tag templates' },
    )
    .optional()
    .meta({
      description:
        'Tags of the fused index: literals and templates with {version} {major} {minor} {patch} (from a v1.2.3 git tag), {branch}, {tag}, {sha}, {date}; "latest" is set on the default branch. Default: {version}, {major}.{minor}, {branch}, sha-{sha}, latest.',
    }),
  'leg-tag': z
    .string({ error: 'must be a tag template' })
    .refine((v) => v.includes('{platform-pair}'), {
      error: `must contain {platform-pair} so every leg has its own tag, e.g. ${DEFAULT_LEG_TAG}`,
    })
    .optional()
    .meta({
      description: `Tag template of each per-platform image (default ${DEFAULT_LEG_TAG}).`,
    }),
  registry: z
    .strictObject({
      login: z.boolean({ error: 'must be true or false' }).optional().meta({
        description: 'Log in before pushing (default true).',
      }),
      username: text('a user name').optional().meta({
        description: 'Registry user name (default: github.actor for ghcr.io).',
      }),
      'username-secret': secretName.optional().meta({
        description: 'Secret holding the user name (default REGISTRY_USERNAME outside ghcr.io).',
      }),
      'password-secret': secretName.optional().meta({
        description:
          'Secret holding the password or token (default GITHUB_TOKEN for ghcr.io, else REGISTRY_PASSWORD).',
      }),
    })
    .optional()
    .meta({
      description: 'Registry login. ghcr.io uses GITHUB_TOKEN by default; others secrets.',
    }),
};

/** An image's name: matrix keys, artifact and job names (`csi-node`). */
export const IMAGE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const imageEntrySchema = z
  .strictObject(
    {
      name: z
        .string({ error: 'must be a name such as csi-node' })
        .regex(IMAGE_NAME, {
          error: 'must be lowercase letters and digits, single hyphens between, e.g. csi-node',
        })
        .max(40, { error: 'must be at most 40 characters' })
        .meta({ description: "The image's name in job names, matrix keys and artifact names." }),
      image: repository,
      ...imageFields,
    },
    {
      error:
        'must be a mapping with name: and image:, e.g. { name: csi-node, image: ghcr.io/org/csi-node }',
    },
  )
  .meta({
    description:
      'One image of several: its name, its repository, and any image key of the top level (platforms, dockerfile, target, build-args, linux:, windows:, smoke, tags, prepare, ...) over the top-level defaults.',
  });

export const configSchema = z
  .strictObject({
    image: repository.optional(),
    ...imageFields,
    images: z
      .array(imageEntrySchema, { error: 'must be a list of images' })
      .min(1, { error: 'must list at least one image' })
      .max(50, { error: 'must list at most 50 images' })
      .optional()
      .meta({
        description:
          'Several images of one repository, each with a name and an image (repository); the top-level keys are their defaults. Without images:, the file describes one image.',
      }),
    engines: z
      .record(z.string(), engineEndpoint, {
        error: 'must be a mapping of platforms to docker contexts or DOCKER_HOST URLs',
      })
      .optional()
      .meta({
        description:
          'For `xplat run` on one machine: the engine that builds and runs a platform this machine cannot (platform -> docker context name or DOCKER_HOST URL), e.g. windows/amd64:ltsc2022: ssh://builder@winhost. The generated workflow ignores it: every leg runs on its own runner there.',
      }),
    triggers: z
      .strictObject({
        branches: z
          .array(text('a branch name or pattern'), { error: 'must be a list of branches' })
          .optional()
          .meta({ description: 'Branches whose pushes build and fuse (default [main]).' }),
        tags: z
          .array(text('a git tag pattern'), { error: 'must be a list of git tag patterns' })
          .optional()
          .meta({ description: "Git tags whose pushes build and fuse (default ['v*'])." }),
        'pull-requests': z.boolean({ error: 'must be true or false' }).optional().meta({
          description:
            'Build and smoke-test pull requests, without pushing or fusing (default true).',
        }),
        'workflow-dispatch': z.boolean({ error: 'must be true or false' }).optional().meta({
          description: 'Allow manual runs (default true).',
        }),
        schedule: z
          .array(
            z.string({ error: 'must be a cron expression' }).regex(CRON, {
              error: 'must be a cron expression of five fields, e.g. "0 4 * * 1"',
            }),
            { error: 'must be a list of cron expressions' },
          )
          .optional()
          .meta({ description: 'Cron schedules (UTC).' }),
      })
      .optional()
      .meta({ description: 'When the workflow runs.' }),
    xplat: z
      .strictObject({
        uses: z
          .string({ error: 'must be owner/repo@ref or a local ./path' })
          .regex(USES, {
            error: `must be owner/repo@ref (e.g. ${DEFAULT_XPLAT_USES}) or a local folder such as ./actions`,
          })
          .meta({
            description:
              "Where xplat's actions come from: owner/repo@ref (-> owner/repo/actions/<name>@ref) or a local folder (./actions -> ./actions/<name>).",
          }),
      })
      .optional(),
    'pin-actions': z.boolean({ error: 'must be true or false' }).optional().meta({
      description:
        'Pin third-party actions (checkout, artifacts, docker/login-action, docker/metadata-action, attest-build-provenance) by full commit SHA.',
    }),
    attest: z.boolean({ error: 'must be true or false' }).optional().meta({
      description:
        "Attest the fused index with GitHub's artifact attestations (actions/attest-build-provenance, pushed to the registry) on pushes; never on pull requests (default true).",
    }),
    workflow: z
      .strictObject({
        name: text('a workflow name')
          .optional()
          .meta({ description: 'Workflow name (default xplat).' }),
        'timeout-minutes': z
          .number({ error: 'must be a number of minutes' })
          .int({ error: 'must be a whole number of minutes' })
          .min(1, { error: 'must be between 1 and 360 minutes' })
          .max(360, { error: 'must be between 1 and 360 minutes' })
          .optional()
          .meta({ description: 'Timeout of each build leg (default 60).' }),
        'fuse-runs-on': runsOn.optional().meta({
          description: 'Runner of the fuse job (default ubuntu-24.04).',
        }),
      })
      .optional(),
  })
  .meta({
    title: 'xplat.yml',
    description:
      'xplat: build one image per platform on native runners, smoke-test each, fuse them into one multi-platform index. `xplat generate` turns this file into .github/workflows/xplat.yml.',
  });

export type XplatConfigInput = z.input<typeof configSchema>;
export type XplatConfigData = z.output<typeof configSchema>;
export type PlatformEntry = z.output<typeof platformEntrySchema>;

/** The JSON schema of xplat.yml for editors (yaml-language-server, VS Code). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, {
    io: 'input',
    unrepresentable: 'any',
    // The image keys appear at the top level and in every entry of images: once, as $defs.
    reused: 'ref',
  }) as Record<string, unknown>;
  // One image (image: and platforms:) or several (images:): zod checks this in loadConfig;
  // editors learn it here.
  return {
    ...schema,
    anyOf: [{ required: ['image', 'platforms'] }, { required: ['images'] }],
  };
}
