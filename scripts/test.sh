#!/usr/bin/env bash
# The test command (README, .ci/run and `npm test` all run this): starts the test bed if
# it is not up, runs every test with jest in ESM mode, and stops the test bed again if
# this script started it (set XPLAT_KEEP_TESTBED=1 to leave it running for re-runs).
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${XPLAT_TESTBED_DIR:-${TMPDIR:-/tmp}/xplat-testbed}"
started=0
if [ ! -f "$dir/env" ]; then
  started=1
fi
bash scripts/testbed/up.sh
if [ "$started" = 1 ] && [ "${XPLAT_KEEP_TESTBED:-0}" != 1 ]; then
  trap 'bash scripts/testbed/down.sh || true' EXIT
fi

node --experimental-vm-modules node_modules/jest/bin/jest.js "$@"
