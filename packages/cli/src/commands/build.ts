import { parseArgs } from 'node:util';
import { formatFinding } from '@xplat/dockerfile';
import {
  buildOutputs,
  buildPlatformImage,
  parseBuildInputs,
  prepareBuild,
  sourceFromEnv,
  sourceFromGit,
  type BuildInputs,
} from '@xplat/engine';
import type { Command } from '../command.js';

const usage = `usage: xplat build [CONTEXT] --image REPO [options]

Build one platform's image on the builder this machine has (buildx, the CLI's built-in
BuildKit, or the classic builder fed a rendered Dockerfile), push it, and write the leg
result (the same as the build-platform-image action).

  --image REPO              repository, e.g. ghcr.io/org/app (required)
  --platform P              linux/amd64, linux/arm64, windows/amd64:ltsc2022 (default: the engine's)
  --windows-version V       ltsc2022, ltsc2025 or an os.version
  --file F                  Dockerfile (default CONTEXT/Dockerfile)
  --target STAGE            stage to build
  --build-arg NAME=VALUE    build argument (repeat)
  --label KEY=VALUE         label (repeat); OCI source/revision/created are set from git
  --tag TAG                 another tag besides the template's (repeat)
  --tag-template T          default {platform-pair}-{sha}
  --no-push                 build only; the leg result records the image ID
  --cache MODE              auto, gha, registry or none
  --cache-scope S           cache key prefix
  --isolation I             Windows: auto, process or hyperv
  --network N               network for RUN steps (host, none, ...)
  --result-dir DIR          where <platform-pair>.json goes
  --builder B               auto, buildx, buildkit or classic
  --no-lint                 skip the cross-platform lint
  --dry-run                 print the plan (docker commands), run nothing
  --json                    print the outputs as JSON`;

const text = { type: 'string', default: '' } as const;

export const buildCommand: Command = {
  name: 'build',
  summary: 'build and push one platform image, and write its leg result',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        image: text,
        platform: text,
        'windows-version': text,
        context: text,
        file: text,
        target: text,
        'build-arg': { type: 'string', multiple: true, default: [] },
        label: { type: 'string', multiple: true, default: [] },
        tag: { type: 'string', multiple: true, default: [] },
        'tag-template': text,
        'no-push': { type: 'boolean', default: false },
        cache: text,
        'cache-scope': text,
        isolation: text,
        network: text,
        'result-dir': text,
        builder: text,
        'no-lint': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 1) throw new Error(`one context only, got: ${positionals.join(' ')}`);
    const inputs: BuildInputs = {
      image: values.image,
      platform: values.platform,
      'windows-version': values['windows-version'],
      context: positionals[0] ?? values.context,
      file: values.file,
      target: values.target,
      'build-args': values['build-arg'].join('\n'),
      labels: values.label.join('\n'),
      tags: values.tag.join('\n'),
      'tag-template': values['tag-template'],
      push: values['no-push'] ? 'false' : 'true',
      cache: values.cache,
      'cache-scope': values['cache-scope'],
      isolation: values.isolation,
      network: values.network,
      'result-dir': values['result-dir'],
      builder: values.builder,
      lint: values['no-lint'] ? 'false' : 'true',
    };
    const env = io.env as Record<string, string>;
    const request = parseBuildInputs(inputs, { cwd: io.cwd, env });
    // On a runner the GITHUB_* variables say which commit; on a laptop, git does.
    const fromEnv = sourceFromEnv(io.env);
    const source = fromEnv.sha
      ? fromEnv
      : { ...(await sourceFromGit(request.context)), ...fromEnv };
    const options = {
      logger: io.logger,
      cwd: io.cwd,
      env,
      source,
      onFinding: (f: Parameters<typeof formatFinding>[0]) => io.stderr(formatFinding(f)),
    };

    if (values['dry-run']) {
      const prepared = await prepareBuild(request, options);
      const steps = [...prepared.plan.before, prepared.plan.build, ...prepared.plan.push];
      const lines = steps.map((s) => {
        const envText = Object.entries(s.env ?? {})
          .map(([k, v]) => `${k}=${v} `)
          .join('');
        return `${envText}docker ${s.args.map(quote).join(' ')}`;
      });
      io.stdout(
        values.json
          ? JSON.stringify(
              { builder: prepared.selection.kind, tags: prepared.tags, steps },
              null,
              2,
            )
          : [`# builder: ${prepared.selection.kind} (${prepared.selection.reason})`, ...lines].join(
              '\n',
            ),
      );
      return 0;
    }

    const outcome = await buildPlatformImage(request, options);
    const outputs = buildOutputs(outcome);
    io.stdout(
      values.json
        ? JSON.stringify(outputs, null, 2)
        : Object.entries(outputs)
            .map(([k, v]) => `${k.padEnd(11)} ${v}`)
            .join('\n'),
    );
    return 0;
  },
};

/** Quotes an argument for display only (commands always run as argument arrays). */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
