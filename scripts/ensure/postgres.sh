#!/usr/bin/env bash
# A private PostgreSQL server for the tests (Debian's postgresql package), on its own port and data
# directory so it never touches a server the machine already runs.
#   postgres.sh up     install if absent, initialise, start; prints the connection URL
#   postgres.sh stop [fast|immediate|smart]
#                      shutdown in that mode, fast by default (reliability tests stop the database
#                      mid-stream; immediate is a crash: the next start recovers from the WAL)
#   postgres.sh start  start again after stop
#   postgres.sh url    print the connection URL
#   postgres.sh bin    print the directory of the server's programs (initdb, postgres …)
source "$(dirname "$0")/lib.sh"

PGPORT="${TOKENMETER_PG_PORT:-54329}"
PGDATA="${TOKENMETER_PG_DATA:-/var/tmp/tokenmeter-pg/data}"
PGLOG="$(dirname "$PGDATA")/server.log"
URL="postgres://postgres@127.0.0.1:${PGPORT}/postgres"

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# The server refuses to run as root: run its tools as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ctl() { as_owner "$(pg_bin)/pg_ctl" -D "$PGDATA" -l "$PGLOG" "$@"; }

up() {
  [ -n "$(pg_bin || true)" ] || apt_install postgresql
  [ -n "$(pg_bin || true)" ] || die "PostgreSQL binaries not found after install"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$(dirname "$PGDATA")"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$(dirname "$PGDATA")"
    as_owner "$(pg_bin)/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null \
      || die "initdb failed"
    cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = ${PGPORT}
unix_socket_directories = '$(dirname "$PGDATA")'
max_connections = 200
shared_buffers = 256MB
fsync = on
CONF
  fi
  start
}

start() {
  if ctl status >/dev/null 2>&1; then echo "$URL"; return; fi
  ctl -w -t 60 start >/dev/null || { tail -n 20 "$PGLOG" >&2; die "PostgreSQL failed to start"; }
  echo "$URL"
}

stop() {
  case "$1" in fast | immediate | smart) ;; *) die "unknown shutdown mode \"$1\" (fast, immediate or smart)" ;; esac
  ctl -w -t 60 -m "$1" stop >/dev/null 2>&1 || true
}

case "${1:-up}" in
  up) up ;;
  start) start ;;
  stop) stop "${2:-fast}" ;;
  url) echo "$URL" ;;
  bin) pg_bin ;;
  *) die "usage: $0 up|start|stop [fast|immediate|smart]|url|bin" ;;
esac
