/**
 * A corpus of patterns from public repositories that build Windows (and hybrid) images.
 * Each entry is a minimal reproduction written for this corpus (not a copy), naming the
 * file it reproduces, and per leg the exact findings lint must return: [rule, line,
 * severity]. Driven by ../corpus.test.ts; every entry must parse and lint without a
 * throw, show no error where Docker builds a working image, and find the mismatches.
 */
import type { LintOptions } from '@xplat/dockerfile';
import type { Severity } from '../../src/types.js';

export interface CorpusLeg {
  /** `windows/amd64:ltsc2022`, `linux/amd64`. */
  platform: string;
  /** Lint options; `buildPlatform` as a platform string (default: native). */
  options?: Omit<Partial<LintOptions>, 'buildPlatform'> & { buildPlatform?: string };
  /** Every finding, in lint's order (line, then rule). */
  expected: [rule: string, line: number, severity: Severity][];
  /** A build context with these files (path -> content) is made and linted; none when absent. */
  files?: Record<string, string>;
}

export interface CorpusEntry {
  name: string;
  /** `owner/repo path` of the file whose pattern this reproduces. */
  source: string;
  lines: string[];
  legs: CorpusLeg[];
}

const W22 = 'windows/amd64:ltsc2022';
const W25 = 'windows/amd64:ltsc2025';
const ON_2022 = { runner: 'windows-2022' };
const ON_2025 = { runner: 'windows-2025' };
/** A Windows leg built by buildx on a Linux machine (BuildKit, cross-platform). */
const BUILDX_ON_LINUX = { builder: 'buildx' as const, buildPlatform: 'linux/amd64' };

