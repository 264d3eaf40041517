#!/usr/bin/env bash
# Start the xplat test bed: a private Docker engine, two local registries and the
# fixture images the tests run against. Idempotent: when it is already up and
# healthy this exits 0 at once; a stale or half-started one is torn down first.
#
#   scripts/testbed/up.sh            # start (or confirm) the test bed
#   set -a; . "$XPLAT_TESTBED_DIR/env"; set +a   # then use it
#   scripts/testbed/down.sh          # stop everything, delete the state folder
#
# Nothing is pulled and nothing leaves the machine: images are built FROM scratch
# out of Debian's static busybox, Windows images are written as OCI layouts by hand,
# and every network address used is 127.0.0.1.
#
# Inputs (environment, all optional):
#   XPLAT_TESTBED_DIR             state folder (default ${TMPDIR:-/tmp}/xplat-testbed)
#   XPLAT_TESTBED_CACHE           where install.sh keeps the arm64 busybox
#                                 (default /var/cache/xplat-testbed)
#   XPLAT_TESTBED_STORAGE_DRIVER  force a dockerd storage driver (default: overlay2,
#                                 falling back to vfs when overlay2 will not start)
#   XPLAT_TESTBED_SKIP_INSTALL=1  do not run install.sh first
#   XPLAT_DOCKERD                 dockerd binary (default /usr/sbin/dockerd)
#
# Output: $XPLAT_TESTBED_DIR/env, KEY=VALUE lines (no quotes, no export), written
# last and atomically, so its presence means "up". Keys:
#   XPLAT_TESTBED_DIR         the state folder itself
#   DOCKER_HOST               unix://$DIR/docker.sock, the private dockerd 20.10
#   DOCKER_CONFIG             $DIR/docker-config: an empty docker CLI config, so tests
#                             never read or write ~/.docker
#   XPLAT_DOCKER              /usr/bin/docker, the CLI with BuildKit (DOCKER_BUILDKIT=1);
#                             /usr/local/bin/docker (28) has no buildx
#   XPLAT_DOCKER_SERVER_VERSION  e.g. 20.10.24+dfsg1
#   XPLAT_STORAGE_DRIVER      overlay2 or vfs, whichever dockerd runs with
#   XPLAT_REGISTRY_OPEN       127.0.0.1:PORT, distribution 2.8, no auth, plain http
#   XPLAT_REGISTRY_AUTH       127.0.0.1:PORT, same but htpasswd basic auth
#   XPLAT_REGISTRY_USER       xplat
#   XPLAT_REGISTRY_PASSWORD   random per run
#   XPLAT_REGISTRY_AUTHFILE   containers-auth.json holding those credentials for the
#                             auth registry (skopeo --authfile / REGISTRY_AUTH_FILE)
#   XPLAT_BUSYBOX_AMD64       static amd64 busybox (/bin/busybox)
#   XPLAT_BUSYBOX_ARM64       static arm64 busybox (runs here through QEMU binfmt)
#   XPLAT_LOCAL_IMAGE_LINUX_AMD64 / _ARM64
#                             the fixtures as tagged in the private engine too
#                             (xplat-fixtures/busybox:linux-amd64 / :linux-arm64), for
#                             docker run without any registry
#   For every fixture below, XPLAT_FIXTURE_<NAME>_REF (repo:tag) and
#   XPLAT_FIXTURE_<NAME>_DIGEST (sha256:... of the manifest as stored):
#     LINUX_AMD64           $OPEN/fixtures/busybox:linux-amd64      docker v2s2, built by BuildKit
#     LINUX_ARM64           $OPEN/fixtures/busybox:linux-arm64      docker v2s2, built by BuildKit,
#                                                                   config has no variant
#     LINUX_ARM64_V8        $OPEN/fixtures/busybox:linux-arm64-v8   the arm64 image as OCI, config
#                                                                   rewritten with "variant": "v8"
#     LINUX_AMD64_OCI       $OPEN/fixtures/busybox:linux-amd64-oci  the amd64 image as OCI
#     WINDOWS_LTSC2022      $OPEN/fixtures/windows:ltsc2022         docker v2s2, os.version 10.0.20348.2655
#     WINDOWS_LTSC2022_OCI  $OPEN/fixtures/windows:ltsc2022-oci     same config, OCI manifest
#     WINDOWS_LTSC2025      $OPEN/fixtures/windows:ltsc2025         docker v2s2, os.version 10.0.26100.1742,
#                                                                   os.features ["win32k"]
#     WINDOWS_LTSC2025_OCI  $OPEN/fixtures/windows:ltsc2025-oci     same config, OCI manifest
#     ATTESTED              $OPEN/fixtures/attested:latest          OCI index: linux/amd64 image +
#                                                                   buildx-style attestation manifest
#     BUSYBOX_LIST          $OPEN/fixtures/busybox:1.37             docker manifest list of LINUX_AMD64 and
#                                                                   LINUX_ARM64 (arm64/v8), like Docker Hub's
#                                                                   busybox:1.37: a base image for any arch
#     OTHER_LINUX_AMD64     $OPEN/other/busybox:linux-amd64         LINUX_AMD64 in a second repository
#     AUTH_LINUX_AMD64      $AUTH/fixtures/busybox:linux-amd64      copies in the auth registry
#     AUTH_LINUX_ARM64      $AUTH/fixtures/busybox:linux-arm64
#     AUTH_WINDOWS_LTSC2022 $AUTH/fixtures/windows:ltsc2022
#     AUTH_WINDOWS_LTSC2025 $AUTH/fixtures/windows:ltsc2025
#   XPLAT_FIXTURE_ATTESTED_IMAGE_DIGEST        the linux/amd64 manifest inside ATTESTED
#                                              (equals LINUX_AMD64_OCI's digest)
#   XPLAT_FIXTURE_ATTESTED_ATTESTATION_DIGEST  its attestation manifest (unknown/unknown)
#   Copies keep their digests (skopeo --preserve-digests), so OTHER_* and AUTH_*
#   digests equal the originals'.
#
# The Linux fixtures are busybox with every applet linked in /bin, CMD ["sh"], and
# /www/index.html saying "xplat fixture linux/<arch>" (for `httpd -f -p PORT -h /www`).
# The engine has no bridge network (--bridge=none, no iptables): run containers
# with --network host (or none); -p port publishing is not available.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# ---------------------------------------------------------------------------
# Common settings and helpers (the state folder, log/die and the PID checks are
# lib.sh's, shared with down.sh)
# ---------------------------------------------------------------------------
TESTBED_STEP=up
# shellcheck source=lib.sh
. "$HERE/lib.sh"   # DIR, LOCK_FILE, MARKER, log/err/die, alive, pid_from, take_lock

