import { echo, parsePlatformList } from '@xplat/core';
import { parseRepository } from '@xplat/oci';
import {
  dependabotSuggestion,
  formatLeftOut,
  initRepository,
  planFromConfig,
  renderPlan,
  WORKFLOW_FILE,
  XPLAT_NPX,
} from '@xplat/workflow';
import type { Command } from '../command.js';
import {
  asUsage,
  bool,
  flagHelp,
  given,
  list,
  text,
  UsageError,
  wholeNumber,
  type FlagTable,
} from '../flags.js';
import { dirFlag } from './common.js';

export const initFlags: FlagTable = [
  { ...dirFlag, help: 'the repository root (default: the current folder)' },
  {
    flag: 'dockerfile',
    kind: 'list',
    value: 'FILE',
    help: 'a Dockerfile of the image, from DIR; repeat for one per OS (default: every image found at the root or below)',
  },
  {
    flag: 'image',
    kind: 'string',
    value: 'REPO',
    help: 'the repository to push to (default: ghcr.io/<owner>/<repo> of the GitHub remote; with several images, <owner>/<image name>)',
  },
  {
    flag: 'platforms',
    kind: 'string',
    value: 'LIST',
    help: 'the platforms instead of the proposal (linux/amd64,windows/amd64:ltsc2022)',
  },
  {
    flag: 'port',
    kind: 'string',
    value: 'N',
    help: "the port to smoke-test (default: the Dockerfile's EXPOSE)",
  },
  { flag: 'path', kind: 'string', value: 'P', help: 'the HTTP path to smoke-test (default /)' },
  { flag: 'force', kind: 'boolean', help: 'overwrite existing xplat.yml and workflow' },
];

const usage = `usage: xplat init [--dir DIR] [--dockerfile FILE ...] [--image REPO] [--platforms LIST] [options]

Start using xplat in a repository: find its Dockerfiles (four folders deep: Dockerfile
next to Dockerfile.windows, build/linux + build/windows, src/app + src/app-windows,
x.Dockerfile + x-windows.Dockerfile, Dockerfile.linux.arm64, ...), group them into images
(several images: images: in xplat.yml), propose platforms from each file and final stage
(Linux and/or Windows by base image and content, the Windows release from the base image
tag or the build args that pick it, build-on: linux when the Windows stages only copy
files), keep only legs that xplat lint accepts, name what the builds COPY that the
repository lacks (and the make target that writes it), and write xplat.yml,
.github/workflows/xplat.yml and a .gitignore line for .xplat/ (xplat run's state).
Existing xplat.yml and workflow are never overwritten without --force.

${flagHelp(initFlags)}`;

const GITIGNORE_NOTE = {
  created: 'created .gitignore with .xplat/ (the run state of xplat run: never commit it)',
  added: 'added .xplat/ to .gitignore (the run state of xplat run: never commit it)',
  present: '.gitignore already ignores .xplat/ (the run state of xplat run)',
} as const;

export const initCommand: Command = {
  name: 'init',
  summary: 'write xplat.yml and the workflow, with platforms from the Dockerfile',
  usage,
  flags: initFlags,
  project: false,
  async run(options, ctx) {
    const values = {
      dockerfile: list(options, 'dockerfile'),
      image: given(options, 'image'),
      platforms: given(options, 'platforms'),
      path: given(options, 'path'),
    };
    // Every flag is checked before anything is read or written: a bad one exits 2.
    const port = wholeNumber(options, 'port', [1, 65535], 'a port number (1-65535)');
    if (values.image !== undefined) asUsage(() => parseRepository(values.image!, '--image'));
    if (values.platforms !== undefined)
      asUsage(() => parsePlatformList(values.platforms!, '--platforms'));
    if (values.path !== undefined && (!values.path.startsWith('/') || /\s/.test(values.path)))
      throw new UsageError(`"${echo(values.path)}" is not an HTTP path such as /healthz`, '--path');
    const result = await initRepository({
      dir: ctx.project.dir,
      ...(values.dockerfile?.length ? { dockerfiles: values.dockerfile } : {}),
      ...(values.image ? { image: values.image } : {}),
      ...(values.platforms ? { platforms: values.platforms } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(values.path ? { path: values.path } : {}),
      force: bool(options, 'force'),
      env: ctx.env,
    });
    for (const warning of result.warnings) ctx.logger.warning(warning);
    // The next commands as the user runs them: through npx, on the same folder.
    const dirGiven = text(options, 'dir') || '.';
    const dir = dirGiven === '.' ? '' : ` --dir ${dirGiven}`;
    const next = [
      [`${XPLAT_NPX} plan${dir}`, 'the matrix, after each edit of xplat.yml'],
      [`${XPLAT_NPX} generate${dir}`, `rewrites ${WORKFLOW_FILE} from xplat.yml`],
      [`${XPLAT_NPX} generate${dir} --check`, 'fails when the workflow is stale (for CI)'],
    ] as const;
    const width = Math.max(...next.map(([command]) => command.length));
    ctx.stdout(
      [
        ...result.images.flatMap((image) => {
          const files = [...new Set(image.proposal.platforms.map((p) => p.dockerfile))];
          const leftOut = image.proposal.leftOut ?? [];
          return [
            `${result.images.length > 1 ? `${image.name} (${image.image}) ` : ''}from ${files.join(' and ')}:`,
            ...image.proposal.notes.map((n) => `  ${n}`),
            ...(leftOut.length
              ? ['left out:', ...leftOut.map((l) => `  ${formatLeftOut(l)}`)]
              : []),
          ];
        }),
        '',
        renderPlan(planFromConfig(result.config)),
        '',
        `wrote ${result.written.join(', ')}`,
        GITIGNORE_NOTE[result.gitignore],
        '',
        'next:',
        ...next.map(([command, what]) => `  ${command.padEnd(width)}  ${what}`),
        `  commit ${result.written.join(', ')}`,
      ].join('\n'),
    );
    const dependabot = await dependabotSuggestion(ctx.project.dir);
    if (dependabot) ctx.stdout(`\n${dependabot}`);
    return 0;
  },
};
