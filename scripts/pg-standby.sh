#!/usr/bin/env bash
# A throwaway PostgreSQL primary and streaming hot standby, for the read-replica tests and for
# trying replicas by hand. Uses the PostgreSQL binaries on this machine; leaves any running
# cluster alone (its own ports, sockets and data directory).
#
#   scripts/pg-standby.sh start          initdb + start the primary, pg_basebackup -R the standby,
#                                        wait until it streams; prints the export lines
#   scripts/pg-standby.sh stop           stops both and deletes the data directory
#   scripts/pg-standby.sh replica-stop   stops the standby at once (pg_ctl stop -m immediate)
#   scripts/pg-standby.sh replica-start  starts it again (it catches up from the primary)
#
# Settings: PG_BIN (default /usr/lib/postgresql/15/bin), PG_STANDBY_DIR (default
# ${TMPDIR:-/tmp}/roost-pg-standby), PG_PRIMARY_PORT (55432), PG_REPLICA_PORT (55433).
# Run as root, the servers run as the postgres user.
set -euo pipefail
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DIR="${PG_STANDBY_DIR:-${TMPDIR:-/tmp}/roost-pg-standby}"
PRIMARY_PORT="${PG_PRIMARY_PORT:-55432}"
REPLICA_PORT="${PG_REPLICA_PORT:-55433}"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ctl() { as_pg "$PG_BIN/pg_ctl" -D "$DIR/$1" -l "$DIR/$1.log" -w -t 30 "${@:2}" >/dev/null; }

print_env() {
  echo "export ROOST_TEST_PG_PRIMARY=postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres"
  echo "export ROOST_TEST_PG_REPLICA=postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"
}

# pg_ctl status asks the process, so a pid file left by a killed run or an old machine image
# does not count as running.
running() { [ -d "$DIR/$1" ] && as_pg "$PG_BIN/pg_ctl" -D "$DIR/$1" status >/dev/null 2>&1; }

start() {
  if running primary && running replica; then print_env; return; fi
  stop # whatever an earlier run left half-running
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  as_pg "$PG_BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust -E UTF8 >/dev/null
  cat >>"$DIR/primary/postgresql.conf" <<EOF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
EOF
  # initdb's trust file already lets local replication in; say so, rather than rely on it.
  echo "host replication postgres 127.0.0.1/32 trust" >>"$DIR/primary/pg_hba.conf"
  ctl primary start
  as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/replica" -R -X stream >/dev/null
  as_pg sed -i "s/^port = $PRIMARY_PORT/port = $REPLICA_PORT/" "$DIR/replica/postgresql.conf"
  ctl replica start
  wait_streaming
  print_env
}

# The standby streams once the primary lists its WAL sender as streaming.
wait_streaming() {
  for _ in $(seq 1 100); do
    state=$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atc \
      "select state from pg_stat_replication limit 1" 2>/dev/null || true)
    [ "$state" = streaming ] && return 0
    sleep 0.1
  done
  echo "the standby on port $REPLICA_PORT does not stream (see $DIR/replica.log)" >&2
  return 1
}

stop() {
  [ -d "$DIR" ] || return 0
  for node in replica primary; do
    if running "$node"; then ctl "$node" stop -m fast || true; fi
  done
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  replica-stop) ctl replica stop -m immediate ;;
  replica-start) ctl replica start && wait_streaming ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|replica-stop|replica-start|env" >&2; exit 2 ;;
esac