if [[ -z "${XPLAT_TESTBED_CACHE:-}" ]]; then   # same default as install.sh
  if [[ -w /var/cache ]]; then XPLAT_TESTBED_CACHE=/var/cache/xplat-testbed
  else XPLAT_TESTBED_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/xplat-testbed"; fi
fi
export XPLAT_TESTBED_CACHE

DOCKER=/usr/bin/docker          # 20.10 with BuildKit; /usr/local/bin/docker lacks buildx
DOCKERD="${XPLAT_DOCKERD:-}"
if [[ -z "$DOCKERD" ]]; then    # Debian installs it in /usr/sbin, not /usr/bin
  for c in /usr/sbin/dockerd /usr/bin/dockerd; do [[ -x "$c" ]] && { DOCKERD="$c"; break; }; done
fi
BUSYBOX_AMD64=/bin/busybox      # from busybox-static (amd64)
BUSYBOX_ARM64="$XPLAT_TESTBED_CACHE/busybox-arm64/bin/busybox"   # from install.sh
REG_USER=xplat

env_get() { [[ -r "$DIR/env" ]] && sed -n "s/^$1=//p" "$DIR/env" | head -n1 || true; }

# Run a command with its output in $DIR/logs/<name>.log; on failure show the tail.
# The password is masked in what is printed.
run_logged() {
  local name="$1"; shift
  local logf="$DIR/logs/$name.log"
  if ! "$@" >>"$logf" 2>&1; then
    local cmd="$*"
    [[ -n "${REG_PASSWORD:-}" ]] && cmd="${cmd//$REG_PASSWORD/***}"
    err "command failed: $cmd"
    tail -n 30 "$logf" | sed 's/^/    | /' >&2
    return 1
  fi
}

# Traffic stays on loopback: no proxy may capture it.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
# Our docker CLI calls talk to our dockerd only, with our own (empty) CLI config.
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
export DOCKER_HOST="unix://$DIR/docker.sock" DOCKER_CONFIG="$DIR/docker-config"
export DOCKER_BUILDKIT=1

# ---------------------------------------------------------------------------
# Already up?
# ---------------------------------------------------------------------------
http_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$@" || true; }

