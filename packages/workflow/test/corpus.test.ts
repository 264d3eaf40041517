/**
 * `xplat init` on the layouts of real repositories that publish Linux and Windows images
 * (test/corpus/repos/<name>, each file naming the repository it reproduces). For each:
 * the exact xplat.yml init writes (test/corpus/golden/<name>.xplat.yml), that it loads and
 * generates, the lint findings of every leg it writes (never an error), and what it
 * leaves out, with the lint rule that refused it. UPDATE_GOLDEN=1 rewrites the golden files.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePlatform } from '@xplat/core';
import { lintDockerfile, parseDockerfile } from '@xplat/dockerfile';
import { formatLeftOut, initRepository, loadConfig } from '../src/index.js';
import { generateWorkflow } from '../src/generate.js';
import { leavesLegOut, legLintOptions } from '../src/propose-check.js';
import { type InitProposal, proposeInit } from '../src/init.js';
import type { ProposedPlatform } from '../src/propose.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.join(here, 'corpus');

interface CorpusCase {
  readonly repo: string;
  /** `image platform` -> the rule ids of its lint findings (warnings only: errors fail). */
  readonly findings: Readonly<Record<string, readonly string[]>>;
  /** Substrings of each left-out line, in order (a refused leg names its rule). */
  readonly leftOut: readonly string[];
  /** Substrings of init's warnings (missing COPY sources, skipped files, images). */
  readonly warnings: readonly string[];
  /** Legs init does not write, and the lint errors that say why (the first image's file by default). */
  readonly bad: readonly (readonly [ProposedPlatform, readonly string[]])[];
}

