/**
 * `xplat run`: the whole pipeline on one machine, for every image of xplat.yml (or the
 * one `--image` names).
 *
 *   requests every leg's build and smoke request, from xplat.yml alone (unusable: exit 2)
 *   plan     every leg of every image: which engine, native, QEMU or buildx, where its
 *            smoke test runs, or skipped and why
 *   registry --registry, or the embedded one (.xplat/registry, 127.0.0.1, a free port),
 *            which every engine the legs use must reach (registry-reach.ts): else the
 *            registry:2 image through that engine, or refused (exit 2) before any build
 *   legs     prepare -> lint -> build -> smoke per leg; the legs of one engine one after
 *            another, engines concurrently (locks.ts)
 *   images   per image, a gate over its own legs and a fuse of its own (run-image-end.ts):
 *            one image's failure never holds back another's index; the leg of the local
 *            engine's platform is left in that engine under a local name, to run after
 *
 * The registry is stopped on every path out (unless kept), and an interrupt stops builds
 * and containers first and fuses nothing.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XplatError } from '@xplat/core';
import { sourceFromGit, type SourceContext } from '@xplat/engine';
import { formatRepository, type Repository } from '@xplat/oci';
import { readConfig, selectImages, type ResolvedImage, type ResolvedLeg } from '@xplat/workflow';
import { asUsage } from '../flags.js';
import { newRunId } from '../project.js';
import {
  startEmbeddedRegistry,
  startRegistryContainer,
  type EmbeddedRegistry,
} from './embedded-registry.js';
import { probeReach } from './engine-reach.js';
import { probeEngines, type RunEngines } from './engines.js';
import { runLeg, skippedOutcome, type LegOutcome } from './leg-run.js';
import { dockerRunOf } from './local-image.js';
import { RunLocks } from './locks.js';
import { hasRunSteps } from './prepare-steps.js';
import { createProgress, type Progress, type ProgressSink } from './progress.js';
import { enginesUsed, reachableRegistry } from './registry-reach.js';
import { legRequests, type LegRequests } from './requests.js';
import { imageDirs, makeDirs, runDirs, type ImageDirs, type RunDirs } from './run-dirs.js';
import { endImage, type ImageResult } from './run-image-end.js';
import {
  LOCAL_ENGINE,
  notHere,
  planRun,
  type EngineEndpoint,
  type PlannedLeg,
} from './run-plan.js';
import { retarget, retargetRepository } from './run-registry.js';
import {
  legLabel,
  legsTable,
  planTable,
  runReport,
  type RunImagesReport,
  type RunReport,
} from './run-report.js';

export type { RunImagesReport, RunReport } from './run-report.js';

/** The engine DOCKER_HOST / the current context picks: where the run's images are left. */
const LOCAL: EngineEndpoint = { name: LOCAL_ENGINE, host: '' };

export interface RunOptions {
  readonly projectDir: string;
  readonly configFile?: string;
  /** The image of xplat.yml (`--image NAME`); absent: every image. */
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
  /** Tags of each fused index (default `local`). */
  readonly tags: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly progress: ProgressSink;
  /** Called once the run has a folder, so an interrupt handler knows where things are. */
  readonly onStart?: (info: { runId: string; runDir: string }) => void;
}

export interface RunResult {
  readonly exitCode: number;
  /** The `--json` report: one image's shape for a file without `images:`. */
  readonly report: RunReport | RunImagesReport;
  /** The plain-text end of the run: legs table, each index, inspect tables, how to run them. */
  readonly summary: string;
  readonly runDir: string;
}

/** What the run knows before its registry: the images, their folders and requests. */
interface Setup {
  readonly file: string;
  readonly images: readonly ResolvedImage[];
  readonly several: boolean;
  readonly engines: Readonly<Record<string, string>>;
  readonly dirs: RunDirs;
  readonly imageDirs: ReadonlyMap<string, ImageDirs>;
  readonly requests: ReadonlyMap<ResolvedLeg, LegRequests>;
}

/** xplat.yml, --image and --registry are checked before anything starts: unusable is exit 2. */
async function setUp(options: RunOptions): Promise<Setup> {
  const config = await asUsage(() => readConfig(options.projectDir, options.configFile));
  const images = asUsage(() => selectImages(config, options.image));
  if (options.registry !== undefined)
    for (const image of images) asUsage(() => retarget(image.image, options.registry!));
  const dirs = runDirs(options.projectDir, newRunId());
  const folders = new Map(images.map((image) => [image.name, imageDirs(dirs, config, image)]));
  // Every leg's requests from xplat.yml's values alone: a setting no engine could use is
  // refused before any engine or registry is asked anything.
  const requests = asUsage(
    () =>
      new Map(
        images.flatMap((image) =>
          image.legs.map((leg): [ResolvedLeg, LegRequests] => [
            leg,
            legRequests(
              image,
              leg,
              {
                projectDir: options.projectDir,
                resultDir: folders.get(image.name)!.legDir,
                network: options.network,
                buildArgs: options.buildArgs,
              },
              legLabel(image.name, leg.name, config.several),
            ),
          ]),
        ),
      ),
  );
  await makeDirs(dirs, folders.values());
  return {
    file: config.file,
    images,
    several: config.several,
    engines: config.engines,
    dirs,
    imageDirs: folders,
    requests,
  };
}

