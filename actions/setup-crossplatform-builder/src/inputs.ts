import * as core from '@actions/core';
import { parseSetupInputs, SETUP_INPUTS, type SetupRequest } from '@xplat/engine';

/** Every input as the runner passed it, parsed and checked by @xplat/engine. */
export function getInputs(): SetupRequest {
  const raw = Object.fromEntries(SETUP_INPUTS.map((name) => [name, core.getInput(name)]));
  // The key is a secret; mask it line by line too, as a multi-line value may be logged in parts.
  const key = raw['tls-key'] ?? '';
  if (key) {
    core.setSecret(key);
    for (const line of key.split(/\r?\n/))
      if (line.trim() && !line.startsWith('-----')) core.setSecret(line.trim());
  }
  return parseSetupInputs(raw);
}
