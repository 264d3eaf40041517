import path from 'node:path';
import { formatFinding } from '@xplat/dockerfile';
import {
  buildOutputs,
  buildPlatformImage,
  defaultBuildPlatform,
  parseBuildInputs,
  prepareBuild,
  probeHost,
  sourceFromEnv,
  sourceFromGit,
  type BuildInputs,
} from '@xplat/engine';
import { formatPlatform, renderTable } from '@xplat/core';
import { legBuildInputs, type ResolvedImage, type ResolvedLeg } from '@xplat/workflow';
import type { Command } from '../command.js';
import {
  asUsage,
  bool,
  flagHelp,
  flagInputs,
  parseFlags,
  text,
  UsageError,
  type FlagTable,
} from '../flags.js';
import { commandRunId, pickLeg, projectImage } from '../project.js';
import { environmentHelp, projectFlags, projectOf, runIdFlag, runResultDir } from './common.js';

/** Every build-platform-image input (BUILD_INPUTS) as a flag, plus the CLI's own. */
export const buildFlags: FlagTable = [
  {
    flag: 'image',
    input: 'image',
    kind: 'string',
    value: 'REPO',
    help: 'repository, e.g. ghcr.io/org/app',
    fromConfig: 'image',
  },
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
    help: 'default {platform-pair}-{sha}',
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
    help: 'where <platform-pair>.json goes (default DIR/.xplat/legs/RUN-ID/)',
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
  { flag: 'json', kind: 'boolean', help: 'print the outputs as JSON' },
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

${flagHelp(buildFlags)}

${environmentHelp}`;

export const buildCommand: Command = {
  name: 'build',
  summary: 'build and push one platform image, and write its leg result',
  usage,
  flags: buildFlags,
  async run(argv, io) {
    const parsed = parseFlags(buildFlags, argv);
    if (parsed.positionals.length > 1)
      throw new UsageError(`one context only, got: ${parsed.positionals.join(' ')}`);
    const project = await projectOf(parsed, io);
    const env = io.env as Record<string, string>;
    const docker = { ...(io.env.XPLAT_DOCKER ? { docker: io.env.XPLAT_DOCKER } : {}), env };

    // Which xplat.yml leg: --platform's, else the engine's own platform's (probed once,
    // and handed to the build so it is not probed again).
    let facts: Awaited<ReturnType<typeof probeHost>> | undefined;
    const platformFlag = text(parsed, 'platform');
    if (!platformFlag && project.config) {
      // Every flag is checked before the engine is asked anything (its paths come later,
      // once the leg is known).
      asUsage(() =>
        parseBuildInputs(
          flagInputs(
            buildFlags,
            parsed,
            configDefaults(projectImage(project)!, undefined, project.dir),
          ),
          { cwd: io.cwd, env, checkPaths: false },
        ),
      );
      asUsage(() => commandRunId(text(parsed, 'run-id'), io.env, 'unknown'));
      facts = await probeHost({ ...docker, logger: io.logger });
    }
    const leg = asUsage(() =>
      pickLeg(project, platformFlag || undefined, facts ? defaultBuildPlatform(facts) : undefined),
    );
    if (project.config && !leg && !platformFlag)
      throw new UsageError(
        `this engine builds ${facts ? formatPlatform(defaultBuildPlatform(facts)) : 'another platform'}, which ${project.configFile} does not list; give one of ${projectImage(
          project,
        )!
          .legs.map((l) => l.name)
          .join(', ')}`,
        '--platform',
      );
    const image = projectImage(project);
    const defaults = image ? configDefaults(image, leg, project.dir) : {};
    const inputs: BuildInputs = flagInputs(buildFlags, parsed, defaults);
    if (parsed.positionals[0]) inputs.context = parsed.positionals[0];
    // Another context than xplat.yml's: its own Dockerfile, unless --file says otherwise.
    if ((parsed.positionals[0] || text(parsed, 'context')) && !text(parsed, 'file'))
      delete inputs.file;
    if (!inputs['result-dir']) inputs['result-dir'] = await runResultDir(parsed, io, project);

    const request = asUsage(() => parseBuildInputs(inputs, { cwd: io.cwd, env }));
    // On a runner the GITHUB_* variables say which commit; on a laptop, git does.
    const fromEnv = sourceFromEnv(io.env);
    const source = fromEnv.sha
      ? fromEnv
      : { ...(await sourceFromGit(request.context)), ...fromEnv };
    const options = {
      ...docker,
      logger: io.logger,
      cwd: io.cwd,
      source,
      ...(facts ? { facts } : {}),
      onFinding: (f: Parameters<typeof formatFinding>[0]) => io.stderr(formatFinding(f)),
    };

    if (bool(parsed, 'dry-run')) {
      const prepared = await prepareBuild(request, options);
      const steps = [...prepared.plan.before, prepared.plan.build, ...prepared.plan.push];
      const lines = steps.map((s) => {
        const envText = Object.entries(s.env ?? {})
          .map(([k, v]) => `${k}=${v} `)
          .join('');
        return `${envText}docker ${s.args.map(quote).join(' ')}`;
      });
      io.stdout(
        bool(parsed, 'json')
          ? JSON.stringify(
              { builder: prepared.selection.kind, tags: prepared.tags, steps },
              null,
              2,
            )
          : [`builder: ${prepared.selection.kind} (${prepared.selection.reason})`, ...lines].join(
              '\n',
            ),
      );
      return 0;
    }

    const outcome = await buildPlatformImage(request, options);
    const outputs = buildOutputs(outcome);
    io.stdout(
      bool(parsed, 'json')
        ? JSON.stringify(outputs, null, 2)
        : renderTable(
            ['output', 'value'],
            Object.entries(outputs).map(([k, v]) => [k, String(v)]),
          ),
    );
    return 0;
  },
};

/**
 * build-platform-image's inputs from xplat.yml: the leg's, or only the top-level values
 * for a platform xplat.yml does not list. Paths in xplat.yml are from the project folder,
 * flags from the current one, so the config's are made absolute here.
 */
function configDefaults(
  config: ResolvedImage,
  leg: ResolvedLeg | undefined,
  dir: string,
): Record<string, string> {
  const inputs: Record<string, string> = leg
    ? legBuildInputs(config, leg)
    : Object.fromEntries(
        Object.entries({
          image: config.image,
          context: config.context,
          file: config.dockerfile,
          target: config.target ?? '',
          'tag-template': config.legTag ?? '',
          cache: config.cache ?? '',
        }).filter(([, v]) => v !== ''),
      );
  if (!leg) delete inputs.platform;
  for (const key of ['context', 'file'] as const)
    if (inputs[key]) inputs[key] = path.resolve(dir, inputs[key]);
  return inputs;
}

/** Quotes an argument for display only (commands always run as argument arrays). */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
