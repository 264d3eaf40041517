import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatRunsOn } from '@xplat/core';
import { planFromConfig, planMatrix, readConfig, renderPlan } from '@xplat/workflow';
import type { Command } from '../command.js';

const usage = `usage: xplat plan [--dir DIR] [--config FILE] [--json]

Show what the generated workflow does for xplat.yml: one row per matrix leg (platform,
runner, native or QEMU, the Dockerfile it builds from, smoke test, leg result artifact),
the gate and the tags.

  --dir DIR        the repository root (default: the current folder)
  --config FILE    the config, from DIR (default xplat.yml)
  --json           the plan as JSON, with the matrix as GitHub's strategy.matrix takes it`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'show the build matrix of xplat.yml (a table, or --json)',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string', default: '.' },
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const config = await readConfig(path.resolve(io.cwd, values.dir), values.config);
    const plans = planFromConfig(config);
    if (!values.json) {
      io.stdout(renderPlan(plans));
      return 0;
    }
    // One image: its plan, as before images: existed; several: { images: [...] }.
    const json = plans.map((plan) => ({ ...plan, matrix: planMatrix(plan) }));
    io.stdout(JSON.stringify(config.several ? { images: json } : json[0], null, 2));
    io.logger.debug(
      plans
        .flatMap((p) => p.legs.map((l) => `${p.name} ${l.platform} -> ${formatRunsOn(l.runsOn)}`))
        .join('\n'),
    );
    return 0;
  },
};