healthy() {
  [[ -f "$DIR/env" ]] || return 1
  local f
  for f in dockerd registry-open registry-auth; do
    alive "$(pid_from "$DIR/pids/$f.pid")" || return 1
  done
  [[ "$(http_code "http://$(env_get XPLAT_REGISTRY_OPEN)/v2/")" == 200 ]] || return 1
  [[ "$(http_code "http://$(env_get XPLAT_REGISTRY_AUTH)/v2/")" == 401 ]] || return 1
  timeout 10 "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# fd 9 holds the lock; the daemons below are started with 9>&- so that they do
# not inherit it (they would hold the lock for as long as they live).
take_lock
export XPLAT_TESTBED_LOCKED=1   # tells down.sh (called below) that we hold the lock

if [[ -e "$DIR" ]]; then
  if healthy; then
    log "already up: $DIR/env"
    exit 0
  fi
  log "found a stale or partial test bed in $DIR: tearing it down first"
  "$HERE/down.sh"
fi

if [[ "${XPLAT_TESTBED_SKIP_INSTALL:-}" != 1 ]]; then
  "$HERE/install.sh"
fi
[[ -x "$DOCKERD" ]] || die "dockerd not found (looked in /usr/sbin, /usr/bin; set XPLAT_DOCKERD)"
[[ -x "$BUSYBOX_ARM64" ]] || die "no arm64 busybox at $BUSYBOX_ARM64: run install.sh"

log "state folder: $DIR"
mkdir -p "$DIR"/{pids,logs,build,docker,registry,docker-config}
touch "$MARKER"
echo '{}' > "$DOCKER_CONFIG/config.json"
trap '(( BASH_SUBSHELL == 0 )) && err "up.sh failed at line $LINENO"' ERR
trap 'rc=$?; (( rc == 0 )) || err "up.sh failed (exit $rc). Logs: $DIR/logs. The next up.sh cleans up by itself, or run $HERE/down.sh"' EXIT

# ---------------------------------------------------------------------------
# 1. QEMU for arm64: binfmt_misc with the F flag, so the interpreter is opened
#    at registration and also works inside containers' mount namespaces.
# ---------------------------------------------------------------------------
BINFMT=/proc/sys/fs/binfmt_misc
if [[ ! -e "$BINFMT/status" ]]; then
  log "mounting binfmt_misc"
  mount -t binfmt_misc binfmt_misc "$BINFMT"
fi
[[ "$(cat "$BINFMT/status")" == enabled ]] || echo 1 > "$BINFMT/status"
if ! grep -qx enabled "$BINFMT/qemu-aarch64" 2>/dev/null; then
  log "enabling binfmt handler qemu-aarch64"
  if ! update-binfmts --enable qemu-aarch64 >>"$DIR/logs/binfmt.log" 2>&1; then
    # update-binfmts can refuse (e.g. its database is missing); register directly.
    [[ -e "$BINFMT/qemu-aarch64" ]] && echo -1 > "$BINFMT/qemu-aarch64"
    printf '%s' ':qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-aarch64-static:FP' > "$BINFMT/register"
  fi
fi
grep -q '^flags: .*F' "$BINFMT/qemu-aarch64" \
  || die "qemu-aarch64 is registered without the F flag; arm64 containers would not find QEMU"
arch_seen="$("$BUSYBOX_ARM64" uname -m)" || die "the arm64 busybox does not run ($BUSYBOX_ARM64)"
[[ "$arch_seen" == aarch64 ]] || die "arm64 busybox says '$arch_seen', expected aarch64"
log "QEMU binfmt ok: arm64 busybox runs ($arch_seen)"

# ---------------------------------------------------------------------------
# 2. Our own dockerd (it starts its own containerd under --exec-root).
#    No bridge, no iptables: nothing touches the host's network setup.
# ---------------------------------------------------------------------------
DOCKERD_TIMEOUT=60
start_dockerd() {
  local driver="$1" pid i
  rm -rf "$DIR/docker/data" "$DIR/docker/exec"
  mkdir -p "$DIR/docker/data" "$DIR/docker/exec"
  log "starting dockerd ($driver)"
  # setsid: its own session, so ending the calling shell's job does not end it.
  setsid "$DOCKERD" \
    --data-root "$DIR/docker/data" \
    --exec-root "$DIR/docker/exec" \
    --pidfile "$DIR/docker/dockerd.pid" \
    -H "unix://$DIR/docker.sock" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --userland-proxy=false \
    --storage-driver "$driver" \
    >>"$DIR/logs/dockerd.log" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" > "$DIR/pids/dockerd.pid"
  for (( i = 0; i < DOCKERD_TIMEOUT * 5; i++ )); do
    if "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1; then
      return 0
    fi
    alive "$pid" || { err "dockerd ($driver) exited"; tail -n 15 "$DIR/logs/dockerd.log" | sed 's/^/    | /' >&2; return 1; }
    sleep 0.2
  done
  err "dockerd ($driver) did not answer within ${DOCKERD_TIMEOUT}s"
  tail -n 30 "$DIR/logs/dockerd.log" | sed 's/^/    | /' >&2
  kill "$pid" 2>/dev/null || true
  return 1
}

# Stop a dockerd that failed to come up, so the next try starts clean.
stop_failed_dockerd() {
  local pid i
  pid="$(pid_from "$DIR/pids/dockerd.pid")"
  alive "$pid" && kill "$pid" 2>/dev/null
  for (( i = 0; i < 100; i++ )); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && kill -9 "$pid" 2>/dev/null
  pid="$(pid_from "$DIR/docker/exec/containerd/containerd.pid")"
  alive "$pid" && kill -9 "$pid" 2>/dev/null
  # overlay2 may have left a mount behind
  awk '{print $5}' /proc/self/mountinfo | grep "^$DIR/docker/" | sort -r | xargs -r -n1 umount -l || true
}

if [[ -n "${XPLAT_TESTBED_STORAGE_DRIVER:-}" ]]; then
  start_dockerd "$XPLAT_TESTBED_STORAGE_DRIVER" \
    || die "dockerd would not start with storage driver $XPLAT_TESTBED_STORAGE_DRIVER"
elif ! start_dockerd overlay2; then
  # overlay2 fails where the state folder is itself on overlayfs (e.g. when this
  # machine is a container); vfs is slow and big but works everywhere.
  log "overlay2 did not work here: falling back to vfs"
  stop_failed_dockerd
  start_dockerd vfs || die "dockerd would not start with overlay2 nor vfs"
fi
cp "$DIR/docker/exec/containerd/containerd.pid" "$DIR/pids/containerd.pid" 2>/dev/null || true
STORAGE_DRIVER="$("$DOCKER" info --format '{{.Driver}}')"
SERVER_VERSION="$("$DOCKER" version --format '{{.Server.Version}}')"
log "dockerd $SERVER_VERSION up (storage driver $STORAGE_DRIVER) on $DOCKER_HOST"

# ---------------------------------------------------------------------------
# 3. Two registries on loopback: one open, one with htpasswd basic auth.
# ---------------------------------------------------------------------------
REG_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"

# A free loopback port, asked of the kernel (bind to port 0) through Node.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# start_registry NAME AUTH(yes|no) -> sets REG_ADDR
start_registry() {
  local name="$1" auth="$2" dir="$DIR/registry/$1" port pid try i code want
  mkdir -p "$dir/data"
  want=200; [[ "$auth" == yes ]] && want=401
  if [[ "$auth" == yes ]]; then
    htpasswd -Bbn "$REG_USER" "$REG_PASSWORD" > "$dir/htpasswd"
  fi
  for try in 1 2 3; do   # a port can be taken between asking and binding: retry
    port="$(free_port)"
    {
      echo "version: 0.1"
      echo "log:"
      echo "  level: info"
      echo "  fields: {registry: $name}"
      echo "storage:"
      echo "  filesystem:"
      echo "    rootdirectory: $dir/data"
      # Tests delete manifests and tags.
      echo "  delete:"
      echo "    enabled: true"
      # No blob-descriptor cache: a cache can report deleted blobs as present.
      echo "  maintenance:"
      echo "    uploadpurging:"
      echo "      enabled: false"
      echo "http:"
      echo "  addr: 127.0.0.1:$port"
      echo "  secret: $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      if [[ "$auth" == yes ]]; then
        echo "auth:"
        echo "  htpasswd:"
        echo "    realm: xplat-testbed"
        echo "    path: $dir/htpasswd"
      fi
    } > "$dir/config.yml"
    setsid docker-registry serve "$dir/config.yml" >>"$DIR/logs/registry-$name.log" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" > "$DIR/pids/registry-$name.pid"
    for (( i = 0; i < 100; i++ )); do
      code="$(http_code "http://127.0.0.1:$port/v2/")"
      if [[ "$code" == "$want" ]]; then REG_ADDR="127.0.0.1:$port"; return 0; fi
      alive "$pid" || break
      sleep 0.1
    done
    err "registry $name did not answer on 127.0.0.1:$port (try $try; last HTTP code '$code')"
    tail -n 5 "$DIR/logs/registry-$name.log" | sed 's/^/    | /' >&2
    alive "$pid" && kill "$pid"
  done
  return 1
}

start_registry open no || die "could not start the open registry"
OPEN="$REG_ADDR"
start_registry auth yes || die "could not start the auth registry"
AUTH="$REG_ADDR"
log "registries up: open $OPEN, auth $AUTH (user $REG_USER)"

# Credentials for the auth registry in the containers-auth.json format (skopeo,
# podman, also readable by the docker CLI), for tests that want a file.
AUTHFILE="$DIR/registry/auth.json"
jq -n --arg r "$AUTH" --arg a "$(printf '%s:%s' "$REG_USER" "$REG_PASSWORD" | base64 -w0)" \
  '{auths: {($r): {auth: $a}}}' > "$AUTHFILE"
chmod 600 "$AUTHFILE"

SK=(skopeo --insecure-policy)   # no signature policy file needed on a fresh machine
SK_SRC=(--src-tls-verify=false)
SK_DST=(--dest-tls-verify=false)

# Digest of a manifest as stored: sha256 of the exact bytes the registry serves.
ACCEPT='application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
manifest_digest() {  # REGISTRY REPO REF [user:pass]
  local creds=()
  [[ -n "${4:-}" ]] && creds=(-u "$4")
  local hex
  hex="$(curl -fsS "${creds[@]}" -H "Accept: $ACCEPT" "http://$1/v2/$2/manifests/$3" | sha256sum)"
  echo "sha256:${hex%% *}"
}

# ---------------------------------------------------------------------------
# 4. Linux fixtures: busybox FROM scratch, built per platform by BuildKit and
#    pushed (docker push writes Docker schema2 manifests).
# ---------------------------------------------------------------------------
APPLETS="$("$BUSYBOX_AMD64" --list)"   # same busybox version on both architectures
build_busybox() {  # ARCH PLATFORM BINARY
  local arch="$1" platform="$2" bin="$3" ctx="$DIR/build/busybox-$1" a
  mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/www" "$ctx/rootfs/tmp"
  chmod 1777 "$ctx/rootfs/tmp"
  cp "$bin" "$ctx/rootfs/bin/busybox"
  for a in $APPLETS; do
    [[ "$a" == busybox ]] || ln -s busybox "$ctx/rootfs/bin/$a"
  done
  echo "xplat fixture linux/$arch" > "$ctx/rootfs/www/index.html"
  cat > "$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.opencontainers.image.title="xplat busybox fixture" \
      org.opencontainers.image.description="static busybox, built by the xplat test bed"
CMD ["sh"]
EOF
  log "building $platform busybox image"
  run_logged "build-linux-$arch" "$DOCKER" build --network host --platform "$platform" \
    --progress plain \
    -t "$OPEN/fixtures/busybox:linux-$arch" -t "xplat-fixtures/busybox:linux-$arch" "$ctx"
  log "pushing $OPEN/fixtures/busybox:linux-$arch"
  run_logged "push-linux-$arch" "$DOCKER" push "$OPEN/fixtures/busybox:linux-$arch"
}
# dockerd 20.10's builder records no variant for arm64 (containerd 1.6 normalizes
# arm64/v8 to arm64, even when asked for linux/arm64/v8); busybox:linux-arm64-v8
# below is the same image with "variant": "v8", as buildx writes it.
build_busybox amd64 linux/amd64 "$BUSYBOX_AMD64"
build_busybox arm64 linux/arm64 "$BUSYBOX_ARM64"

# The pushed configs must name the right platform.
for arch in amd64 arm64; do
  cfg="$("${SK[@]}" inspect --config --tls-verify=false "docker://$OPEN/fixtures/busybox:linux-$arch")"
  got="$(jq -r '[.os, .architecture, (.variant // empty)] | join("/")' <<<"$cfg")"
  case "$arch:$got" in
    amd64:linux/amd64 | arm64:linux/arm64 | arm64:linux/arm64/v8) log "pushed config for linux-$arch says $got" ;;
    *) die "pushed config for linux-$arch says '$got'" ;;
  esac
done

# Prove that the engine runs containers natively and arm64 ones through QEMU.
for arch in amd64 arm64; do
  want=x86_64; [[ "$arch" == arm64 ]] && want=aarch64
  got="$("$DOCKER" run --rm --platform "linux/$arch" --network host \
         "xplat-fixtures/busybox:linux-$arch" uname -m 2>>"$DIR/logs/run-linux-$arch.log")" \
    || { tail -n 10 "$DIR/logs/run-linux-$arch.log" >&2; die "docker run of the linux/$arch fixture failed"; }
  [[ "$got" == "$want" ]] || die "linux/$arch container says '$got', expected $want"
  log "container linux/$arch runs (uname -m: $got)"
done

# A two-platform list of the two images, as Docker Hub serves busybox:1.37: the base of
# examples/hello-http when `npm run example` has no Docker Hub (BUSYBOX_IMAGE build-arg).
list_entry() {  # ARCH VARIANT -> one manifests[] entry for the list
  local d size
  d="$(manifest_digest "$OPEN" fixtures/busybox "linux-$1")"
  size="$(curl -sf -o /dev/null -w '%{size_download}' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$OPEN/v2/fixtures/busybox/manifests/$d")"
  jq -c -n --arg d "$d" --argjson s "$size" --arg a "$1" --arg v "$2" \
    '{mediaType: "application/vnd.docker.distribution.manifest.v2+json", digest: $d, size: $s,
      platform: ({os: "linux", architecture: $a} + (if $v != "" then {variant: $v} else {} end))}'
}
log "pushing $OPEN/fixtures/busybox:1.37 (manifest list: linux/amd64, linux/arm64/v8)"
busybox_list="$(jq -c -n --argjson a "$(list_entry amd64 '')" --argjson b "$(list_entry arm64 v8)" \
  '{schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.list.v2+json",
    manifests: [$a, $b]}')"
