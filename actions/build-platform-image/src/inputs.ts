import * as core from '@actions/core';
import { BUILD_INPUTS, parseBuildInputs, type BuildRequest } from '@xplat/engine';

/** Every input as the runner passed it, parsed and checked by @xplat/engine. */
export function getInputs(): BuildRequest {
  const raw = Object.fromEntries(BUILD_INPUTS.map((name) => [name, core.getInput(name)]));
  return parseBuildInputs(raw, { cwd: process.env.GITHUB_WORKSPACE || process.cwd() });
}
