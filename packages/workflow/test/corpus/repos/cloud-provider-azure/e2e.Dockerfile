# Layout of kubernetes-sigs/cloud-provider-azure's e2e.Dockerfile: the end-to-end test runner.
FROM mcr.microsoft.com/oss/go/microsoft/golang:1.24-bookworm
WORKDIR /go/src/sigs.k8s.io/cloud-provider-azure
COPY . .
RUN go mod tidy
