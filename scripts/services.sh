#!/usr/bin/env bash
# Start a throw-away PostgreSQL and Redis on 127.0.0.1, run a command with their URLs, stop them.
#
#   scripts/services.sh COMMAND [ARGS...]
#
# The command sees TEST_POSTGRES_URL and TEST_REDIS_URL. Data lives under a temporary folder that
# is removed afterwards. Missing servers are installed with apt-get (as root, as on CI).
set -euo pipefail

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# Free ports unless given: another run (or a developer's own servers) may hold the usual ones.
PG_PORT="${PG_PORT:-$(free_port)}"
REDIS_PORT="${REDIS_PORT:-$(free_port)}"

pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    done
    command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

if [ -z "$(pg_bin)" ] || ! command -v redis-server >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL and redis-server are needed: apt-get install postgresql redis-server" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql redis-server >/dev/null
fi
PG_BIN="$(pg_bin)"

WORK="$(mktemp -d /tmp/efs-services.XXXXXX)"
chmod 755 "$WORK"
as_pg() {
    # PostgreSQL refuses to run as root: use its own system user then.
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir "$WORK/pg"
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK/pg"
as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
# Durability settings are off: these servers hold test data only.
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -o \
    "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
     -c full_page_writes=off -c max_connections=300" start >/dev/null

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"
for _ in $(seq 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
done

export TEST_POSTGRES_URL="postgresql+asyncpg://postgres@127.0.0.1:$PG_PORT/postgres"
export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
"$@"
