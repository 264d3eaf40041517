import { formatRunsOn } from '@xplat/core';
import { planImage, planMatrix, readConfig, renderPlan } from '@xplat/workflow';
import type { Command } from '../command.js';
import { bool, flagHelp, type FlagTable } from '../flags.js';
import { imageFlag, jsonFlag, projectFlags } from './common.js';

export const planFlags: FlagTable = [
  ...projectFlags,
  imageFlag(),
  jsonFlag(
    'the plan as JSON, with the matrix as GitHub\'s strategy.matrix takes it (several images: {"images": [...]})',
  ),
];

const usage = `usage: xplat plan [--dir DIR] [--config FILE] [--image NAME] [--json]

Show what the generated workflow does for xplat.yml: one row per matrix leg (platform,
runner, native or QEMU, the Dockerfile it builds from, smoke test, leg result artifact),
the gate and the tags; for every image of xplat.yml, or the one --image names.

${flagHelp(planFlags)}`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'show the build matrix of xplat.yml (a table, or --json)',
  usage,
  flags: planFlags,
  image: 'name',
  async run(options, ctx) {
    // plan needs xplat.yml: without one, readConfig says so (and how to write one).
    const images = ctx.project.config
      ? ctx.images
      : (await readConfig(ctx.project.dir, ctx.project.configFile)).images;
    const plans = images.map(planImage);
    if (!bool(options, 'json')) {
      ctx.stdout(renderPlan(plans));
      return 0;
    }
    // One image (a file without images:, or the one named): its plan, as before images:
    // existed; several: { images: [...] }.
    const json = plans.map((plan) => ({ ...plan, matrix: planMatrix(plan) }));
    ctx.stdout(JSON.stringify(ctx.several ? { images: json } : json[0], null, 2));
    ctx.logger.debug(
      plans
        .flatMap((p) => p.legs.map((l) => `${p.name} ${l.platform} -> ${formatRunsOn(l.runsOn)}`))
        .join('\n'),
    );
    return 0;
  },
};
