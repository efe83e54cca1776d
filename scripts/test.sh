#!/usr/bin/env bash
# The test command (README, CI): set up everything on a fresh machine, then run the whole suite
# twice, as the bot is deployed: SQLite with conversations in the database (the embedded default),
# then PostgreSQL with conversations and per-user locks in Redis (TEST_FSM=redis). A real Redis is
# there for both: tests/test_redis.py runs in each pass.
#
#   scripts/test.sh [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet -e '.[dev]'

exec scripts/services.sh bash -c '
    set -e
    echo "== SQLite"
    .venv/bin/python -m pytest -q -m "not postgres" "$@"
    echo "== PostgreSQL + Redis"
    TEST_DATABASE_URL="$TEST_POSTGRES_URL" TEST_FSM=redis .venv/bin/python -m pytest -q "$@"
' test.sh "$@"
