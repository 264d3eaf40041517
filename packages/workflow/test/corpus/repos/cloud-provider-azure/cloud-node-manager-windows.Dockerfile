# Layout of kubernetes-sigs/cloud-provider-azure's cloud-node-manager-windows.Dockerfile: the
# binary comes from `make bin/azure-cloud-node-manager.exe`; OSVERSION picks the release.
ARG OSVERSION=1809
ARG ARCH=amd64
FROM --platform=linux/amd64 gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-${ARCH}-$OSVERSION AS servercore-helper
FROM mcr.microsoft.com/windows/nanoserver:$OSVERSION
ARG OSVERSION
ARG ARCH
COPY --from=servercore-helper /Windows/System32/netapi32.dll /Windows/System32/netapi32.dll
COPY bin/azure-cloud-node-manager-${ARCH}.exe /cloud-node-manager.exe
USER ContainerUser
ENTRYPOINT ["/cloud-node-manager.exe"]
