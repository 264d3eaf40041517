# Layout of kubernetes-sigs/cloud-provider-azure's cloud-node-manager.Dockerfile.
FROM --platform=linux/amd64 mcr.microsoft.com/oss/go/microsoft/golang:1.24-bookworm AS builder
ARG ENABLE_GIT_COMMAND=true
ARG ARCH=amd64
WORKDIR /go/src/sigs.k8s.io/cloud-provider-azure
COPY . .
RUN make bin/azure-cloud-node-manager ENABLE_GIT_COMMAND=${ENABLE_GIT_COMMAND} ARCH=${ARCH}

FROM gcr.io/distroless/base:latest
USER 65532:65532
COPY --from=builder /go/src/sigs.k8s.io/cloud-provider-azure/bin/azure-cloud-node-manager /usr/local/bin/cloud-node-manager
ENTRYPOINT [ "/usr/local/bin/cloud-node-manager" ]
