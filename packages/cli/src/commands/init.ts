import path from 'node:path';
import { parseArgs } from 'node:util';
import { XplatError } from '@xplat/core';
import { initRepository, planFromConfig, renderPlan } from '@xplat/workflow';
import type { Command } from '../command.js';

const usage = `usage: xplat init [--dir DIR] [--dockerfile FILE] [--image REPO] [--platforms LIST] [options]

Start using xplat in a repository: find the Dockerfile, propose platforms from its base
images (Linux and/or Windows, the Windows release from the base image tag), and write
xplat.yml and .github/workflows/xplat.yml. Existing files are never overwritten without
--force.

  --dir DIR          the repository root (default: the current folder)
  --dockerfile FILE  the Dockerfile, from DIR (default: found at the root or below)
  --image REPO       the repository to push to (default: ghcr.io/<owner>/<repo> of the
                     GitHub remote)
  --platforms LIST   the platforms instead of the proposal (linux/amd64,windows/amd64:ltsc2022)
  --port N           the port to smoke-test (default: the Dockerfile's EXPOSE)
  --path P           the HTTP path to smoke-test (default /)
  --force            overwrite existing xplat.yml and workflow`;

export const initCommand: Command = {
  name: 'init',
  summary: 'write xplat.yml and the workflow, with platforms from the Dockerfile',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string', default: '.' },
        dockerfile: { type: 'string' },
        image: { type: 'string' },
        platforms: { type: 'string' },
        port: { type: 'string' },
        path: { type: 'string' },
        force: { type: 'boolean', default: false },
      },
    });
    let port: number | undefined;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new XplatError(`"${values.port}" is not a port number (1-65535)`, 'port');
    }
    const result = await initRepository({
      dir: path.resolve(io.cwd, values.dir),
      ...(values.dockerfile ? { dockerfile: values.dockerfile } : {}),
      ...(values.image ? { image: values.image } : {}),
      ...(values.platforms ? { platforms: values.platforms } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(values.path ? { path: values.path } : {}),
      force: values.force,
      env: io.env,
    });
    for (const warning of result.warnings) io.logger.warning(warning);
    io.stdout(
      [
        `from ${result.dockerfile}:`,
        ...result.proposal.notes.map((n) => `  ${n}`),
        '',
        renderPlan(planFromConfig(result.config)),
        '',
        `wrote ${result.written.join(', ')}`,
      ].join('\n'),
    );
    return 0;
  },
};
