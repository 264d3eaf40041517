# Layout of portainer/portainer's build/linux/alpine.Dockerfile: the same files on Alpine.
FROM alpine:latest AS production
COPY dist /
EXPOSE 9000
ENTRYPOINT ["/portainer"]
