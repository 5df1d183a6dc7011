#!/usr/bin/env bash
# Sets up, builds, and runs every test: the Release build (with the server's
# end-to-end suites, the dashboard in headless Chromium, the kill -9 rounds),
# then the suites again under AddressSanitizer + UndefinedBehaviorSanitizer
# with the fuzz targets, then the concurrent suites (store, engine,
# workflows, views, server, NATS, webhooks) under ThreadSanitizer.
#   bash tools/test.sh
#
# On two cores the three builds are most of the time, and the suites spend
# much of theirs waiting (fsyncs, servers starting, kill -9 rounds): so each
# preset's suites run while the next preset compiles. Their output is kept
# in build/test-logs/ and printed when they end; the first suite that fails
# stops the run with its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
logs=build/test-logs
declare -A pids
# A build that fails stops the run: no suite goes on in the background.
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

# start NAME COMMAND...: runs it in the background, its output in a log.
start() {
  local name=$1
  shift
  mkdir -p "$logs"
  echo "test: $name (in the background; log: $logs/$name.log)" >&2
  "$@" >"$logs/$name.log" 2>&1 &
  pids[$name]=$!
}

# finish NAME: waits for it, prints its log, and stops the run if it failed.
finish() {
  local name=$1 rc=0
  wait "${pids[$name]}" || rc=$?
  echo "test: $name: its output" >&2
  cat "$logs/$name.log"
  if ((rc != 0)); then
    echo "test: $name FAILED (exit $rc)" >&2
    exit "$rc"
  fi
  echo "test: $name passed" >&2
}

release_suites() {
  set -e
  echo "test: release"
  ctest --preset release
  echo "test: the dashboard in headless Chromium (artifacts in build/browser-artifacts)"
  PARCOURS_BIN=build/release/tools/parcours ARTIFACTS=build/browser-artifacts \
    bash tests/browser/run.sh
  echo "test: kill -9 rounds (parcours crashtest, docs/reliability.md)"
  build/release/tools/parcours crashtest --rounds 30 --rounds-per-store 10
}

sanitize_suites() {
  set -e
  echo "test: fuzz targets, 15 s each (tools/fuzz.sh, docs/fuzzing.md)"
  bash tools/fuzz.sh 15
  echo "test: sanitize (ASan + UBSan)"
  ctest --preset sanitize
}

bash tools/setup.sh release browser
start release release_suites
bash tools/setup.sh sanitize
finish release
start sanitize sanitize_suites
bash tools/setup.sh tsan
finish sanitize
echo "test: tsan (ThreadSanitizer: store, engine, workflows, views, server, NATS, webhooks)" >&2
ctest --preset tsan
