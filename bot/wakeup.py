"""The outbox sender's wake-up: rung after an update committed a message for someone else."""

from __future__ import annotations

import asyncio
import contextlib


class Wakeup:
    """Rung after a commit that queued a hand-off (``UnitOfWork.queued``): the worker's sender
    wakes and sends at once. One per dispatcher (the update middleware rings it; ``Background``
    waits on it); the durable row is what matters — a ring lost with its process is sent by the
    next tick."""

    def __init__(self) -> None:
        self._rung = False
        self._event: asyncio.Event | None = None

    def ring(self) -> None:
        self._rung = True
        if self._event is not None:
            self._event.set()

    def take(self) -> bool:
        """Whether it was rung since the last take (and forget it)."""
        rung, self._rung = self._rung, False
        return rung

    async def wait(self, within: float) -> bool:
        """Wait up to ``within`` seconds for a ring; whether there was one."""
        if self._event is None:
            self._event = asyncio.Event()
        if not self._rung:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), within)
        self._event.clear()
        return self.take()
