#!/usr/bin/env bash
# Provision what the xplat test bed needs on a Debian 12 machine (root).
#
# Idempotent: when every package is installed and the arm64 busybox is cached,
# it prints one line and exits without touching apt (well under a second).
#
# What it installs and why:
#   docker.io        dockerd 20.10 + /usr/bin/docker with BuildKit (DOCKER_BUILDKIT=1);
#                    brings containerd and runc. /usr/local/bin/docker (28) has no
#                    buildx, so the test bed always uses /usr/bin/docker.
#   docker-registry  distribution 2.8, the registry the tests push to and read from.
#   skopeo           copies/inspects images without a daemon (OCI layouts -> registry).
#   qemu-user-static + binfmt-support
#                    run linux/arm64 binaries and containers on an amd64 host.
#   busybox-static   the static amd64 busybox that the Linux fixtures are made of.
#   apache2-utils    htpasswd, for the registry with basic auth.
#   jq, curl         JSON and HTTP glue for up.sh.
#   iproute2         `ip netns`, for netns-engine.sh: a second dockerd in a network
#                    namespace of its own (the xplat run test of an engine that cannot
#                    reach this machine's 127.0.0.1). nsenter is util-linux's, always there.
#   busybox-static:arm64
#                    conflicts with the amd64 package, so it is *downloaded* (not
#                    installed) and unpacked with dpkg -x into a cache folder that
#                    survives down.sh: $XPLAT_TESTBED_CACHE (default
#                    /var/cache/xplat-testbed), binary at busybox-arm64/bin/busybox.
#
# Only Debian's apt repositories are used; nothing else is downloaded.
set -euo pipefail

log() { printf '[testbed install] %s\n' "$*"; }
die() { printf '[testbed install] ERROR: %s\n' "$*" >&2; exit 1; }

# The cache for the arm64 busybox; must match up.sh (which sources the same default).
if [[ -z "${XPLAT_TESTBED_CACHE:-}" ]]; then
  if [[ -w /var/cache ]]; then XPLAT_TESTBED_CACHE=/var/cache/xplat-testbed
  else XPLAT_TESTBED_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/xplat-testbed"; fi
fi
CACHE="$XPLAT_TESTBED_CACHE"
ARM64_BUSYBOX="$CACHE/busybox-arm64/bin/busybox"

PACKAGES=(docker.io docker-registry skopeo qemu-user-static binfmt-support
          busybox-static apache2-utils jq curl iproute2)

# --- what is missing? -------------------------------------------------------
missing=()
for pkg in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == installed ]] || missing+=("$pkg")
done

need_arch=0
dpkg --print-foreign-architectures | grep -qx arm64 || need_arch=1

# "Is it really an aarch64 ELF?" by its header: 0x7f ELF, 64-bit, e_machine 0xb7.
is_arm64_elf() {
  [[ -x "$1" ]] || return 1
  local head
  head="$(od -An -tx1 -N20 "$1" | tr -d ' \n')"
  [[ "$head" == 7f454c4602* && "${head:36:4}" == b700 ]]
}
need_busybox=0
is_arm64_elf "$ARM64_BUSYBOX" || need_busybox=1

if (( ${#missing[@]} == 0 && need_arch == 0 && need_busybox == 0 )); then
  log "everything present (arm64 busybox: $ARM64_BUSYBOX)"
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  die "missing: ${missing[*]:-}$( (( need_busybox )) && echo ' arm64-busybox')$( (( need_arch )) && echo ' arm64-arch'); run as root to install"
fi
export DEBIAN_FRONTEND=noninteractive
export NEEDRESTART_SUSPEND=1   # needrestart (where installed) has nothing to restart here

# --- apt: one update, only when something is missing ----------------------
if (( need_arch )); then
  log "adding dpkg architecture arm64 (for apt-get download busybox-static:arm64)"
  dpkg --add-architecture arm64
fi

# An update is needed when packages are missing, when arm64 was just added, or
# when the arm64 package lists were never fetched.
have_arm64_lists=0
compgen -G '/var/lib/apt/lists/*binary-arm64_Packages*' >/dev/null && have_arm64_lists=1
if (( ${#missing[@]} > 0 || need_arch == 1 || (need_busybox == 1 && have_arm64_lists == 0) )); then
  log "apt-get update"
  apt-get update -qq
fi

if (( ${#missing[@]} > 0 )); then
  log "installing: ${missing[*]}"
  # docker.io's and containerd's postinst would start the system services; the
  # test bed runs its own dockerd, so forbid service starts while installing
  # (policy-rc.d exit 101 = "action forbidden"). Removed again afterwards.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; created_policy=1
  fi
  rc=0
  apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
  (( created_policy )) && rm -f "$policy"
  (( rc == 0 )) || die "apt-get install failed (exit $rc)"
fi

# --- arm64 busybox: download the .deb and unpack it, never install it -------
if (( need_busybox )); then
  log "fetching busybox-static:arm64 into $CACHE/busybox-arm64"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # APT::Sandbox::User=root: apt's _apt user cannot write into a mktemp folder.
  ( cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root busybox-static:arm64 )
  deb="$(compgen -G "$tmp/busybox-static_*_arm64.deb" | head -n1)"
  [[ -n "$deb" ]] || die "apt-get download busybox-static:arm64 produced no .deb"
  rm -rf "$CACHE/busybox-arm64.new"
  mkdir -p "$CACHE"
  dpkg -x "$deb" "$CACHE/busybox-arm64.new"
  is_arm64_elf "$CACHE/busybox-arm64.new/bin/busybox" \
    || die "unpacked $deb but bin/busybox is not an aarch64 executable"
  rm -rf "$CACHE/busybox-arm64"
  mv "$CACHE/busybox-arm64.new" "$CACHE/busybox-arm64"
fi

log "done (arm64 busybox: $ARM64_BUSYBOX)"
