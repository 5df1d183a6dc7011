#!/usr/bin/env bash
# parcours against PostgreSQL at the same durability, in the same run.
#
# For each client count N (default 1 4 16 64): N clients, each appending one
# event per transaction to its own stream with the next version, payloads of
# --payload-bytes random bytes, for --seconds, --runs times (the median is
# reported). parcours: `parcours bench append --appenders N` (embedded, one
# durable append per call, fsync on). PostgreSQL: a throwaway cluster in a
# temporary directory (initdb as the `postgres` user, listening on
# 127.0.0.1 only, on a free port; fsync=on, synchronous_commit=on,
# full_page_writes=on: a commit acknowledged is on disk), the usual event
# table, pgbench over TCP with a prepared INSERT in autocommit (one
# transaction per event), after an unmeasured warm-up and a CHECKPOINT (so
# that WAL segments are recycled as on a server that has been running).
# With one client, also the median latency of one durable append on each
# side (pgbench's per-transaction log).
#
# Installs PostgreSQL from Debian if missing (without creating Debian's
# default cluster). Prints one JSON object per line on stdout (name, unit,
# clients, parcours, postgres, multiple = how many times better parcours
# is, target, target_met, each run, and raw RocksDB's figure in the same
# client model from the same parcours runs) and a table on stderr; the cluster
# is stopped and removed on exit.
#
#   bash tools/bench/postgres/run.sh [--seconds S] [--runs R] [--clients "1 4 16 64"]
#                                    [--payload-bytes B] [--bin PATH/TO/parcours]
# Without --bin it builds the Release preset (tools/setup.sh release) and
# uses build/release/tools/parcours.
set -euo pipefail
cd "$(dirname "$0")/../../.."

seconds=5 runs=3 clients="1 4 16 64" payload_bytes=256 bin=""
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --payload-bytes) payload_bytes="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "postgres bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "postgres bench: --seconds takes whole seconds (pgbench -T)" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "postgres bench: --runs takes a count" >&2; exit 2; }
if [[ -z "$bin" ]]; then
  bash tools/setup.sh release >&2
  bin=build/release/tools/parcours
fi
[[ -x "$bin" ]] || { echo "postgres bench: no parcours binary at $bin" >&2; exit 1; }

# PostgreSQL from Debian, if missing. Debian's postinst would create and
# start a "main" cluster on port 5432; createcluster.conf tells it not to.
pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [[ -z "$(pg_bindir)" || ! -x "$(pg_bindir)/pgbench" ]]; then
  echo "postgres bench: installing postgresql" >&2
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    "${sudo[@]}" mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  export DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold \
    postgresql >/dev/null
fi
pgbin="$(pg_bindir)"
id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres -- "$@"; fi
}