/** The plan, printed; refused (exit 1) when nothing can run or --require-all is unmet. */
function plan(setup: Setup, engines: RunEngines, options: RunOptions, progress: Progress) {
  const legs = setup.images.flatMap((i) => i.legs);
  const planned = planRun({
    legs,
    engineFor: engines.engineFor,
    probe: engines.probe,
    embeddedRegistry: !options.registry,
    ...(options.env.BUILDX_BUILDER ? { buildxBuilder: options.env.BUILDX_BUILDER } : {}),
  });
  const what = setup.several
    ? `${setup.images.length} image(s), ${legs.length} platforms`
    : `${legs.length} platforms`;
  progress.note(
    `run ${setup.dirs.runId} of ${setup.file} (${what})\n${planTable(planned, setup.several)}`,
  );
  const label = (p: PlannedLeg) => legLabel(p.leg.imageName, p.leg.name, setup.several);
  const cannot = notHere(planned);
  if (options.requireAll && cannot.length)
    throw new XplatError(
      `${cannot.map(label).join(', ')} cannot run here and --require-all needs every platform; nothing was built`,
      '--require-all',
    );
  if (!planned.some((p) => p.status === 'run'))
    throw new XplatError(
      'no platform of xplat.yml can run on this machine (see the plan above); name an engine with --engine PLATFORM=ENDPOINT',
    );
  return planned;
}

/**
 * The embedded registry, once every engine the legs use reaches it: asked of each engine
 * before any build, since a push that cannot arrive would fail only after it.
 */
async function embeddedRegistry(
  setup: Setup,
  engines: RunEngines,
  planned: readonly PlannedLeg[],
  options: RunOptions,
  progress: Progress,
): Promise<EmbeddedRegistry> {
  const shared = {
    dir: setup.dirs.registryDir,
    env: options.env,
    network: options.network,
    keep: options.keepRegistry,
  };
  const started = await startEmbeddedRegistry({ ...shared, docker: engines.dockerOptions(LOCAL) });
  try {
    return await reachableRegistry(started, enginesUsed(planned), {
      probe: (engine, address) =>
        probeReach(address, engines.dockerOptions(engine), { signal: options.signal }),
      startContainer: async (engine) => {
        // Interrupted while the engines were asked: start nothing more.
        if (options.signal.aborted) throw new Error('interrupted');
        return startRegistryContainer({ ...shared, docker: engines.dockerOptions(engine), engine });
      },
      note: (line) => progress.note(line),
    });
  } catch (error) {
    // The caller never saw this registry, so stops it here (a second stop does nothing).
    await started.stop();
    throw error;
  }
}

/** What the legs and the images' ends share once the registry is up. */
interface Running {
  readonly setup: Setup;
  readonly options: RunOptions;
  readonly engines: RunEngines;
  readonly progress: Progress;
  /** Image name -> its repository in the run's registry. */
  readonly targets: ReadonlyMap<string, Repository>;
  readonly source: SourceContext;
  readonly row: (leg: ResolvedLeg) => string;
  /** The registry serves the indexes after the run: --registry, or --keep-registry. */
  readonly registryStays: boolean;
}

/** Every leg at once, each waiting for its engine (locks.ts); skipped ones as planned. */
function runLegs(run: Running, planned: readonly PlannedLeg[]): Promise<LegOutcome[]> {
  const { setup, options, progress } = run;
  const locks = new RunLocks(options.jobs);
  for (const p of planned)
    if (p.status === 'skip') progress.update(run.row(p.leg), 'lint', 'skipped');
  return Promise.all(
    planned.map((p): Promise<LegOutcome> => {
      if (p.status !== 'run') return Promise.resolve(skippedOutcome(p));
      const image = p.leg.imageName;
      return runLeg(p, setup.requests.get(p.leg)!, {
        projectDir: options.projectDir,
        target: run.targets.get(image)!,
        logDir: setup.imageDirs.get(image)!.logDir,
        row: run.row(p.leg),
        env: options.env,
        docker: run.engines.dockerOptions,
        locks,
        source: run.source,
        signal: options.signal,
        progress,
      });
    }),
  );
}

