#!/usr/bin/env bash
# Runs the dashboard's browser test (dashboard_test.mjs) against a fresh
# `parcours serve`: a temporary store loaded with `parcours demo`, one
# administrator token, ephemeral ports read from the port file.
#
#   PARCOURS_BIN=build/release/tools/parcours tests/browser/run.sh
#
# Env: PARCOURS_BIN (required), ARTIFACTS (screenshots and the server's log;
# default /tmp/parcours-browser-artifacts), CHROMIUM (default /usr/bin/chromium).
# Exit code: the test script's (1 on a failed check), 2 on a setup failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${PARCOURS_BIN:?set PARCOURS_BIN to the parcours binary}"
[[ -x "$bin" ]] || { echo "run.sh: $bin is not an executable" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
export ARTIFACTS="${ARTIFACTS:-${TMPDIR:-/tmp}/parcours-browser-artifacts}"
mkdir -p "$ARTIFACTS"

dir="$(mktemp -d "${TMPDIR:-/tmp}/parcours-browser.XXXXXX")"
server_pid=""

# shellcheck disable=SC2317  # also called by the trap
stop_server() {
  [[ -n "$server_pid" ]] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    # A graceful stop drains the streams; give it 10 s before SIGKILL.
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$server_pid" 2>/dev/null && { echo "run.sh: server ignored SIGTERM, killing it" >&2; kill -KILL "$server_pid" 2>/dev/null || true; }
  fi
  local rc=0
  wait "$server_pid" 2>/dev/null || rc=$?
  [[ $rc -eq 0 ]] || echo "run.sh: warning: the server exited with status $rc after SIGTERM" >&2
  server_pid=""
}

# shellcheck disable=SC2317  # called by the trap
cleanup() {
  stop_server
  [[ -f "$dir/serve.log" ]] && cp "$dir/serve.log" "$ARTIFACTS/serve.log"
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "run.sh: $*" >&2
  if [[ -s "$dir/serve.log" ]]; then echo "--- server log (last 30 lines) ---" >&2; tail -n 30 "$dir/serve.log" >&2; fi
  exit 2
}

# Reads one field of a JSON document on stdin (node is needed anyway).
# shellcheck disable=SC2016  # JavaScript, not shell
json_field() {
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const v = JSON.parse(s)[process.argv[1]];
    if (typeof v !== "string" || !v) process.exit(1);
    console.log(v);
  });' "$1"
}

echo "run.sh: loading the demo campaigns into $dir/store"
"$bin" --data "$dir/store" demo --json >/dev/null || fail "parcours demo failed"

token="$("$bin" token add --tokens "$dir/tokens.json" --subject admin --role administrator --json | json_field token)" \
  || fail "parcours token add failed or printed no token"

"$bin" --data "$dir/store" serve --http 127.0.0.1:0 --rpc 127.0.0.1:0 \
  --tokens "$dir/tokens.json" --port-file "$dir/ports.json" >"$dir/serve.log" 2>&1 &
server_pid=$!

# The port file appears once the server listens; it may be caught half
# written, so it counts only once it parses.
http=""
for _ in $(seq 300); do
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before listening"
  if [[ -s "$dir/ports.json" ]] && http="$(json_field http <"$dir/ports.json" 2>/dev/null)"; then break; fi
  http=""
  sleep 0.1
done
[[ -n "$http" ]] || fail "no port file after 30 s"
export PARCOURS_URL="http://$http"
# shellcheck disable=SC2016  # JavaScript, not shell
# Listening is not ready: /readyz answers 200 once the views caught up.
node -e 'const url = process.argv[1] + "/readyz"; const end = Date.now() + 30000;
  (async () => {
    for (;;) {
      try { if ((await fetch(url)).status === 200) return; } catch {}
      if (Date.now() > end) { console.error(`run.sh: ${url} not 200 after 30 s`); process.exit(1); }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();' "$PARCOURS_URL" || fail "the server never became ready"
export ADMIN_TOKEN="$token"
echo "run.sh: server at $PARCOURS_URL (pid $server_pid)"

if [[ ! -d "$here/node_modules/playwright-core" ]]; then
  npm ci --prefix "$here" --no-audit --no-fund || fail "npm ci failed"
fi

rc=0
node "$here/dashboard_test.mjs" || rc=$?
stop_server
echo "run.sh: screenshots and server log in $ARTIFACTS"
exit "$rc"
