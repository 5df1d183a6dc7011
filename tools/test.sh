#!/usr/bin/env bash
# Sets up, builds, and runs every test: the Release build, then the whole
# suite again under AddressSanitizer + UndefinedBehaviorSanitizer, then the
# concurrent suites (store, engine, workflows, views) under ThreadSanitizer.
#   bash tools/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh release sanitize tsan
echo "test: release" >&2
ctest --preset release
echo "test: sanitize (ASan + UBSan)" >&2
ctest --preset sanitize
echo "test: tsan (ThreadSanitizer: store, engine, workflows, views)" >&2
ctest --preset tsan
