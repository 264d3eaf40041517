/**
 * `xplat run`: flags -> runPipeline -> the summary (stdout) or the --json report.
 * Progress goes to stderr, so `--json` output on stdout is one JSON document.
 */
import { echo } from '@xplat/core';
import { parseKeyValues } from '@xplat/engine';
import { validateTag } from '@xplat/oci';
import type { Command } from '../command.js';
import {
  asUsage,
  bool,
  given,
  list,
  text,
  UsageError,
  wholeNumber,
  type FlagTable,
} from '../flags.js';
import { imageFlag, jsonFlag, projectFlags } from '../commands/common.js';
import { parseEngineFlags } from './engines.js';
import { onInterrupt } from './interrupt.js';
import { runPipeline } from './run-pipeline.js';

const usage = `usage: xplat run [--dir DIR] [--config FILE] [--image NAME] [--registry HOST[:PORT][/prefix]] [options]

Run the whole pipeline of xplat.yml on this machine: for every platform that can run
here, run its prepare steps (run: ones; uses: ones run in CI only), lint, build and
smoke-test it (the same calls the actions make, writing the same leg results), then fuse
the platforms that ran into one index per image and read it back. The plan comes first:
each platform natively on the local engine, a foreign Linux architecture through BuildKit
and QEMU, a Windows platform with build-on: linux through buildx here and smoke-tested on
a Windows engine, a platform named in engines: (xplat.yml) or --engine on that engine;
anything else is skipped with the reason.

  --dir DIR                 the project folder, where xplat.yml is (default .)
  --config FILE             the config, from DIR (default xplat.yml)
  --image NAME              only this image of xplat.yml's images: (default: every image;
                            each is gated and fused on its own)
  --registry R              push to HOST[:PORT][/prefix] (credentials from Docker's
                            config.json, as docker login left them); xplat.yml's
                            repository path is kept: ghcr.io/org/app -> R/org/app.
                            Default: an embedded registry on 127.0.0.1, a free port,
                            storage in .xplat/registry/ (the registry or docker-registry
                            binary when on PATH, else the registry:2 image). Every engine
                            the legs use must reach it: each is asked before any build; one
                            that cannot gets the registry:2 image run through it, else the
                            run stops (exit 2) saying to pass --registry
  --keep-registry           leave the embedded registry running after the run
  --engine P=ENDPOINT       build and run platform P on a docker context or DOCKER_HOST
                            URL (repeat), e.g. windows/amd64:ltsc2022=ssh://builder@winhost;
                            for a Windows platform built on Linux, the engine that
                            smoke-tests it
  --jobs N                  engines worked on at once (default: all); the legs of one
                            engine run one after another
  --require-all             a platform that cannot run here fails the run (as CI would)
  --network NAME            network for builds and smoke runs (host: probe 127.0.0.1
                            directly; for engines without a default bridge network)
  --build-arg NAME=VALUE    build argument over xplat.yml's (repeat)
  --tag TAG                 tag of each fused index (repeat; default local)
  --json                    print one JSON report on stdout at the end:
                            {ref, digest, registry, legs: [{platform, status, reason,
                            digest, log}]}; with images: in xplat.yml, {registry,
                            images: [{name, image, ref, digest, legs}]}. status: passed,
                            untested (smoke: { skip }, fused), failed, skipped (not fused)

State: .xplat/runs/<run-id>/ (each leg's log, report.json), .xplat/legs/<run-id>/ (leg
results); with images:, a folder per image in both. Left behind: per fused image, the
local engine's platform, tagged in that engine as xplat.yml's repository path and the
index's tag (ghcr.io/org/app -> org/app:local), which the printed docker run uses.
XPLAT_DOCKER names the docker CLI to run (default docker on PATH).
Exit code: 0 every image with a platform that ran here was fused and read back (or had
nothing tested here to fuse); 1 a platform or a fuse failed (that image is not fused; the
others are), or one was skipped with --require-all; 2 the flags or xplat.yml could not be
used, or an engine cannot reach the embedded registry; 130 interrupted.`;

