#!/usr/bin/env bash
# `npm run example`: the product's main job on examples/hello-http with `xplat run` —
# linux/amd64 natively and linux/arm64 under QEMU, both smoke-tested, fused into the
# embedded registry; the Windows platforms are listed as skipped with the reason.
#
# With a Docker engine that answers (`docker info`), the example builds as written
# (busybox:1.37 from Docker Hub). Without one, this starts the test bed's own engine
# (scripts/testbed/up.sh: dockerd, registries on 127.0.0.1, QEMU) and builds on it,
# with the example's base image from the test bed's registry (no Docker Hub needed).
# Extra arguments go to `xplat run` (e.g. --json, --keep-registry).
set -euo pipefail
cd "$(dirname "$0")/.."

cli=dist/cli/index.js
[[ -f "$cli" ]] || { echo "run-example: $cli is missing; run npm run bundle first" >&2; exit 2; }
args=(run --dir examples/hello-http)

if "${XPLAT_DOCKER:-docker}" info >/dev/null 2>&1; then
  echo "run-example: using the Docker engine that answers here (${DOCKER_HOST:-its default socket})" >&2
  exec node "$cli" "${args[@]}" "$@"
fi

dir="${XPLAT_TESTBED_DIR:-${TMPDIR:-/tmp}/xplat-testbed}"
echo "run-example: no Docker engine answers here; starting the test bed's (scripts/testbed/up.sh)." >&2
echo "run-example: it stays up for docker run and re-runs; stop it with: bash scripts/testbed/down.sh" >&2
bash scripts/testbed/up.sh >&2
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a
# The test bed's engine has no bridge network: builds and smoke runs use the host's,
# and the service is probed on 127.0.0.1 directly.
exec node "$cli" "${args[@]}" --network host \
  --build-arg "BUSYBOX_IMAGE=$XPLAT_FIXTURE_BUSYBOX_LIST_REF" "$@"
