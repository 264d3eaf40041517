import { formatFinding } from '@xplat/dockerfile';
import {
  buildOutputs,
  buildPlatformImage,
  prepareBuild,
  sourceFromEnv,
  sourceFromGit,
  type BuildRequest,
  type HostFacts,
} from '@xplat/engine';
import { renderTable } from '@xplat/core';
import { DEFAULT_LEG_TAG } from '@xplat/oci';
import type { Command, CommandContext } from '../command.js';
import { bool, flagHelp, text, type FlagTable } from '../flags.js';
import { buildRequest, buildTargets, engineFacts } from './build-targets.js';
import {
  environmentHelp,
  imageFlag,
  jsonFlag,
  projectFlags,
  runIdFlag,
  runResultDir,
} from './common.js';
import { atMostOne } from './context.js';
import { runPerImage, type ImageResult, type ImageTask } from './per-image.js';
/** Every build-platform-image input (BUILD_INPUTS) as a flag, plus the CLI's own. */
export const buildFlags: FlagTable = [
  imageFlag({ value: 'REPO', help: 'the repository, e.g. ghcr.io/org/app', fromConfig: 'image' }),
  {
    flag: 'platform',
    input: 'platform',
    kind: 'string',
    value: 'P',
    help: "linux/arm64, windows/amd64:ltsc2022 (default: the engine's)",
    fromConfig: 'its entry in platforms',
  },
  {
    flag: 'windows-version',
    input: 'windows-version',
    kind: 'string',
    value: 'V',
    help: 'ltsc2022, ltsc2025 or an os.version',
  },
  {
    flag: 'context',
    input: 'context',
    kind: 'string',
    value: 'DIR',
    help: 'build context (or the CONTEXT argument)',
    fromConfig: 'context',
  },
  {
    flag: 'file',
    input: 'file',
    kind: 'string',
    value: 'F',
    help: 'Dockerfile (default CONTEXT/Dockerfile)',
    fromConfig: 'dockerfile',
  },
  {
    flag: 'target',
    input: 'target',
    kind: 'string',
    value: 'STAGE',
    help: 'stage to build',
    fromConfig: 'target',
  },
  {
    flag: 'build-arg',
    input: 'build-args',
    kind: 'list',
    value: 'NAME=VALUE',
    help: 'build argument (repeat)',
    fromConfig: 'build-args',
  },
  {
    flag: 'label',
    input: 'labels',
    kind: 'list',
    value: 'KEY=VALUE',
    help: 'label (repeat); OCI source/revision/created come from git',
    fromConfig: 'labels',
  },
  {
    flag: 'tag',
    input: 'tags',
    kind: 'list',
    value: 'TAG',
    help: "another tag besides the template's (repeat)",
  },
  {
    flag: 'tag-template',
    input: 'tag-template',
    kind: 'string',
    value: 'T',
    help: `default ${DEFAULT_LEG_TAG}`,
    fromConfig: 'leg-tag',
  },
  {
    flag: 'no-push',
    input: 'push',
    kind: 'boolean',
    negates: true,
    help: 'build only; the leg result records the image ID',
  },
  {
    flag: 'cache',
    input: 'cache',
    kind: 'string',
    value: 'MODE',
    help: 'auto, gha, registry or none',
    fromConfig: 'cache',
  },
  {
    flag: 'cache-scope',
    input: 'cache-scope',
    kind: 'string',
    value: 'S',
    help: 'cache key prefix',
  },
  {
    flag: 'isolation',
    input: 'isolation',
    kind: 'string',
    value: 'I',
    help: 'Windows: auto, process or hyperv',
  },
  {
    flag: 'network',
    input: 'network',
    kind: 'string',
    value: 'N',
    help: 'network for RUN steps (host, none, ...)',
  },
  {
    flag: 'result-dir',
    input: 'result-dir',
    kind: 'string',
    value: 'DIR',
    help: 'where <platform-pair>.json goes (default DIR/.xplat/legs/RUN-ID/; several images: a folder NAME/ in it each)',
  },
  {
    flag: 'builder',
    input: 'builder',
    kind: 'string',
    value: 'B',
    help: 'auto, buildx, buildkit or classic',
  },
  { flag: 'no-lint', input: 'lint', kind: 'boolean', negates: true, help: 'skip the lint' },
  runIdFlag,
  ...projectFlags,
  { flag: 'dry-run', kind: 'boolean', help: 'print the plan (docker commands), run nothing' },
  jsonFlag('print the outputs as JSON'),
];

