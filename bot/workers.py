"""What runs beside the updates in every worker: the minute tick, the broadcast sender, and the
hand-off sender woken at once when an update of this worker queued a message for someone else
(``bot.wakeup``; a hand-off queued by another worker is sent by that worker, or by the next tick).

Every worker (``python -m bot run`` or each of N ``python -m bot webhook``) runs both. The rows to
send are shared out by their leases (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so adding a worker
adds senders, never doubles. Planning — what is due, the digests, lapsed mentor requests — runs
in one worker only: the holder of the clock lock (``storage.locks``). Telegram's limits are per
bot and per messenger: each messenger has its own pacers (a 429 from Telegram does not hold back
MAX); with ``REDIS_URL`` the workers' pacers share the deployment's rates through Redis, otherwise
each worker takes its share of them (``WORKERS``) — ``bot.pacing``.

``stop()`` is the graceful part of a shutdown: the message in hand is finished and marked sent,
leased rows not yet sent are handed back at once, and the clock lock is released for another
worker to take.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.broadcast import broadcast_worker
from bot.jobs import send_handoffs, tick
from bot.messengers import Bots
from bot.pacing import bot_ids, bot_pacers
from bot.scheduler import create_scheduler
from bot.settings import Settings
from bot.wakeup import Wakeup
from locales import Translations
from storage.locks import clock_lock

log = logging.getLogger(__name__)
STOP_TIMEOUT = 20.0


@dataclass
class Background:
    bot: Bot | Bots  # one per messenger: each person is sent to on theirs
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    translations: Translations
    clock: Callable[[], datetime]
    settings: Settings
    wakeup: Wakeup = field(default_factory=Wakeup)  # the dispatcher's ``dp["outbox_wakeup"]``
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.lock = clock_lock(self.engine)
        # Each messenger its own pace: its rates, its 429 pause, its Redis key (its bot's).
        bots = list(self.bot) if isinstance(self.bot, Bots) else [self.bot]
        self.pacers = bot_pacers(self.settings, bot_ids(bots, self.settings))
        self.pacer = self.pacers.outbox
        self.scheduler = create_scheduler(self._tick)
        self._broadcasts: asyncio.Task[None] | None = None
        self._handoffs: asyncio.Task[None] | None = None
        self._ticks: set[asyncio.Task[Any]] = set()

    async def _tick(self) -> None:
        task = asyncio.current_task()
        if task is not None:  # held so that stop() can wait for the message in hand
            self._ticks.add(task)
        try:
            await tick(
                self.bot,
                self.sessionmaker,
                self.translations,
                self.clock,
                self.pacer,
                lock=self.lock,
                stop=self.stop_event,
            )
        except Exception:
            log.exception("tick failed")
        finally:
            if task is not None:
                self._ticks.discard(task)

    async def _send_handoffs(self) -> None:
        """Wait for the wake-up; on each ring, send what is due (the hand-off just committed)."""
        while not self.stop_event.is_set():
            if not await self.wakeup.wait(within=1.0):
                continue
            try:
                await send_handoffs(
                    self.bot,
                    self.sessionmaker,
                    self.translations,
                    self.clock,
                    pacer=self.pacer,
                    stop=self.stop_event,
                )
            except Exception:
                log.exception("sending hand-offs failed")  # the rows stay; the tick sends them

    def start(self) -> None:
        self.scheduler.start()
        self._handoffs = asyncio.create_task(self._send_handoffs(), name="handoffs")
        self._broadcasts = asyncio.create_task(
            broadcast_worker(
                self.bot,
                self.sessionmaker,
                self.translations,
                self.clock,
                pacers=self.pacers.broadcasts,
                stop=self.stop_event,
                paid=self.settings.allow_paid_broadcast,
            ),
            name="broadcasts",
        )
        log.info("background started", extra={"workers": self.settings.workers})

    def status(self) -> dict[str, Any]:
        return {
            "clock": "holder" if self.lock.held else "standby",
            "broadcasts": "running" if self._broadcasts and not self._broadcasts.done() else "stopped",
            "handoffs": "running" if self._handoffs and not self._handoffs.done() else "stopped",
            "scheduler": "running" if self.scheduler.running else "stopped",
        }

    async def stop(self, grace: float = STOP_TIMEOUT) -> None:
        """Finish what is in hand, hand back the rest, release the clock."""
        self.stop_event.set()
        if self.scheduler.running:
            self.scheduler.pause()  # no new tick; shutdown() would cancel the one running
        pending = list(self._ticks)
        if self._broadcasts is not None:
            pending.append(self._broadcasts)
        if self._handoffs is not None:
            pending.append(self._handoffs)
        if pending:
            done, late = await asyncio.wait(pending, timeout=grace)
            for task in late:  # e.g. a sender waiting out a long 429: its leases come back later
                task.cancel()
            for task in late:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            log.info("background stopped", extra={"finished": len(done), "cancelled": len(late)})
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.lock.release()
        await self.pacers.close()
