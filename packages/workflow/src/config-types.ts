/**
 * What loading xplat.yml yields: the resolved config and its legs, and the problems of a
 * file that is wrong (each with its field and source position).
 */
import { XplatError, type Platform, type RunnerChoice, type RunsOn } from '@xplat/core';
import type { SmokeSettings } from './schema.js';
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

export interface ResolvedLeg {
  readonly platform: Platform;
  /** `windows/amd64:ltsc2022`: the matrix key and the gate's expected platform. */
  readonly name: string;
  /** `windows-amd64-ltsc2022`: artifact names. */
  readonly pair: string;
  readonly runner: RunnerChoice;
  /** Build context folder from the repository root (this platform's, else the top-level). */
  readonly context: string;
  /** Dockerfile path from the repository root (this platform's, else the top-level). */
  readonly dockerfile: string;
  /** Stage to build (this platform's, else the top-level); undefined: the last stage. */
  readonly target: string | undefined;
  /** Top-level build args with this platform's on top. */
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Top-level smoke settings with this platform's on top. */
  readonly smoke: SmokeSettings;
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

export type ActionSource =
  | { readonly kind: 'remote'; readonly repository: string; readonly ref: string }
  | { readonly kind: 'local'; readonly dir: string };

export interface ResolvedConfig {
  readonly file: string;
  readonly image: string;
  readonly registry: string;
  readonly login: RegistryLogin | undefined;
  readonly context: string;
  readonly dockerfile: string;
  readonly target: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly cache: string | undefined;
  readonly legTag: string | undefined;
  readonly legs: readonly ResolvedLeg[];
  /**
   * Where `xplat run` builds a platform that this machine's engine cannot: platform name
   * (`windows/amd64:ltsc2022`) -> a docker context name or a DOCKER_HOST URL
   * (`ssh://builder@winhost`, `tcp://…`, `npipe://…`, `unix://…`). Not used by the workflow.
   */
  readonly engines: Readonly<Record<string, string>>;
  readonly tags: readonly TagTemplate[];
  readonly triggers: {
    readonly branches: readonly string[];
    readonly tags: readonly string[];
    readonly pullRequests: boolean;
    readonly workflowDispatch: boolean;
    readonly schedule: readonly string[];
  };
  readonly actions: ActionSource;
  readonly pinActions: boolean;
  /** Attest the fused index (actions/attest-build-provenance) when the fuse job runs. */
  readonly attest: boolean;
  readonly workflow: {
    readonly name: string;
    readonly timeoutMinutes: number;
    readonly fuseRunsOn: RunsOn;
  };
}
