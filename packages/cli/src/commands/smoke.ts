import { parseArgs } from 'node:util';
import { parseSmokeInputs, renderChecks, smokeTest, type SmokeInputs } from '@xplat/smoke';
import type { Command } from '../command.js';

const usage = `usage: xplat smoke IMAGE [options]

Start the image, poll its probes until all pass, stop it and judge the stop, always
remove it (the same as the smoke-test action). Exit code 0 when it passed, 1 when not.

  --platform P                os/arch[/variant], windows/amd64:ltsc2022 (default: the image's)
  --port N                    HTTP probe on this container port
  --path P  --method M        HTTP path (default /) and method (default GET)
  --header "Name: value"      request header (repeat)
  --expect-status S           200, 2xx, 200-299, 200,204 (default 200-399)
  --expect-body RE            regular expression the body must match
  --tcp-port N                a port that must accept a TCP connection
  --expect-log RE             a log line that must appear
  --command CMD               docker exec this; with --one-shot, what the container runs
  --expect-output RE          the command's (or one-shot container's) output must match
  --expect-exit-code N        expected exit code (default 0)
  --one-shot                  the image runs and exits; exit code and output are the check
  --args ARGS                 replaces the image's CMD
  --env KEY=VALUE             container environment (repeat)
  --run-args ARGS             extra docker run arguments
  --network N                 auto (host on Linux, nat on Windows), host, or a network
  --isolation I               Windows: auto, process or hyperv
  --timeout D                 time to pass every probe (default 60s Linux, 180s Windows)
  --probe-timeout D           each probe's deadline inside --timeout
  --stop-timeout D            docker stop timeout (default 10s Linux, 30s Windows)
  --expect-graceful-stop      fail unless the container exits on its own when stopped
  --result-file FILE          leg result to record the verdict in
  --report-file FILE          write the report JSON here
  --log-lines N               log lines kept in the report (default 50)
  --json                      print the report JSON instead of the table`;

const text = { type: 'string', default: '' } as const;

export const smokeCommand: Command = {
  name: 'smoke',
  summary: 'prove an image starts, answers and stops (then record it in the leg result)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        image: text,
        platform: text,
        port: text,
        path: text,
        method: text,
        header: { type: 'string', multiple: true, default: [] },
        'expect-status': text,
        'expect-body': text,
        'tcp-port': text,
        'expect-log': text,
        command: text,
        'expect-output': text,
        'expect-exit-code': text,
        'one-shot': { type: 'boolean', default: false },
        args: text,
        env: { type: 'string', multiple: true, default: [] },
        'run-args': text,
        network: text,
        isolation: text,
        timeout: text,
        'probe-timeout': text,
        'stop-timeout': text,
        'expect-graceful-stop': { type: 'boolean', default: false },
        'result-file': text,
        'report-file': text,
        'log-lines': text,
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 1) throw new Error(`one image only, got: ${positionals.join(' ')}`);
    const { header, env, json, ...rest } = values;
    const inputs: SmokeInputs = {
      ...rest,
      image: positionals[0] ?? values.image,
      headers: header.join('\n'),
      env: env.join('\n'),
      // Booleans left unset stay unset, so "does not apply with one-shot" only fires when given.
      'one-shot': values['one-shot'] ? 'true' : '',
      'expect-graceful-stop': values['expect-graceful-stop'] ? 'true' : '',
    };
    const request = parseSmokeInputs(inputs);

    // Ctrl-C ends the probes; the container is still removed before the command exits.
    const controller = new AbortController();
    const cancel = (): void => controller.abort();
    process.on('SIGINT', cancel);
    process.on('SIGTERM', cancel);
    try {
      const report = await smokeTest(request, {
        logger: io.logger,
        signal: controller.signal,
        ...(io.env.XPLAT_DOCKER ? { docker: { docker: io.env.XPLAT_DOCKER } } : {}),
      });
      io.stdout(json ? JSON.stringify(report, null, 2) : renderChecks(report));
      if (!report.passed) io.stderr(`xplat smoke: failed: ${report.reason}`);
      return report.passed ? 0 : 1;
    } finally {
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);
    }
  },
};