/** xplat run's flags; its --help above is written out in full, as it always was. */
export const runFlags: FlagTable = [
  ...projectFlags,
  imageFlag(),
  { flag: 'registry', kind: 'string', value: 'R', help: 'push to HOST[:PORT][/prefix]' },
  { flag: 'keep-registry', kind: 'boolean', help: 'leave the embedded registry running' },
  { flag: 'engine', kind: 'list', value: 'P=ENDPOINT', help: 'platform P on that engine' },
  { flag: 'jobs', kind: 'string', value: 'N', help: 'engines worked on at once' },
  { flag: 'require-all', kind: 'boolean', help: 'a platform that cannot run here fails' },
  { flag: 'network', kind: 'string', value: 'NAME', help: 'network for builds and smoke runs' },
  { flag: 'build-arg', kind: 'list', value: 'NAME=VALUE', help: 'build argument (repeat)' },
  { flag: 'tag', kind: 'list', value: 'TAG', help: 'tag of each fused index (repeat)' },
  jsonFlag('print one JSON report on stdout at the end'),
];

export const runCommand: Command = {
  name: 'run',
  summary: 'the whole pipeline on this machine: plan, lint, build, smoke, gate, fuse',
  usage,
  flags: runFlags,
  positionals: {
    max: 0,
    refuse: (given) =>
      new UsageError(`unexpected argument "${given[0]}"; the project folder is --dir`, '--dir'),
  },
  // The pipeline reads xplat.yml itself, and says how to write one when there is none.
  project: false,
  async run(options, ctx) {
    const jobs = wholeNumber(options, 'jobs', [1, Infinity], 'a whole number of 1 or more');
    const image = given(options, 'image');
    if (image !== undefined && !image.trim())
      throw new UsageError("is empty: name one of xplat.yml's images", '--image');
    const registry = given(options, 'registry');
    const keepRegistry = bool(options, 'keep-registry');
    if (registry !== undefined && keepRegistry)
      throw new UsageError(
        'is for the embedded registry; --registry names another one',
        '--keep-registry',
      );
    const engines = asUsage(() => parseEngineFlags(list(options, 'engine')));
    const buildArgs = asUsage(() =>
      parseKeyValues(
        list(options, 'build-arg').join('\n'),
        '--build-arg',
        /^[A-Za-z_][A-Za-z0-9_]*$/,
        'NAME',
      ),
    );

    // Checked here, before any engine or registry is asked anything.
    const network = text(options, 'network');
    if (network && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(network))
      throw new UsageError(
        `"${echo(network)}" is not a network name (host, none, or a network)`,
        '--network',
      );
    const tags = list(options, 'tag');
    for (const tag of tags) asUsage(() => validateTag(tag, '--tag'));

    const interrupt = onInterrupt((line) => ctx.stderr(line));
    try {
      const result = await runPipeline({
        projectDir: ctx.project.dir,
        ...(text(options, 'config') ? { configFile: ctx.project.configFile } : {}),
        ...(image !== undefined ? { image } : {}),
        ...(registry !== undefined ? { registry } : {}),
        engines,
        ...(jobs ? { jobs } : {}),
        requireAll: bool(options, 'require-all'),
        keepRegistry,
        network,
        buildArgs,
        tags,
        env: ctx.env,
        signal: interrupt.signal,
        progress: {
          write: (text) => process.stderr.write(text),
          isTTY: process.stderr.isTTY === true,
          ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
        },
      });
      if (bool(options, 'json')) {
        ctx.stderr(result.summary);
        ctx.stdout(JSON.stringify(result.report, null, 2));
      } else {
        ctx.stdout(result.summary);
      }
      return interrupt.received() ? 130 : result.exitCode;
    } finally {
      interrupt.dispose();
    }
  },
};
