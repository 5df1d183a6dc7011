#!/usr/bin/env bash
# Sets up, builds, and runs every test: the Release build (with the server's
# end-to-end suites and the dashboard in headless Chromium), then the suites
# again under AddressSanitizer + UndefinedBehaviorSanitizer, then the
# concurrent suites (store, engine, workflows, views, server) under
# ThreadSanitizer.
#   bash tools/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh release sanitize tsan browser
echo "test: release" >&2
ctest --preset release
echo "test: the dashboard in headless Chromium (artifacts in build/browser-artifacts)" >&2
PARCOURS_BIN=build/release/tools/parcours ARTIFACTS=build/browser-artifacts \
  bash tests/browser/run.sh
echo "test: kill -9 rounds (parcours crashtest, docs/reliability.md)" >&2
build/release/tools/parcours crashtest --rounds 30 --rounds-per-store 10
echo "test: fuzz targets, 15 s each (tools/fuzz.sh, docs/fuzzing.md)" >&2
bash tools/fuzz.sh 15
echo "test: sanitize (ASan + UBSan)" >&2
ctest --preset sanitize
echo "test: tsan (ThreadSanitizer: store, engine, workflows, views, server, NATS, webhooks)" >&2
ctest --preset tsan
