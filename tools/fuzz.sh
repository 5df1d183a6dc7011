#!/usr/bin/env bash
# Builds the libFuzzer targets (the sanitize preset: clang, ASan + UBSan) and
# runs each for SECONDS (default 30) on a scratch copy of its seed corpus
# and past crashes, one after the other. Prints each target's executions
# and whether it found anything; exits 1 if any target crashed, leaked,
# timed out or ran out of memory, leaving the input that did it in
# build/sanitize/crashes/<name>/. The repository's corpus is never written.
#   bash tools/fuzz.sh [SECONDS] [TARGET...]    (targets: all by default)
# See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(envelope payload campaign submission answers http bundle)
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number" >&2; exit 2; }

bash tools/setup.sh sanitize

bin=build/sanitize/tests/fuzz
work=build/sanitize/fuzz-work
crashes=build/sanitize/crashes
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

failed=()
summary=()
for name in "${targets[@]}"; do
  [[ -x $bin/${name}_fuzz ]] || { echo "fuzz: no target $name" >&2; exit 2; }
  # A fresh scratch corpus each run: the seeds, then every past crash.
  rm -rf "${work:?}/$name"
  mkdir -p "$work/$name" "$crashes/$name"
  cp tests/fuzz/corpus/"$name"/* "$work/$name"/
  find tests/fuzz/regressions/"$name" -type f ! -name '.*' -exec cp {} "$work/$name"/ \;
  log="$work/$name.log"
  echo "fuzz: $name for ${seconds}s (log: $log)" >&2
  status=0
  "$bin/${name}_fuzz" "$work/$name" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/$name/" \
    >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$work/$name" -type f | wc -l)
  if ((status == 0)); then
    result="nothing found"
  else
    failed+=("$name")
    artifact=$(sed -n 's/^.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    result="FOUND (exit $status): ${artifact:-see $log}"
    grep -E "^(==[0-9]+==ERROR|SUMMARY|.*runtime error|[a-z_]+_fuzz: )" "$log" | head -5 >&2 || true
  fi
  summary+=("$(printf '%-10s %10s executions %7s/s  corpus %5s  %s' "$name" "${runs:-?}" \
    "${per_second:-?}" "$corpus" "$result")")
done

echo >&2
printf '%s\n' "${summary[@]}"
if ((${#failed[@]})); then
  cat >&2 <<EOF

fuzz: ${failed[*]} found a crash. For each input in build/sanitize/crashes/<name>/:
  reproduce:  build/sanitize/tests/fuzz/<name>_fuzz build/sanitize/crashes/<name>/crash-...
  fix the bug, then keep the input as a regression test of every build:
    cp build/sanitize/crashes/<name>/crash-... tests/fuzz/regressions/<name>/<what-it-was>
    ctest --preset release -L fuzz
EOF
  exit 1
fi
