#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server on 127.0.0.1 (for the database tests):
#   scripts/with_postgres.sh .venv/bin/python -m pytest tests/test_division_store.py
# The command sees GEO_TEST_DATABASE_URL. Needs Debian's postgresql server binaries (initdb, pg_ctl).
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL-server niet gevonden (apt-get install postgresql)" >&2; exit 3; }
PORT=${PGPORT_TEST:-55432}
DIR=$(mktemp -d /tmp/geo-pg-XXXXXX)
RUNAS=()
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; RUNAS=(runuser -u postgres --); fi
cleanup() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
"${RUNAS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U geo --auth=trust >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR" start >/dev/null
"${RUNAS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U geo geo_test
export GEO_TEST_DATABASE_URL="postgresql+psycopg2://geo@127.0.0.1:$PORT/geo_test"
"$@"
