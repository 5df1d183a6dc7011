#!/usr/bin/env bash
# The server's benchmarks, with the raw-RocksDB baseline of the same run:
#  1. raw RocksDB and parcours durable appends by 64 appenders
#     (`parcours bench append --filter durable.64`): the ratio's denominator;
#  2. durable commands over HTTP: wrk, 64 connections, each submitting
#     dossiers of its own (submit.lua), against `parcours serve`;
#  3. SSE fan-out: 100 subscribers while dossiers are submitted at 2,000
#     events/s (parcours_sse_bench), delivery delay from recorded time.
# Prints one JSON object per line; installs wrk if missing.
#   bash tools/bench/serve/run.sh [seconds]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/../../.."
seconds="${1:-10}"
bash tools/setup.sh release >&2
command -v wrk >/dev/null || {
  echo "bench: installing wrk" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
}
bin=build/release/tools/parcours
sse=build/release/tools/parcours_sse_bench
dir="$(mktemp -d "${TMPDIR:-/tmp}/parcours-serve-bench.XXXXXX")"
server=""
cleanup() {
  [[ -n "$server" ]] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

"$bin" bench append --filter durable.64 --seconds 2 --runs 3 --json

token="$("$bin" token add --tokens "$dir/tokens.json" --subject bench --role administrator 2>/dev/null)"
mkdir -p "$dir/store"
"$bin" --data "$dir/store" serve --tokens "$dir/tokens.json" --http 127.0.0.1:0 --rpc 127.0.0.1:0 \
  --port-file "$dir/ports.json" 2>"$dir/serve.log" &
server=$!
for _ in $(seq 100); do [[ -s "$dir/ports.json" ]] && break; sleep 0.1; done
http="$(sed -E 's/.*"http": "([^"]+)".*/\1/' "$dir/ports.json")"

definition="$(sed -e 's/"id": "label-territoire-innovant-2020"/"id": "bench"/' \
  -e 's/2020-06-19T23:59:59/2099-12-31T23:59:59/' workflows/campaigns/label-territoire-innovant-2020.json)"
curl -sf -X POST -H "Authorization: Bearer $token" -d "{\"definition\": $definition}" \
  "http://$http/v1/campaigns/bench" >/dev/null

TOKEN="$token" CAMPAIGN=bench wrk -t2 -c64 -d"${seconds}s" --latency \
  -s tools/bench/serve/submit.lua "http://$http" | grep '^{'

"$sse" --http "$http" --token "$token" --campaign bench --subscribers 100 --rate 2000 \
  --seconds "$seconds"
