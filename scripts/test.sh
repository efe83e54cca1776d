#!/usr/bin/env bash
# The test command (README, CI): set up everything on a fresh machine, then run the whole suite
# twice, as the bot is deployed: SQLite with conversations in the database (the embedded default),
# and PostgreSQL with conversations and per-user locks in Redis (TEST_FSM=redis). A real Redis is
# there for both: tests/test_redis.py runs in each pass.
#
#   scripts/test.sh [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet -e '.[dev]'

# The two passes run side by side (a core each on a 2-core machine; each pass is one process), each
# with its own temporary directory; their output is printed one after the other when both are done.
# A conversation test's run on MAX (marked ``on_max``) is in the SQLite pass only: the transport does
# not change with the database.
exec scripts/services.sh bash -c '
    logs=$(mktemp -d)
    .venv/bin/python -m pytest -q -p no:cacheprovider --basetemp="$logs/sqlite-tmp" \
        -m "not postgres" "$@" > "$logs/sqlite.log" 2>&1 &
    sqlite=$!
    TEST_DATABASE_URL="$TEST_POSTGRES_URL" TEST_FSM=redis .venv/bin/python -m pytest -q \
        -p no:cacheprovider --basetemp="$logs/pg-tmp" -m "not on_max" "$@" > "$logs/pg.log" 2>&1 &
    pg=$!
    status=0
    wait "$sqlite" || status=1
    wait "$pg" || status=1
    echo "== SQLite"
    cat "$logs/sqlite.log"
    echo "== PostgreSQL + Redis"
    cat "$logs/pg.log"
    rm -rf "$logs"
    exit "$status"
' test.sh "$@"
