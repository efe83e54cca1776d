"""The database engine the suite runs on, and throw-away PostgreSQL databases for it.

``TEST_DATABASE_URL`` unset (or SQLite): every test gets a copy of a migrated SQLite file.
``TEST_DATABASE_URL=postgresql+asyncpg://user@host:port/db``: the suite makes a migrated template
database once, and every test gets ``CREATE DATABASE … TEMPLATE`` of it, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid

import asyncpg
from sqlalchemy.engine import URL, make_url

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


async def copy_pg_database(template: str) -> str:
    return await new_pg_database(template)


async def drop_pg_database(url: str) -> None:
    parsed = make_url(url)
    conn = await _admin(parsed)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    finally:
        await conn.close()
