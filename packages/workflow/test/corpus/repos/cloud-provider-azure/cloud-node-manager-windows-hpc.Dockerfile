# Layout of kubernetes-sigs/cloud-provider-azure's cloud-node-manager-windows-hpc.Dockerfile:
# a HostProcess variant, published as an image of its own.
ARG ARCH=amd64
FROM mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0
ARG ARCH
COPY bin/azure-cloud-node-manager-${ARCH}.exe /cloud-node-manager.exe
ENTRYPOINT ["/cloud-node-manager.exe"]
