/**
 * `xplat run`: the whole pipeline on one machine.
 *
 *   plan     every platform of xplat.yml: which engine, native or QEMU, or skipped and why
 *   registry --registry, or the embedded one (.xplat/registry, 127.0.0.1, a free port)
 *   legs     lint -> build -> smoke per leg; legs on different engines concurrently
 *   gate     every leg that ran here passed (skipped ones are listed, not fused)
 *   fuse     one index of what ran, read back; then the inspect table and how to run it
 *
 * Nothing is fused unless every runnable leg passed; the registry is stopped on every
 * path out (unless kept), and an interrupt stops builds and containers first.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, renderTable, XplatError } from '@xplat/core';
import { sourceFromGit, type SourceContext } from '@xplat/engine';
import { parseRepository } from '@xplat/registry';
import { pickImage, readConfig, type ResolvedImage } from '@xplat/workflow';
import { asUsage } from '../flags.js';
import { newRunId } from '../project.js';
import { startEmbeddedRegistry, type EmbeddedRegistry } from './embedded-registry.js';
import { probeEngines } from './engines.js';
import { runLeg, skippedOutcome, type LegOutcome } from './leg-run.js';
import { createProgress, seconds, type ProgressSink } from './progress.js';
import { runDirs } from './run-dirs.js';
import { failureLines, fuseRun } from './run-fuse.js';
import { legRequests } from './requests.js';
import { LOCAL_ENGINE, planRun, type PlannedLeg } from './run-plan.js';
import { retarget } from './run-registry.js';

export interface RunOptions {
  readonly projectDir: string;
  readonly configFile?: string;
  /** The image of xplat.yml (`--image NAME`); absent: the only one. */
  readonly image?: string;
  /** `HOST[:PORT][/prefix]`; absent: the embedded registry. */
  readonly registry?: string;
  /** --engine: platform name -> context or URL, over xplat.yml's engines:. */
  readonly engines: Readonly<Record<string, string>>;
  /** Engines worked on at once (default: all of them). */
  readonly jobs?: number;
  readonly requireAll: boolean;
  readonly keepRegistry: boolean;
  readonly network: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Tags of the fused index (default `local`). */
  readonly tags: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly progress: ProgressSink;
  /** Called once the run has a folder, so an interrupt handler knows where things are. */
  readonly onStart?: (info: { runId: string; runDir: string }) => void;
}

/** The `--json` report. Other tools read these names: keep them. */
export interface RunReport {
  readonly ref: string | null;
  readonly digest: string | null;
  readonly registry: string;
  readonly legs: readonly {
    readonly platform: string;
    readonly status: 'passed' | 'failed' | 'skipped';
    readonly reason: string;
    readonly digest: string | null;
    readonly log: string | null;
  }[];
}

export interface RunResult {
  readonly exitCode: number;
  readonly report: RunReport;
  /** The plain-text end of the run: legs table, index, inspect table, how to run it. */
  readonly summary: string;
  readonly runDir: string;
}

async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

function planTable(plan: readonly PlannedLeg[]): string {
  return renderTable(
    ['platform', 'engine', 'runs', 'how / why not'],
    plan.map((p) => [
      p.leg.name,
      p.engine.name,
      p.status === 'run' ? p.mode! : 'skipped',
      p.reason,
    ]),
  );
}

function legsTable(outcomes: readonly LegOutcome[]): string {
  return renderTable(
    ['platform', 'status', 'time', 'digest / reason'],
    outcomes.map((o) => [
      o.platform,
      o.status,
      o.durationMs ? seconds(o.durationMs) : '',
      o.status === 'passed' ? (o.digest ?? '') : o.reason,
    ]),
  );
}

function reportOf(
  outcomes: readonly LegOutcome[],
  registry: string,
  fused?: { ref: string; digest: string },
): RunReport {
  return {
    ref: fused?.ref ?? null,
    digest: fused?.digest ?? null,
    registry,
    legs: outcomes.map((o) => ({
      platform: o.platform,
      status: o.status,
      reason: o.reason,
      digest: o.digest ?? null,
      log: o.log ?? null,
    })),
  };
}

/** The port the smoke test probed, for the "run it" hint. */
function servicePort(image: ResolvedImage): number | undefined {
  return image.legs.find((l) => l.smoke.port !== undefined)?.smoke.port;
}

