/**
 * fuse-manifest: inputs -> @xplat/fuse -> outputs and job summary. Glue only.
 */
import * as core from '@actions/core';
import { actionLogger, readInputs, runAction } from '@xplat/action-runtime';
import {
  currentRun,
  fuse,
  FUSE_INPUTS,
  fuseOutputs,
  GateClosedError,
  parseFuseRequest,
  promote,
  promoteOutputs,
  renderFuseSummary,
  renderGateSummary,
  renderPromoteSummary,
} from '@xplat/fuse';
import { createRegistryClient } from '@xplat/registry';

/** The step: what it throws fails it with one line (see runAction). */
export async function run(): Promise<void> {
  await runAction(
    async () => {
      const logger = actionLogger();
      const inputs = readInputs([...FUSE_INPUTS, 'username', 'password'], {
        secrets: ['password'],
      });
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
      if (request.promote) {
        // promote-from: an existing index gets the tags; nothing is fused.
        const promoted = await promote({ ...request, promote: request.promote }, client, logger);
        for (const [name, value] of Object.entries(promoteOutputs(promoted)))
          core.setOutput(name, value);
        await core.summary.addRaw(renderPromoteSummary(promoted)).write();
        return;
      }
      const result = await fuse(request, client, logger);
      for (const [name, value] of Object.entries(fuseOutputs(result))) core.setOutput(name, value);
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
}
