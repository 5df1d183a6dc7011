#!/usr/bin/env bash
# Runs the benchmark suite (or reads its JSON lines from a file) and rewrites
# the generated parts of docs/performance.md: the blocks between
# `<!-- bench:SECTION:begin -->` and `<!-- bench:SECTION:end -->`, where
# SECTION is `all` (`parcours bench all`), `audit` (`parcours bench audit`),
# `serve` (tools/bench/serve/run.sh) or `postgres`
# (tools/bench/postgres/run.sh). Each block gets the date, the commit, the
# machine and the exact command, then one table row per benchmark. The
# prose outside the markers is left as it is; a section not measured (nor
# in the file read) is left as it is too.
#
#   bash tools/bench/render_performance.sh [options]
#     --args "ARGS"        extra arguments of `parcours bench all` (e.g. "--seconds 1 --runs 1")
#     --skip-all           do not run `parcours bench all`
#     --audit [--audit-args "ARGS"]        also run `parcours bench audit` (fills ~11 M events)
#     --serve [--serve-seconds S]          also run tools/bench/serve/run.sh (builds build/release)
#     --postgres [--postgres-args "ARGS"]  also run tools/bench/postgres/run.sh
#     --bin PATH           the parcours binary (default: build the Release preset
#                          with tools/setup.sh and use build/release/tools/parcours)
#     --from FILE          run nothing: render the JSON lines of FILE (what a run saved)
#     --save FILE          where a run keeps its JSON lines
#                          (default build/bench-results/DATE.jsonl)
#     --doc FILE           the document rewritten (default docs/performance.md)
#     --dry-run            print the generated blocks instead of rewriting the document
#
# The saved file is the suite's JSON lines, each section's preceded by one
# line {"meta":"SECTION","date":...,"commit":...,"machine":...,"command":...};
# `--from` reads the same (lines without a meta line before them are put in
# a section by their name and stamped "from FILE").
# Needs bash, coreutils, sed, awk, git and the parcours binary; nothing else.
set -euo pipefail
cd "$(dirname "$0")/../.."

all_args="" skip_all="" audit="" audit_args="" serve="" serve_seconds=10 postgres=""
postgres_args="" bin="" from="" save="" doc=docs/performance.md dry_run=""
invocation="bash tools/bench/render_performance.sh$(printf ' %q' "$@")"
while (($#)); do
  case "$1" in
    --args) all_args="$2"; shift 2 ;;
    --skip-all) skip_all=1; shift ;;
    --audit) audit=1; shift ;;
    --audit-args) audit_args="$2"; shift 2 ;;
    --serve) serve=1; shift ;;
    --serve-seconds) serve_seconds="$2"; shift 2 ;;
    --postgres) postgres=1; shift ;;
    --postgres-args) postgres_args="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --from) from="$2"; shift 2 ;;
    --save) save="$2"; shift 2 ;;
    --doc) doc="$2"; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "render: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -f "$doc" ]] || { echo "render: no $doc" >&2; exit 1; }

# ---- JSON lines: the few shapes the suite prints, read with sed ----------
json_escape() { local s="${1//\\/\\\\}"; printf '%s' "${s//\"/\\\"}"; }
jstr() { sed -nE 's/.*"'"$2"'":"(([^"\\]|\\.)*)".*/\1/p' <<<"$1" | sed -E 's/\\(["\\/])/\1/g'; }
jnum() { sed -nE 's/.*"'"$2"'":(-?[0-9][0-9.eE+-]*).*/\1/p' <<<"$1"; }
jbool() { sed -nE 's/.*"'"$2"'":(true|false|null).*/\1/p' <<<"$1"; }

# 12345.6 -> 12,346 (rates); microseconds and small values keep a decimal.
fmt() {
  local v="$1" unit="${2:-}"
  [[ -z "$v" ]] && { echo "—"; return; }
  if [[ "$unit" == us || "$unit" == ms ]] || awk -v v="$v" 'BEGIN {exit !(v < 100)}'; then
    printf '%.1f' "$v"
  else
    printf '%.0f' "$v"
  fi | sed -E ':a; s/^([0-9]+)([0-9]{3})/\1,\2/; ta'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "—"; else printf "%.2f×", a / b}'; }
