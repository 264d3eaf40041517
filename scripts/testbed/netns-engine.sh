#!/usr/bin/env bash
# A second Docker engine in a network namespace of its own: its 127.0.0.1 is not this
# machine's, as for Docker Desktop's or Colima's engine in a VM. `xplat run` must find
# out before it builds that such an engine cannot reach the embedded registry.
#
#   scripts/testbed/netns-engine.sh up STATE_DIR     # start (or confirm) it
#   scripts/testbed/netns-engine.sh down STATE_DIR   # stop it, delete the namespace and STATE_DIR
#
# Separate from up.sh/down.sh (the test bed never needs it); idempotent both ways: `up`
# of a healthy engine exits 0 at once, a stale one is torn down first; `down` of what
# is gone does nothing. Needs root, iproute2 (`ip netns`), util-linux (`nsenter`) and
# dockerd (install.sh installs them all).
#
# The namespace has only its loopback, up. dockerd is started with `nsenter --net` (not
# `ip netns exec`, whose fresh /sys has no cgroup mounts and stops dockerd with "Devices
# cgroup isn't mounted"), with no bridge, no iptables and the vfs storage driver, so it
# touches nothing of the host. Its socket is a file in STATE_DIR, which this machine's
# docker CLI reaches whatever the namespace. Nothing is pulled: no image is needed.
#
# Output: STATE_DIR/env, KEY=VALUE lines, written last (its presence means "up"):
#   DOCKER_HOST    unix://STATE_DIR/docker.sock
#   XPLAT_NETNS    the namespace's name (xplat-<hash of STATE_DIR>)
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TESTBED_STEP=netns
# shellcheck source=lib.sh
. "$HERE/lib.sh"   # log/err/die, alive, pid_from (its DIR, the test bed's, is not used)

usage() { echo "usage: $0 up|down STATE_DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
ACTION="$1"
STATE="$2"
[[ "$STATE" == /* ]] || STATE="$PWD/$STATE"
STATE="${STATE%/}"
NS="xplat-$(printf '%s' "$STATE" | sha256sum | cut -c1-12)"
NS_MARKER="$STATE/.xplat-netns-engine"
DOCKER=/usr/bin/docker
DOCKERD="${XPLAT_DOCKERD:-}"
if [[ -z "$DOCKERD" ]]; then
  for c in /usr/sbin/dockerd /usr/bin/dockerd; do [[ -x "$c" ]] && { DOCKERD="$c"; break; }; done
fi
export DOCKER_HOST="unix://$STATE/docker.sock"
unset DOCKER_CONTEXT

# stop NAME PID SECONDS: SIGTERM, wait, then SIGKILL.
stop() {
  local name="$1" pid="$2" secs="$3" i
  alive "$pid" || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < secs * 10; i++ )); do alive "$pid" || return 0; sleep 0.1; done
  log "$name did not stop within ${secs}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for (( i = 0; i < 50; i++ )); do alive "$pid" || return 0; sleep 0.1; done
  err "$name (pid $pid) is still alive"
}

answers() { timeout 10 "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

down() {
  if [[ -e "$STATE" && ! -e "$NS_MARKER" && -n "$(ls -A "$STATE" 2>/dev/null)" ]]; then
    die "$STATE has no $(basename "$NS_MARKER") marker: not this script's folder, refusing to delete it"
  fi
  stop dockerd "$(pid_from "$STATE/dockerd.pid")" 20
  stop containerd "$(pid_from "$STATE/containerd.pid")" 10
  # What the engine may have left mounted under its folders.
  awk '{print $5}' /proc/self/mountinfo | grep "^$STATE/" | sort -r | xargs -r -n1 umount -l || true
  if ip netns list 2>/dev/null | grep -qw "^$NS"; then
    log "deleting network namespace $NS"
    ip netns delete "$NS"
  fi
  rm -rf "$STATE"
}

up() {
  [[ "$(id -u)" == 0 ]] || die "needs root: creating a network namespace and starting dockerd"
  command -v ip >/dev/null || die "no ip command: apt-get install iproute2 (scripts/testbed/install.sh)"
  command -v nsenter >/dev/null || die "no nsenter command: apt-get install util-linux"
  [[ -x "$DOCKERD" ]] || die "dockerd not found (looked in /usr/sbin, /usr/bin; set XPLAT_DOCKERD)"
  if [[ -f "$STATE/env" ]] && alive "$(pid_from "$STATE/dockerd.pid")" && answers; then
    log "already up: $STATE/env"
    return 0
  fi
  if [[ -e "$STATE" ]] || ip netns list 2>/dev/null | grep -qw "^$NS"; then
    log "found a stale engine in $STATE: tearing it down first"
    down
  fi
  mkdir -p "$STATE/data" "$STATE/exec"
  touch "$NS_MARKER"
  # A failed start leaves nothing behind: no namespace, no daemon, no folder.
  trap 'rc=$?; (( rc == 0 )) || { err "netns-engine up failed (exit $rc): cleaning up"; down >&2 || true; }' EXIT

  local out
  out="$(ip netns add "$NS" 2>&1)" \
    || die "cannot create network namespace $NS (ip netns add: $out): needs root and a kernel with network namespaces"
  ip -n "$NS" link set lo up || die "cannot bring up the loopback of network namespace $NS"
  ip -n "$NS" -4 addr show dev lo | grep -q 'inet 127\.0\.0\.1/' \
    || die "network namespace $NS has no 127.0.0.1 on its loopback"
  log "network namespace $NS: loopback up"

  echo '{}' > "$STATE/daemon.json"   # not /etc/docker/daemon.json, whatever it holds
  # setsid: its own session, so ending the calling shell's job does not end it. nsenter
  # without a PID namespace execs dockerd in place, so $! is dockerd.
  setsid nsenter --net="/run/netns/$NS" "$DOCKERD" \
    --config-file "$STATE/daemon.json" \
    --data-root "$STATE/data" \
    --exec-root "$STATE/exec" \
    --pidfile "$STATE/dockerd.pid.daemon" \
    -H "$DOCKER_HOST" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --userland-proxy=false \
    --storage-driver vfs \
    >>"$STATE/dockerd.log" 2>&1 </dev/null 9>&- &
  echo "$!" > "$STATE/dockerd.pid"
  local i
  for (( i = 0; i < 300; i++ )); do
    answers && break
    alive "$(pid_from "$STATE/dockerd.pid")" || { tail -n 15 "$STATE/dockerd.log" | sed 's/^/    | /' >&2; die "dockerd in $NS exited"; }
    sleep 0.2
  done
  answers || { tail -n 30 "$STATE/dockerd.log" | sed 's/^/    | /' >&2; die "dockerd in $NS did not answer within 60s"; }
  cp "$STATE/exec/containerd/containerd.pid" "$STATE/containerd.pid" 2>/dev/null || true
  printf 'DOCKER_HOST=%s\nXPLAT_NETNS=%s\n' "$DOCKER_HOST" "$NS" > "$STATE/env.tmp"
  mv "$STATE/env.tmp" "$STATE/env"
  trap - EXIT
  log "up: dockerd $("$DOCKER" version --format '{{.Server.Version}}') in $NS on $DOCKER_HOST"
}

case "$ACTION" in
  up) up ;;
  down) down ;;
  *) usage ;;
esac
