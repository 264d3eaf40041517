/**
 * What loading xplat.yml yields: the resolved config and its legs, and the problems of a
 * file that is wrong (each with its field and source position).
 */
import {
  XplatError,
  type OperatingSystem,
  type Platform,
  type RunnerChoice,
  type RunsOn,
} from '@xplat/core';
import type { PREPARE_SHELLS, SmokeSettings } from './schema.js';
import type { TagTemplate } from './tags.js';

export type ConfigPath = readonly (string | number)[];

export interface ConfigProblem {
  /** `platforms[1].runs-on`; `(file)` when the problem is the whole document. */
  readonly field: string;
  readonly path: ConfigPath;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Every problem of an xplat.yml, one line each: `xplat.yml:4:5: platforms[0]: ...`. */
export class ConfigError extends XplatError {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}

export function formatProblem(file: string, p: ConfigProblem): string {
  return `${file}:${p.line}:${p.column}: ${p.field}: ${p.message}`;
}

/**
 * One `prepare:` step of a leg: a workflow step before its image build. Exactly one of
 * `run` and `uses` is set.
 */
export interface ResolvedPrepareStep {
  readonly name?: string;
  readonly run?: string;
  readonly shell?: (typeof PREPARE_SHELLS)[number];
  /** From the repository root. */
  readonly workingDirectory?: string;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  /** Where xplat.yml gives it: the image's own `prepare:`, or its `linux:`/`windows:` section's. */
  readonly from: 'image' | OperatingSystem;
}

export interface ResolvedLeg {
  /** The name of the image this leg builds (`csi-node`; for a one-image file, from its repository). */
  readonly imageName: string;
  readonly platform: Platform;
  /** `windows/amd64:ltsc2022`: the matrix key and the gate's expected platform. */
  readonly name: string;
  /** `windows-amd64-ltsc2022`: artifact names. */
  readonly pair: string;
  /**
   * The OS of the runner that builds the image: the platform's own, or `linux` for a
   * Windows platform with `build-on: linux` (BuildKit on ubuntu-24.04).
   */
  readonly buildOn: OperatingSystem;
  /** The runner of the build job. */
  readonly buildRunner: RunnerChoice;
  /**
   * The runner of the smoke test: the build runner, except for a Windows platform built on
   * Linux, whose image is smoke-tested by a job of its own on a Windows runner of its
   * release (unless its smoke test is skipped, which the build job records).
   */
  readonly smokeRunner: RunnerChoice;
  /** `smoke: { skip: "<reason>" }` of the platform entry: not smoke-tested, for this reason. */
  readonly smokeSkip: string | undefined;
  /** Build context folder from the repository root (this platform's, else the top-level). */
  readonly context: string;
  /** Dockerfile path from the repository root (this platform's, else the top-level). */
  readonly dockerfile: string;
  /** Stage to build (this platform's, else the top-level); undefined: the last stage. */
  readonly target: string | undefined;
  /** Top-level build args with this platform's on top. */
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Top-level smoke settings with this platform's on top (without skip). */
  readonly smoke: SmokeSettings;
  /** Steps before the build: the image's, then its OS family's. */
  readonly prepare: readonly ResolvedPrepareStep[];
}

/** Whether the leg's smoke test runs in a job of its own (a Windows image built on Linux). */
export function smokesApart(leg: ResolvedLeg): boolean {
  return leg.smokeRunner !== leg.buildRunner;
}

export interface RegistryLogin {
  readonly host: string;
  /** A literal or an expression (`${{ github.actor }}`, `${{ secrets.X }}`). */
  readonly username: string;
  /** Always an expression: `${{ secrets.X }}`. */
  readonly password: string;
  /** The password is GITHUB_TOKEN: jobs that push need `packages: write`. */
  readonly githubToken: boolean;
}

/**
 * Where a workflow takes xplat's actions from: a repository at a ref, a local folder, or
 * (the reusable workflow) `self`: `$/actions/<name>`, the repository and commit of the
 * workflow file itself.
 */
export type ActionSource =
  | { readonly kind: 'remote'; readonly repository: string; readonly ref: string }
  | { readonly kind: 'local'; readonly dir: string }
  | { readonly kind: 'self' };

/** One image of xplat.yml: its repository, its legs, its tags; one gated fuse each. */
export interface ResolvedImage {
  /** `csi-node`: job names, matrix keys, artifact names. */
  readonly name: string;
  /** The repository: `ghcr.io/org/csi-node`. */
  readonly image: string;
  readonly registry: string;
  readonly login: RegistryLogin | undefined;
  /** The image-level context, Dockerfile and target (a platform xplat.yml does not list builds from these). */
  readonly context: string;
  readonly dockerfile: string;
  readonly target: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly cache: string | undefined;
  readonly legTag: string | undefined;
  readonly legs: readonly ResolvedLeg[];
  readonly tags: readonly TagTemplate[];
}

export interface ResolvedConfig {
  readonly file: string;
  /** One entry per image; a file without `images:` has exactly one. */
  readonly images: readonly ResolvedImage[];
  /** The file lists `images:` (names then appear in job names and messages). */
  readonly several: boolean;
  /**
   * Where `xplat run` builds a platform that this machine's engine cannot: platform name
   * (`windows/amd64:ltsc2022`) -> a docker context name or a DOCKER_HOST URL
   * (`ssh://builder@winhost`, `tcp://…`, `npipe://…`, `unix://…`). Not used by the workflow.
   */
  readonly engines: Readonly<Record<string, string>>;
  readonly triggers: {
    readonly branches: readonly string[];
    readonly tags: readonly string[];
    readonly pullRequests: boolean;
    readonly workflowDispatch: boolean;
    readonly schedule: readonly string[];
  };
  readonly actions: ActionSource;
  readonly pinActions: boolean;
  /** Attest each fused index (actions/attest-build-provenance) when the fuse job runs. */
  readonly attest: boolean;
  readonly workflow: {
    readonly name: string;
    readonly timeoutMinutes: number;
    readonly fuseRunsOn: RunsOn;
  };
}

/** Every leg of every image, in file order. */
export function allLegs(config: ResolvedConfig): ResolvedLeg[] {
  return config.images.flatMap((image) => image.legs);
}
