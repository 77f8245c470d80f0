#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: initdb in a temporary folder as the
# `postgres` user, start it on a loopback port, export DATABASE_URL, run the command, stop the
# cluster and remove the folder whatever happens.
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "with-postgres: no PostgreSQL server binaries (apt-get install postgresql)" >&2
  exit 2
fi
PGPORT=${PGPORT:-54329}
DATA=$(mktemp -d /tmp/ketamine-pg.XXXXXX)
chown postgres "$DATA"
# From the cluster's folder: the checkout may be one the postgres user cannot enter.
as_postgres() { (cd "$DATA" && runuser -u postgres -- "$@"); }

cleanup() {
  as_postgres "$PGBIN/pg_ctl" -D "$DATA/db" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT

as_postgres "$PGBIN/initdb" -D "$DATA/db" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$DATA/db" -l "$DATA/server.log" -w \
  -o "-h 127.0.0.1 -p $PGPORT -k $DATA -F" start >/dev/null
as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres ketamine

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/ketamine"
echo "with-postgres: $("$PGBIN/postgres" --version) on 127.0.0.1:$PGPORT"
"$@"
