"""The unit of work: one transaction per update (or per job step), owned by the service.

The bot's update middleware opens one per update and hands it to the handler, which hands it to a
service; the service commits when its change is complete, before the person is told it is done.
Whatever the service leaves uncommitted (the conversation state, «last seen») is committed by the
middleware at the end of the update, or rolled back if the update fails."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import end_idle_transaction

Clock = Callable[[], datetime]


class UnitOfWork:
    """A database session and the clock, with the transaction's boundaries.

    ``session`` is for constructing repositories (``DiagnosisRepo(uow.session)``); only services
    and the wiring in ``bot`` use it, never a handler."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self._queued = 0  # hand-offs queued in the open transaction
        self.to_send = 0  # hand-offs committed: the messenger's layer sends them at once

    def now(self) -> datetime:
        return self.clock()

    def queued(self) -> None:
        """A message for someone was queued in this transaction: once committed, it is to be sent
        at once rather than at the sender's next tick."""
        self._queued += 1

    async def commit(self) -> None:
        await self.session.commit()
        self.to_send, self._queued = self.to_send + self._queued, 0

    def take_to_send(self) -> int:
        """How many committed hand-offs wait to be sent now (and forget them)."""
        count, self.to_send = self.to_send, 0
        return count

    async def rollback(self) -> None:
        await self.session.rollback()
        self._queued = 0

    async def flush(self) -> None:
        await self.session.flush()

    async def release(self) -> None:
        """End the transaction if it has nothing uncommitted, so no connection is held while
        waiting (for the messenger, for a worker thread)."""
        await end_idle_transaction(self.session)


class UnitsOfWork:
    """Opens units of work of its own, for code outside an update's (the error handler, whose
    update's transaction is gone; the jobs)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock

    @asynccontextmanager
    async def open(self) -> AsyncIterator[UnitOfWork]:
        async with self.sessionmaker() as session:
            yield UnitOfWork(session, self.clock)
