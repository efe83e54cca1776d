"""One scheduler clock per deployment, and one migration at a time when workers start together."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.factory import open_database
from bot.settings import Settings
from storage.db import create_engine
from storage.locks import AdvisoryLock, FileLock, SoleLock, clock_lock
from storage.models import Municipality, Region
from storage.regions_loader import shipped_region_files
from tests import engines as tests_engines
from tests.conftest import _settings


async def test_on_sqlite_the_clock_is_a_file_lock_one_holder_at_a_time(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    first, second = clock_lock(engine), clock_lock(engine)
    assert isinstance(first, FileLock) and first.path == tmp_path / "bot.db.clock.lock"
    assert await first.acquire() and await first.acquire()  # holding it is not taking it twice
    assert not await second.acquire()
    await first.release()
    assert await second.acquire() and second.held and not first.held
    await second.release()
    await engine.dispose()
    assert isinstance(clock_lock(create_engine("sqlite+aiosqlite:///:memory:")), SoleLock)


@pytest.mark.postgres
async def test_on_postgresql_one_worker_holds_the_clock_and_another_takes_over(settings: Settings) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.fail("PostgreSQL tests need TEST_DATABASE_URL=postgresql+asyncpg://… (scripts/test.sh)")
    engines = [create_engine(settings.database_url) for _ in range(3)]
    first, second = clock_lock(engines[0]), clock_lock(engines[1])
    assert isinstance(first, AdvisoryLock) and isinstance(second, AdvisoryLock)
    assert await first.acquire()
    assert not await second.acquire()
    assert await first.acquire()  # still the holder at the next tick

    # A graceful stop hands the clock over at the next tick.
    await first.release()
    assert await second.acquire() and not await first.acquire()

    # A holder whose connection dies (a crashed worker) loses the clock with it.
    async with engines[2].connect() as admin:
        killed = await admin.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
                "WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
            )
        )
    assert killed == 1
    # The server ends the backend (and drops its lock) a moment after pg_terminate_backend returns.
    for _ in range(50):
        if await first.acquire():
            break
        await asyncio.sleep(0.1)
    assert first.held
    assert not await second.acquire() and not second.held  # it noticed, and the clock is taken
    await first.release()
    for engine in engines:
        await engine.dispose()


@pytest.mark.postgres
async def test_workers_starting_together_on_an_empty_database_migrate_one_at_a_time() -> None:
    if tests_engines.postgres_url() is None:
        pytest.fail("PostgreSQL tests need TEST_DATABASE_URL=postgresql+asyncpg://… (scripts/test.sh)")
    url = await tests_engines.new_pg_database()
    try:
        settings = _settings(url)
        databases = await asyncio.gather(*(open_database(settings) for _ in range(3)))
        async with databases[0].sessionmaker() as session:
            regions = await session.scalar(select(func.count()).select_from(Region))
            municipalities = await session.scalar(select(func.count()).select_from(Municipality))
        for db in databases:
            await db.close()
        assert regions == len(shipped_region_files())
        fresh = await open_database(_settings(url))  # the same counts after one more start
        async with fresh.sessionmaker() as session:
            assert await session.scalar(select(func.count()).select_from(Municipality)) == municipalities
        await fresh.close()
    finally:
        await tests_engines.drop_pg_database(url)