verdict() {
  case "$1" in
    true) echo met ;;
    false) echo "**missed**" ;;
    *) echo "—" ;;
  esac
}

# ---- Running the suite ---------------------------------------------------
machine() {
  local model mem disk
  model="$(lscpu 2>/dev/null | sed -nE 's/^Model name: *//p' | head -n 1)"
  mem="$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  disk="$(df -PT "${TMPDIR:-/tmp}" | awk 'NR == 2 {print $2 " on " $1}')"
  printf '%s, %s cores, %s RAM, %s, Linux %s' "${model:-unknown CPU}" "$(nproc)" "$mem" "$disk" \
    "$(uname -r)"
}
commit() {
  local c
  c="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if ! git diff --quiet HEAD 2>/dev/null; then c="$c + uncommitted changes"; fi
  printf '%s' "$c"
}
meta() {  # section command
  printf '{"meta":"%s","date":"%s","commit":"%s","machine":"%s","load":"%s","command":"%s","rendered_by":"%s"}\n' \
    "$1" "$(date -u +'%Y-%m-%d %H:%M UTC')" "$(json_escape "$(commit)")" \
    "$(json_escape "$(machine)")" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(json_escape "$2")" \
    "$(json_escape "$invocation")"
}

if [[ -z "$from" ]]; then
  if [[ -z "$bin" ]]; then
    bash tools/setup.sh release >&2
    bin=build/release/tools/parcours
  fi
  [[ -x "$bin" ]] || { echo "render: no parcours binary at $bin" >&2; exit 1; }
  if [[ -z "$save" ]]; then
    mkdir -p build/bench-results
    save="build/bench-results/$(date -u +%Y%m%dT%H%M%SZ).jsonl"
  fi
  : >"$save"
  # Each section: its meta line, then its JSON lines (only lines that are JSON).
  measure() {  # section command...
    local section="$1" command
    shift
    command="$(printf '%q ' "$@")"
    command="${command% }"
    echo "render: $command" >&2
    local started=$SECONDS out
    meta "$section" "$command" >>"$save"
    out="$("$@")" || { echo "render: $command failed" >&2; exit 1; }
    grep '^{' <<<"$out" >>"$save" || true
    echo "render: $section took $((SECONDS - started)) s" >&2
  }
  # shellcheck disable=SC2086  # the extra arguments are split on purpose
  [[ -z "$skip_all" ]] && measure all "$bin" --log-level warn bench all --json $all_args
  # shellcheck disable=SC2086
  [[ -n "$audit" ]] && measure audit "$bin" --log-level warn bench audit --json $audit_args
  [[ -n "$serve" ]] && measure serve bash tools/bench/serve/run.sh "$serve_seconds"
  # shellcheck disable=SC2086
  [[ -n "$postgres" ]] && measure postgres bash tools/bench/postgres/run.sh --bin "$bin" $postgres_args
  echo "render: JSON lines kept in $save" >&2
  from="$save"
fi
[[ -f "$from" ]] || { echo "render: no $from" >&2; exit 1; }

# ---- Sorting the lines into sections -------------------------------------
declare -A lines stamps
section=""
while IFS= read -r line; do
  [[ "$line" == "{"* ]] || continue
  m="$(jstr "$line" meta)"
  if [[ -n "$m" ]]; then
    section="$m"
    stamps[$section]="$line"
    continue
  fi
  s="$section"
  if [[ -z "$s" ]]; then
    case "$(jstr "$line" name)" in
      audit.*) s=audit ;;
      postgres.*) s=postgres ;;
      http.* | sse.*) s=serve ;;
      *) s=all ;;
    esac
  fi
  lines[$s]+="$line"$'\n'
done <"$from"

stamp() {  # section
  local m="${stamps[$1]:-}"
  if [[ -z "$m" ]]; then
    printf 'Rendered %s from `%s` (when and where it was measured is not recorded in it).\n' \
      "$(date -u +'%Y-%m-%d')" "$from"
    return
  fi
  printf 'Measured %s, commit %s, on %s (load average %s at the start).\n\n' \
    "$(jstr "$m" date)" "$(jstr "$m" commit)" "$(jstr "$m" machine)" "$(jstr "$m" load)"
  printf '```sh\n%s\n```\n\n' "$(jstr "$m" command)"
  printf 'Rendered by `%s`.\n' "$(jstr "$m" rendered_by)"
}

