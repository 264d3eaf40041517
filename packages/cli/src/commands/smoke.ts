import {
  parseSmokeInputs,
  renderChecks,
  skipSmokeTest,
  smokeTest,
  type SmokeRequest,
} from '@xplat/smoke';
import type { Command, CommandContext } from '../command.js';
import { asUsage, bool, flagHelp, text, UsageError, type Flag, type FlagTable } from '../flags.js';
import { environmentHelp, imageFlag, jsonFlag, projectFlags, runIdFlag, shown } from './common.js';
import { atMostOne } from './context.js';
import { imageOfReference, unknownImage } from './images.js';
import { runPerImage, type ImageResult, type ImageTask } from './per-image.js';
import { smokeTargets } from './smoke-targets.js';

/** A smoke-test input as a string flag of the same name. */
const s = (flag: string, value: string, help: string): Flag => ({
  flag,
  input: flag,
  kind: 'string',
  value,
  help,
});

/** One that xplat.yml sets too, under the same name in `smoke:`. */
const fromSmoke = (flag: Flag): Flag => ({ ...flag, fromConfig: `smoke.${flag.flag}` });

/** Every smoke-test input (SMOKE_INPUTS) as a flag, plus the CLI's own. */
export const smokeFlags: FlagTable = [
  imageFlag({
    value: 'REF',
    help: "the image reference to test, as the IMAGE argument (default: this run's leg result)",
  }),
  s('platform', 'P', "os/arch[/variant], windows/amd64:ltsc2022 (default: the image's)"),
  fromSmoke(s('port', 'N', 'HTTP probe on this container port')),
  fromSmoke(s('path', 'P', 'HTTP path (default /)')),
  s('method', 'M', 'HTTP method (default GET)'),
  {
    flag: 'header',
    input: 'headers',
    kind: 'list',
    value: '"Name: value"',
    help: 'request header (repeat)',
  },
  fromSmoke(s('expect-status', 'S', '200, 2xx, 200-299, 200,204 (default 200-399)')),
  fromSmoke(s('expect-body', 'RE', 'regular expression the body must match')),
  fromSmoke(s('tcp-port', 'N', 'a port that must accept a TCP connection')),
  fromSmoke(s('expect-log', 'RE', 'a log line that must appear')),
  fromSmoke(s('command', 'CMD', 'docker exec this; with --one-shot, what the container runs')),
  s('expect-output', 'RE', "the command's (or one-shot container's) output must match"),
  s('expect-exit-code', 'N', 'expected exit code (default 0)'),
  {
    flag: 'one-shot',
    input: 'one-shot',
    kind: 'boolean',
    help: 'the image runs and exits; exit code and output are the check',
  },
  s('args', 'ARGS', "replaces the image's CMD"),
  fromSmoke({
    flag: 'env',
    input: 'env',
    kind: 'list',
    value: 'KEY=VALUE',
    help: 'container environment (repeat)',
  }),
  fromSmoke(s('run-args', 'ARGS', 'extra docker run arguments')),
  s('network', 'N', 'auto (host on Linux, nat on Windows), host, or a network'),
  s('isolation', 'I', 'Windows: auto, process or hyperv'),
  fromSmoke(s('timeout', 'D', 'time to pass every probe (default 60s Linux, 180s Windows)')),
  s('probe-timeout', 'D', "each probe's deadline inside --timeout"),
  fromSmoke(s('stop-timeout', 'D', 'docker stop timeout (default 10s Linux, 30s Windows)')),
  fromSmoke({
    flag: 'expect-graceful-stop',
    input: 'expect-graceful-stop',
    kind: 'boolean',
    help: 'fail unless the container exits on its own when stopped',
  }),
  s(
    'result-file',
    'FILE',
    "leg result to record the verdict in (default: this run's); without an image, its image@digest is tested",
  ),
  fromSmoke(
    s(
      'skip',
      'REASON',
      'test nothing: record in the leg result that the smoke test was skipped, and why (xplat fuse --allow-untested admits it)',
    ),
  ),
  s('report-file', 'FILE', 'write the report JSON here'),
  s('log-lines', 'N', 'log lines kept in the report (default 50)'),
  runIdFlag,
  ...projectFlags,
  jsonFlag('print the report JSON instead of the table'),
];

