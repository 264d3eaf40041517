import { existsSync } from 'node:fs';
import path from 'node:path';
import { parsePlatform, readLegResult, type Platform } from '@xplat/core';
import { engineHost } from '@xplat/engine';
import {
  parseSmokeInputs,
  renderChecks,
  skipSmokeTest,
  smokeTest,
  type SmokeInputs,
} from '@xplat/smoke';
import { legSmokeInputs } from '@xplat/workflow';
import type { Command } from '../command.js';
import {
  asUsage,
  bool,
  flagHelp,
  flagInputs,
  parseFlags,
  text,
  toUsage,
  UsageError,
  type Flag,
  type FlagTable,
} from '../flags.js';
import { pickLeg, projectImage, type Project } from '../project.js';
import {
  environmentHelp,
  projectFlags,
  projectOf,
  runIdFlag,
  runResultDir,
  shown,
} from './common.js';

const s = (flag: string, value: string, help: string, fromConfig?: string): Flag => ({
  flag,
  input: flag,
  kind: 'string',
  value,
  help,
  ...(fromConfig ? { fromConfig } : {}),
});

/** Every smoke-test input (SMOKE_INPUTS) as a flag, plus the CLI's own. */
export const smokeFlags: FlagTable = [
  s('image', 'REF', "the image (or the IMAGE argument; default: this run's leg result)"),
  s('platform', 'P', "os/arch[/variant], windows/amd64:ltsc2022 (default: the image's)"),
  s('port', 'N', 'HTTP probe on this container port', 'smoke.port'),
  s('path', 'P', 'HTTP path (default /)', 'smoke.path'),
  s('method', 'M', 'HTTP method (default GET)'),
  {
    flag: 'header',
    input: 'headers',
    kind: 'list',
    value: '"Name: value"',
    help: 'request header (repeat)',
  },
  s('expect-status', 'S', '200, 2xx, 200-299, 200,204 (default 200-399)', 'smoke.expect-status'),
  s('expect-body', 'RE', 'regular expression the body must match', 'smoke.expect-body'),
  s('tcp-port', 'N', 'a port that must accept a TCP connection', 'smoke.tcp-port'),
  s('expect-log', 'RE', 'a log line that must appear', 'smoke.expect-log'),
  s(
    'command',
    'CMD',
    'docker exec this; with --one-shot, what the container runs',
    'smoke.command',
  ),
  s('expect-output', 'RE', "the command's (or one-shot container's) output must match"),
  s('expect-exit-code', 'N', 'expected exit code (default 0)'),
  {
    flag: 'one-shot',
    input: 'one-shot',
    kind: 'boolean',
    help: 'the image runs and exits; exit code and output are the check',
  },
  s('args', 'ARGS', "replaces the image's CMD"),
  {
    flag: 'env',
    input: 'env',
    kind: 'list',
    value: 'KEY=VALUE',
    help: 'container environment (repeat)',
    fromConfig: 'smoke.env',
  },
  s('run-args', 'ARGS', 'extra docker run arguments', 'smoke.run-args'),
  s('network', 'N', 'auto (host on Linux, nat on Windows), host, or a network'),
  s('isolation', 'I', 'Windows: auto, process or hyperv'),
  s('timeout', 'D', 'time to pass every probe (default 60s Linux, 180s Windows)', 'smoke.timeout'),
  s('probe-timeout', 'D', "each probe's deadline inside --timeout"),
  s(
    'stop-timeout',
    'D',
    'docker stop timeout (default 10s Linux, 30s Windows)',
    'smoke.stop-timeout',
  ),
  {
    flag: 'expect-graceful-stop',
    input: 'expect-graceful-stop',
    kind: 'boolean',
    help: 'fail unless the container exits on its own when stopped',
    fromConfig: 'smoke.expect-graceful-stop',
  },
  s(
    'result-file',
    'FILE',
    "leg result to record the verdict in (default: this run's); without an image, its image@digest is tested",
  ),
  s(
    'skip',
    'REASON',
    'test nothing: record in the leg result that the smoke test was skipped, and why (xplat fuse --allow-untested admits it)',
    'smoke.skip',
  ),
  s('report-file', 'FILE', 'write the report JSON here'),
  s('log-lines', 'N', 'log lines kept in the report (default 50)'),
  runIdFlag,
  ...projectFlags,
  { flag: 'json', kind: 'boolean', help: 'print the report JSON instead of the table' },
];