printf '%s' "$busybox_list" | run_logged push-busybox-list curl -sf -X PUT \
  -H 'Content-Type: application/vnd.docker.distribution.manifest.list.v2+json' \
  --data-binary @- "http://$OPEN/v2/fixtures/busybox/manifests/1.37"

# ---------------------------------------------------------------------------
# 5. OCI layouts written by hand (Windows images cannot be built here).
# ---------------------------------------------------------------------------
LAYOUT="$DIR/build/oci"
mkdir -p "$LAYOUT/blobs/sha256"
echo '{"imageLayoutVersion":"1.0.0"}' > "$LAYOUT/oci-layout"
echo '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}' > "$LAYOUT/index.json"

# put_blob FILE -> stores it, prints "sha256:HEX SIZE"
put_blob() {
  local hex size
  hex="$(sha256sum < "$1")"; hex="${hex%% *}"
  size="$(stat -c %s "$1")"
  cp "$1" "$LAYOUT/blobs/sha256/$hex"
  echo "sha256:$hex $size"
}
# put_json JSON -> stores the exact bytes (no trailing newline), prints "sha256:HEX SIZE"
put_json() {
  local tmp="$LAYOUT/.json.tmp"
  printf '%s' "$1" > "$tmp"
  put_blob "$tmp"
  rm -f "$tmp"
}
# tag_layout NAME MEDIATYPE DIGEST SIZE -> adds a named entry to index.json
tag_layout() {
  local tmp="$LAYOUT/index.json.tmp"
  jq -c --arg n "$1" --arg m "$2" --arg d "$3" --argjson s "$4" \
    '.manifests = [.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] != $n)]
       + [{mediaType: $m, digest: $d, size: $s, annotations: {"org.opencontainers.image.ref.name": $n}}]' \
    "$LAYOUT/index.json" > "$tmp"
  mv "$tmp" "$LAYOUT/index.json"
}

