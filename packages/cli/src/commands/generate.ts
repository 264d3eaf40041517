import { bool, flagHelp, text, UsageError, type FlagTable } from '../flags.js';
import {
  allLegs,
  checkRendered,
  renderTarget,
  writeRendered,
  type GenerateKind,
} from '@xplat/workflow';
import type { Command } from '../command.js';
import { projectFlags } from './common.js';

export const generateFlags: FlagTable = [
  ...projectFlags,
  {
    flag: 'output',
    kind: 'string',
    value: 'FILE',
    help: 'where to write, from DIR (default .github/workflows/xplat.yml; --reusable .github/workflows/xplat-reusable.yml; --starter action-templates/xplat.yml; --schema xplat.schema.json)',
  },
  { flag: 'check', kind: 'boolean', help: 'compare with the committed file instead of writing it' },
  { flag: 'reusable', kind: 'boolean', help: 'the reusable workflow (on: workflow_call) instead' },
  {
    flag: 'starter',
    kind: 'boolean',
    help: 'the starter workflow (GitHub workflow-template) instead',
  },
  { flag: 'schema', kind: 'boolean', help: 'the JSON schema of xplat.yml, for editors' },
  {
    flag: 'uses',
    kind: 'string',
    value: 'REF',
    help: "where xplat's actions come from (OWNER/xplat@vX.Y.Z, or ./actions): for a fork or a mirror; for the workflow it overrides xplat.yml's xplat: { uses: } (default xplat-dev/xplat@v1); the reusable workflow takes them from its own repository and commit ($/actions/...) unless given (GitHub Enterprise Server has no $/)",
  },
  {
    flag: 'pin-actions',
    kind: 'boolean',
    help: 'pin third-party actions by commit SHA (reusable workflow)',
  },
];

const usage = `usage: xplat generate [--dir DIR] [--config FILE] [--output FILE] [--uses OWNER/xplat@REF] [--check]
       xplat generate --reusable [--uses OWNER/xplat@REF] [--pin-actions] [--output FILE] [--check]
       xplat generate --starter [--uses OWNER/xplat@REF] [--output FILE] [--check]
       xplat generate --schema [--output FILE] [--check]

Write .github/workflows/xplat.yml from xplat.yml: one build leg per platform on its
native runner (build, smoke-test, leg result), each from its own Dockerfile, target and
context when xplat.yml names them per platform or per OS (windows: { dockerfile:
Dockerfile.windows }), and a fuse job gated on every leg.
With --check, write nothing: exit 1 with a diff when the committed file is stale.
A newer version of a third-party action in the committed file (as Dependabot bumps
it: actions/checkout@v6 -> @v7, or a SHA pin with its # vX.Y.Z comment) is kept by
generate and is not drift for --check; an older version or any other edit is.

${flagHelp(generateFlags)}`;

export const generateCommand: Command = {
  name: 'generate',
  summary: 'write the GitHub workflow from xplat.yml (--check: fail when stale)',
  usage,
  flags: generateFlags,
  project: false,
  async run(options, ctx) {
    const uses = text(options, 'uses');
    const output = text(options, 'output');
    const kinds = (['reusable', 'starter', 'schema'] as const).filter((k) => bool(options, k));
    if (kinds.length > 1)
      throw new UsageError(
        `give one of --reusable, --starter, --schema (got ${kinds.join(', ')})`,
        'generate',
      );
    const kind: GenerateKind = kinds[0] ?? 'workflow';
    if (kind === 'schema' && uses) throw new UsageError('is not used by --schema', '--uses');
    const rendered = await renderTarget({
      kind,
      dir: ctx.project.dir,
      config: ctx.project.configFile,
      ...(output ? { output } : {}),
      ...(uses ? { uses } : {}),
      pinActions: bool(options, 'pin-actions'),
    });
    for (const k of rendered.kept)
      ctx.stdout(
        `kept ${k.repository}@${k.kept} from the committed ${rendered.file}: newer than xplat's ${k.generated}`,
      );
    if (bool(options, 'check')) {
      const result = await checkRendered(rendered);
      if (result.missing) {
        ctx.stderr(
          `xplat generate: ${rendered.file} does not exist: run xplat generate and commit it`,
        );
        return 1;
      }
      if (!result.upToDate) {
        ctx.stdout(result.diff.trimEnd());
        ctx.stderr(`xplat generate: ${rendered.file} is stale: run xplat generate and commit it`);
        return 1;
      }
      ctx.stdout(`${rendered.file} is up to date`);
      return 0;
    }
    await writeRendered(rendered);
    const config = rendered.config;
    const names = (legs: readonly { name: string }[]) => legs.map((l) => l.name).join(', ');
    const legs = !config
      ? ''
      : config.several
        ? ` (${config.images.map((i) => `${i.name}: ${names(i.legs)}`).join('; ')})`
        : ` (${names(allLegs(config))})`;
    ctx.stdout(`wrote ${rendered.file}${legs}`);
    return 0;
  },
};
