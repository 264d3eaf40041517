# Layout of kubernetes-sigs/azurefile-csi-driver's pkg/azurefileplugin/Windows.Dockerfile.
ARG ARCH=amd64
ARG OSVERSION
FROM --platform=linux/${ARCH} gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-${ARCH}-${OSVERSION} AS core

FROM mcr.microsoft.com/windows/nanoserver:${OSVERSION}
COPY --from=core /Windows/System32/netapi32.dll /Windows/System32/netapi32.dll
USER ContainerAdministrator
ARG ARCH=amd64
ARG binary=./_output/${ARCH}/azurefileplugin.exe
COPY ${binary} /azurefileplugin.exe
ENTRYPOINT ["/azurefileplugin.exe"]