const usage = `usage: xplat smoke [IMAGE] [options]

Start the image, poll its probes until all pass, stop it and judge the stop, always
remove it (the same as the smoke-test action). Exit code 0 when it passed, 1 when not.
With xplat.yml and no IMAGE: the image of this run's leg result for --platform (default:
the engine's platform), probed with xplat.yml's smoke settings, the verdict recorded in
that leg result. With --result-file and no IMAGE, the leg result's image@digest is
pulled and tested (the image of a leg built elsewhere). --skip REASON tests nothing and
records the reason in the leg result instead (exit 0).

${flagHelp(smokeFlags)}

${environmentHelp}`;

export const smokeCommand: Command = {
  name: 'smoke',
  summary: 'prove an image starts, answers and stops (then record it in the leg result)',
  usage,
  flags: smokeFlags,
  async run(argv, io) {
    const parsed = parseFlags(smokeFlags, argv);
    if (parsed.positionals.length > 1)
      throw new UsageError(`one image only, got: ${parsed.positionals.join(' ')}`);
    const project = await projectOf(parsed, io);
    const docker = io.env.XPLAT_DOCKER ? { docker: io.env.XPLAT_DOCKER } : {};

    let defaults: Record<string, string> = {};
    const image = parsed.positionals[0] ?? text(parsed, 'image');
    if (project.config) {
      const platformFlag = text(parsed, 'platform');
      // The flags are checked before the engine is asked anything: refused when they
      // fit no leg of xplat.yml (the leg's own settings are checked again once known).
      if (!platformFlag) precheckSmokeFlags(flagInputs(smokeFlags, parsed), image, project);
      const native = platformFlag
        ? undefined
        : await engineHost({ ...docker, logger: io.logger }).then((h): Platform | undefined => {
            try {
              return parsePlatform(`${h.os}/${h.architecture}`);
            } catch {
              return undefined;
            }
          });
      const leg = asUsage(() => pickLeg(project, platformFlag || undefined, native));
      if (leg) {
        defaults = legSmokeInputs(leg);
        // No image given: the one this run built for the leg, and its result records the
        // verdict. A --result-file given names the image itself (the smoke library reads it).
        if (!image && !text(parsed, 'result-file')) {
          const file = path.join(await runResultDir(parsed, io, project), `${leg.pair}.json`);
          defaults = { ...defaults, ...(await fromLegResult(file, io)) };
        }
      }
    }
    const inputs: SmokeInputs = flagInputs(smokeFlags, parsed, defaults);
    if (image) inputs.image = image;
    const request = asUsage(() => parseSmokeInputs(inputs));
    if (request.skip !== undefined) {
      const skipped = await skipSmokeTest(request, { logger: io.logger });
      io.stdout(
        bool(parsed, 'json')
          ? JSON.stringify(skipped, null, 2)
          : `skipped ${skipped.platform}: ${skipped.reason} (recorded in ${shown(io, skipped.resultFile)})`,
      );
      return 0;
    }

    // Ctrl-C ends the probes; the container is still removed before the command exits.
    const controller = new AbortController();
    const cancel = (): void => controller.abort();
    process.on('SIGINT', cancel);
    process.on('SIGTERM', cancel);
    try {
      const report = await smokeTest(request, {
        logger: io.logger,
        signal: controller.signal,
        // The table goes to stdout below, once; the log keeps only the progress.
        logChecks: false,
        docker,
      });
      io.stdout(bool(parsed, 'json') ? JSON.stringify(report, null, 2) : renderChecks(report));
      if (!report.passed) io.stderr(`xplat smoke: failed: ${report.reason}`);
      return report.passed ? 0 : 1;
    } finally {
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);
    }
  },
};

/** The image and result file of a built leg, or a usage error saying how to get one. */
async function fromLegResult(file: string, io: Parameters<Command['run']>[1]) {
  if (!existsSync(file))
    throw new UsageError(
      `no image given and no leg result at ${shown(io, file)}; build first (xplat build) or give IMAGE`,
      'image',
    );
  const { result } = await asUsage(() => readLegResult(file));
  if (result.failure)
    throw new UsageError(
      `the build of ${result.platform} failed (${shown(io, file)}): ${result.failure.reason}`,
      'image',
    );
  return {
    image: result.pushed ? `${result.image}@${result.digest}` : result.digest,
    'result-file': file,
  };
}

/** Throws the first leg's error when the flags fit no leg's smoke settings. */
function precheckSmokeFlags(
  flags: Record<string, string>,
  image: string | undefined,
  project: Project,
): void {
  let first: unknown;
  for (const leg of projectImage(project)?.legs ?? []) {
    try {
      // Placeholders for what this run's leg result gives once the leg is known.
      parseSmokeInputs({
        ...legSmokeInputs(leg),
        ...flags,
        image: image || 'localhost/placeholder',
        'result-file': flags['result-file'] || 'placeholder.json',
      });
      return;
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== undefined) throw toUsage(first);
}