# ---- The blocks ----------------------------------------------------------
# parcours bench all / audit: the Figure lines of report.cc.
render_figures() {  # section
  local line name unit
  stamp "$1"
  echo
  echo "| benchmark | unit | parcours | raw RocksDB | ratio | target | met/missed |"
  echo "|---|---|---:|---:|---:|---|---|"
  while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    name="$(jstr "$line" name)" unit="$(jstr "$line" unit)"
    printf '| `%s` | %s | %s | %s | %s | %s | %s |\n' "$name" "${unit/#us/µs}" \
      "$(fmt "$(jnum "$line" value)" "$unit")" "$(fmt "$(jnum "$line" raw_value)" "$unit")" \
      "$(printf '%.2f×' "$(jnum "$line" ratio)")" "$(target="$(jstr "$line" target)"; echo "${target:-—}")" \
      "$(verdict "$(jbool "$line" target_met)")"
  done <<<"${lines[$1]}"
  echo
  while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    printf -- '- `%s` (%s): %s. Raw: %s.\n' "$(jstr "$line" name)" \
      "$(sed -nE 's/.*"runs":\[([^]]*)\].*/\1/p' <<<"$line" |
        awk -F, '{print NF (NF == 1 ? " run" : " runs")}')" \
      "$(jstr "$line" description)" "$(jstr "$line" raw_description)"
  done <<<"${lines[$1]}"
}

render_postgres() {
  local line unit version=""
  stamp postgres
  echo
  echo "| benchmark | unit | clients | parcours | PostgreSQL | parcours ÷ PostgreSQL | raw RocksDB | target | met/missed |"
  echo "|---|---|---:|---:|---:|---:|---:|---|---|"
  while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    unit="$(jstr "$line" unit)"
    version="$(jstr "$line" postgres_version)"
    local multiple
    multiple="$(printf '%.2f×' "$(jnum "$line" multiple)")"
    [[ "$unit" == us ]] && multiple="$multiple faster"
    printf '| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(jstr "$line" name)" \
      "${unit/#us/µs}" "$(jnum "$line" clients)" "$(fmt "$(jnum "$line" parcours)" "$unit")" \
      "$(fmt "$(jnum "$line" postgres)" "$unit")" "$multiple" \
      "$(fmt "$(jnum "$line" raw_rocksdb)" "$unit")" \
      "$(target="$(jstr "$line" target)"; echo "${target:-—}")" "$(verdict "$(jbool "$line" target_met)")"
  done <<<"${lines[postgres]}"
  echo
  local first="${lines[postgres]%%$'\n'*}"
  echo "PostgreSQL ${version:-?} from Debian, a throwaway cluster (fsync=on,"
  echo "synchronous_commit=on, full_page_writes=on, wal_sync_method=fdatasync), pgbench over"
  echo "TCP on 127.0.0.1 with a prepared INSERT in autocommit: one transaction per event, each"
  echo "client on its own stream with the next version, UNIQUE(stream_id, version). Each"
  echo "figure is the median of $(sed -nE 's/.*"postgres_runs":\[([^]]*)\].*/\1/p' <<<"$first" |
    awk -F, '{print NF}') runs of $(jnum "$first" seconds) s, parcours's and PostgreSQL's"
  echo "alternating; payloads of $(jnum "$first" payload_bytes) bytes. Raw RocksDB: the same parcours"
  echo "runs' baseline in the same client model (N threads, one synced Put each)."
}

