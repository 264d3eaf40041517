/**
 * build-platform-image: inputs -> @xplat/engine buildPlatformImage -> outputs, job
 * summary, lint annotations. Glue only.
 */
import * as core from '@actions/core';
import { actionLogger, readInputs, runAction } from '@xplat/action-runtime';
import {
  BUILD_INPUTS,
  buildOutputs,
  buildPlatformImage,
  parseBuildInputs,
  renderBuildSummary,
  sourceFromGithubContext,
  type SourceContext,
} from '@xplat/engine';

/**
 * The commit, ref, repository, event and default branch from @actions/github's context.
 * Imported lazily (its own chunk, with Octokit) and started first, so loading it overlaps
 * the engine probes instead of delaying the action's start.
 */
function githubSource(): Promise<SourceContext> {
  return import('@actions/github').then(({ context }) => sourceFromGithubContext(context));
}

/** The step: what it throws fails it with one line (see runAction). */
export async function run(): Promise<void> {
  const source = githubSource();
  source.catch(() => undefined); // awaited by the build; never an unhandled rejection
  await runAction(async () => {
    const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
    const request = parseBuildInputs(readInputs(BUILD_INPUTS), { cwd });
    const outcome = await buildPlatformImage(request, {
      source,
      logger: actionLogger(),
      cwd,
      // Findings become annotations on the Dockerfile line; errors also stop the build.
      onFinding: (f) =>
        (f.severity === 'error' ? core.error : core.warning)(f.message, {
          title: f.rule,
          file: f.file,
          startLine: f.line,
        }),
    });
    for (const [name, value] of Object.entries(buildOutputs(outcome))) core.setOutput(name, value);
    await core.summary.addRaw(renderBuildSummary(outcome)).write();
  });
}
