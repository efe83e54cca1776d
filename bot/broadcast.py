"""The broadcast sender: deliveries paced to Telegram's limits, resumable, fair between broadcasts.

A broadcast whose time has come gets one delivery row per recipient (written in the transaction
that marks it "sending"). Each round the sender leases a few pending rows of every broadcast being
sent — round-robin, so a big one does not starve a small one — sends them through one ``Pacer``,
and marks each row in its own commit as soon as Telegram answers. A sender that dies leaves its
leased rows to come back when the lease runs out; rows marked sent are never sent again (only the
message in flight at a hard kill may arrive twice: Telegram has no idempotency key).

Telegram's answers: 429 pauses all sending for ``retry_after``; 403 marks the delivery blocked and
the person blocked (later broadcasts skip them); 400 fails the delivery with the reason; network
errors and 5xx are retried with a growing delay, up to ``services.broadcasts.RETRY_LIMIT`` attempts.

The sender only paces and talks to Telegram: who receives a broadcast, claiming it, leasing rows,
closing them and finishing are decided by ``services.broadcasts``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.factory import telegram_presenters
from bot.messengers import Bots, NoMessenger, route
from domain.audience import DeliveryStatus, Pacer
from locales import Translations
from services import broadcasts as service
from services.uow import UnitOfWork
from storage.models import Broadcast, BroadcastDelivery

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
RETRY_AFTER_LIMIT = 5  # 429s in a row for one message before it is left for a later round
LEASE_SECONDS = 60.0
CHUNK = 5


class BroadcastSender:
    def __init__(
        self,
        bot: Bot | Bots,
        sessionmaker: async_sessionmaker[AsyncSession],
        translations: Translations,
        clock: Clock,
        *,
        pacer: Pacer | None = None,
        chunk: int = CHUNK,
        lease_seconds: float = LEASE_SECONDS,
        progress_every: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.translations = translations
        self.clock = clock
        self.pacer = pacer or Pacer()
        self.chunk = chunk
        self.lease_seconds = lease_seconds
        self.progress_every = progress_every
        self._monotonic = monotonic
        self._progress_at: dict[int, float] = {}

    async def run_once(self) -> dict[str, int]:
        """One round: start what is due, then a chunk of every broadcast being sent.

        Returns the outcomes of this round by name ("sent", "blocked", "failed", "retry",
        "retry_after", "finished"); empty when there was nothing to do.
        """
        counts: dict[str, int] = {}
        async with self.sessionmaker() as session:
            uow = UnitOfWork(session, self.clock)
            due = await service.due(uow)
            for broadcast in due:
                if broadcast.to_start:
                    await self._start(uow, broadcast.broadcast_id)
        for broadcast in due:
            await self._send_chunk(broadcast.broadcast_id, counts)
        return counts

    async def _start(self, uow: UnitOfWork, broadcast_id: int) -> None:
        """Deliveries and the "sending" mark (``services.broadcasts.start``), then the admin's
        progress message."""
        started = await service.start(uow, broadcast_id)
        if started is None or started.creator is None:
            return
        broadcast, creator, total = started.broadcast, started.creator, started.recipients
        t = self.translations.get(creator.locale)
        try:
            await self.pacer.wait(creator.telegram_id)
            message = await route(self.bot, creator).send_message(
                creator.telegram_id,
                t("broadcast-progress", id=broadcast.id, sent=0, total=total, blocked=0, failed=0),
            )
        except TelegramRetryAfter as exc:
            self.pacer.pause(exc.retry_after)
            return
        except TelegramAPIError as exc:
            log.warning("no progress message", extra={"broadcast_id": broadcast.id, "error": str(exc)})
            return
        await service.progress_message(uow, broadcast, creator.telegram_id, message.message_id)
        self._progress_at[broadcast.id] = self._monotonic()

    async def _send_chunk(self, broadcast_id: int, counts: dict[str, int]) -> None:
        async with self.sessionmaker() as session:
            uow = UnitOfWork(session, self.clock)
            chunk = await service.lease(uow, broadcast_id, limit=self.chunk, lease_seconds=self.lease_seconds)
            if chunk is None:  # stopped meanwhile
                return
            for row in chunk.rows:
                outcome = str(await self._deliver(uow, chunk.broadcast, row))
                counts[outcome] = counts.get(outcome, 0) + 1
            if len(chunk.rows) < self.chunk or self._progress_due(broadcast_id):
                await self._report(uow, chunk.broadcast, counts)

    async def _deliver(self, uow: UnitOfWork, broadcast: Broadcast, row: BroadcastDelivery) -> str:
        user = await service.recipient(uow, row)
        if user is None:
            return DeliveryStatus.BLOCKED
        t = self.translations.get(user.locale)
        for _ in range(RETRY_AFTER_LIMIT):
            await self.pacer.wait(user.telegram_id)
            try:
                bot = route(self.bot, user)  # the person's own messenger
                await telegram_presenters().broadcast(bot, user.telegram_id, broadcast, t)
            except TelegramRetryAfter as exc:
                log.warning("telegram asked to wait", extra={"retry_after": exc.retry_after})
                self.pacer.pause(exc.retry_after)
                continue
            except TelegramForbiddenError:
                return await service.blocked(uow, row, user)
            except TelegramBadRequest as exc:
                return await service.failed(uow, row, exc.message)
            except (TelegramNetworkError, TelegramServerError) as exc:
                return await service.retry_later(uow, row, str(exc)) or "retry"
            except TelegramAPIError as exc:
                return await service.failed(uow, row, str(exc))
            return await service.delivered(uow, row)
        await service.give_back(uow, row)
        return "retry_after"

    def _progress_due(self, broadcast_id: int) -> bool:
        last = self._progress_at.get(broadcast_id)
        return last is None or self._monotonic() - last >= self.progress_every

    async def _report(self, uow: UnitOfWork, broadcast: Broadcast, counts: dict[str, int]) -> None:
        """Edit the live progress; when nothing is pending any more, finish with the final report."""
        progress = await service.progress(uow, broadcast)
        if progress is None:
            return  # stopped meanwhile, or another worker finished it
        if progress.finished:
            counts["finished"] = counts.get("finished", 0) + 1
        elif not self._progress_due(broadcast.id):
            return
        creator = await service.creator_of(uow, broadcast)
        if creator is None or broadcast.progress_chat_id is None:
            return
        try:
            bot = route(self.bot, creator)
        except NoMessenger:
            return
        t = self.translations.get(creator.locale)
        tally = progress.deliveries
        args = {
            "id": broadcast.id,
            "total": progress.total,
            "blocked": tally[DeliveryStatus.BLOCKED],
            "failed": tally[DeliveryStatus.FAILED],
        }
        self._progress_at[broadcast.id] = self._monotonic()
        if broadcast.progress_message_id is not None:
            await self._call(
                bot.edit_message_text,
                broadcast.progress_chat_id,
                text=t("broadcast-progress", sent=tally[DeliveryStatus.SENT], **args),
                chat_id=broadcast.progress_chat_id,
                message_id=broadcast.progress_message_id,
            )
        if progress.finished:
            self._progress_at.pop(broadcast.id, None)
            await self._call(
                bot.send_message,
                broadcast.progress_chat_id,
                chat_id=broadcast.progress_chat_id,
                text=t("broadcast-report", delivered=tally[DeliveryStatus.SENT], **args),
            )

    async def _call(self, method: Callable[..., object], pace_chat: int, **kwargs: object) -> None:
        """A message to the admin: paced like the rest; "not modified" and the like are harmless."""
        await self.pacer.wait(pace_chat)
        try:
            await method(**kwargs)  # type: ignore[misc]
        except TelegramRetryAfter as exc:
            self.pacer.pause(exc.retry_after)
        except TelegramAPIError as exc:
            log.debug("progress message not updated", extra={"error": str(exc)})


async def broadcast_worker(
    bot: Bot | Bots,
    sessionmaker: async_sessionmaker[AsyncSession],
    translations: Translations,
    clock: Clock,
    *,
    rate: float,
    stop: asyncio.Event,
    idle_seconds: float = 1.0,
) -> None:
    """Run the sender until ``stop`` is set; it sleeps briefly whenever there is nothing to send."""
    sender = BroadcastSender(bot, sessionmaker, translations, clock, pacer=Pacer(rate))
    while not stop.is_set():
        try:
            counts = await sender.run_once()
        except Exception:
            log.exception("broadcast round failed")
            counts = {}
        if not counts:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), idle_seconds)