# A Windows image: one small layer laid out like Windows layers are (Files/,
# Hives/), a config with os.version, an OCI manifest. Reproducible: same bytes,
# same digests on every run.
make_windows() {  # TAG OS_VERSION OS_FEATURES_JSON
  local tag="$1" osv="$2" features="$3" src="$DIR/build/windows-$1" layer
  mkdir -p "$src/Files/xplat" "$src/Hives"
  printf 'xplat synthetic windows layer %s\r\n' "$osv" > "$src/Files/xplat/fixture.txt"
  tar --sort=name --mtime='2024-01-01 00:00:00Z' --owner=0 --group=0 --numeric-owner \
      --format=gnu -C "$src" -cf "$src.tar" Files Hives
  gzip -n -9 -c "$src.tar" > "$src.tar.gz"
  local diff_id layer_d layer_s cfg cfg_d cfg_s man man_d man_s
  diff_id="sha256:$(sha256sum < "$src.tar" | cut -d' ' -f1)"
  read -r layer_d layer_s < <(put_blob "$src.tar.gz")
  cfg="$(jq -c -n --arg osv "$osv" --arg diff "$diff_id" --argjson features "$features" '
    {architecture: "amd64", os: "windows", "os.version": $osv}
    + (if ($features | length) > 0 then {"os.features": $features} else {} end)
    + {created: "2024-08-13T00:00:00Z",
       config: {Cmd: ["c:\\windows\\system32\\cmd.exe"], WorkingDir: "C:\\"},
       rootfs: {type: "layers", diff_ids: [$diff]},
       history: [{created: "2024-08-13T00:00:00Z", created_by: "xplat test bed: synthetic Windows layer"}]}')"
  read -r cfg_d cfg_s < <(put_json "$cfg")
  man="$(jq -c -n --arg cd "$cfg_d" --argjson cs "$cfg_s" --arg ld "$layer_d" --argjson ls "$layer_s" '
    {schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
     config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
     layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $ld, size: $ls}]}')"
  read -r man_d man_s < <(put_json "$man")
  tag_layout "$tag" application/vnd.oci.image.manifest.v1+json "$man_d" "$man_s"
  rm -rf "$src" "$src.tar" "$src.tar.gz"
}
log "writing Windows images as an OCI layout"
make_windows ltsc2022 10.0.20348.2655 '[]'
make_windows ltsc2025 10.0.26100.1742 '["win32k"]'

