/** What setup-crossplatform-builder's plan is made of (setup.ts makes it, setup-run.ts runs it). */
import type { BuilderKind } from '../platform-image/builders.js';
import type { Step } from '../docker/steps.js';

export interface SetupFile {
  readonly path: string;
  readonly content: string;
}

export interface SetupPlan {
  readonly kind: BuilderKind;
  /** The buildx builder's name; empty for buildkit and classic (they have none). */
  readonly name: string;
  readonly driver?: string;
  /** Whether this run creates the builder (and so the post step removes it). */
  readonly create: boolean;
  readonly steps: readonly Step[];
  /** buildx: starts the nodes and prints the platforms they really have. */
  readonly bootstrap?: Step;
  /** The post step's commands (only what this run created). */
  readonly cleanup: readonly Step[];
  /** TLS material written before the steps, removed by the post step. */
  readonly files: readonly SetupFile[];
  /** What the builder is expected to build, before it is asked (buildx answers for itself). */
  readonly platforms: readonly string[];
  readonly requested: readonly string[];
  readonly hostPlatform: string;
  readonly hostOsVersion: string;
  /** Windows: the LTSC releases the host runs under process isolation. */
  readonly runnableReleases: readonly string[];
  /**
   * Windows platforms this Linux runner builds with BuildKit in a container, without a
   * Windows node (`windows/amd64:ltsc2022`): their Windows stages only copy files. The
   * builder reports Linux platforms only; these are added to what it builds.
   */
  readonly windowsOnLinux: readonly string[];
  /** Exported for the later steps: which builder build-platform-image should use. */
  readonly env: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

export interface SetupContext {
  /** Where TLS material goes (RUNNER_TEMP on a runner). */
  readonly tempDir: string;
  /** The builder name used when the request names none. */
  readonly generatedName: string;
}
