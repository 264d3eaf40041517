# Layout of kubernetes-sigs/azuredisk-csi-driver's pkg/azurediskplugin/Windows.Dockerfile:
# OSVERSION has no default (the Makefile passes 1809 or ltsc2022); a Linux image carries
# the Server Core DLL the Nano Server image lacks.
ARG ARCH=amd64
ARG OSVERSION
FROM --platform=linux/${ARCH} gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-${ARCH}-${OSVERSION} AS core

FROM mcr.microsoft.com/windows/nanoserver:${OSVERSION}
COPY --from=core /Windows/System32/netapi32.dll /Windows/System32/netapi32.dll
USER ContainerAdministrator

ARG ARCH
ARG PLUGIN_NAME=azurediskplugin
ARG binary=./_output/${ARCH}/${PLUGIN_NAME}.exe
COPY ${binary} /azurediskplugin.exe
ENTRYPOINT ["/azurediskplugin.exe"]
