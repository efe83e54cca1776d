"""The database engine the suite runs on, and throw-away PostgreSQL databases for it.

``TEST_DATABASE_URL`` unset (or SQLite): every test gets a copy of a migrated SQLite file.
``TEST_DATABASE_URL=postgresql+asyncpg://user@host:port/db``: the suite makes a migrated template
database once, and every test gets ``CREATE DATABASE … TEMPLATE`` of it, dropped afterwards.
``TEST_FSM=redis`` (with ``TEST_REDIS_URL``): conversations and per-user locks live in Redis, under
a key prefix of each test's own, deleted afterwards.
"""

from __future__ import annotations

import os
import uuid

import asyncpg
import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy.engine import URL, make_url

from storage.fsm import redis_storage

TEMPLATE_PREFIX = "efs_template"


def postgres_url() -> URL | None:
    raw = os.environ.get("TEST_DATABASE_URL", "")
    if not raw:
        return None
    url = make_url(raw)
    return url if url.get_backend_name() == "postgresql" else None


def _dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(url: URL) -> asyncpg.Connection:
    return await asyncpg.connect(_dsn(url.set(database="postgres")))


async def create_pg_template() -> str:
    """Create and migrate a template database (with the shipped regions); returns its URL."""
    from bot.factory import open_database
    from tests.conftest import _settings

    base = postgres_url()
    assert base is not None
    name = f"{TEMPLATE_PREFIX}_{os.getpid()}"
    conn = await _admin(base)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    url = base.set(database=name).render_as_string(hide_password=False)
    db = await open_database(_settings(url))
    await db.close()
    return url


async def new_pg_database(template: str | None = None) -> str:
    """A fresh database (a copy of ``template`` when given); returns its URL."""
    base = postgres_url() or make_url(os.environ["TEST_POSTGRES_URL"])
    name = f"efs_test_{uuid.uuid4().hex[:12]}"
    conn = await _admin(base)
    try:
        if template is None:
            await conn.execute(f'CREATE DATABASE "{name}"')
        else:
            source = make_url(template).database
            await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}" STRATEGY FILE_COPY')
    finally:
        await conn.close()
    return base.set(database=name).render_as_string(hide_password=False)


async def drop_pg_database(url: str) -> None:
    parsed = make_url(url)
    conn = await _admin(parsed)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    finally:
        await conn.close()


# --- Redis: FSM and per-user locks as in a deployment (PostgreSQL + Redis) ---


def fsm_on_redis() -> bool:
    """``TEST_FSM=redis`` runs the conversations on Redis (scripts/test.sh's PostgreSQL pass)."""
    mode = os.environ.get("TEST_FSM", "")
    if mode not in ("", "redis"):
        pytest.fail(f"TEST_FSM={mode!r}: use 'redis', or leave it unset for the database", pytrace=False)
    return mode == "redis"


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        pytest.fail(
            "TEST_REDIS_URL is not set: these tests need a real redis-server; run the suite with "
            "scripts/test.sh, which starts one (or scripts/services.sh COMMAND to get its URL)",
            pytrace=False,
        )
    return url


def new_redis_storage() -> RedisStorage:
    """aiogram's RedisStorage on ``TEST_REDIS_URL`` under a key prefix no other test uses."""
    return redis_storage(redis_url(), prefix=f"efs-test-{uuid.uuid4().hex[:12]}")


async def redis_keys(storage: RedisStorage) -> list[str]:
    """Every key under the storage's prefix."""
    assert isinstance(storage.key_builder, DefaultKeyBuilder)
    pattern = f"{storage.key_builder.prefix}{storage.key_builder.separator}*"
    return sorted([key.decode() async for key in storage.redis.scan_iter(match=pattern, count=1000)])


async def drop_redis_storage(storage: RedisStorage) -> None:
    """Delete the test's keys and close the connection."""
    keys = await redis_keys(storage)
    if keys:
        await storage.redis.delete(*keys)
    await storage.close()