const usage = `usage: xplat smoke [IMAGE] [options]

Start the image, poll its probes until all pass, stop it and judge the stop, always
remove it (the same as the smoke-test action). Exit code 0 when it passed, 1 when not.
With xplat.yml and no IMAGE: the image of this run's leg result for --platform (default:
the engine's platform), probed with xplat.yml's smoke settings, the verdict recorded in
that leg result. With --result-file and no IMAGE, the leg result's image@digest is
pulled and tested (the image of a leg built elsewhere). --skip REASON tests nothing and
records the reason in the leg result instead (exit 0).

With several images in xplat.yml, it tests the leg result of that platform of every
image that has one (DIR/.xplat/legs/RUN-ID/NAME/), one after the other; one that fails
stops no other, and the exit code is 1 when any failed. --image NAME tests that image
only (with IMAGE: that reference, with this image's smoke settings); an IMAGE or --image
reference instead tests that image with the settings of the image of xplat.yml whose
repository it names.

${flagHelp(smokeFlags)}

${environmentHelp}`;

export const smokeCommand: Command = {
  name: 'smoke',
  summary: 'prove an image starts, answers and stops (then record it in the leg result)',
  usage,
  flags: smokeFlags,
  positionals: atMostOne('image'),
  image: 'reference',
  async run(options, ctx) {
    const { project } = ctx;
    const positional = options.positionals[0];
    // IMAGE is always a reference: with several images and no --image, it picks the one
    // whose repository it names.
    const images =
      positional && ctx.several && project.config
        ? [imageOfReference(project.config, positional) ?? refuseImage(ctx, positional)]
        : ctx.images;
    const several = ctx.several && !positional;
    if (several && text(options, 'result-file'))
      throw new UsageError(
        `names one leg result; with several images, name its image with --image NAME (${images.map((i) => i.name).join(', ')})`,
        'result-file',
      );
    const targets = await smokeTargets(
      options,
      ctx,
      smokeFlags,
      images,
      several,
      positional ?? ctx.imageInput,
    );
    // Every request before the first container starts: a flag that cannot be used is exit 2.
    const requests = targets.map((t) => t.inputs && asUsage(() => parseSmokeInputs(t.inputs!)));

    // Ctrl-C ends the probes; the container is still removed before the command exits.
    const controller = new AbortController();
    const cancel = (): void => controller.abort();
    process.on('SIGINT', cancel);
    process.on('SIGTERM', cancel);
    try {
      const tasks: ImageTask[] = targets.map((t, i) => {
        const request = requests[i];
        if (t.skipped !== undefined) return { image: t.image, skipped: t.skipped };
        if (!request) return { image: t.image, run: () => Promise.reject(t.error) };
        return { image: t.image, run: () => runSmoke(request, ctx, controller.signal) };
      });
      return await runPerImage(tasks, ctx, {
        command: 'smoke',
        flags: smokeFlags,
        json: bool(options, 'json'),
        several,
      });
    } finally {
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);
    }
  },
};

/** An IMAGE that names no image of xplat.yml: a usage error listing the names. */
function refuseImage(ctx: CommandContext, reference: string): never {
  throw new UsageError(unknownImage(ctx.project.config!, reference, 'reference'), 'IMAGE');
}

/** One smoke test, or with --skip the record of why there is none. */
async function runSmoke(
  request: SmokeRequest,
  ctx: CommandContext,
  signal: AbortSignal,
): Promise<ImageResult> {
  if (request.skip !== undefined) {
    const skipped = await skipSmokeTest(request, { logger: ctx.logger });
    return {
      code: 0,
      value: skipped,
      text: `skipped ${skipped.platform}: ${skipped.reason} (recorded in ${shown(ctx, skipped.resultFile)})`,
    };
  }
  const report = await smokeTest(request, {
    logger: ctx.logger,
    signal,
    // The table goes to stdout, once; the log keeps only the progress.
    logChecks: false,
    docker: ctx.docker,
  });
  return {
    code: report.passed ? 0 : 1,
    value: report,
    text: renderChecks(report),
    ...(report.passed ? {} : { failure: `failed: ${report.reason}` }),
  };
}
