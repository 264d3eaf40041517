import * as core from '@actions/core';
import type { RawFuseInputs } from '@xplat/fuse';

export interface FuseActionInputs extends RawFuseInputs {
  username: string;
  password: string;
}

/** Every input as the runner passed it; parsing and checks live in @xplat/fuse. */
export function getInputs(): FuseActionInputs {
  const password = core.getInput('password');
  if (password) core.setSecret(password);
  return {
    image: core.getInput('image'),
    tags: core.getInput('tags'),
    results: core.getInput('results'),
    sources: core.getInput('sources'),
    expectedPlatforms: core.getInput('expected-platforms'),
    allowUntested: core.getInput('allow-untested'),
    allowForeignRuns: core.getInput('allow-foreign-runs'),
    annotations: core.getInput('annotations'),
    mediaType: core.getInput('media-type'),
    mutableTags: core.getInput('mutable-tags'),
    dryRun: core.getInput('dry-run'),
    username: core.getInput('username'),
    password,
  };
}