const usage = `usage: xplat build [CONTEXT] [options]

Build one platform's image on the builder this machine has (buildx, the CLI's built-in
BuildKit, or the classic builder fed a rendered Dockerfile), push it, and write the leg
result (the same as the build-platform-image action). With xplat.yml, no flag is needed:
it builds the configured platform of this engine (or --platform) with that entry's
Dockerfile, target and build args. A build that needs BuildKit (another architecture,
BuildKit-only syntax) on a docker CLI without it is refused with what to install, and
leaves a failed leg result. A Windows platform on a Linux engine builds with buildx and a
docker-container builder (its Windows stages may only copy files), pushed or kept in
BuildKit's store (--no-push), never loaded into the engine.

With several images in xplat.yml, it builds that platform for every image that lists
it, one after the other, each image's leg result in DIR/.xplat/legs/RUN-ID/NAME/; one
that fails stops no other, and the exit code is 1 when any failed. --image NAME builds
that image only; --image with a repository instead builds the image of xplat.yml that
pushes there (or, with one image or without xplat.yml, pushes to the repository given).

${flagHelp(buildFlags)}

${environmentHelp}`;

export const buildCommand: Command = {
  name: 'build',
  summary: 'build and push one platform image, and write its leg result',
  usage,
  flags: buildFlags,
  positionals: atMostOne('context'),
  image: 'repository',
  async run(options, ctx) {
    const facts = await engineFacts(options, ctx, buildFlags);
    const targets = buildTargets(options, ctx, facts);
    const runDir = text(options, 'result-dir') ? '' : await runResultDir(options, ctx, ctx.project);
    // Every request before the first build: a flag or path that cannot be used is exit 2
    // with nothing built.
    const requests = targets.map((t) =>
      t.skipped ? undefined : buildRequest(options, ctx, buildFlags, t, runDir),
    );
    const dryRun = bool(options, 'dry-run');
    const tasks: ImageTask[] = targets.map((t, i) => {
      const request = requests[i];
      if (!request) return { image: t.image, skipped: t.skipped ?? '' };
      return {
        image: t.image,
        run: async () =>
          (dryRun ? planBuild : runBuild)(request, await buildOptions(ctx, request, facts)),
      };
    });
    return runPerImage(tasks, ctx, {
      command: 'build',
      flags: buildFlags,
      json: bool(options, 'json'),
      several: ctx.several,
    });
  },
};

type BuildOptions = Parameters<typeof buildPlatformImage>[1] & {};

/** How the build runs: this docker CLI, this commit, the engine facts probed already. */
async function buildOptions(
  ctx: CommandContext,
  request: BuildRequest,
  facts: HostFacts | undefined,
): Promise<BuildOptions> {
  // On a runner the GITHUB_* variables say which commit; on a laptop, git does.
  const fromEnv = sourceFromEnv(ctx.env);
  const source = fromEnv.sha ? fromEnv : { ...(await sourceFromGit(request.context)), ...fromEnv };
  return {
    ...ctx.docker,
    logger: ctx.logger,
    cwd: ctx.cwd,
    source,
    ...(facts ? { facts } : {}),
    onFinding: (f: Parameters<typeof formatFinding>[0]) => ctx.stderr(formatFinding(f)),
  };
}

/** --dry-run: the builder and the exact docker commands, nothing run. */
async function planBuild(request: BuildRequest, options: BuildOptions): Promise<ImageResult> {
  const prepared = await prepareBuild(request, options);
  const steps = [...prepared.plan.before, prepared.plan.build, ...prepared.plan.push];
  const lines = steps.map((s) => {
    const envText = Object.entries(s.env ?? {})
      .map(([k, v]) => `${k}=${v} `)
      .join('');
    return `${envText}docker ${s.args.map(quote).join(' ')}`;
  });
  return {
    code: 0,
    value: { builder: prepared.selection.kind, tags: prepared.tags, steps },
    text: [`builder: ${prepared.selection.kind} (${prepared.selection.reason})`, ...lines].join(
      '\n',
    ),
  };
}

/** The build, its push and its leg result; the outputs as the action sets them. */
async function runBuild(request: BuildRequest, options: BuildOptions): Promise<ImageResult> {
  const outputs = buildOutputs(await buildPlatformImage(request, options));
  return {
    code: 0,
    value: outputs,
    text: renderTable(
      ['output', 'value'],
      Object.entries(outputs).map(([k, v]) => [k, String(v)]),
    ),
  };
}

/** Quotes an argument for display only (commands always run as argument arrays). */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
