#!/usr/bin/env bash
# The main job on the embedded RocksDB default: set up and build, play both
# 2020 campaigns into a store on the first run (`parcours demo`), make one
# demo token per role, then serve it: the dashboard, the HTTP/JSON API, live
# events and the Cap'n Proto RPC API, on 127.0.0.1. Ctrl-C stops it cleanly;
# running it again serves the same store (and tokens).
#   bash tools/run.sh
# Env: PARCOURS_DEMO_DIR (default ./data/demo), PARCOURS_HTTP (default
# 127.0.0.1:8080), PARCOURS_RPC (default 127.0.0.1:8081).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh release
bin=build/release/tools/parcours
dir="${PARCOURS_DEMO_DIR:-data/demo}"
http="${PARCOURS_HTTP:-127.0.0.1:8080}"
rpc="${PARCOURS_RPC:-127.0.0.1:8081}"
mkdir -p "$dir"

if [[ ! -d "$dir/store" ]]; then
  echo "run: first run: playing both 2020 campaigns into $dir/store" >&2
  "$bin" --data "$dir/store" demo
fi

# Demo tokens, kept in clear next to the store for the demo only (a real
# deployment keeps only the hashes: `parcours token add` prints a token once).
if [[ ! -f "$dir/demo-tokens.txt" ]]; then
  rm -f "$dir/tokens.json"
  : >"$dir/demo-tokens.txt"
  chmod 600 "$dir/demo-tokens.txt"
  #       subject                role           what it can do in the demo
  while read -r subject role; do
    token="$("$bin" token add --tokens "$dir/tokens.json" --subject "$subject" --role "$role" 2>/dev/null)"
    printf '%-14s %-20s %s\n' "$role" "$subject" "$token" >>"$dir/demo-tokens.txt"
  done <<'ROLES'
admin administrator
instructeur instructor
juror-1 juror
auditeur auditor
integrateur integrator
applicant:lti-01 applicant
ROLES
fi

cat >&2 <<TEXT

parcours is serving $dir/store
  dashboard   http://$http/        (paste the administrator token to sign in)
  HTTP API    http://$http/v1/     (docs/http-api.md, http://$http/v1/openapi.json)
  live events http://$http/v1/events/stream
  RPC API     $rpc                 (adapters/rpc/parcours.capnp)
  metrics     http://$http/metrics

Demo tokens (role, subject, token), also in $dir/demo-tokens.txt:
$(cat "$dir/demo-tokens.txt")

Try: curl -H "Authorization: Bearer <token>" http://$http/v1/campaigns
     $bin --server $rpc --token <token> status      (the CLI, through the server)
Ctrl-C stops the server (it finishes what is in flight first).
TEXT
exec "$bin" --data "$dir/store" --log-level info serve --tokens "$dir/tokens.json" \
  --http "$http" --rpc "$rpc"