dir="$(mktemp -d "${TMPDIR:-/tmp}/parcours-pg-bench.XXXXXX")"
chown postgres "$dir"
chmod 700 "$dir"
started=""
cleanup() {
  [[ -n "$started" ]] && as_postgres "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=""
for _ in $(seq 100); do
  p=$((20000 + RANDOM % 30000))
  if [[ -z "$(ss -Hltn "sport = :$p")" ]]; then port=$p; break; fi
done
[[ -n "$port" ]] || { echo "postgres bench: no free port" >&2; exit 1; }

as_postgres "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
cat >>"$dir/data/postgresql.conf" <<CONF
# parcours bench: a throwaway cluster, the same durability as parcours
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
full_page_writes = on
wal_sync_method = fdatasync   # what RocksDB's WAL sync calls too
max_connections = 100
CONF
as_postgres "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start >/dev/null
started=1
psql=("$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)
"${psql[@]}" <<'SQL'
CREATE TABLE events (
  position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id   text        NOT NULL,
  version     bigint      NOT NULL,
  type        text        NOT NULL,
  payload     bytea       NOT NULL,
  metadata    jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, version)
);
SQL
pg_version="$("${psql[@]}" -At -c 'SHOW server_version' | cut -d' ' -f1)"
for setting in fsync synchronous_commit full_page_writes wal_sync_method; do
  echo "postgres bench: $setting = $("${psql[@]}" -At -c "SHOW $setting")" >&2
done

# Each client's stream is bench-RUN-CLIENT; :v (set to 0 for every client
# by -D) is its stream's version, kept from one transaction to the next.
cat >"$dir/append.sql" <<'SQL'
\set v :v + 1
INSERT INTO events (stream_id, version, type, payload, metadata)
  VALUES ('bench-' || :run || '-' || :client_id, :v, 'BenchEvent', decode(:payload, 'hex'),
          '{"actor": "bench", "correlation": "", "causation": ""}');
SQL
chmod 644 "$dir/append.sql"
payload_hex="$(od -An -v -tx1 -N"$payload_bytes" /dev/urandom | tr -d ' \n')"

median() {
  sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
json_number() { sed -nE "s/.*\"$2\":(-?[0-9.eE+-]+).*/\1/p" <<<"$1"; }
run_id=0

# One pgbench run of N clients on streams bench-RUN_ID-*: prints events/s;
# with a log directory, writes the per-transaction log there.
pgbench_run() {
  local n="$1" run_id="$2" log="${3:-}" out extra=() threads=$(($1 < 2 ? $1 : 2))
  [[ -n "$log" ]] && extra=(-l --log-prefix="$log/txn")
  out="$(cd "$dir" && "$pgbin/pgbench" -n -h 127.0.0.1 -p "$port" -U postgres -M prepared \
    -c "$n" -j "$threads" -T "$seconds" -f "$dir/append.sql" -D v=0 -D run="$run_id" \
    -D payload="$payload_hex" "${extra[@]}" postgres 2>&1)" || {
    echo "$out" >&2
    return 1
  }
  local failed
  failed="$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' <<<"$out")"
  if [[ -n "$failed" && "$failed" != 0 ]]; then
    echo "postgres bench: $failed failed transactions" >&2
    echo "$out" >&2
    return 1
  fi
  sed -nE 's/^tps = ([0-9.]+) .*/\1/p' <<<"$out"
}

# Warm-up, not measured: a fresh cluster creates (zero-fills and syncs) a
# new 16 MiB WAL segment every few thousand events, which a server that has
# been running recycles instead; fill some, then checkpoint so that the
# measured runs reuse them.
run_id=$((run_id + 1))
echo "postgres bench: warm-up, 16 clients for $seconds s, then CHECKPOINT" >&2
pgbench_run 16 "$run_id" >/dev/null
"${psql[@]}" -c CHECKPOINT

rows=()
# name unit clients parcours postgres multiple target met parcours_runs postgres_runs raw raw_runs
emit() {
  local line verdict=-
  line="$(printf '{"name":"%s","unit":"%s","clients":%s,"parcours":%s,"postgres":%s,"multiple":%.2f,"target":"%s","target_met":%s,"parcours_runs":[%s],"postgres_runs":[%s],"raw_rocksdb":%s,"raw_rocksdb_runs":[%s],"postgres_version":"%s","payload_bytes":%s,"seconds":%s}' \
    "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" "${11}" "${12}" "$pg_version" \
    "$payload_bytes" "$seconds")"
  echo "$line"
  [[ $8 == true ]] && verdict="met: $7"
  [[ $8 == false ]] && verdict="MISSED: $7"
  rows+=("$(printf '%-30s %-9s %7s %12.1f %12.1f %8.2fx %12.1f  %s' "$1" "$2" "$3" "$4" "$5" "$6" \
    "${11}" "$verdict")")
}
joined() { local IFS=,; echo "$*"; }

# Per client count, the runs alternate: one parcours run (with its raw
# RocksDB run), one PostgreSQL run, so that a noisy moment of the machine
# hits both sides alike.
for n in $clients; do
  ours=() raw=() pg_runs=() ours_p50=() raw_p50=() pg_p50=()
  # parcours's raw RocksDB in the same client model: N threads, one synced
  # Put each (for 64, the .cl row: append.durable.64's raw is batches of 64).
  raw_name="append.durable.$n"
  ((n == 64)) && raw_name="append.durable.64.cl"
  for ((r = 1; r <= runs; r++)); do
    echo "postgres bench: $n client(s), run $r of $runs: parcours, then PostgreSQL, $seconds s each" >&2
    out="$("$bin" --log-level warn bench append --appenders "$n" --filter "append.durable.$n" \
      --seconds "$seconds" --runs 1 --payload-bytes "$payload_bytes" --json)"
    ours+=("$(json_number "$(grep "\"name\":\"append.durable.$n\"" <<<"$out")" value)")
    raw+=("$(json_number "$(grep "\"name\":\"$raw_name\"" <<<"$out")" raw_value)")
    log=""
    if ((n == 1)); then
      line="$(grep '"name":"append.durable.1.p50"' <<<"$out")"
      ours_p50+=("$(json_number "$line" value)")
      raw_p50+=("$(json_number "$line" raw_value)")
      log="$dir/log$r"
      mkdir -p "$log"
    fi
    run_id=$((run_id + 1))
    pg_runs+=("$(pgbench_run "$n" "$run_id" "$log")")
    # The per-transaction log: client, transaction, latency in us, ...
    [[ -n "$log" ]] && pg_p50+=("$(cat "$log"/txn* | awk '{print $3}' | median)")
  done
  ours_value="$(printf '%s\n' "${ours[@]}" | median)"
  pg_value="$(printf '%s\n' "${pg_runs[@]}" | median)"
  multiple="$(awk -v a="$ours_value" -v b="$pg_value" 'BEGIN {printf "%.4f", b ? a / b : 0}')"
  met="$(awk -v m="$multiple" 'BEGIN {print (m >= 10) ? "true" : "false"}')"
  emit "postgres.append.durable.$n" events/s "$n" "$ours_value" "$pg_value" "$multiple" \
    ">= 10x PostgreSQL" "$met" "$(joined "${ours[@]}")" "$(joined "${pg_runs[@]}")" \
    "$(printf '%s\n' "${raw[@]}" | median)" "$(joined "${raw[@]}")"
  if ((n == 1)); then
    ours_value="$(printf '%s\n' "${ours_p50[@]}" | median)"
    pg_value="$(printf '%s\n' "${pg_p50[@]}" | median)"
    multiple="$(awk -v a="$ours_value" -v b="$pg_value" 'BEGIN {printf "%.4f", a ? b / a : 0}')"
    emit "postgres.append.durable.1.p50" us 1 "$ours_value" "$pg_value" "$multiple" "" null \
      "$(joined "${ours_p50[@]}")" "$(joined "${pg_p50[@]}")" \
      "$(printf '%s\n' "${raw_p50[@]}" | median)" "$(joined "${raw_p50[@]}")"
  fi
done

# Every stream holds versions 1..n exactly once: each transaction appended
# the next version, none was lost or repeated.
read -r total streams bad < <("${psql[@]}" -At -F ' ' -c "SELECT sum(n), count(*),
  count(*) FILTER (WHERE n <> hi OR lo <> 1) FROM (SELECT count(*) AS n,
  min(version) AS lo, max(version) AS hi FROM events GROUP BY stream_id) s")
echo "postgres bench: $total events in $streams streams, $bad stream(s) with a gap" >&2
[[ "$bad" == 0 ]] || exit 1

{
  echo
  echo "parcours vs PostgreSQL $pg_version (fsync=on, synchronous_commit=on), ${payload_bytes}-byte payloads, median of $runs run(s) of $seconds s"
  printf '%-30s %-9s %7s %12s %12s %9s %12s  %s\n' benchmark unit clients parcours postgres multiple \
    "raw RocksDB" target
  printf '%s\n' "${rows[@]}"
} >&2
