"""Alembic "stairway": every revision goes up, down and up again, and head matches the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage import migrate
from storage.db import SQLITE_BUSY_TIMEOUT_MS, create_engine
from storage.models import Base
from tests import engines


async def test_stairway(tmp_path: Path) -> None:
    """On the engine under test: SQLite, or an empty PostgreSQL database in the PostgreSQL pass."""
    if engines.postgres_url() is not None:
        url = await engines.new_pg_database()
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'stairway.db'}"
    engine = create_engine(url)
    revisions = migrate.revisions()
    assert revisions, "no migrations found"
    previous = "base"
    for revision in revisions:
        await migrate.upgrade(engine, revision)
        await migrate.downgrade(engine, previous)
        await migrate.upgrade(engine, revision)
        previous = revision
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        diff = await conn.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": False}), Base.metadata
            )
        )
    assert set(Base.metadata.tables) <= tables
    assert diff == [], diff
    await migrate.downgrade(engine, "base")
    async with engine.connect() as conn:
        left = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert left <= {"alembic_version"}
    await engine.dispose()
    if engines.postgres_url() is not None:
        await engines.drop_pg_database(url)


async def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'wal.db'}")
    async with engine.connect() as conn:
        mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
        timeout = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        fks = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    await engine.dispose()
    assert (mode, timeout, fks) == ("wal", SQLITE_BUSY_TIMEOUT_MS, 1)