# Push each as Docker schema2 (what MCR serves) and as OCI, under distinct tags.
for tag in ltsc2022 ltsc2025; do
  log "pushing $OPEN/fixtures/windows:$tag (v2s2) and :$tag-oci (OCI)"
  run_logged "push-windows" "${SK[@]}" copy -q "${SK_DST[@]}" --format v2s2 \
    "oci:$LAYOUT:$tag" "docker://$OPEN/fixtures/windows:$tag"
  run_logged "push-windows" "${SK[@]}" copy -q "${SK_DST[@]}" --preserve-digests \
    "oci:$LAYOUT:$tag" "docker://$OPEN/fixtures/windows:$tag-oci"
done

# ---------------------------------------------------------------------------
# 6. The amd64 image as OCI, and a buildx-style attested index around it.
# ---------------------------------------------------------------------------
log "converting linux/amd64 to OCI and pushing $OPEN/fixtures/busybox:linux-amd64-oci"
run_logged convert-oci "${SK[@]}" copy -q "${SK_SRC[@]}" --format oci \
  "docker://$OPEN/fixtures/busybox:linux-amd64" "oci:$LAYOUT:linux-amd64"
run_logged push-oci "${SK[@]}" copy -q "${SK_DST[@]}" --preserve-digests \
  "oci:$LAYOUT:linux-amd64" "docker://$OPEN/fixtures/busybox:linux-amd64-oci"

read -r img_d img_s < <(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "linux-amd64") | "\(.digest) \(.size)"' "$LAYOUT/index.json")
[[ "$img_d" == sha256:* ]] || die "could not find the converted linux-amd64 manifest in $LAYOUT"

