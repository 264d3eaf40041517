/**
 * Runs a setup plan on the real host, and the post step that undoes it. The cleanup
 * state is handed out before the first command runs, so a step that fails half way (a
 * builder created, its bootstrap failed) still gets removed by the post step.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorMessage, silentLogger, type Logger } from '@xplat/core';
import { probeBinfmt } from '../docker/binfmt.js';
import { engineLinuxPlatforms } from '../platform-image/builders.js';
import { builderPlatforms, parseBuildxInspect } from '../docker/buildx.js';
import { probeHost, type HostFacts, type ProbeOptions } from '../docker/capabilities.js';
import { lastLine, type DockerOptions } from '../docker/docker.js';
import type { SetupRequest } from './setup-inputs.js';
import { checkBuilderPlatforms, planSetup, reportedPlatforms, type SetupPlan } from './setup.js';
import { runRequiredStep, runStep, type Step } from '../docker/steps.js';

/** What the post step needs: the commands that undo this run, and the files it wrote. */
export interface SetupState {
  readonly cleanup: readonly Step[];
  readonly files: readonly string[];
}

export interface SetupOutcome {
  readonly plan: SetupPlan;
  readonly facts: HostFacts;
  /** What the builder really builds (buildx after bootstrap; the engine after QEMU). */
  readonly platforms: readonly string[];
}

export interface SetupOptions extends ProbeOptions {
  readonly logger?: Logger;
  /** Where TLS material is written; RUNNER_TEMP on a runner. */
  readonly tempDir?: string;
  /** Called with the cleanup state before anything is changed. */
  readonly onState?: (state: SetupState) => void | Promise<void>;
  /** Facts already probed (the CLI's --dry-run prints the plan from them). */
  readonly facts?: HostFacts;
}

export function generatedBuilderName(): string {
  return `xplat-${randomBytes(3).toString('hex')}`;
}

export async function setupBuilder(
  request: SetupRequest,
  options: SetupOptions = {},
): Promise<SetupOutcome> {
  const logger = options.logger ?? silentLogger;
  const docker: DockerOptions = { ...options, logger };
  const facts = options.facts ?? (await probeHost(options));
  logger.info(describeFacts(facts));
  const plan = planSetup(facts, request, {
    tempDir: options.tempDir ?? process.env.RUNNER_TEMP ?? os.tmpdir(),
    generatedName: generatedBuilderName(),
  });
  for (const note of plan.notes) logger.info(note);
  await options.onState?.({ cleanup: plan.cleanup, files: plan.files.map((f) => f.path) });

  for (const file of plan.files) {
    await mkdir(path.dirname(file.path), { recursive: true, mode: 0o700 });
    await writeFile(file.path, file.content, { mode: 0o600 });
    await chmod(file.path, 0o600);
  }
  for (const step of plan.steps) {
    await logger.group(step.title, async () => {
      await runRequiredStep(step, docker);
    });
  }

  let platforms: string[];
  if (plan.bootstrap) {
    const out = await runRequiredStep(plan.bootstrap, docker);
    const builder = parseBuildxInspect(out.stdout);
    platforms = builder ? builderPlatforms(builder) : [...plan.platforms];
  } else if (plan.kind !== 'classic' || facts.engine.os === 'linux') {
    // QEMU may have been registered just now: read the kernel's list again.
    const binfmt = plan.steps.length ? await probeBinfmt(options.binfmtDir) : facts.binfmt;
    platforms = engineLinuxPlatforms({ ...facts, binfmt });
  } else {
    platforms = [...plan.platforms];
  }
  checkBuilderPlatforms(plan, request.platforms, platforms);
  return { plan, facts, platforms: reportedPlatforms(plan, platforms) };
}

export function describeFacts(facts: HostFacts): string {
  const e = facts.engine;
  const parts = [
    `docker CLI ${facts.cli.version}${facts.cli.buildkitBuiltIn ? ' (BuildKit built in)' : ''}`,
    `engine ${e.version} ${e.platform}${e.osVersion ? ` ${e.osVersion}` : ''}${e.isolation ? ` (${e.isolation} isolation)` : ''}`,
    facts.buildx
      ? `buildx ${facts.buildx.version} (${facts.buildx.builders.map((b) => `${b.name}${b.current ? '*' : ''}:${b.driver}`).join(', ') || 'no builders'})`
      : 'no buildx',
    facts.binfmt.emulated.length ? `QEMU: ${facts.binfmt.emulated.join(', ')}` : 'no QEMU',
  ];
  return `host: ${parts.join('; ')}`;
}

/** The post step: runs the cleanup commands and removes the files; never throws. */
export async function cleanupSetup(
  state: SetupState,
  options: DockerOptions = {},
): Promise<string[]> {
  const problems: string[] = [];
  for (const step of state.cleanup) {
    try {
      const out = await runStep(step, options);
      if (out.exitCode !== 0 && !/no such|not found|no builder/i.test(out.stderr))
        problems.push(`${step.title}: ${lastLine(out.stderr) || `exit ${out.exitCode}`}`);
      else options.logger?.info(`${step.title}: done`);
    } catch (error) {
      problems.push(`${step.title}: ${errorMessage(error)}`);
    }
  }
  for (const file of state.files) {
    await rm(file, { force: true });
    // The folder main made for them, only once empty: never a folder with other files.
    await rmdir(path.dirname(file)).catch(() => undefined);
  }
  return problems;
}

export function parseSetupState(text: string): SetupState | undefined {
  if (!text.trim()) return undefined;
  const parsed = JSON.parse(text) as SetupState;
  return { cleanup: parsed.cleanup ?? [], files: parsed.files ?? [] };
}

/** The job summary: which builder this runner uses and what it can build. */
export function renderSetupSummary(outcome: SetupOutcome): string {
  const { plan } = outcome;
  const host = `${plan.hostPlatform}${plan.hostOsVersion ? ` ${plan.hostOsVersion}` : ''}`;
  return [
    '### xplat builder',
    '',
    '| Builder | Name | Host | Platforms |',
    '| --- | --- | --- | --- |',
    `| ${plan.kind}${plan.driver ? ` (${plan.driver})` : ''} | ${plan.name ? `\`${plan.name}\`` : ''} | \`${host}\` | ${outcome.platforms.map((p) => `\`${p}\``).join(', ')} |`,
    ...(plan.runnableReleases.length
      ? [
          '',
          `**Windows releases this host runs (process isolation)** ${plan.runnableReleases.join(', ')}`,
        ]
      : []),
    '',
  ].join('\n');
}