export const CORPUS: CorpusEntry[] = [
  {
    name: '.NET SDK on Nano Server: Server Core installer stage, PowerShell script with comment lines, setx PATH',
    source: 'dotnet/dotnet-docker src/sdk/8.0/nanoserver-ltsc2022/amd64/Dockerfile',
    lines: [
      '# escape=`',
      'ARG REPO=mcr.microsoft.com/dotnet/aspnet',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022-amd64 AS installer',
      'RUN powershell -Command " `',
      "        $ErrorActionPreference = 'Stop'; `",
      '        # fetch the SDK, then unpack it',
      '        Invoke-WebRequest -OutFile sdk.zip https://example.com/dotnet-sdk-win-x64.zip; `',
      '        mkdir dotnet; `',
      '        tar --extract --file sdk.zip --directory dotnet; `',
      '        Remove-Item -Force sdk.zip"',
      'FROM $REPO:8.0-nanoserver-ltsc2022',
      'ENV DOTNET_NOLOGO=true `',
      '    NUGET_XMLDOC_MODE=skip',
      'USER ContainerAdministrator',
      'RUN setx /M PATH "%PATH%;C:\\Program Files\\dotnet"',
      'USER ContainerUser',
      'COPY --from=installer ["/dotnet", "/Program Files/dotnet"]',
      'RUN dotnet help',
    ],
    legs: [
      { platform: W22, options: ON_2022, expected: [] },
      // The final stage's base is ltsc2022: wrong os.version for an ltsc2025 leg.
      { platform: W25, options: ON_2025, expected: [['XP004', 11, 'error']] },
    ],
  },
  {
    name: '.NET runtime on Server Core ltsc2019: PowerShell from cmd, unquoted, over lines',
    source: 'dotnet/dotnet-docker src/runtime/8.0/windowsservercore-ltsc2019/amd64/Dockerfile',
    lines: [
      '# escape=`',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2019',
      'ENV DOTNET_VERSION=8.0.11',
      'RUN powershell -Command `',
      "        $ErrorActionPreference = 'Stop'; `",
      '        Invoke-WebRequest -OutFile dotnet.zip https://example.com/dotnet-runtime-$Env:DOTNET_VERSION-win-x64.zip; `',
      '        mkdir $Env:ProgramFiles\\dotnet; `',
      '        tar -oxzf dotnet.zip -C $Env:ProgramFiles\\dotnet; `',
      '        Remove-Item -Force dotnet.zip',
      'RUN setx /M PATH "%PATH%;C:\\Program Files\\dotnet"',
    ],
    legs: [
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 2, 'error'],
          ['XP004', 2, 'error'],
        ],
      },
      {
        platform: 'windows/amd64:ltsc2019',
        options: { hostOsVersion: '10.0.17763.6414' },
        expected: [],
      },
    ],
  },
  {
    name: 'Jenkins agent on Server Core: ARG with a trailing comment, quoted tag from an ARG, PowerShell SHELL',
    source: 'jenkinsci/docker-agent windows/windowsservercore/Dockerfile',
    lines: [
      '# escape=`',
      'ARG WINDOWS_VERSION_TAG=ltsc2019',
      'ARG TOOLS_WINDOWS_VERSION # Empty (only used on nanoserver)',
      'FROM mcr.microsoft.com/windows/servercore:"${WINDOWS_VERSION_TAG}" AS jdk-core',
      'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]',
      'ARG JAVA_VERSION=17.0.10+7',
      'RUN New-Item -ItemType Directory -Path C:\\temp | Out-Null ; `',
      "    $url = 'https://example.com/jdk-{0}.msi' -f $env:JAVA_VERSION ; `",
      "    Invoke-WebRequest $url -OutFile 'C:\\temp\\jdk.msi'",
      'FROM mcr.microsoft.com/windows/servercore:"${WINDOWS_VERSION_TAG}" AS agent',
      'ARG JAVA_HOME="C:\\openjdk-17"',
      'ENV JAVA_HOME=${JAVA_HOME}',
      'COPY --from=jdk-core $JAVA_HOME $JAVA_HOME',
      'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]',
      'ARG user=jenkins',
      'RUN net user "$env:USER" /add /expire:never /passwordreq:no ; `',
      '    net localgroup Administrators /add $env:USER',
      'ARG AGENT_ROOT=C:/Users/$user',
      'VOLUME "${AGENT_ROOT}"/.jenkins',
      'WORKDIR "${AGENT_ROOT}"',
      'ENV USER=${user}',
      'FROM agent AS inbound-agent',
      'COPY jenkins-agent.ps1 C:/ProgramData/Jenkins',
      'ENTRYPOINT ["powershell.exe", "-f", "C:/ProgramData/Jenkins/jenkins-agent.ps1"]',
    ],
    legs: [
      // The leg passes the release; only the ARG comment is worth a word.
      {
        platform: W22,
        options: { ...ON_2022, buildArgs: { WINDOWS_VERSION_TAG: 'ltsc2022' } },
        expected: [['XP019', 3, 'warning']],
      },
      // The default (ltsc2019) is no release a hosted runner runs, and not the leg's.
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP019', 3, 'warning'],
          ['XP003', 4, 'error'],
          ['XP003', 10, 'error'],
          ['XP004', 10, 'error'],
        ],
      },
    ],
  },
  {
    name: 'Jenkins agent on Nano Server: quotes in the middle of a tag, ENV PATH written out, pwsh SHELL',
    source: 'jenkinsci/docker-agent windows/nanoserver/Dockerfile',
    lines: [
      '# escape=`',
      'ARG WINDOWS_VERSION_TAG=ltsc2019',
      'ARG TOOLS_WINDOWS_VERSION=1809',
      'FROM mcr.microsoft.com/windows/servercore:"${WINDOWS_VERSION_TAG}" AS jdk-core',
      'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]',
      "RUN Invoke-WebRequest 'https://example.com/jdk.msi' -OutFile 'C:\\jdk.msi'",
      'FROM mcr.microsoft.com/powershell:nanoserver-"${TOOLS_WINDOWS_VERSION}" AS pwsh-source',
      'FROM mcr.microsoft.com/windows/nanoserver:"${WINDOWS_VERSION_TAG}" AS agent',
      'ARG JAVA_HOME=C:/openjdk-17',
      'ENV JAVA_HOME=${JAVA_HOME}',
      'ENV PSHOME="C:\\Program Files\\PowerShell"',
      'ENV PATH="C:\\Windows\\system32;C:\\Windows;${PSHOME};"',
      'COPY --from=jdk-core ${JAVA_HOME} ${JAVA_HOME}',
      'COPY --from=pwsh-source $PSHOME $PSHOME',
      'SHELL ["pwsh.exe", "-Command", "$ErrorActionPreference = \'Stop\';"]',
      'USER ContainerAdministrator',
      'ENV PATH="${PATH};${JAVA_HOME}\\bin"',
      'RUN git config --system core.longpaths true',
    ],
    legs: [
      {
        platform: W22,
        options: {
          ...ON_2022,
          buildArgs: { WINDOWS_VERSION_TAG: 'ltsc2022', TOOLS_WINDOWS_VERSION: 'ltsc2022' },
        },
        expected: [],
      },
      // Only the tools release given: the agent's base is still ltsc2019.
      {
        platform: W22,
        options: { ...ON_2022, buildArgs: { TOOLS_WINDOWS_VERSION: 'ltsc2022' } },
        expected: [
          ['XP003', 4, 'error'],
          ['XP003', 8, 'error'],
          ['XP004', 8, 'error'],
        ],
      },
    ],
  },
  {
    name: 'golang on Server Core: PowerShell SHELL, legacy ENV form, PATH set in the registry',
    source: 'docker-library/golang 1.23/windows/windowsservercore-ltsc2022/Dockerfile',
    lines: [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]',
      'ENV GIT_VERSION 2.23.0',
      'ENV GIT_TAG v${GIT_VERSION}.windows.1',
      "RUN Invoke-WebRequest -Uri ('https://example.com/{0}/MinGit.zip' -f $env:GIT_TAG) -OutFile 'git.zip'; \\",
      '\tExpand-Archive -Path git.zip -DestinationPath C:\\git\\.; \\',
      "\t$env:PATH = 'C:\\git\\cmd;' + $env:PATH; \\",
      "\t[Environment]::SetEnvironmentVariable('PATH', $env:PATH, [EnvironmentVariableTarget]::Machine);",
      'ENV GOPATH C:\\\\go',
      'WORKDIR $GOPATH',
    ],
    legs: [
      { platform: W22, options: ON_2022, expected: [] },
      { platform: W25, options: ON_2025, expected: [['XP004', 1, 'error']] },
    ],
  },
  {
    name: 'golang on Nano Server: cmd SHELL, setx as ContainerAdministrator, COPY --from an image',
    source: 'docker-library/golang 1.23/windows/nanoserver-ltsc2022/Dockerfile',
    lines: [
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
      'SHELL ["cmd", "/S", "/C"]',
      'ENV GOPATH C:\\\\go',
      'USER ContainerAdministrator',
      'RUN setx /m PATH "%GOPATH%\\bin;C:\\Program Files\\Go\\bin;%PATH%"',
      'USER ContainerUser',
      'COPY --from=golang:1.23-windowsservercore-ltsc2022 ["C:\\\\Program Files\\\\Go","C:\\\\Program Files\\\\Go"]',
      'RUN go version',
      'WORKDIR $GOPATH',
    ],
    legs: [
      { platform: W22, options: ON_2022, expected: [] },
      // The base is the leg's concern (XP004); the COPY --from image only has to run here.
      { platform: W25, options: ON_2025, expected: [['XP004', 1, 'error']] },
    ],
  },
  {
    name: 'python on Server Core: ENV versions, Start-Process installer, PATH from the registry',
    source: 'docker-library/python 3.13/windows/windowsservercore-ltsc2022/Dockerfile',
    lines: [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]',
      'ENV PYTHONIOENCODING UTF-8',
      'ENV PYTHON_VERSION 3.13.2',
      "RUN $url = ('https://example.com/python-{0}-amd64.exe' -f $env:PYTHON_VERSION); \\",
      "\tInvoke-WebRequest -Uri $url -OutFile 'python.exe'; \\",
      "\tStart-Process python.exe -Wait -ArgumentList @('/quiet', 'InstallAllUsers=1', 'TargetDir=C:\\Python', 'PrependPath=1'); \\",
      "\t$env:PATH = [Environment]::GetEnvironmentVariable('PATH', [EnvironmentVariableTarget]::Machine); \\",
      '\tpython --version',
      'CMD ["python"]',
    ],
    legs: [{ platform: W22, options: ON_2022, expected: [] }],
  },
  {
    name: 'a test agent on the python 1809 image: release in an image suffix',
    source: 'DataDog/dd-trace-dotnet tracer/build/_build/docker/test-agent.windows.dockerfile',
    lines: [
      'FROM python:3.10.5-windowsservercore-1809',
      'WORKDIR /',
      'RUN pip install --no-cache-dir ddapm-test-agent',
      'ENTRYPOINT [ "ddapm-test-agent", "--port=8126" ]',
    ],
    legs: [
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 1, 'error'],
          ['XP004', 1, 'error'],
        ],
      },
    ],
  },
  {
    name: 'HostProcess kube-proxy: Linux download stage by --platform, base by ARG, full ENV PATH',
    source: 'kubernetes-sigs/sig-windows-tools hostprocess/calico/kube-proxy/Dockerfile',
    lines: [
      '# the files of this image are copied onto the host',
      'ARG BASE="mcr.microsoft.com/windows/nanoserver:1809"',
      '',
      'FROM --platform=linux/amd64 curlimages/curl as bins',
      'ARG k8sVersion="v1.22.1"',
      'WORKDIR /kube-proxy',
      'RUN curl -LO https://dl.k8s.io/$k8sVersion/bin/windows/amd64/kube-proxy.exe',
      '',
      'FROM $BASE',
      'ENV PATH="C:\\Program Files\\PowerShell;C:\\utils;C:\\Windows\\system32;C:\\Windows;"',
      'Add start.ps1 /kube-proxy/start.ps1',
      'COPY --from=bins /kube-proxy/kube-proxy.exe /kube-proxy/kube-proxy.exe',
      'ENTRYPOINT ["PowerShell"]',
    ],
    legs: [
      // As the repository builds it: buildx on Linux, the release passed per leg.
      {
        platform: W22,
        options: {
          ...BUILDX_ON_LINUX,
          buildArgs: { BASE: 'mcr.microsoft.com/windows/nanoserver:ltsc2022' },
        },
        expected: [],
      },
      // On a Windows runner (classic builder) the Linux stage cannot run, and 1809 is wrong.
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP017', 4, 'error'],
          ['XP003', 9, 'error'],
          ['XP004', 9, 'error'],
        ],
      },
    ],
  },
  {
    name: 'csi-proxy: image name assembled from three ARGs, Linux builder stage',
    source: 'kubernetes-sigs/sig-windows-tools hostprocess/csi-proxy/Dockerfile.windows',
    lines: [
      'ARG REGISTRY=mcr.microsoft.com/windows',
      'ARG WINDOWS_BASE_IMAGE=nanoserver',
      'ARG WINDOWS_VERSION=1809',
      '',
      'FROM --platform=linux/amd64 golang:1.20 as builder',
      'ARG CSI_PROXY_VERSION=v1.1.2',
      'RUN git clone https://github.com/kubernetes-csi/csi-proxy.git /go/csi-proxy &&\\',
      '    cd /go/csi-proxy &&\\',
      '    git checkout tags/${CSI_PROXY_VERSION} &&\\',
      '    make build',
      '',
      'FROM ${REGISTRY}/${WINDOWS_BASE_IMAGE}:${WINDOWS_VERSION}',
      'COPY --from=builder /go/csi-proxy/bin/csi-proxy.exe /csi-proxy.exe',
      'ENV PATH="C:\\Windows\\system32;C:\\Windows;C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\;"',
      'ENTRYPOINT ["csi-proxy.exe", "-v", "4"]',
    ],
    legs: [
      {
        platform: W22,
        options: { ...BUILDX_ON_LINUX, buildArgs: { WINDOWS_VERSION: 'ltsc2022' } },
        expected: [],
      },
      // The default release (1809) is not the leg's: the error names WINDOWS_VERSION as
      // the ARG to set. No XP003: built on Linux, no Windows host has to run ltsc2019.
      { platform: W22, options: BUILDX_ON_LINUX, expected: [['XP004', 12, 'error']] },
    ],
  },
  {
    name: 'windows_exporter per-release image: base chosen by ARG',
    source: 'prometheus-community/windows_exporter Dockerfile (nanoserver revision)',
    lines: [
      'ARG BASE="mcr.microsoft.com/windows/nanoserver:1809"',
      'FROM $BASE',
      'ENV PATH="C:\\Windows\\system32;C:\\Windows;"',
      'COPY output/amd64/windows_exporter.exe /windows_exporter.exe',
      'ENTRYPOINT ["windows_exporter.exe"]',
    ],
    legs: [
      {
        platform: W22,
        options: {
          ...ON_2022,
          buildArgs: { BASE: 'mcr.microsoft.com/windows/nanoserver:ltsc2022' },
        },
        expected: [],
      },
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 2, 'error'],
          ['XP004', 2, 'error'],
        ],
      },
    ],
  },
  {
    name: 'windows_exporter HostProcess image: release-agnostic base, no pinning advice',
    source: 'prometheus-community/windows_exporter Dockerfile',
    lines: [
      '# HostProcess base image: runs on any Windows release',
      'ARG BASE="mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0"',
      'FROM $BASE',
      'COPY output/amd64/windows_exporter.exe /windows_exporter.exe',
      'ENTRYPOINT ["windows_exporter.exe"]',
    ],
    legs: [
      { platform: W22, options: BUILDX_ON_LINUX, expected: [] },
      { platform: W25, options: ON_2025, expected: [] },
    ],
  },
  {
    name: 'cross-compiling Go for a HostProcess image: $BUILDPLATFORM builder stage',
    source: 'prometheus-community/windows_exporter Dockerfile (buildx revision)',
    lines: [
      'ARG BASE=mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0',
      'FROM --platform=$BUILDPLATFORM golang:1.21 as builder',
      'ARG TARGETARCH',
      'ARG TARGETOS',
      'WORKDIR /w',
      'COPY go.mod go.sum ./',
      'RUN go mod download',
      'COPY . ./',
      'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH make windows_exporter.exe',
      'FROM $BASE',
      'COPY --from=builder /w/windows_exporter.exe /windows_exporter.exe',
      'ENTRYPOINT ["windows_exporter.exe"]',
    ],
    legs: [
      { platform: W22, options: BUILDX_ON_LINUX, expected: [] },
      // On a Windows runner the builder stage is Windows golang, and GOOS=... is no command.
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP002', 2, 'warning'],
          ['XP024', 2, 'error'],
          ['XP021', 9, 'error'],
        ],
      },
    ],
  },
  {
    name: 'OpenTelemetry Collector: release built from an ARG inside the tag',
    source:
      'open-telemetry/opentelemetry-collector-releases distributions/otelcol-contrib/Windows.dockerfile',
    lines: [
      '# escape=`',
      'ARG WIN_VERSION=2019',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc${WIN_VERSION}',
      'COPY otelcol-contrib.exe ./otelcol-contrib.exe',
      'COPY config.yaml ./config.yaml',
      'ENV NO_WINDOWS_SERVICE=1',
      'ENTRYPOINT ["otelcol-contrib.exe"]',
      'CMD ["--config", "config.yaml"]',
      'EXPOSE 4317 4318 55678 55679',
    ],
    legs: [
      { platform: W22, options: { ...ON_2022, buildArgs: { WIN_VERSION: '2022' } }, expected: [] },
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 3, 'error'],
          ['XP004', 3, 'error'],
        ],
      },
    ],
  },
  {
    name: 'OpenTelemetry Collector fork: COPY --chmod on Windows (BuildKit only)',
    source:
      'douglascamata/opentelemetry-collector-releases distributions/otelcol/Windows.dockerfile',
    lines: [
      '# escape=`',
      'ARG WIN_VERSION=2019',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc${WIN_VERSION}',
      'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]',
      'COPY --chmod=755 otelcol.exe ./otelcol.exe',
      'ENTRYPOINT ["otelcol.exe"]',
    ],
    legs: [
      {
        platform: W22,
        options: { ...BUILDX_ON_LINUX, buildArgs: { WIN_VERSION: '2022' } },
        expected: [],
      },
      {
        platform: W22,
        options: { ...ON_2022, buildArgs: { WIN_VERSION: '2022' } },
        expected: [['XP017', 5, 'error']],
      },
    ],
  },
  {
    name: 'Datadog Agent: base image by ARG, the ARG reused in a LABEL without redeclaring it',
    source: 'DataDog/datadog-agent Dockerfiles/agent/windows/amd64/Dockerfile',
    lines: [
      'ARG BASE_IMAGE=mcr.microsoft.com/powershell:lts-windowsservercore-1809',
      'FROM ${BASE_IMAGE}',
      'LABEL baseimage.os "windows server core"',
      'LABEL baseimage.name "${BASE_IMAGE}"',
      'ARG WITH_JMX="false"',
      'USER ContainerAdministrator',
      'SHELL ["pwsh", "-Command", "$ErrorActionPreference = \'Stop\';"]',
      'COPY install.ps1 ./',
      'RUN . ./install.ps1',
      'EXPOSE 8125/udp 8126/tcp',
      'ENTRYPOINT ["C:/entrypoint.exe"]',
    ],
    legs: [
      {
        platform: W22,
        options: {
          ...ON_2022,
          buildArgs: { BASE_IMAGE: 'mcr.microsoft.com/powershell:lts-windowsservercore-ltsc2022' },
        },
        expected: [['XP022', 4, 'warning']],
      },
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 2, 'error'],
          ['XP004', 2, 'error'],
          ['XP022', 4, 'warning'],
        ],
      },
    ],
  },
  {
    name: 'Datadog Agent (older): a helper stage whose release ARG defaults to "unknown"',
    source: 'DataDog/datadog-agent Dockerfiles/agent/windows/amd64/Dockerfile (unzipper revision)',
    lines: [
      'ARG BASE_IMAGE=mcr.microsoft.com/powershell:lts-windowsservercore-1809',
      'ARG VARIANT="unknown"',
      'FROM mcr.microsoft.com/powershell:lts-windowsservercore-${VARIANT} as unzipper',
      'SHELL ["pwsh", "-Command", "$ErrorActionPreference = \'Stop\';"]',
      'COPY datadog-agent.zip uncompress-zip.ps1 ./',
      'RUN . ./uncompress-zip.ps1',
      'FROM ${BASE_IMAGE}',
      'COPY --from=unzipper ["C:/Program Files/Datadog", "C:/Program Files/Datadog"]',
    ],
    legs: [
      {
        platform: W22,
        options: {
          ...ON_2022,
          buildArgs: { BASE_IMAGE: 'mcr.microsoft.com/powershell:lts-windowsservercore-ltsc2022' },
        },
        expected: [['XP002', 3, 'warning']],
      },
      {
        platform: W22,
        options: {
          ...ON_2022,
          buildArgs: {
            BASE_IMAGE: 'mcr.microsoft.com/powershell:lts-windowsservercore-ltsc2022',
            VARIANT: 'ltsc2022',
          },
        },
        expected: [],
      },
    ],
  },
  {
    name: 'Azure Disk CSI: a Linux image named windows-servercore-cache, release ARG without default',
    source: 'kubernetes-sigs/azuredisk-csi-driver pkg/azurediskplugin/Windows.Dockerfile',
    lines: [
      'ARG ARCH=amd64',
      'ARG OSVERSION',
      'FROM --platform=linux/${ARCH} gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-${ARCH}-${OSVERSION} as core',
      '',
      'FROM mcr.microsoft.com/windows/nanoserver:${OSVERSION}',
      'COPY --from=core /Windows/System32/netapi32.dll /Windows/System32/netapi32.dll',
      'USER ContainerAdministrator',
      'LABEL description="CSI Azure disk plugin"',
      'ARG ARCH',
      'COPY ./_output/${ARCH}/azurediskplugin.exe /azurediskplugin.exe',
      'ENTRYPOINT ["/azurediskplugin.exe"]',
    ],
    legs: [
      {
        platform: W22,
        options: { ...BUILDX_ON_LINUX, buildArgs: { OSVERSION: 'ltsc2022' } },
        expected: [],
      },
      // No OSVERSION: the tag is empty, and the error says which ARG to pass.
      { platform: W22, options: BUILDX_ON_LINUX, expected: [['XP001', 5, 'error']] },
    ],
  },
  {
    name: 'ASP.NET with LogMonitor: SHELL switched between cmd, powershell and a wrapper',
    source: 'pichuang/sample-aspnet-container Dockerfile',
    lines: [
      'FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022',
      'WORKDIR /LogMonitor',
      'COPY LogMonitor.exe LogMonitorConfig.json C:/LogMonitor/',
      'RUN echo default',
      'RUN powershell -command Write-Host default',
      'SHELL ["powershell", "-command"]',
      'RUN Write-Host hello',
      'SHELL ["cmd", "/S", "/C"]',
      'RUN echo hello',
      'SHELL ["C:\\\\LogMonitor\\\\LogMonitor.exe", "powershell.exe"]',
      'ENTRYPOINT Start-Service WMSVC; C:\\ServiceMonitor.exe w3svc;',
    ],
    legs: [{ platform: W22, options: ON_2022, expected: [] }],
  },
  {
    name: 'LogMonitor as SHELL wrapper around cmd',
    source: 'microsoft/windows-container-tools LogMonitor/README.md',
    lines: [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      'COPY LogMonitor.exe LogMonitorConfig.json C:\\LogMonitor\\',
      'WORKDIR /LogMonitor',
      'SHELL ["C:\\\\LogMonitor\\\\LogMonitor.exe", "cmd", "/S", "/C"]',
      'CMD c:\\windows\\system32\\ping.exe -n 20 localhost',
    ],
    legs: [{ platform: W22, options: ON_2022, expected: [] }],
  },
  {
    name: '.NET Framework app on an untagged-release aspnet image',
    source: 'hodeh/netcandystore Dockerfile',
    lines: [
      'FROM  mcr.microsoft.com/dotnet/framework/aspnet:4.8',
      'WORKDIR /inetpub/wwwroot',
      'EXPOSE 80',
      'COPY . .',
    ],
    // XP002 suggests a windowsservercore tag: .NET Framework has no Nano Server images.
    legs: [{ platform: W22, options: ON_2022, expected: [['XP002', 1, 'warning']] }],
  },
  {
    name: '.NET Framework build without any tag, runtime on the retired Docker Hub name',
    source: 'dechaA/StarteamJenkins_Test Dockerfile',
    lines: [
      'FROM mcr.microsoft.com/dotnet/framework/sdk AS build-env',
      'WORKDIR /app',
      'COPY . .',
      'RUN msbuild.exe /t:Build /p:Configuration=Release /p:OutputPath=out',
      'FROM microsoft/dotnet-framework:4.7.1',
      'WORKDIR /app',
      'COPY --from=build-env /app/out ./',
      'ENTRYPOINT ["dotnetapp.exe"]',
    ],
    legs: [
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP001', 1, 'error'],
          ['XP002', 5, 'warning'],
        ],
      },
    ],
  },
  {
    name: 'IIS on the retired microsoft/windowsservercore name, dism over continued lines',
    source: 'dotnet/docs samples/framework/docker/MVCRandomAnswerGenerator/aspnet/Dockerfile',
    lines: [
      'FROM microsoft/windowsservercore',
      'RUN dism /online /enable-feature /featurename:IIS-WebServerRole \\',
      '                                 /featurename:IIS-WebServer',
      'ADD ServiceMonitor.exe /ServiceMonitor.exe',
      'ENTRYPOINT ["C:\\\\ServiceMonitor.exe", "w3svc"]',
      'RUN powershell -Command Add-WindowsFeature Web-Asp-Net45',
    ],
    legs: [{ platform: W22, options: ON_2022, expected: [['XP001', 1, 'error']] }],
  },
  {
    name: 'setx /M PATH on Server Core, relative COPY destinations',
    source: 'princepereira/TcpClientServer Dockerfile',
    lines: [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      'USER ContainerAdministrator',
      'RUN cd C:',
      'RUN setx /M PATH "%PATH%;C:/"',
      'COPY ./bins/client.exe ./',
      'COPY ./bins/server.exe ./',
      'EXPOSE 4444',
    ],
    legs: [{ platform: W22, options: ON_2022, expected: [] }],
  },
  {
    name: 'nginx on Server Core 2019 with an ENV PATH of variables the image does not have',
    source: 'Dumba/docker-nginx-win Dockerfile',
    lines: [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2019',
      'WORKDIR c:/nginx',
      'COPY ./install .',
      'ENV PATH="$WindowsPATH;${ProgramFiles}\\PowerShell;c:\\nginx"',
      'CMD [ "nginx" ]',
    ],
    legs: [
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 1, 'error'],
          ['XP004', 1, 'error'],
        ],
      },
    ],
  },
  {
    name: 'HostProcess eBPF installer: base pinned by digest only',
    source: 'microsoft/ebpf-for-windows (HostProcess installer image Dockerfile)',
    lines: [
      '# files of this image are copied to $env:CONTAINER_SANDBOX_MOUNT_POINT on the host',
      `FROM mcr.microsoft.com/windows/nanoserver@sha256:${'f1'.repeat(32)}`,
      'ENV PATH="C:\\Program Files\\PowerShell;C:\\utils;C:\\Windows\\system32;C:\\Windows;"',
      'ARG RELEASE_MSI=ebpf-for-windows.msi',
      'COPY ${RELEASE_MSI} /ebpf-for-windows.msi',
      'ENTRYPOINT ["powershell"]',
    ],
    legs: [{ platform: W22, options: ON_2022, expected: [] }],
  },
  {
    name: 'pyenv-win: PowerShell one-liner with & inside quotes, from cmd',
    source: 'GSS-Cogs/windows-docker-images Dockerfile',
    lines: [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      `RUN powershell -Command "Invoke-WebRequest -UseBasicParsing -Uri 'https://example.com/install-pyenv-win.ps1' -OutFile './install-pyenv-win.ps1'; &'./install-pyenv-win.ps1'"`,
      'RUN pyenv install 3.11.1',
      'RUN pyenv global 3.11.1',
    ],
    legs: [{ platform: W22, options: ON_2022, expected: [] }],
  },
  {
    name: 'build-number tag with an architecture suffix, PowerShell over continued lines',
    source: 'mud5150/win-dns-tests Dockerfile',
    lines: [
      '# escape=`',
      'FROM mcr.microsoft.com/windows/servercore:10.0.17763.1158-amd64',
      'RUN powershell.exe -Command `',
      '    Install-WindowsFeature -Name DNS -IncludeManagementTools; `',
      '    choco install git golang -y',
      'ENTRYPOINT [ "powershell.exe" ]',
    ],
    legs: [
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 2, 'error'],
          ['XP004', 2, 'error'],
        ],
      },
    ],
  },
  {
    name: 'Go builder on an ltsc2016 image, Nano Server 1909 runtime',
    source: 'dgkanatsios/simpleudpserverwindows Dockerfile',
    lines: [
      'FROM golang:1.12.13-windowsservercore-ltsc2016 AS builder',
      'ADD . C:\\\\app',
      'WORKDIR C:\\\\app',
      'RUN go build -a -o C:\\\\app\\\\simpleudpserverwindows.exe .',
      'FROM mcr.microsoft.com/windows/nanoserver:1909',
      'COPY --from=builder C:\\\\app\\\\simpleudpserverwindows.exe C:\\\\simpleudpserverwindows.exe',
      'ENTRYPOINT ["C:\\\\simpleudpserverwindows.exe"]',
    ],
    legs: [
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 1, 'error'],
          ['XP003', 5, 'error'],
          ['XP004', 5, 'error'],
        ],
      },
    ],
  },
  {
    name: 'Go on Nano Server ltsc2022: golang nanoserver builder, exec-form CMD with a backslash',
    source: 'ericgregory/http-server-nanoserver-ltsc2022 Dockerfile',
    lines: [
      'FROM golang:1.20-nanoserver-ltsc2022 as gobuild',
      'COPY . /app',
      'WORKDIR /app',
      'RUN go mod download',
      'RUN go build main.go',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
      'COPY --from=gobuild /app/main.exe /main.exe',
      'EXPOSE 80',
      'CMD ["\\\\main.exe"]',
    ],
    legs: [
      { platform: W22, options: ON_2022, expected: [] },
      { platform: W25, options: ON_2025, expected: [['XP004', 6, 'error']] },
    ],
  },
  {
    name: 'chisel on Nano Server: ENV in both forms, RUN continued with backslashes under cmd',
    source: 'easySoft-GmbH/chisel windows-nano-ltsc2022.dockerfile',
    lines: [
      'FROM golang:nanoserver-ltsc2022 AS build-env',
      'ENV CGO_ENABLED 0',
      'ENV GOOS=windows',
      'ADD . /src',
      'WORKDIR /src',
      'RUN go build \\',
      '    -ldflags "-X main.BuildVersion=1.7.7" \\',
      '    -o chisel',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
      'WORKDIR /app',
      'COPY --from=build-env /src/chisel /app/chisel',
      'ENTRYPOINT ["/app/chisel"]',
    ],
    legs: [{ platform: W22, options: ON_2022, expected: [] }],
  },
  {
    name: 'hybrid Go template: $BUILDPLATFORM alpine builder, per-OS scratch stages picked by TARGETOS',
    source: 'Lemmah/go-template Dockerfile',
    lines: [
      'FROM --platform=${BUILDPLATFORM} golang:1.14.3-alpine AS build',
      'WORKDIR /src',
      'COPY . .',
      'ENV CGO_ENABLED=0',
      'ARG TARGETOS',
      'ARG TARGETARCH',
      'RUN GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -o /out/example .',
      'FROM scratch AS bin-unix',
      'COPY --from=build /out/example /',
      'FROM bin-unix AS bin-linux',
      'FROM scratch AS bin-windows',
      'COPY --from=build /out/example /example.exe',
      'FROM bin-${TARGETOS} AS bin',
    ],
    legs: [
      { platform: 'linux/amd64', expected: [] },
      { platform: 'linux/arm64', options: { buildPlatform: 'linux/amd64' }, expected: [] },
      { platform: W22, options: BUILDX_ON_LINUX, expected: [] },
      // On a Windows runner the alpine builder would have to run on Windows.
      { platform: W22, options: ON_2022, expected: [['XP005', 1, 'error']] },
    ],
  },
  {
    name: 'Windows Go image from the winamd64 namespace, building for Linux by env prefix',
    source: 'denzakh/docker-demo-2 Dockerfile',
    lines: [
      'FROM winamd64/golang:1.21 as build',
      'WORKDIR /go/bin',
      'COPY . .',
      'RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build',
    ],
    legs: [
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP002', 1, 'warning'],
          ['XP021', 4, 'error'],
        ],
      },
    ],
  },
  {
    name: 'Windows 10 full image and a retired release in exec-form RUN steps',
    source: 'PartTimeLegend/newmachinebuild Dockerfile',
    lines: [
      'FROM mcr.microsoft.com/windows:1809',
      'RUN ["powershell", "New-Item", "-Path \\"C:\\"", "-ItemType \\"directory\\"", "-Name \\"temp\\""]',
      'WORKDIR C:/temp',
      'COPY NewMachineSetup.ps1 c:/temp/',
      'RUN ["powershell", "-ExecutionPolicy", "Bypass", "c:\\\\temp\\\\NewMachineSetup.ps1"]',
    ],
    legs: [
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP003', 1, 'error'],
          ['XP004', 1, 'error'],
        ],
      },
    ],
  },
  {
    name: 'Node on the retired microsoft/nanoserver name: ADD from a URL, SETX PATH',
    source: 'compulim/docker-nanoserver-node Dockerfile',
    lines: [
      'FROM microsoft/nanoserver',
      'ADD https://nodejs.org/dist/v8.0.0/node-v8.0.0-win-x64.zip C:\\\\build\\\\node.zip',
      'RUN powershell -Command Expand-Archive C:\\build\\node.zip C:\\; Rename-Item C:\\node-v8.0.0-win-x64 node',
      'RUN SETX PATH C:\\node',
      'ENTRYPOINT C:\\node\\node.exe',
    ],
    legs: [{ platform: W22, options: ON_2022, expected: [['XP001', 1, 'error']] }],
  },
  {
    name: 'Jenkins CI image: COPY --from images of another release, PowerShell PATH in the registry',
    source: 'sixeyed/docker-on-windows ch10/ch10-jenkins/Dockerfile',
    lines: [
      '# escape=`',
      'FROM dockeronwindows/ch10-jenkins-base:2e',
      'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]',
      'WORKDIR C:\\git',
      'COPY --from=sixeyed/git:2.17.1-windowsservercore-ltsc2019 C:\\git .',
      "RUN $env:PATH = 'C:\\git\\cmd;' + $env:PATH; `",
      "\t[Environment]::SetEnvironmentVariable('PATH', $env:PATH, [EnvironmentVariableTarget]::Machine)",
    ],
    legs: [
      {
        platform: W22,
        options: ON_2022,
        expected: [
          ['XP002', 2, 'warning'],
          ['XP003', 5, 'error'],
        ],
      },
    ],
  },
];