const CASES: readonly CorpusCase[] = [
  {
    // One Dockerfile, a final stage per OS and release: targets, build-on: linux, ltsc2019 skipped.
    repo: 'aws-ebs-csi-driver',
    findings: {
      'aws-ebs-csi-driver linux/amd64': [],
      'aws-ebs-csi-driver linux/arm64': [],
      'aws-ebs-csi-driver windows/amd64:ltsc2019': [],
      'aws-ebs-csi-driver windows/amd64:ltsc2022': [],
      'aws-ebs-csi-driver windows/amd64:ltsc2025': [],
    },
    leftOut: [],
    warnings: [],
    bad: [
      // Built on Windows (classic builder), the BuildKit builder stage runs its POSIX RUN on Windows.
      [{ platform: 'windows/amd64:ltsc2019', target: 'windows-ltsc2019' }, ['XP024', 'XP021']],
      // Without its target, the ltsc2022 leg builds the last stage: ltsc2025.
      [{ platform: 'windows/amd64:ltsc2022', buildOn: 'linux' }, ['XP004']],
    ],
  },
  {
    // Two ARGs pick the release together; binaries from make build-<cmd>.
    repo: 'node-driver-registrar',
    findings: {
      'node-driver-registrar linux/amd64': [],
      'node-driver-registrar linux/arm64': [],
      'node-driver-registrar windows/amd64:ltsc2019': [],
      'node-driver-registrar windows/amd64:ltsc2022': [],
      'node-driver-registrar windows/amd64:ltsc2025': [],
    },
    leftOut: [],
    warnings: [
      'bin/csi-node-driver-registrar.exe (Dockerfile.Windows:10)',
      'prepare: make build-csi-node-driver-registrar writes them',
    ],
    bad: [
      // One ARG alone leaves the addon stage at 1809.
      [
        {
          platform: 'windows/amd64:ltsc2022',
          dockerfile: 'Dockerfile.Windows',
          buildArgs: { BASE_IMAGE: 'nanoserver:ltsc2022' },
        },
        ['XP003'],
      ],
    ],
  },
  {
    // build/linux + build/windows from the root; dist/ from make build-all.
    repo: 'portainer',
    findings: {
      'portainer linux/amd64': ['XP016'],
      'portainer linux/arm64': ['XP016'],
      'portainer windows/amd64:ltsc2019': ['XP016'],
      'portainer windows/amd64:ltsc2022': ['XP016'],
      'portainer windows/amd64:ltsc2025': ['XP016'],
    },
    leftOut: [
      'linux/amd64, linux/arm64 from build/linux/alpine.Dockerfile: built from build/linux/Dockerfile',
    ],
    warnings: [
      'dist/portainer.exe (build/windows/Dockerfile:15)',
      'prepare: make build-all PLATFORM=$TARGETOS ARCH=$TARGETARCH writes them',
      'left out build/linux/dev-toolkit/toolkit.Dockerfile: a test, example or tool image',
    ],
    bad: [],
  },
  {
    // Seven Dockerfiles, four images by stem and folder; ARG ARCH on Linux.
    repo: 'cloud-provider-azure',
    findings: {
      'cloud-provider-azure linux/amd64': [],
      'cloud-provider-azure linux/arm64': [],
      'cloud-node-manager linux/amd64': [],
      'cloud-node-manager linux/arm64': [],
      'cloud-node-manager windows/amd64:ltsc2019': [],
      'cloud-node-manager windows/amd64:ltsc2022': [],
      'cloud-node-manager windows/amd64:ltsc2025': [],
      'cloud-node-manager-hpc windows/amd64:ltsc2022': [],
      'health-probe-proxy linux/amd64': [],
      'health-probe-proxy linux/arm64': [],
      'health-probe-proxy windows/amd64:ltsc2019': [],
      'health-probe-proxy windows/amd64:ltsc2022': [],
      'health-probe-proxy windows/amd64:ltsc2025': [],
    },
    leftOut: [],
    warnings: [
      'found 4 images (cloud-node-manager-hpc, cloud-node-manager, cloud-provider-azure, health-probe-proxy)',
      'prepare: make bin/azure-cloud-node-manager.exe ARCH=$TARGETARCH writes them',
      'prepare: make -C health-probe-proxy bin/health-probe-proxy ARCH=$TARGETARCH (linux); make -C health-probe-proxy bin/health-probe-proxy.exe ARCH=$TARGETARCH (windows) writes them',
      'left out e2e.Dockerfile: a test, example or tool image',
    ],
    bad: [
      // Without ARCH=arm64 the builder stage compiles for amd64 (XP026, the lint branch's rule).
      [{ platform: 'linux/arm64', dockerfile: 'Dockerfile' }, ['XP026']],
    ],
  },
  {
    // A file per platform and image; Windows files with RUN build on Windows.
    repo: 'drone-docker',
    findings: {
      'drone-docker linux/amd64': [],
      'drone-docker linux/arm64': [],
      'drone-docker windows/amd64:ltsc2019': [],
      'drone-docker windows/amd64:ltsc2022': [],
      'drone-docker windows/amd64:ltsc2025': [],
      'ecr linux/amd64': [],
      'ecr linux/arm64': [],
      'ecr windows/amd64:ltsc2022': [],
      'heroku linux/amd64': [],
      'heroku linux/arm64': [],
    },
    leftOut: [],
    warnings: [
      'found 3 images (drone-docker, ecr, heroku)',
      'the prepare: step in xplat.yml fails until you replace it',
    ],
    bad: [
      // Its Server Core stage runs PowerShell: BuildKit on Linux cannot.
      [
        {
          platform: 'windows/amd64:ltsc2022',
          dockerfile: 'docker/docker/Dockerfile.windows.amd64.ltsc2022',
          buildOn: 'linux',
        },
        ['XP025'],
      ],
    ],
  },
  {
    // src/<agent>/ per image, src/dotnet-windows/ joins src/dotnet/.
    repo: 'newrelic-agent-init-container',
    findings: {
      'dotnet linux/amd64': ['XP016'],
      'dotnet linux/arm64': ['XP016'],
      'dotnet windows/amd64:ltsc2025': [],
      'java linux/amd64': ['XP016'],
      'java linux/arm64': ['XP016'],
      'nodejs linux/amd64': [],
      'nodejs linux/arm64': [],
      'python linux/amd64': [],
      'python linux/arm64': [],
    },
    leftOut: [],
    warnings: ['found 4 images (dotnet, java, nodejs, python)'],
    bad: [],
  },
  {
    // Dockerfile + Dockerfile.windows; the Windows build needs a Windows host of 1809.
    repo: 'grafana-alloy',
    findings: {
      'grafana-alloy linux/amd64': [],
      'grafana-alloy linux/arm64': [],
      'grafana-alloy windows/amd64:ltsc2019': ['XP002'],
    },
    leftOut: [],
    warnings: [],
    bad: [],
  },
  {
    // Windows-only HostProcess images three folders deep, names from their folders.
    repo: 'sig-windows-tools',
    findings: {
      'csi-proxy windows/amd64:ltsc2019': [],
      'csi-proxy windows/amd64:ltsc2022': [],
      'csi-proxy windows/amd64:ltsc2025': [],
      'node windows/amd64:ltsc2019': [],
      'node windows/amd64:ltsc2022': [],
      'node windows/amd64:ltsc2025': [],
      'flanneld windows/amd64:ltsc2019': [],
      'flanneld windows/amd64:ltsc2022': [],
      'flanneld windows/amd64:ltsc2025': [],
      'kube-proxy windows/amd64:ltsc2019': [],
      'kube-proxy windows/amd64:ltsc2022': [],
      'kube-proxy windows/amd64:ltsc2025': [],
    },
    leftOut: [],
    warnings: ['found 4 images (csi-proxy, node, flanneld, kube-proxy)'],
    bad: [],
  },
  {
    // ARCH and the Windows release reach COPY/FROM through other ARGs; binaries per OS
    // from different make targets, built from the root.
    repo: 'azuredisk-csi-driver',
    findings: {
      'azurediskplugin linux/amd64': [],
      'azurediskplugin linux/arm64': [],
      'azurediskplugin windows/amd64:ltsc2019': [],
      'azurediskplugin windows/amd64:ltsc2022': [],
      'azurediskplugin windows/amd64:ltsc2025': [],
      'windowshostprocess windows/amd64:ltsc2022': [],
    },
    leftOut: [],
    warnings: [
      '_output/arm64/azurediskplugin (pkg/azurediskplugin/Dockerfile:9)',
      'prepare: make azuredisk ARCH=$TARGETARCH (linux); make azuredisk-windows ARCH=$TARGETARCH (windows) writes them',
      'found 2 images (azurediskplugin, windowshostprocess)',
    ],
    bad: [
      // Without ARCH=arm64 the COPY takes _output/amd64/ through ARG binary.
      [{ platform: 'linux/arm64', dockerfile: 'pkg/azurediskplugin/Dockerfile' }, ['XP026']],
      // Without OSVERSION the Nano Server base has no tag.
      [
        {
          platform: 'windows/amd64:ltsc2022',
          dockerfile: 'pkg/azurediskplugin/Windows.Dockerfile',
          buildOn: 'linux',
        },
        ['XP001'],
      ],
    ],
  },
  {
    // Vendored libraries under lib/ are not images; centos7 and nano are flavours of the
    // main image, not images of their own; the Linux target is the production stage.
    repo: 'fluent-bit',
    findings: {
      'fluent-bit linux/amd64': [],
      'fluent-bit linux/arm64': [],
      'fluent-bit windows/amd64:ltsc2022': [],
      'fluent-bit windows/amd64:ltsc2025': [],
    },
    leftOut: [
      'linux/amd64, linux/arm64 from dockerfiles/Dockerfile.centos7: built from dockerfiles/Dockerfile',
      'windows/amd64:ltsc2022, windows/amd64:ltsc2025 from dockerfiles/Dockerfile.windows.nano: built from dockerfiles/Dockerfile.windows',
    ],
    warnings: [],
    bad: [],
  },
  {
    // docker-library layout: <version>/alpine, <version>/scratch and
    // <version>/windows/<flavour>-<release> are one image per version; tmpl/ is templates.
    repo: 'traefik-library-image',
    findings: {
      // entrypoint.sh without --chmod, and no .gitattributes: true of the repository too.
      'v3-5 linux/amd64': ['XP008', 'XP016'],
      'v3-5 linux/arm64': ['XP008', 'XP016'],
      'v3-5 windows/amd64:ltsc2022': [],
      'v3-6 linux/amd64': ['XP008', 'XP016'],
      'v3-6 linux/arm64': ['XP008', 'XP016'],
      'v3-6 windows/amd64:ltsc2022': [],
      'v3-6 windows/amd64:ltsc2025': [],
    },
    leftOut: [
      'linux/amd64, linux/arm64 from v3.5/scratch/Dockerfile: built from v3.5/alpine/Dockerfile',
      'windows/amd64:ltsc2022 from v3.5/windows/servercore-ltsc2022/Dockerfile: built from v3.5/windows/nanoserver-ltsc2022/Dockerfile',
      'linux/amd64, linux/arm64 from v3.6/scratch/Dockerfile: built from v3.6/alpine/Dockerfile',
      'windows/amd64:ltsc2022 from v3.6/windows/servercore-ltsc2022/Dockerfile: built from v3.6/windows/nanoserver-ltsc2022/Dockerfile',
      'windows/amd64:ltsc2025 from v3.6/windows/servercore-ltsc2025/Dockerfile: built from v3.6/windows/nanoserver-ltsc2025/Dockerfile',
    ],
    warnings: [
      'found 2 images (v3-5, v3-6)',
      'left out tmpl/alpine/tmplv3.Dockerfile: a test, example or tool image',
    ],
    bad: [
      // The Server Core flavour downloads with PowerShell: BuildKit on Linux cannot run it.
      [
        {
          platform: 'windows/amd64:ltsc2022',
          dockerfile: 'v3.6/windows/servercore-ltsc2022/Dockerfile',
          buildOn: 'linux',
        },
        ['XP025'],
      ],
    ],
  },
  {
    // BIN, PKG and the version come only from the Makefile's docker build; site/ is the
    // documentation website.
    repo: 'velero',
    findings: {
      'velero linux/amd64': [],
      'velero linux/arm64': [],
      'velero windows/amd64:ltsc2019': [],
      'velero windows/amd64:ltsc2022': [],
      'velero windows/amd64:ltsc2025': [],
    },
    leftOut: [],
    warnings: [
      'left out hack/build-image/Dockerfile: a test, example or tool image',
      'left out site/Dockerfile: a test, example or tool image',
    ],
    bad: [],
  },
  {
    // A builder stage pins ARG TARGETARCH=amd64: the arm64 leg gets TARGETARCH=arm64 too.
    repo: 'azurefile-csi-driver',
    findings: {
      'azurefileplugin linux/amd64': [],
      'azurefileplugin linux/arm64': [],
      'azurefileplugin windows/amd64:ltsc2019': [],
      'azurefileplugin windows/amd64:ltsc2022': [],
      'azurefileplugin windows/amd64:ltsc2025': [],
    },
    leftOut: [],
    warnings: [
      'prepare: make azurefile ARCH=$TARGETARCH (linux); make azurefile-windows ARCH=$TARGETARCH (windows) writes them',
    ],
    bad: [
      // ARCH alone: azcopy is still downloaded for amd64.
      [
        {
          platform: 'linux/arm64',
          dockerfile: 'pkg/azurefileplugin/Dockerfile',
          buildArgs: { ARCH: 'arm64' },
        },
        ['XP026'],
      ],
    ],
  },
  {
    // ARG ARCH and ARG OS without a default, a final stage per OS, COPY . . from the root
    // (the context told by the paths RUN builds).
    repo: 'azure-container-networking',
    findings: {
      'cni linux/amd64': [],
      'cni linux/arm64': [],
      'cni windows/amd64:ltsc2022': [],
      'cns linux/amd64': [],
      'cns linux/arm64': [],
      'cns windows/amd64:ltsc2022': [],
    },
    leftOut: [],
    warnings: ['found 2 images (cni, cns)'],
    bad: [],
  },
];

