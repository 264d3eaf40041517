/**
 * The starter workflow (action-templates/xplat.yml, GitHub's workflow-template format):
 * a repository's whole pipeline as one call of the reusable workflow.
 */
import { Document } from 'yaml';
import { ATTEST_PERMISSIONS, render } from './generate.js';
import { parseUses, type ReusableOptions } from './reusable.js';
import { DEFAULT_XPLAT_USES } from './pins.js';

export const STARTER_WORKFLOW_FILE = 'action-templates/xplat.yml';

/**
 * The starter workflow (GitHub's workflow-template format, for an organisation's .github
 * repository): calls the reusable workflow with the platforms most fleets need.
 */
export function generateStarterWorkflow(options: ReusableOptions = {}): string {
  const uses = options.uses ?? DEFAULT_XPLAT_USES;
  const source = parseUses(uses);
  if (source.kind !== 'remote') throw new Error('the starter workflow needs owner/repo@ref');
  const workflow = {
    name: 'xplat',
    on: {
      push: { branches: ['$default-branch'], tags: ['v*'] },
      pull_request: { branches: ['$default-branch'] },
      workflow_dispatch: null,
    },
    permissions: { contents: 'read' },
    concurrency: {
      group: '${{ github.workflow }}-${{ github.ref }}',
      'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
    },
    jobs: {
      image: {
        uses: `${source.repository}/.github/workflows/xplat-reusable.yml@${source.ref}`,
        // id-token and attestations: for the attestation of the index (the fuse job only).
        permissions: { contents: 'read', packages: 'write', ...ATTEST_PERMISSIONS },
        with: {
          image: 'ghcr.io/${{ github.repository }}',
          platforms: 'linux/amd64\nlinux/arm64\nwindows/amd64:ltsc2022\nwindows/amd64:ltsc2025\n',
          context: '.',
          // BuildKit on ubuntu-24.04 builds this one (its Windows stages only copy files);
          // windows-2025 then smoke-tests it.
          'build-on': '{"windows/amd64:ltsc2025": "linux"}',
          'smoke-port': '8080',
          'smoke-path': '/',
        },
      },
    },
  };
  const doc = new Document(workflow, { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ' xplat: one image tag for Linux (amd64, arm64) and Windows (per LTSC release) hosts.',
    ' Each platform is built on a native runner and smoke-tested there (or, with build-on,',
    ' a Windows image whose Windows stages only copy files is built by BuildKit on Linux and',
    ' smoke-tested on a Windows runner of its release); the index is pushed to ghcr.io only',
    ' when every platform passed.',
    '',
    ' Edit platforms and the smoke settings for your service (smoke-port: the port it',
    ' listens on in the container). For a workflow you can tailor step by step, write an',
    ' xplat.yml and run `xplat generate` (or `xplat init`) instead.',
  ].join('\n');
  return render(doc);
}
