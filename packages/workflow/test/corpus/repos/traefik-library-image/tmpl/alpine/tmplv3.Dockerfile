# Layout of traefik/traefik-library-image's tmpl/alpine/tmplv3.Dockerfile: a template
# update.sh fills in, not a Dockerfile of its own.
FROM alpine:$ALPINE_VERSION
RUN wget -O /tmp/traefik.tar.gz "https://github.com/traefik/traefik/releases/download/$VERSION/traefik_${VERSION}_linux_$arch.tar.gz"
