/**
 * Patterns of projects that build their Windows images on Linux with buildx (CSI drivers,
 * cloud-provider node managers): Windows stages that only copy files onto a Nano Server
 * or Server Core base, binaries made in a Linux stage or before `docker build`. Each entry
 * is written for this corpus in its own words (not a copy) and names the file whose
 * pattern it reproduces; each Windows pattern is linted as a leg built on Linux
 * (`build-on: linux`) and as one built on Windows, with its exact findings. The
 * architecture (XP026) and build-context (XP027) patterns are here too.
 */
import type { CorpusEntry } from './windows-dockerfiles.js';

const W19 = 'windows/amd64:ltsc2019';
const W22 = 'windows/amd64:ltsc2022';
const W25 = 'windows/amd64:ltsc2025';
/** `build-on: linux`: BuildKit (buildx) on an ubuntu runner. */
const ON_LINUX = { builder: 'buildx' as const, buildPlatform: 'linux/amd64' };
const ON_2022 = { runner: 'windows-2022' };
const ON_2025 = { runner: 'windows-2025' };

export const BUILD_ON_LINUX_CORPUS: CorpusEntry[] = [
  {
    name: 'CSI driver: binary cross-compiled on $BUILDPLATFORM, netapi32.dll from a Linux image, Windows stage only copies',
    source: 'kubernetes-sigs/secrets-store-csi-driver docker/windows.Dockerfile',
    lines: [
      '# the driver binary comes from a Linux stage; the Windows stage only copies',
      'ARG BASEIMAGE=mcr.microsoft.com/windows/nanoserver:1809',
      'ARG BASEIMAGE_CORE=gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-amd64-1809',
      '',
      'FROM --platform=linux/amd64 ${BASEIMAGE_CORE} AS core',
      '',
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS builder',
      'WORKDIR /go/src/driver',
      'ADD . .',
      'ARG TARGETARCH',
      'ARG TARGETOS',
      'RUN export GOOS=$TARGETOS && export GOARCH=$TARGETARCH && make build-windows',
      '',
      'FROM $BASEIMAGE',
      'COPY --from=builder /go/src/driver/_output/driver.exe /driver.exe',
      'COPY --from=core /Windows/System32/netapi32.dll /Windows/System32/netapi32.dll',
      'USER ContainerAdministrator',
      'ENTRYPOINT ["/driver.exe"]',
    ],
    legs: [
      // The default is 1809: built on Linux, no ltsc2019 host is needed.
      { platform: W19, options: ON_LINUX, expected: [] },
      {
        platform: W22,
        options: {
          ...ON_LINUX,
          buildArgs: {
            BASEIMAGE: 'mcr.microsoft.com/windows/nanoserver:ltsc2022',
            BASEIMAGE_CORE:
              'gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-amd64-ltsc2022',
          },
        },
        expected: [],
      },
      // The default base is not the leg's release.
      { platform: W22, options: ON_LINUX, expected: [['XP004', 14, 'error']] },
      // On a Windows runner: the Linux stage cannot be built, $BUILDPLATFORM is Windows so
      // the Go stage is a Windows golang image running a POSIX script.
      {
        platform: W22,
        options: {
          ...ON_2022,
          buildArgs: { BASEIMAGE: 'mcr.microsoft.com/windows/nanoserver:ltsc2022' },
        },
        expected: [
          ['XP017', 5, 'error'],
          ['XP002', 7, 'warning'],
          ['XP024', 7, 'error'],
          ['XP021', 12, 'error'],
        ],
      },
    ],
  },
  {
    name: 'one Dockerfile, a target per Windows release and one for Linux, built from one $BUILDPLATFORM stage',
    source: 'kubernetes-sigs/aws-ebs-csi-driver Dockerfile',
    lines: [
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS builder',
      'WORKDIR /go/src/driver',
      'COPY go.* .',
      'RUN --mount=type=cache,target=/gomodcache go mod download',
      'COPY . .',
      'ARG TARGETOS',
      'ARG TARGETARCH',
      'RUN --mount=type=cache,target=/gomodcache OS=$TARGETOS ARCH=$TARGETARCH make',
      '',
      'FROM public.ecr.aws/eks-distro-build-tooling/eks-distro-minimal-base-csi:latest-al23 AS linux-al2023',
      'COPY --from=builder /go/src/driver/bin/driver /bin/driver',
      'ENTRYPOINT ["/bin/driver"]',
      '',
      'FROM public.ecr.aws/eks-distro-build-tooling/eks-distro-windows-base:1809 AS windows-ltsc2019',
      'COPY --from=builder /go/src/driver/bin/driver.exe /driver.exe',
      'ENTRYPOINT ["/driver.exe"]',
      '',
      'FROM public.ecr.aws/eks-distro-build-tooling/eks-distro-windows-base:ltsc2022 AS windows-ltsc2022',
      'COPY --from=builder /go/src/driver/bin/driver.exe /driver.exe',
      'ENTRYPOINT ["/driver.exe"]',
      '',
      'FROM public.ecr.aws/eks-distro-build-tooling/eks-distro-windows-base:ltsc2025 AS windows-ltsc2025',
      'COPY --from=builder /go/src/driver/bin/driver.exe /driver.exe',
      'ENTRYPOINT ["/driver.exe"]',
    ],
    legs: [
      { platform: 'linux/amd64', options: { target: 'linux-al2023' }, expected: [] },
      {
        platform: 'linux/arm64',
        options: { target: 'linux-al2023', buildPlatform: 'linux/amd64' },
        expected: [],
      },
      // Every release from one ubuntu runner, each leg with its own target.
      { platform: W19, options: { ...ON_LINUX, target: 'windows-ltsc2019' }, expected: [] },
      { platform: W22, options: { ...ON_LINUX, target: 'windows-ltsc2022' }, expected: [] },
      { platform: W25, options: { ...ON_LINUX, target: 'windows-ltsc2025' }, expected: [] },
      // A leg whose target is another release's.
      {
        platform: W22,
        options: { ...ON_LINUX, target: 'windows-ltsc2025' },
        expected: [['XP004', 22, 'error']],
      },
      // On windows-2025 the Go stage is Windows: cache mounts and a POSIX command line.
      {
        platform: W25,
        options: { ...ON_2025, target: 'windows-ltsc2025' },
        expected: [
          ['XP002', 1, 'warning'],
          ['XP024', 1, 'error'],
          ['XP017', 4, 'error'],
          ['XP017', 8, 'error'],
          ['XP021', 8, 'error'],
        ],
      },
    ],
  },
  {
    name: 'CSI sidecar: release picked by two ARGs (base and addon image), registry from a third',
    source: 'kubernetes-csi/node-driver-registrar Dockerfile.Windows',
    lines: [
      '# release-tools passes BASE_IMAGE and ADDON_IMAGE per Windows release',
      'ARG ADDON_IMAGE=servercore:1809',
      'ARG BASE_IMAGE=nanoserver:1809',
      'ARG REGISTRY=mcr.microsoft.com/windows',
      '',
      'FROM ${REGISTRY}/${ADDON_IMAGE} AS addon',
      'FROM ${REGISTRY}/${BASE_IMAGE}',
      'LABEL description="CSI Node driver registrar"',
      'COPY ./bin/csi-node-driver-registrar.exe /csi-node-driver-registrar.exe',
      'COPY --from=addon /Windows/System32/netapi32.dll /Windows/System32/netapi32.dll',
      'USER ContainerAdministrator',
      'ENTRYPOINT ["/csi-node-driver-registrar.exe"]',
    ],
    legs: [
      // As release-tools builds it: buildx on Linux, both images per release.
      { platform: W19, options: ON_LINUX, expected: [] },
      {
        platform: W22,
        options: {
          ...ON_LINUX,
          buildArgs: { ADDON_IMAGE: 'servercore:ltsc2022', BASE_IMAGE: 'nanoserver:ltsc2022' },
        },
        expected: [],
      },
      // The defaults on an ltsc2022 leg: the error names BASE_IMAGE=nanoserver:ltsc2022.
      { platform: W22, options: ON_LINUX, expected: [['XP004', 7, 'error']] },
      {
        platform: W22,
        options: {
          ...ON_2022,
          buildArgs: { ADDON_IMAGE: 'servercore:ltsc2022', BASE_IMAGE: 'nanoserver:ltsc2022' },
        },
        expected: [],
      },
      // On windows-2022 the 1809 defaults cannot even be pulled into a build.
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 6, 'error'],
          ['XP003', 7, 'error'],
          ['XP004', 7, 'error'],
        ],
      },
      // No hosted runner is ltsc2019: only a self-hosted one (or build-on: linux).
      {
        platform: W19,
        options: {},
        expected: [
          ['XP003', 6, 'error'],
          ['XP003', 7, 'error'],
        ],
      },
    ],
  },
  {
    name: 'ASP.NET Core on Nano Server: a Server Core installer stage that runs PowerShell',
    source: 'dotnet/dotnet-docker src/aspnet/10.0/nanoserver-1809/amd64/Dockerfile',
    lines: [
      '# escape=`',
      'ARG REPO=mcr.microsoft.com/dotnet/runtime',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS installer',
      'RUN powershell -Command `',
      "        $ErrorActionPreference = 'Stop'; `",
      '        Invoke-WebRequest -OutFile aspnetcore.zip https://example.com/aspnetcore-runtime-win-x64.zip; `',
      '        mkdir dotnet; `',
      '        tar --gzip --extract --file aspnetcore.zip --directory dotnet ./shared/Microsoft.AspNetCore.App; `',
      '        Remove-Item -Force aspnetcore.zip',
      'FROM $REPO:8.0-nanoserver-ltsc2022',
      'ENV ASPNET_VERSION=8.0.11',
      'COPY --from=installer ["/dotnet/shared/Microsoft.AspNetCore.App", "/Program Files/dotnet/shared/Microsoft.AspNetCore.App"]',
    ],
    legs: [
      // The installer stage runs a command: only a Windows host can.
      { platform: W22, options: ON_2022, expected: [] },
      { platform: W22, options: ON_LINUX, expected: [['XP025', 4, 'error']] },
    ],
  },
  {
    name: 'cloud node manager for Windows: release and architecture ARGs, a Linux helper image, a prebuilt .exe',
    source: 'kubernetes-sigs/cloud-provider-azure cloud-node-manager-windows.Dockerfile',
    lines: [
      'ARG OSVERSION=1809',
      'ARG ARCH=amd64',
      'FROM --platform=linux/amd64 gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-${ARCH}-$OSVERSION AS servercore-helper',
      'FROM mcr.microsoft.com/windows/nanoserver:$OSVERSION',
      'ARG ARCH',
      'COPY --from=servercore-helper /Windows/System32/netapi32.dll /Windows/System32/netapi32.dll',
      'COPY bin/azure-cloud-node-manager-${ARCH}.exe /cloud-node-manager.exe',
      'USER ContainerUser',
      'ENTRYPOINT ["/cloud-node-manager.exe"]',
    ],
    legs: [
      // The .exe is made by `make` before docker build: present, clean.
      {
        platform: W22,
        options: { ...ON_LINUX, buildArgs: { OSVERSION: 'ltsc2022' } },
        files: { 'bin/azure-cloud-node-manager-amd64.exe': 'MZ' },
        expected: [],
      },
      // A fresh checkout: the COPY fails; a prepare: step must make it.
      {
        platform: W22,
        options: { ...ON_LINUX, buildArgs: { OSVERSION: 'ltsc2022' } },
        files: { Makefile: 'all:\n' },
        expected: [['XP027', 7, 'error']],
      },
      // On windows-2022 the Linux helper stage cannot be built by the classic builder.
      {
        platform: W22,
        options: { ...ON_2022, buildArgs: { OSVERSION: 'ltsc2022' } },
        files: { 'bin/azure-cloud-node-manager-amd64.exe': 'MZ' },
        expected: [['XP017', 3, 'error']],
      },
    ],
  },
  {
    name: 'cloud node manager for Linux: a linux/amd64 builder cross-compiles for ARG ARCH=amd64',
    source: 'kubernetes-sigs/cloud-provider-azure cloud-node-manager.Dockerfile',
    lines: [
      'FROM --platform=linux/amd64 golang:1.23-bookworm AS builder',
      'ARG ENABLE_GIT_COMMAND=true',
      'ARG ARCH=amd64',
      'RUN if [ "$ARCH" = "arm64" ] ; then \\',
      '    apt-get update && apt-get install -y gcc-aarch64-linux-gnu ; \\',
      '    fi',
      'WORKDIR /go/src/sigs.k8s.io/cloud-provider-azure',
      'COPY . .',
      'RUN make bin/azure-cloud-node-manager ENABLE_GIT_COMMAND=${ENABLE_GIT_COMMAND} ARCH=${ARCH}',
      'FROM gcr.io/distroless/base:latest',
      'COPY --from=builder /go/src/sigs.k8s.io/cloud-provider-azure/bin/azure-cloud-node-manager /usr/local/bin/cloud-node-manager',
      'ENTRYPOINT [ "/usr/local/bin/cloud-node-manager" ]',
    ],
    legs: [
      { platform: 'linux/amd64', expected: [] },
      // The Makefile passes ARCH per platform; xplat.yml must too.
      {
        platform: 'linux/arm64',
        options: { buildPlatform: 'linux/amd64' },
        expected: [['XP026', 3, 'error']],
      },
      {
        platform: 'linux/arm64',
        options: { buildPlatform: 'linux/amd64', buildArgs: { ARCH: 'arm64' } },
        expected: [],
      },
    ],
  },
  {
    name: 'CSI sidecar for Linux: the binary path comes from an ARG the Makefile sets per platform',
    source: 'kubernetes-csi/node-driver-registrar Dockerfile',
    lines: [
      'FROM gcr.io/distroless/static:latest',
      'LABEL maintainers="Kubernetes Authors"',
      'LABEL description="CSI Node driver registrar"',
      'ARG binary=./bin/csi-node-driver-registrar',
      '',
      'COPY ${binary} csi-node-driver-registrar',
      'ENTRYPOINT ["/csi-node-driver-registrar"]',
    ],
    legs: [
      // `make build` ran: present.
      {
        platform: 'linux/amd64',
        files: { 'bin/csi-node-driver-registrar': 'ELF' },
        expected: [],
      },
      // A fresh checkout: nothing in bin/.
      {
        platform: 'linux/amd64',
        files: { 'go.mod': 'module x\n' },
        expected: [['XP027', 6, 'error']],
      },
      // release-tools passes binary=./bin/<name>-arm64 for arm64; only the amd64 one was built.
      {
        platform: 'linux/arm64',
        options: {
          buildPlatform: 'linux/amd64',
          buildArgs: { binary: './bin/csi-node-driver-registrar-arm64' },
        },
        files: { 'bin/csi-node-driver-registrar': 'ELF' },
        expected: [['XP027', 6, 'error']],
      },
    ],
  },
];