/** Per image: its gate over its own legs, and its fuse (none at all once interrupted). */
async function endImages(
  run: Running,
  planned: readonly PlannedLeg[],
  outcomes: readonly LegOutcome[],
): Promise<ImageResult[]> {
  const { setup, options } = run;
  const probed = run.engines.probe(LOCAL);
  const local = probed.ok
    ? { facts: probed.facts, run: dockerRunOf(run.engines.dockerOptions(LOCAL)) }
    : undefined;
  const results: ImageResult[] = [];
  for (const image of setup.images) {
    const mine = planned.flatMap((p, i) =>
      p.leg.imageName === image.name ? [{ p, o: outcomes[i]! }] : [],
    );
    if (options.signal.aborted) {
      results.push({ image, outcomes: mine.map((m) => m.o), state: 'failed', lines: [] });
      continue;
    }
    results.push(
      await endImage(
        image,
        mine.map((m) => m.p),
        mine.map((m) => m.o),
        {
          target: run.targets.get(image.name)!,
          tags: options.tags,
          projectDir: options.projectDir,
          logDir: setup.imageDirs.get(image.name)!.logDir,
          progress: run.progress,
          row: indexRow(image, setup.several),
          several: setup.several,
          ...(local ? { local } : {}),
          network: options.network,
          registryStays: run.registryStays,
        },
      ),
    );
  }
  return results;
}

function indexRow(image: ResolvedImage, several: boolean): string {
  return several ? `${image.name} index` : 'index';
}

/** The plain-text end: the legs table, then each image's index or failures. */
function summarize(results: readonly ImageResult[], run: Running, after: readonly string[]) {
  const { several } = run.setup;
  return [
    legsTable(results, several),
    ...(run.options.signal.aborted
      ? ['', 'interrupted: nothing was fused']
      : results.flatMap((r) => [
          '',
          ...(several ? [`${r.image.name} (${r.image.image}):`] : []),
          ...r.lines,
        ])),
    ...after,
  ].join('\n');
}

export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const setup = await setUp(options);
  const { dirs, several } = setup;
  options.onStart?.({ runId: dirs.runId, runDir: dirs.runDir });
  const rel = (p: string) => path.relative(options.projectDir, p).split(path.sep).join('/') || '.';
  const legs = setup.images.flatMap((i) => i.legs);
  const row = (leg: ResolvedLeg) => legLabel(leg.imageName, leg.name, several);
  const progress = createProgress(
    options.progress,
    [...legs.map(row), ...setup.images.map((i) => indexRow(i, several))],
    Date.now,
    { prepare: legs.some(hasRunSteps) },
  );

  try {
    // 1. The plan: where each leg runs here, before anything is started.
    const engines = await probeEngines(
      legs,
      { ...setup.engines, ...options.engines },
      {
        env: options.env,
        ...(options.env.XPLAT_DOCKER ? { docker: options.env.XPLAT_DOCKER } : {}),
      },
    );
    const planned = plan(setup, engines, options, progress);

    // 2. The registry.
    let embedded: EmbeddedRegistry | undefined;
    const source: SourceContext = {
      ...(await sourceFromGit(options.projectDir)),
      runId: dirs.runId,
    };
    try {
      if (!options.registry) {
        embedded = await embeddedRegistry(setup, engines, planned, options, progress);
        progress.note(
          `embedded registry on ${embedded.address}: ${embedded.description}, storage ${rel(embedded.storage)}${options.keepRegistry ? ' (kept after the run)' : ''}`,
        );
      }
      const registry = embedded?.address ?? options.registry!;
      const targets = new Map(
        setup.images.map((i) => [i.name, retargetRepository(i.image, registry)]),
      );
      const pushTo = [...targets.values()].map(formatRepository).join(', ');
      progress.note(`pushing to ${pushTo}; logs in ${rel(dirs.runDir)}/`);
      const registryStays = !embedded || options.keepRegistry;
      const run: Running = {
        setup,
        options,
        engines,
        progress,
        targets,
        source,
        row,
        registryStays,
      };

      // 3. The legs, then 4. each image's gate and fuse.
      const outcomes = await runLegs(run, planned);
      const results = await endImages(run, planned, outcomes);
      const exitCode = options.signal.aborted
        ? 130
        : results.some((r) => r.state === 'failed')
          ? 1
          : 0;
      const kept =
        embedded && results.some((r) => r.state === 'fused')
          ? [
              options.keepRegistry
                ? `the embedded registry keeps serving ${registry}; stop it with: ${embedded.stopCommand}`
                : `(the embedded registry stops with this run; ${several ? 'the indexes stay' : 'the index stays'} in ${rel(dirs.registryDir)}/, and --keep-registry keeps serving ${several ? 'them' : 'it'})`,
            ]
          : [];
      const report = runReport(results, registry, several);
      await writeFile(
        path.join(dirs.runDir, 'report.json'),
        `${JSON.stringify(report, null, 2)}\n`,
      );
      return { exitCode, report, summary: summarize(results, run, kept), runDir: dirs.runDir };
    } finally {
      if (embedded && !options.keepRegistry) {
        await embedded.stop();
        progress.note(`embedded registry on ${embedded.address} stopped`);
      }
    }
  } finally {
    progress.close();
  }
}
