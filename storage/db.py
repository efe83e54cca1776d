"""Engine and session factory.

SQLite runs in WAL mode, and its transactions are shaped so that "database is locked" cannot happen
under load:

- A transaction that only reads takes no snapshot for longer than one statement: the driver runs in
  autocommit mode, so each ``SELECT`` reads the newest committed data (PostgreSQL's READ COMMITTED,
  which is what the PostgreSQL deployment gets too).
- The first statement that writes opens ``BEGIN IMMEDIATE``: the write lock is taken up front,
  before anything is written, and held to ``COMMIT``/``ROLLBACK``. A read snapshot is never upgraded
  to a write — the upgrade SQLite refuses at once, whatever the busy timeout, when another connection
  wrote in between.
- Inside one process, writers queue on an asyncio lock (first come, first served) instead of polling
  SQLite's busy handler from a thread each; ``busy_timeout`` then only has to cover other processes
  (a CLI import beside the bot), which it waits for.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_

from storage import sqlite_driver

# Another process (a CLI import, the sandbox beside the bot) may hold the write lock this long.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A writer of this process waits this long for the others before giving up with an error. Writers
# hold the lock for milliseconds; this bound only turns a programming error (a task that waits for
# a second writer while holding the lock) into an exception instead of a hang.
WRITE_LOCK_TIMEOUT_S = 60.0

# Connections per process: updates hold one only while they work with the database (see
# bot.middlewares.MAX_UPDATES_AT_ONCE); the tick, the senders, the clock lock and /healthz.
POOL_SIZE = 10
MAX_OVERFLOW = 20

_WROTE = "efs_wrote"
_READ_ONLY_PREFIXES = ("select", "pragma", "explain")


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.database not in (None, "", ":memory:"):  # an in-memory SQLite has a single connection
        kwargs.update(pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite:
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    if sqlite and parsed.drivername == "sqlite+aiosqlite":
        parsed = parsed.set(drivername=f"sqlite+{sqlite_driver.DRIVER}")  # one trip per statement
    engine = create_async_engine(parsed, **kwargs)
    (SqliteWriteLock if sqlite else WriteTracker)(engine).install()
    return engine


class WriteTracker:
    """Knows, per connection, whether the transaction in progress has written anything: the first
    statement that is not a read marks it, COMMIT and ROLLBACK (or the pool taking the connection
    back) clear it. ``end_idle_transaction`` asks it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def install(self) -> None:
        sync_engine = self.engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", self._before_execute)
        event.listen(sync_engine, "commit", self._after_transaction)
        event.listen(sync_engine, "rollback", self._after_transaction)
        # A connection going back to the pool, closed or invalidated in the middle of a transaction
        # is rolled back by the pool.
        pool = sync_engine.pool
        event.listen(pool, "reset", self._on_reset)
        for name in ("checkin", "close"):
            event.listen(pool, name, self._on_checkin)
        for name in ("invalidate", "soft_invalidate"):
            event.listen(pool, name, self._on_invalidate)

    def _before_execute(
        self, conn: Connection, cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        info = conn.connection.info
        if info.get(_WROTE) or statement.lstrip()[:7].lower().startswith(_READ_ONLY_PREFIXES):
            return
        self._first_write(cursor)
        info[_WROTE] = True

    def _first_write(self, cursor: Any) -> None:
        """Called before the transaction's first write is executed."""

    def _ended(self) -> None:
        """Called when a transaction that wrote ends."""

    def _after_transaction(self, conn: Connection) -> None:
        self._end(conn.connection.info)

    def _on_reset(self, dbapi_connection: Any, connection_record: Any, reset_state: Any) -> None:
        self._on_checkin(dbapi_connection, connection_record)

    def _on_invalidate(self, dbapi_connection: Any, connection_record: Any, exception: Any) -> None:
        self._on_checkin(dbapi_connection, connection_record)

    def _on_checkin(self, dbapi_connection: Any, connection_record: Any) -> None:
        if connection_record is not None:
            self._end(connection_record.info)

    def _end(self, info: dict[Any, Any]) -> None:
        if info.pop(_WROTE, False):
            self._ended()


class SqliteWriteLock(WriteTracker):
    """The transaction shape described in the module docstring: the first write of a transaction
    takes this process's writer lock, then SQLite's with ``BEGIN IMMEDIATE``; the end of the
    transaction frees the first (just before COMMIT/ROLLBACK reaches SQLite: a writer woken then
    meets SQLite's lock for the moment it takes to commit, and waits in the busy handler)."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        event.listen(self.engine.sync_engine, "connect", self._on_connect)
        super().install()

    @staticmethod
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Autocommit in the driver: no implicit BEGIN before DML (it would be a deferred one).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # NORMAL is durable against process crashes in WAL mode; only power loss can drop the tail.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    def _first_write(self, cursor: Any) -> None:
        self._acquire()
        if isinstance(cursor, sqlite_driver.OneTripCursor):
            cursor.begin_immediate_first()  # in the same trip as the statement
            return
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise

    def _ended(self) -> None:
        self._release()

    def _acquire(self) -> None:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:  # a bench or test may reuse the engine
            self._lock, self._loop = asyncio.Lock(), loop
        try:
            await_(asyncio.wait_for(self._lock.acquire(), WRITE_LOCK_TIMEOUT_S))
        except TimeoutError as exc:
            raise OperationalError(
                "BEGIN IMMEDIATE", None, TimeoutError("another writer of this process held the lock")
            ) from exc

    def _release(self) -> None:
        if self._lock is not None and self._lock.locked():
            self._lock.release()


async def end_idle_transaction(session: AsyncSession) -> None:
    """Commit the session's transaction if it has written nothing and holds nothing to write, so
    its connection goes back to the pool (and, on PostgreSQL, its snapshot is let go) while the
    caller waits for something else — Telegram's round trip. Loaded objects stay as they are."""
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    connection = await session.connection()
    if not connection.info.get(_WROTE):
        await session.commit()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
