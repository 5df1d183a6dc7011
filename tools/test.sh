#!/usr/bin/env bash
# Sets up, builds, and runs every test: the Release build, then the whole
# suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
#   bash tools/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh release sanitize
echo "test: release" >&2
ctest --preset release
echo "test: sanitize (ASan + UBSan)" >&2
ctest --preset sanitize