# The arm64 image with "variant": "v8" in its config, the way buildx writes arm64
# images. Same layer; new config and manifest.
log "writing $OPEN/fixtures/busybox:linux-arm64-v8 (config variant v8)"
run_logged convert-oci "${SK[@]}" copy -q "${SK_SRC[@]}" --format oci \
  "docker://$OPEN/fixtures/busybox:linux-arm64" "oci:$LAYOUT:linux-arm64"
arm_man_d="$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "linux-arm64") | .digest' "$LAYOUT/index.json")"
arm_man="$(cat "$LAYOUT/blobs/sha256/${arm_man_d#sha256:}")"
arm_cfg_d="$(jq -r .config.digest <<<"$arm_man")"
v8_cfg="$(jq -c '. + {variant: "v8"}' "$LAYOUT/blobs/sha256/${arm_cfg_d#sha256:}")"
read -r v8c_d v8c_s < <(put_json "$v8_cfg")
v8_man="$(jq -c --arg d "$v8c_d" --argjson s "$v8c_s" '.config.digest = $d | .config.size = $s' <<<"$arm_man")"
read -r v8_d v8_s < <(put_json "$v8_man")
tag_layout linux-arm64-v8 application/vnd.oci.image.manifest.v1+json "$v8_d" "$v8_s"
run_logged push-oci "${SK[@]}" copy -q "${SK_DST[@]}" --preserve-digests \
  "oci:$LAYOUT:linux-arm64-v8" "docker://$OPEN/fixtures/busybox:linux-arm64-v8"

log "writing the attested index (image + in-toto attestation manifest)"
statement="$(jq -c -n --arg d "${img_d#sha256:}" '
  {_type: "https://in-toto.io/Statement/v0.1",
   predicateType: "https://slsa.dev/provenance/v0.2",
   subject: [{name: "pkg:docker/fixtures/attested@latest?platform=linux%2Famd64", digest: {sha256: $d}}],
   predicate: {builder: {id: ""}, buildType: "https://mobyproject.org/buildkit@v1",
               metadata: {buildStartedOn: "2024-08-13T00:00:00Z", completeness: {parameters: false}}}}')"
read -r st_d st_s < <(put_json "$statement")
att_cfg="$(jq -c -n --arg d "$st_d" '{architecture: "unknown", os: "unknown", config: {}, rootfs: {type: "layers", diff_ids: [$d]}}')"
read -r attc_d attc_s < <(put_json "$att_cfg")
att_man="$(jq -c -n --arg cd "$attc_d" --argjson cs "$attc_s" --arg ld "$st_d" --argjson ls "$st_s" '
  {schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
   config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
   layers: [{mediaType: "application/vnd.in-toto+json", digest: $ld, size: $ls,
             annotations: {"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}}]}')"
read -r att_d att_s < <(put_json "$att_man")
index="$(jq -c -n --arg id "$img_d" --argjson is "$img_s" --arg ad "$att_d" --argjson asz "$att_s" '
  {schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
   manifests: [
     {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $id, size: $is,
      platform: {architecture: "amd64", os: "linux"}},
     {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $ad, size: $asz,
      annotations: {"vnd.docker.reference.digest": $id, "vnd.docker.reference.type": "attestation-manifest"},
      platform: {architecture: "unknown", os: "unknown"}}]}')"
read -r idx_d idx_s < <(put_json "$index")
tag_layout attested application/vnd.oci.image.index.v1+json "$idx_d" "$idx_s"
log "pushing $OPEN/fixtures/attested:latest"
run_logged push-attested "${SK[@]}" copy -q --all "${SK_DST[@]}" --preserve-digests \
  "oci:$LAYOUT:attested" "docker://$OPEN/fixtures/attested:latest"

# ---------------------------------------------------------------------------
# 7. Copies: a second repository (cross-repo blob mounts) and the auth registry.
# ---------------------------------------------------------------------------
log "copying fixtures to $OPEN/other and to the auth registry $AUTH"
run_logged copies "${SK[@]}" copy -q "${SK_SRC[@]}" "${SK_DST[@]}" --preserve-digests \
  "docker://$OPEN/fixtures/busybox:linux-amd64" "docker://$OPEN/other/busybox:linux-amd64"
for src in busybox:linux-amd64 busybox:linux-arm64 windows:ltsc2022 windows:ltsc2025; do
  run_logged copies "${SK[@]}" copy -q "${SK_SRC[@]}" "${SK_DST[@]}" --preserve-digests \
    --dest-creds "$REG_USER:$REG_PASSWORD" \
    "docker://$OPEN/fixtures/$src" "docker://$AUTH/fixtures/$src"
done

# ---------------------------------------------------------------------------
# 8. Record digests and write the env file (last, atomically).
# ---------------------------------------------------------------------------
ENV_LINES=()
fixture() {  # NAME REGISTRY REPO TAG [creds]
  local d
  d="$(manifest_digest "$2" "$3" "$4" "${5:-}")"
  [[ "$d" =~ ^sha256:[0-9a-f]{64}$ ]] || die "no digest for $2/$3:$4"
  ENV_LINES+=("XPLAT_FIXTURE_$1_REF=$2/$3:$4" "XPLAT_FIXTURE_$1_DIGEST=$d")
  printf -v "DIGEST_$1" '%s' "$d"
}
fixture LINUX_AMD64          "$OPEN" fixtures/busybox linux-amd64
fixture LINUX_ARM64          "$OPEN" fixtures/busybox linux-arm64
fixture LINUX_AMD64_OCI      "$OPEN" fixtures/busybox linux-amd64-oci
fixture LINUX_ARM64_V8       "$OPEN" fixtures/busybox linux-arm64-v8
fixture WINDOWS_LTSC2022     "$OPEN" fixtures/windows ltsc2022
fixture WINDOWS_LTSC2022_OCI "$OPEN" fixtures/windows ltsc2022-oci
fixture WINDOWS_LTSC2025     "$OPEN" fixtures/windows ltsc2025
fixture WINDOWS_LTSC2025_OCI "$OPEN" fixtures/windows ltsc2025-oci
fixture ATTESTED             "$OPEN" fixtures/attested latest
fixture BUSYBOX_LIST         "$OPEN" fixtures/busybox 1.37
fixture OTHER_LINUX_AMD64    "$OPEN" other/busybox linux-amd64
fixture AUTH_LINUX_AMD64     "$AUTH" fixtures/busybox linux-amd64 "$REG_USER:$REG_PASSWORD"
fixture AUTH_LINUX_ARM64     "$AUTH" fixtures/busybox linux-arm64 "$REG_USER:$REG_PASSWORD"
fixture AUTH_WINDOWS_LTSC2022 "$AUTH" fixtures/windows ltsc2022 "$REG_USER:$REG_PASSWORD"
fixture AUTH_WINDOWS_LTSC2025 "$AUTH" fixtures/windows ltsc2025 "$REG_USER:$REG_PASSWORD"

# What was pushed is what was meant: the layout's digests survived the push, and
# copies kept their digests.
[[ "$DIGEST_ATTESTED" == "$idx_d" ]] || die "attested index digest changed on push ($idx_d -> $DIGEST_ATTESTED)"
[[ "$DIGEST_LINUX_AMD64_OCI" == "$img_d" ]] || die "linux-amd64-oci digest changed on push"
[[ "$DIGEST_LINUX_ARM64_V8" == "$v8_d" ]] || die "linux-arm64-v8 digest changed on push"
[[ "$DIGEST_OTHER_LINUX_AMD64" == "$DIGEST_LINUX_AMD64" ]] || die "copy to other/ changed the digest"
[[ "$DIGEST_AUTH_LINUX_AMD64" == "$DIGEST_LINUX_AMD64" && "$DIGEST_AUTH_LINUX_ARM64" == "$DIGEST_LINUX_ARM64" \
   && "$DIGEST_AUTH_WINDOWS_LTSC2022" == "$DIGEST_WINDOWS_LTSC2022" \
   && "$DIGEST_AUTH_WINDOWS_LTSC2025" == "$DIGEST_WINDOWS_LTSC2025" ]] \
  || die "a copy to the auth registry changed its digest"

{
  echo "XPLAT_TESTBED_DIR=$DIR"
  echo "DOCKER_HOST=$DOCKER_HOST"
  echo "DOCKER_CONFIG=$DOCKER_CONFIG"
  echo "XPLAT_DOCKER=$DOCKER"
  echo "XPLAT_DOCKER_SERVER_VERSION=$SERVER_VERSION"
  echo "XPLAT_STORAGE_DRIVER=$STORAGE_DRIVER"
  echo "XPLAT_REGISTRY_OPEN=$OPEN"
  echo "XPLAT_REGISTRY_AUTH=$AUTH"
  echo "XPLAT_REGISTRY_USER=$REG_USER"
  echo "XPLAT_REGISTRY_PASSWORD=$REG_PASSWORD"
  echo "XPLAT_REGISTRY_AUTHFILE=$AUTHFILE"
  echo "XPLAT_BUSYBOX_AMD64=$BUSYBOX_AMD64"
  echo "XPLAT_BUSYBOX_ARM64=$BUSYBOX_ARM64"
  echo "XPLAT_LOCAL_IMAGE_LINUX_AMD64=xplat-fixtures/busybox:linux-amd64"
  echo "XPLAT_LOCAL_IMAGE_LINUX_ARM64=xplat-fixtures/busybox:linux-arm64"
  printf '%s\n' "${ENV_LINES[@]}"
  echo "XPLAT_FIXTURE_ATTESTED_IMAGE_DIGEST=$img_d"
  echo "XPLAT_FIXTURE_ATTESTED_ATTESTATION_DIGEST=$att_d"
} > "$DIR/env.tmp"
chmod 600 "$DIR/env.tmp"   # it holds the registry password
mv "$DIR/env.tmp" "$DIR/env"

log "up: $DIR/env ($(wc -l < "$DIR/env") keys)"
