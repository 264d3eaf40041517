import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';
import { parseSmokeInputs, SMOKE_INPUTS, type SmokeRequest } from '@xplat/smoke';

/** Every input as the runner passed it, parsed and checked by @xplat/smoke. */
export function getInputs(): SmokeRequest {
  const raw = Object.fromEntries(SMOKE_INPUTS.map((name) => [name, core.getInput(name)]));
  // A report the user did not place still has to exist for the `report` output.
  raw['report-file'] ||= path.join(
    process.env.RUNNER_TEMP || os.tmpdir(),
    `xplat-smoke-${randomBytes(4).toString('hex')}.json`,
  );
  return parseSmokeInputs(raw);
}