render_serve() {
  local line base="" http="" sse=""
  while IFS= read -r line; do
    case "$(jstr "$line" name)" in
      append.durable.64) base="$line" ;;
      http.command.submit) http="$line" ;;
      sse.fanout) sse="$line" ;;
    esac
  done <<<"${lines[serve]}"
  stamp serve
  echo
  echo "| benchmark | parcours | same-run raw RocksDB | ratio | target | met/missed |"
  echo "|---|---:|---:|---:|---|---|"
  local raw="" raw_text="—"
  if [[ -n "$base" ]]; then
    raw="$(jnum "$base" raw_value)"
    raw_text="$(fmt "$raw") events/s (synced WriteBatch of 64)"
  fi
  if [[ -n "$http" ]]; then
    local rate p99 met=false
    rate="$(jnum "$http" commands_per_s)" p99="$(jnum "$http" p99_ms)"
    awk -v r="$rate" -v p="$p99" 'BEGIN {exit !(r >= 10000 && p <= 25)}' && met=true
    printf '| durable commands over HTTP, 64 connections | %s commands/s; p50 %s ms, p99 %s ms, %s errors | %s | %s | ≥ 10,000 commands/s, p99 ≤ 25 ms | %s |\n' \
      "$(fmt "$rate")" "$(fmt "$(jnum "$http" p50_ms)" ms)" "$(fmt "$p99" ms)" \
      "$(jnum "$http" errors)" "$raw_text" "$(ratio "$rate" "${raw:-0}")" "$(verdict $met)"
  fi
  if [[ -n "$base" ]]; then
    printf '| the store alone, same run (`append.durable.64`) | %s events/s | as above | %s | (issue 2'"'"'s) | — |\n' \
      "$(fmt "$(jnum "$base" value)")" "$(ratio "$(jnum "$base" value)" "$raw")"
  fi
  if [[ -n "$sse" ]]; then
    local rate p99 met=false
    rate="$(jnum "$sse" events_per_s)" p99="$(jnum "$sse" p99_ms)"
    awk -v r="$rate" -v p="$p99" 'BEGIN {exit !(r >= 1980 && p <= 20)}' && met=true
    printf '| SSE fan-out, %s subscribers | %s events/s written (aimed at 2,000), %s deliveries, %s subscribers got every event; p50 %s ms, p99 %s ms, max %s ms | — | — | 2,000 events/s (±1 %%), p99 ≤ 20 ms | %s |\n' \
      "$(jnum "$sse" subscribers)" "$(fmt "$rate")" "$(fmt "$(jnum "$sse" deliveries)")" \
      "$(jnum "$sse" subscribers_with_every_event)" "$(fmt "$(jnum "$sse" p50_ms)" ms)" \
      "$(fmt "$p99" ms)" "$(fmt "$(jnum "$sse" max_ms)" ms)" "$(verdict $met)"
  fi
}

render() {  # section
  case "$1" in
    all | audit) render_figures "$1" ;;
    postgres) render_postgres ;;
    serve) render_serve ;;
  esac
}

# ---- Rewriting the document ----------------------------------------------
tmp="$(mktemp)"
trap 'rm -f "$tmp" "$tmp.block"' EXIT
cp "$doc" "$tmp"
rendered=()
for s in all audit serve postgres; do
  [[ -n "${lines[$s]:-}" ]] || continue
  {
    echo "<!-- generated by tools/bench/render_performance.sh: edits between these markers are overwritten -->"
    echo
    render "$s"
    echo
  } >"$tmp.block"
  if [[ -n "$dry_run" ]]; then
    echo "<!-- bench:$s:begin -->"
    cat "$tmp.block"
    echo "<!-- bench:$s:end -->"
    continue
  fi
  if ! grep -q "^<!-- bench:$s:begin -->$" "$tmp" || ! grep -q "^<!-- bench:$s:end -->$" "$tmp"; then
    echo "render: $doc has no <!-- bench:$s:begin --> / <!-- bench:$s:end --> markers; $s not written" >&2
    continue
  fi
  awk -v begin="<!-- bench:$s:begin -->" -v end="<!-- bench:$s:end -->" -v block="$tmp.block" '
    $0 == begin {print; while ((getline l < block) > 0) print l; skip = 1; next}
    $0 == end {skip = 0}
    !skip {print}' "$tmp" >"$tmp.new"
  mv "$tmp.new" "$tmp"
  rendered+=("$s")
done
if [[ -z "$dry_run" ]]; then
  cp "$tmp" "$doc"
  echo "render: rewrote ${rendered[*]:-nothing} in $doc" >&2
fi