export async function runPipeline(options: RunOptions): Promise<RunResult> {
  // xplat.yml and --registry are checked before anything starts: unusable is exit 2.
  const config = await asUsage(() => readConfig(options.projectDir, options.configFile));
  const image = asUsage(() => pickImage(config, options.image));
  if (options.registry !== undefined) asUsage(() => retarget(image.image, options.registry!));
  const dirs = await runDirs(options.projectDir, newRunId());
  // Every leg's requests, from xplat.yml's values alone: a setting no engine could use is
  // exit 2 before anything starts.
  const requests = asUsage(
    () =>
      new Map(
        image.legs.map((leg) => [
          leg,
          legRequests(image, leg, {
            projectDir: options.projectDir,
            resultDir: dirs.legDir,
            network: options.network,
            buildArgs: options.buildArgs,
          }),
        ]),
      ),
  );
  options.onStart?.({ runId: dirs.runId, runDir: dirs.runDir });
  const rel = (p: string) => path.relative(options.projectDir, p).split(path.sep).join('/') || '.';
  const rows = [...image.legs.map((l) => l.name), 'index'];
  const progress = createProgress(options.progress, rows);
  const note = (text: string) => progress.note(text);

  try {
    // 1. The plan: where each platform runs here, before anything is started.
    const engines = await probeEngines(
      image.legs,
      { ...config.engines, ...options.engines },
      {
        env: options.env,
        ...(options.env.XPLAT_DOCKER ? { docker: options.env.XPLAT_DOCKER } : {}),
      },
    );
    const plan = planRun({
      legs: image.legs,
      engineFor: engines.engineFor,
      probe: engines.probe,
      embeddedRegistry: !options.registry,
    });
    note(
      `run ${dirs.runId} of ${config.file} (${image.legs.length} platforms)\n${planTable(plan)}`,
    );
    const runnable = plan.filter((p) => p.status === 'run');
    const skipped = plan.filter((p) => p.status === 'skip');
    if (options.requireAll && skipped.length)
      throw new XplatError(
        `${skipped.map((s) => s.leg.name).join(', ')} cannot run here and --require-all needs every platform; nothing was built`,
        '--require-all',
      );
    if (!runnable.length)
      throw new XplatError(
        'no platform of xplat.yml can run on this machine (see the plan above); name an engine with --engine PLATFORM=ENDPOINT',
      );

    // 2. The registry.
    let embedded: EmbeddedRegistry | undefined;
    const source: SourceContext = {
      ...(await sourceFromGit(options.projectDir)),
      runId: dirs.runId,
    };

    try {
      if (!options.registry) {
        embedded = await startEmbeddedRegistry({
          dir: dirs.registryDir,
          env: options.env,
          docker: engines.dockerOptions({ name: LOCAL_ENGINE, host: '' }),
          network: options.network,
          keep: options.keepRegistry,
        });
        note(
          `embedded registry on ${embedded.address}: ${embedded.description}, storage ${rel(embedded.storage)}${options.keepRegistry ? ' (kept after the run)' : ''}`,
        );
      }
      const registryAddress = embedded?.address ?? options.registry!;
      const target = parseRepository(retarget(image.image, registryAddress), '--registry');
      note(`pushing to ${retarget(image.image, registryAddress)}; logs in ${rel(dirs.runDir)}/`);

      // 3. The legs: one task per engine (its legs one after another), engines concurrently.
      const byEngine = new Map<string, PlannedLeg[]>();
      for (const p of runnable)
        byEngine.set(p.engine.name, [...(byEngine.get(p.engine.name) ?? []), p]);
      for (const p of skipped) progress.update(p.leg.name, 'lint', 'skipped');
      const ctx = {
        target,
        projectDir: options.projectDir,
        logDir: dirs.runDir,
        source,
        signal: options.signal,
        progress,
      };
      const groups = await pool(
        [...byEngine.values()].map((legs) => async () => {
          const out: LegOutcome[] = [];
          for (const planned of legs) {
            if (options.signal.aborted) {
              out.push({ ...skippedOutcome(planned), reason: 'interrupted before it started' });
              continue;
            }
            const outcome = await runLeg(
              planned,
              requests.get(planned.leg)!,
              engines.dockerOptions(planned.engine),
              ctx,
            );
            if (outcome.status === 'failed')
              progress.update(
                planned.leg.name,
                outcome.failedPhase ?? 'build',
                'failed',
                outcome.reason,
              );
            out.push(outcome);
          }
          return out;
        }),
        options.jobs ?? byEngine.size,
      );
      const ran = new Map(groups.flat().map((o) => [o.platform, o]));
      const outcomes = plan.map((p) => ran.get(p.leg.name) ?? skippedOutcome(p));
      const failed = outcomes.filter((o) => o.status === 'failed');

      // 4. The gate: every leg that ran passed, or nothing is fused.
      if (failed.length || options.signal.aborted) {
        const tails = await failureLines(failed, options.projectDir);
        progress.update('index', 'fuse', 'skipped', 'a leg failed: nothing fused');
        const report = reportOf(outcomes, registryAddress);
        return finish(options.signal.aborted ? 130 : 1, report, [
          legsTable(outcomes),
          '',
          ...tails,
          options.signal.aborted
            ? 'interrupted: nothing was fused'
            : `nothing was fused: ${failed.length} of ${runnable.length} platform(s) that ran here failed`,
        ]);
      }

      progress.update('index', 'fuse', 'running');
      const logFile = path.join(dirs.runDir, 'fuse.log');
      try {
        const fused = await fuseRun({
          target,
          tags: options.tags,
          legs: runnable.map((p) => ({
            leg: p.leg,
            resultFile: ran.get(p.leg.name)!.resultFile!,
            untested: false,
          })),
          logFile,
        });
        progress.update('index', 'fuse', 'done', fused.digest);
        const port = servicePort(image);
        const report = reportOf(outcomes, registryAddress, fused);
        return finish(0, report, [
          legsTable(outcomes),
          '',
          ...fused.lines,
          '',
          `run it: docker run --rm${port ? ` -p ${port}:${port}` : ''} ${fused.ref}`,
          ...(embedded
            ? [
                options.keepRegistry
                  ? `the embedded registry keeps serving ${registryAddress}; stop it with: ${embedded.stopCommand}`
                  : `(the embedded registry stops with this run; --keep-registry keeps it serving ${registryAddress})`,
              ]
            : []),
        ]);
      } catch (error) {
        progress.update('index', 'fuse', 'failed', errorMessage(error));
        return finish(1, reportOf(outcomes, registryAddress), [
          legsTable(outcomes),
          '',
          `fuse failed: ${errorMessage(error)} (log: ${rel(logFile)})`,
        ]);
      }
    } finally {
      if (embedded && !options.keepRegistry) {
        await embedded.stop();
        note(`embedded registry on ${embedded.address} stopped`);
      }
    }
  } finally {
    progress.close();
  }

  async function finish(exitCode: number, report: RunReport, lines: string[]): Promise<RunResult> {
    await writeFile(path.join(dirs.runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    return { exitCode, report, summary: lines.join('\n'), runDir: dirs.runDir };
  }
}
