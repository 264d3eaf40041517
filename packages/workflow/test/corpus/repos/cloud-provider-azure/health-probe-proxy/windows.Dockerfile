# Layout of kubernetes-sigs/cloud-provider-azure's health-probe-proxy/windows.Dockerfile.
ARG OSVERSION=1809
ARG ARCH=amd64
FROM --platform=linux/amd64 gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-${ARCH}-$OSVERSION AS servercore-helper
FROM mcr.microsoft.com/windows/nanoserver:$OSVERSION
ARG OSVERSION
ARG ARCH
COPY --from=servercore-helper /Windows/System32/netapi32.dll /Windows/System32/netapi32.dll
COPY bin/health-probe-proxy.exe /health-probe-proxy.exe
USER ContainerAdministrator
ENTRYPOINT ["/health-probe-proxy.exe"]