function copy(repo: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `xplat-corpus-${repo}-`));
  cpSync(path.join(corpus, 'repos', repo), dir, { recursive: true });
  return dir;
}

/** Rule ids of each written leg, keyed `image platform`; errors are returned apart. */
async function lintLegs(dir: string, proposal: InitProposal) {
  const findings: Record<string, string[]> = {};
  const errors: string[] = [];
  for (const image of proposal.images)
    for (const leg of image.proposal.platforms) {
      const file = leg.dockerfile!;
      const parsed = parseDockerfile({ file, text: readFileSync(path.join(dir, file), 'utf8') });
      const all = await lintDockerfile(
        parsed,
        legLintOptions(leg, parsePlatform(leg.platform), path.join(dir, leg.context ?? '.')),
      );
      // XP027 (a COPY source a prepare: step makes) is what init's warnings say, checked there.
      const own = all.filter((f) => f.rule !== 'XP027');
      findings[`${image.name} ${leg.platform}`] = [...new Set(own.map((f) => f.rule))].sort();
      errors.push(...all.filter(leavesLegOut).map((f) => `${leg.platform}: ${f.message}`));
    }
  return { findings, errors };
}

describe('xplat init on the corpus of real layouts', () => {
  const proposals = new Map<string, { dir: string; proposal: InitProposal }>();
  beforeAll(async () => {
    for (const c of CASES) {
      const dir = copy(c.repo);
      proposals.set(c.repo, {
        dir,
        proposal: await proposeInit({ dir, image: `ghcr.io/acme/${c.repo}` }),
      });
    }
  });

  it.each(CASES.map((c) => [c.repo, c] as const))('%s: writes the golden xplat.yml', (_name, c) => {
    const { proposal } = proposals.get(c.repo)!;
    const golden = path.join(corpus, 'golden', `${c.repo}.xplat.yml`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, proposal.configText);
    expect(proposal.configText).toBe(readFileSync(golden, 'utf8'));
  });

  it.each(CASES.map((c) => [c.repo, c] as const))(
    '%s: every leg lints without errors, with these findings',
    async (_name, c) => {
      const { dir, proposal } = proposals.get(c.repo)!;
      const { findings, errors } = await lintLegs(dir, proposal);
      expect(errors).toEqual([]);
      expect(findings).toEqual(c.findings);
    },
  );

  it.each(CASES.filter((c) => c.bad.length).map((c) => [c.repo, c] as const))(
    '%s: the legs init does not write fail lint as expected',
    async (_name, c) => {
      const { dir, proposal } = proposals.get(c.repo)!;
      const first = proposal.images[0]!.proposal.platforms[0]!;
      for (const [leg, rules] of c.bad) {
        const file = leg.dockerfile ?? first.dockerfile!;
        const parsed = parseDockerfile({ file, text: readFileSync(path.join(dir, file), 'utf8') });
        const errors = (
          await lintDockerfile(
            parsed,
            legLintOptions(leg, parsePlatform(leg.platform), path.join(dir, first.context ?? '.')),
          )
        ).filter(leavesLegOut);
        expect([leg.platform, [...new Set(errors.map((f) => f.rule))]]).toEqual([
          leg.platform,
          rules,
        ]);
      }
    },
  );

  it.each(CASES.map((c) => [c.repo, c] as const))(
    '%s: what is left out, and the warnings',
    (_name, c) => {
      const { proposal } = proposals.get(c.repo)!;
      const leftOut = proposal.images.flatMap((i) => (i.proposal.leftOut ?? []).map(formatLeftOut));
      expect(leftOut).toHaveLength(c.leftOut.length);
      c.leftOut.forEach((want, i) => expect(leftOut[i]).toContain(want));
      for (const want of c.warnings)
        expect([want, proposal.warnings.some((w) => w.includes(want))]).toEqual([want, true]);
    },
  );

  it.each(CASES.map((c) => [c.repo, c] as const))(
    '%s: init writes it, and it loads and generates',
    async (_name, c) => {
      const dir = copy(c.repo);
      const result = await initRepository({ dir, image: `ghcr.io/acme/${c.repo}` });
      const text = readFileSync(path.join(dir, 'xplat.yml'), 'utf8');
      expect(text).toBe(proposals.get(c.repo)!.proposal.configText);
      const config = loadConfig(text);
      expect(generateWorkflow(config, { configPath: 'xplat.yml' })).toBe(
        readFileSync(path.join(dir, '.github', 'workflows', 'xplat.yml'), 'utf8'),
      );
      expect(result.images.map((i) => i.name)).toEqual(
        proposals.get(c.repo)!.proposal.images.map((i) => i.name),
      );
    },
  );
});
