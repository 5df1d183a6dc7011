#!/usr/bin/env bash
# A/B: durable commands over HTTP (wrk, 64 connections, 8 s, submit.lua)
# against two parcours binaries, alternating, each run on a fresh store, so
# that a change is compared with the previous build in the same hour.
#   bash tools/bench/serve/ab.sh OLD_BINARY NEW_BINARY [ROUNDS]   (default 3)
# Build the old one from a worktree: git worktree add /tmp/base REV, then
# cmake --preset release && cmake --build build/release --target parcours.
set -euo pipefail
src="$(cd "$(dirname "$0")/../../.." && pwd)"
old="${1:?the parcours binary of the previous build}"
new="${2:?the parcours binary of this build}"
rounds="${3:-3}"
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
run() {
  local bin="$1" label="$2"
  local dir; dir="$(mktemp -d)"
  local token; token="$("$bin" token add --tokens "$dir/tokens.json" --subject bench --role administrator 2>/dev/null)"
  mkdir -p "$dir/store"
  "$bin" --data "$dir/store" serve --tokens "$dir/tokens.json" --http 127.0.0.1:0 --rpc 127.0.0.1:0 --port-file "$dir/ports.json" 2>"$dir/serve.log" &
  local server=$!
  for _ in $(seq 100); do [[ -s "$dir/ports.json" ]] && break; sleep 0.1; done
  local http; http="$(sed -E 's/.*"http": "([^"]+)".*/\1/' "$dir/ports.json")"
  local definition; definition="$(sed -e 's/"id": "label-territoire-innovant-2020"/"id": "bench"/' -e 's/2020-06-19T23:59:59/2099-12-31T23:59:59/' "$src"/workflows/campaigns/label-territoire-innovant-2020.json)"
  curl -sf -X POST -H "Authorization: Bearer $token" -d "{\"definition\": $definition}" "http://$http/v1/campaigns/bench" >/dev/null
  local out; out="$(cd "$src" && TOKEN="$token" CAMPAIGN=bench wrk -t2 -c64 -d8s --latency -s tools/bench/serve/submit.lua "http://$http")"
  local rps; rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  local p50; p50="$(echo "$out" | awk '$1=="50%" {print $2}')"
  local p99; p99="$(echo "$out" | awk '$1=="99%" {print $2}')"
  local non2xx; non2xx="$(echo "$out" | awk '/Non-2xx/ {print $NF}')"
  echo "$label rps=$rps p50=$p50 p99=$p99 non2xx=${non2xx:-0}"
  kill -TERM $server; wait $server 2>/dev/null || true
  rm -rf "$dir"
}
for _ in $(seq "$rounds"); do
  run "$old" "old"
  run "$new" "new"
done
