"""One scheduler clock per deployment, whatever the number of workers; and rows leased to one sender.

On PostgreSQL the clock is a session-level advisory lock held on a connection of its own: the
worker holding it plans; the others try again at every tick, and one of them takes over within a
minute when the holder stops or dies (the server drops the lock with the connection). On SQLite —
one machine by design — it is an exclusive ``flock`` on a file beside the database, so a second
process on the same file stays a plain sender. An in-memory database has nobody to share with.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Protocol, TypeVar

from sqlalchemy import Select, or_, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

log = logging.getLogger(__name__)

# pg_advisory_lock takes a bigint; this one is "EFS-CLOK" in ASCII.
CLOCK_LOCK_KEY = 0x4546_532D_434C_4F4B


class AdvisoryLock:
    """``pg_try_advisory_lock`` on a dedicated autocommit connection, checked at every ``acquire``."""

    def __init__(self, engine: AsyncEngine, key: int = CLOCK_LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self._conn: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    async def acquire(self) -> bool:
        """True while this worker holds the clock (taking it if nobody does)."""
        if self._conn is not None:
            try:
                await self._conn.exec_driver_sql("SELECT 1")
                return True
            except (DBAPIError, OSError):
                log.warning("clock lock lost with its connection")
                await self._forget()
        try:
            conn = await self.engine.connect()
        except (SQLAlchemyError, OSError):
            log.warning("clock lock: database unavailable")
            return False
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            got = (await conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})).scalar()
        except (SQLAlchemyError, OSError):
            await conn.close()
            return False
        if not got:
            await conn.close()
            return False
        self._conn = conn
        log.info("clock lock taken: this worker plans")
        return True

    async def release(self) -> None:
        if self._conn is None:
            return
        with contextlib.suppress(SQLAlchemyError, OSError):
            await self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        await self._forget()
        log.info("clock lock released")

    async def _forget(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(SQLAlchemyError, OSError):
                await conn.invalidate()  # never back into the pool with a lock or a dead socket
            with contextlib.suppress(SQLAlchemyError, OSError):
                await conn.close()


class FileLock:
    """An exclusive, non-blocking ``flock``; the kernel drops it when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    async def acquire(self) -> bool:
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._file = handle
        log.info("clock lock taken: this worker plans")
        return True

    async def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()


class SoleLock:
    """The only process that can see the database (in memory): always the clock."""

    held = True

    async def acquire(self) -> bool:
        return True

    async def release(self) -> None:
        return None


def clock_lock(engine: AsyncEngine) -> AdvisoryLock | FileLock | SoleLock:
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(engine)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return FileLock(Path(url.database).with_name(Path(url.database).name + ".clock.lock"))
    return SoleLock()


# "EFS-MIGR": held while a process migrates the database and loads the shipped regions.
STARTUP_LOCK_KEY = 0x4546_532D_4D49_4752


@contextlib.asynccontextmanager
async def startup_lock(engine: AsyncEngine, key: int = STARTUP_LOCK_KEY) -> AsyncIterator[None]:
    """Workers starting together migrate one at a time (the others then find nothing to do).

    A blocking session-level advisory lock on PostgreSQL; SQLite serialises writers itself.
    """
    if engine.url.get_backend_name() != "postgresql":
        yield
        return
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            yield
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


class Leasable(Protocol):
    locked_until: datetime | None


L = TypeVar("L", bound=Leasable)


async def lease(
    session: AsyncSession,
    query: Select[L],
    locked_until: InstrumentedAttribute[datetime | None],
    now: datetime,
    *,
    limit: int,
    lease_seconds: float,
) -> list[L]:
    """Take up to ``limit`` rows of ``query`` that nobody holds (never leased, or the lease ran
    out; rows another transaction has locked are skipped) and hold them for ``lease_seconds``:
    a sender that dies lets them go when the lease runs out. The caller commits."""
    rows = list(
        await session.scalars(
            query.where(or_(locked_until.is_(None), locked_until <= now))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    until = now + timedelta(seconds=lease_seconds)
    for row in rows:
        row.locked_until = until
    return rows
