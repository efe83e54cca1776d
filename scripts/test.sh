#!/usr/bin/env bash
# The test command (README, CI): set up everything on a fresh machine, then run the whole suite
# twice — on SQLite (the embedded default) and on PostgreSQL — with a real Redis for both.
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
    echo "== PostgreSQL"
    TEST_DATABASE_URL="$TEST_POSTGRES_URL" .venv/bin/python -m pytest -q "$@"
' test.sh "$@"
