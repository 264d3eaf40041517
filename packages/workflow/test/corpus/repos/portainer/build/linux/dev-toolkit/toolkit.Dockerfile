# Layout of portainer/portainer's build/linux/dev-toolkit/toolkit.Dockerfile: a developer image.
FROM ubuntu:20.04
ARG GO_VERSION=go1.17.6.linux-amd64
RUN apt-get update && apt-get install -y curl
COPY run.sh /
