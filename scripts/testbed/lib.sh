# shellcheck shell=bash
# Sourced (not run) by up.sh and down.sh: the state folder, its lock and marker, the
# log lines, and the PID checks both scripts need (netns-engine.sh uses the last two).
# Set TESTBED_STEP first (up, down, netns): it names the script in every log line.
#
#   TESTBED_STEP=down; . "$HERE/lib.sh"

# The state folder: $XPLAT_TESTBED_DIR, else ${TMPDIR:-/tmp}/xplat-testbed (test/testbed.ts,
# test/global-setup.mjs and scripts/test.sh use the same default).
DIR="${XPLAT_TESTBED_DIR:-${TMPDIR:-/tmp}/xplat-testbed}"
[[ "$DIR" == /* ]] || DIR="$PWD/$DIR"   # the daemons need absolute paths
DIR="${DIR%/}"
LOCK_FILE="$DIR.lock"          # beside the folder, because down.sh deletes the folder
MARKER="$DIR/.xplat-testbed"   # down.sh only deletes folders that carry it

T0_MS="$(date +%s%3N)"
# `[testbed up   1.2s] message`: the time since the script started.
log() {
  local ms=$(( $(date +%s%3N) - T0_MS ))
  printf '[testbed %s %3d.%ds] %s\n' "${TESTBED_STEP:-?}" $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}
err() { log "ERROR: $*" >&2; }
die() { err "$*"; exit 1; }

# A PID is alive when it exists and is not a zombie. kill -0 is not enough: on
# this kind of machine PID 1 does not reap orphans, so dead daemons linger as
# zombies whose PIDs still answer kill -0.
alive() {
  local pid="${1:-}" stat
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z && "${stat%% *}" != X ]]
}
# The PID in a pid file, or nothing when the file is missing.
pid_from() { [[ -r "$1" ]] && tr -dc '0-9' < "$1" || true; }

# take_lock: waits up to 3 minutes for the lock that keeps up.sh and down.sh from
# running at once, on fd 9 (processes started afterwards must close it: 9>&-).
take_lock() {
  mkdir -p "$(dirname "$LOCK_FILE")"
  exec 9>"$LOCK_FILE"
  flock -w 180 9 || die "another up.sh/down.sh has held $LOCK_FILE for 3 minutes"
}
