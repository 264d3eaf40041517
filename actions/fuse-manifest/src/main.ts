/**
 * fuse-manifest: inputs -> @xplat/fuse -> outputs and job summary. Glue only.
 */
import * as core from '@actions/core';
import { actionLogger, runAction } from '@xplat/action-runtime';
import {
  currentRun,
  fuse,
  GateClosedError,
  parseFuseRequest,
  renderFuseSummary,
  renderGateSummary,
} from '@xplat/fuse';
import { createRegistryClient } from '@xplat/registry';
import { getInputs } from './inputs.js';

await runAction(
  async () => {
    const logger = actionLogger();
    const inputs = getInputs();
    // Leg results of another workflow run than this one are refused (allow-foreign-runs).
    const request = await parseFuseRequest(inputs, process.cwd(), { run: currentRun() });
    const client = createRegistryClient({
      logger,
      // The username/password inputs are for the target registry; sources elsewhere use config.json.
      credentials:
        inputs.username || inputs.password
          ? {
              username: inputs.username,
              password: inputs.password,
              registry: request.target.registry,
            }
          : undefined,
      onSecret: (secret) => core.setSecret(secret),
    });
    const result = await fuse(request, client, logger);
    core.setOutput('digest', result.digest);
    core.setOutput('ref', result.ref);
    core.setOutput('platforms', JSON.stringify(result.entries.map((e) => e.platform)));
    core.setOutput('index', JSON.stringify(result.index));
    await core.summary.addRaw(renderFuseSummary(result)).write();
  },
  {
    // A closed gate shows what is missing as a table in the job summary.
    onFailure: async (error) => {
      if (error instanceof GateClosedError)
        await core.summary.addRaw(renderGateSummary(error.report)).write();
    },
  },
);
