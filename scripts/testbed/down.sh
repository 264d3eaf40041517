#!/usr/bin/env bash
# Stop everything scripts/testbed/up.sh started and delete its state folder.
# Safe to run twice, and on a half-started test bed.
#
# Order: registries, containers, dockerd (which stops its containerd), then any
# containerd/shim of ours still running, then mounts left under the state folder,
# then the folder. Processes are stopped by the PIDs up.sh recorded; leftovers are
# found only among containerd/shim/runc processes whose command line names this
# state folder, never by a broad name.
#
# The binfmt_misc handler for arm64 is left enabled: it is machine-wide and
# harmless, and other users of QEMU may rely on it.
set -Euo pipefail   # no -e: a teardown keeps going past what is already gone

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TESTBED_STEP=down
# shellcheck source=lib.sh
. "$HERE/lib.sh"   # DIR, LOCK_FILE, MARKER, log/err/die, alive, pid_from, take_lock

# stop NAME PID SECONDS: SIGTERM, wait, then SIGKILL.
stop() {
  local name="$1" pid="$2" secs="$3" i
  alive "$pid" || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < secs * 10; i++ )); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "$name did not stop within ${secs}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for (( i = 0; i < 50; i++ )); do alive "$pid" || return 0; sleep 0.1; done
  log "WARNING: $name (pid $pid) is still alive"
}

# up.sh calls us while holding the lock; otherwise take it.
if [[ "${XPLAT_TESTBED_LOCKED:-}" != 1 ]]; then
  take_lock
fi

if [[ ! -e "$DIR" ]]; then
  log "nothing to do: $DIR does not exist"
  exit 0
fi
# Never rm -rf a folder that up.sh did not make (a mistyped XPLAT_TESTBED_DIR).
if [[ ! -e "$MARKER" && -n "$(ls -A "$DIR" 2>/dev/null)" ]]; then
  die "$DIR has no .xplat-testbed marker: not a test bed folder, refusing to delete it"
fi

# 1. Registries.
for name in open auth; do
  stop "registry $name" "$(pid_from "$DIR/pids/registry-$name.pid")" 10
done

# 2. Containers first, so dockerd's shutdown does not wait on them.
dockerd_pid="$(pid_from "$DIR/pids/dockerd.pid")"
[[ -n "$dockerd_pid" ]] || dockerd_pid="$(pid_from "$DIR/docker/dockerd.pid")"
if alive "$dockerd_pid" && [[ -S "$DIR/docker.sock" ]]; then
  export DOCKER_HOST="unix://$DIR/docker.sock"
  ids="$(timeout 20 /usr/bin/docker ps -aq 2>/dev/null || true)"
  if [[ -n "$ids" ]]; then
    log "removing $(wc -w <<<"$ids") container(s)"
    # shellcheck disable=SC2086
    timeout 60 /usr/bin/docker rm -f $ids >/dev/null 2>&1 || true
  fi
fi

# 3. dockerd; on SIGTERM it also stops the containerd it started.
stop dockerd "$dockerd_pid" 30
stop containerd "$(pid_from "$DIR/pids/containerd.pid")" 10
stop containerd "$(pid_from "$DIR/docker/exec/containerd/containerd.pid")" 10

# 4. Leftovers of ours: container runtime processes whose command line names the
#    state folder (e.g. a shim whose -address is our containerd's socket).
for p in /proc/[0-9]*; do
  pid="${p#/proc/}"
  [[ "$pid" == "$$" ]] && continue
  exe="$( { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null)" || continue
  case "${exe%% *}" in
    *containerd*|*runc*|*dockerd*|*docker-registry*|*buildkit*) ;;
    *) continue ;;
  esac
  [[ "$exe" == *"$DIR/"* ]] && stop "leftover ${exe%% *}" "$pid" 5
done

# 5. Mounts under the state folder (overlay2 layers, containerd's shm, netns...).
mapfile -t mounts < <(awk '{print $5}' /proc/self/mountinfo | grep -F "$DIR/" | sort -r)
for m in "${mounts[@]}"; do
  [[ "$m" == "$DIR/"* ]] || continue
  log "unmounting $m"
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "WARNING: could not unmount $m"
done

# 6. The folder.
log "removing $DIR"
rm -rf "$DIR" || die "could not remove $DIR"
log "down"
