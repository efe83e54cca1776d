"""The broadcast sender: deliveries paced to Telegram's limits, resumable, fair between broadcasts.

A broadcast whose time has come gets one delivery row per recipient (written in the transaction
that marks it "sending"). Each round the sender leases a few pending rows of every broadcast being
sent — round-robin, so a big one does not starve a small one — sends them through one ``Pacer``,
and marks each row in its own commit as soon as Telegram answers. A sender that dies leaves its
leased rows to come back when the lease runs out; rows marked sent are never sent again (only the
message in flight at a hard kill may arrive twice: Telegram has no idempotency key).

Telegram's answers: 429 pauses all sending for ``retry_after``; 403 marks the delivery blocked and
the person blocked (later broadcasts skip them); 400 fails the delivery with the reason; network
errors and 5xx are retried with a growing delay, up to ``RETRY_LIMIT`` attempts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

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
from domain.audience import Pacer
from locales import Translations, Translator
from storage.broadcasts import (
    claim_status,
    delivery_counts,
    due_broadcasts,
    lease_pending,
    write_deliveries,
)
from storage.models import Broadcast, BroadcastDelivery, User

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
RETRY_LIMIT = 5
RETRY_AFTER_LIMIT = 5  # 429s in a row for one message before it is left for a later round
LEASE_SECONDS = 60.0
CHUNK = 5


def backoff(attempts: int) -> timedelta:
    """Delay before retrying after the ``attempts``-th network or server error: 10 s, 20 s, 40 s…"""
    return timedelta(seconds=min(600, 5 * 2**attempts))


class BroadcastSender:
    def __init__(
        self,
        bot: Bot,
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
            broadcasts = await due_broadcasts(session, self.clock())
            ids = [b.id for b in broadcasts]
            for broadcast in broadcasts:
                if broadcast.status == "scheduled":
                    await self._start(session, broadcast)
        for broadcast_id in ids:
            await self._send_chunk(broadcast_id, counts)
        return counts

    async def _start(self, session: AsyncSession, broadcast: Broadcast) -> None:
        """Deliveries and the "sending" mark in one transaction, then the admin's progress message.
        With several workers only the one whose conditional update wins does this."""
        if not await claim_status(session, broadcast.id, "scheduled", "sending"):
            await session.rollback()
            return
        total = await write_deliveries(session, broadcast, self.clock().date())
        await session.commit()
        await session.refresh(broadcast)
        log.info("broadcast started", extra={"broadcast_id": broadcast.id, "recipients": total})
        creator = await session.get(User, broadcast.created_by) if broadcast.created_by else None
        if creator is None or creator.blocked_at is not None:
            return
        t = self.translations.get(creator.locale)
        try:
            await self.pacer.wait(creator.telegram_id)
            message = await self.bot.send_message(
                creator.telegram_id,
                t("broadcast-progress", id=broadcast.id, sent=0, total=total, blocked=0, failed=0),
            )
        except TelegramRetryAfter as exc:
            self.pacer.pause(exc.retry_after)
            return
        except TelegramAPIError as exc:
            log.warning("no progress message", extra={"broadcast_id": broadcast.id, "error": str(exc)})
            return
        broadcast.progress_chat_id, broadcast.progress_message_id = creator.telegram_id, message.message_id
        await session.commit()
        self._progress_at[broadcast.id] = self._monotonic()

    async def _send_chunk(self, broadcast_id: int, counts: dict[str, int]) -> None:
        async with self.sessionmaker() as session:
            broadcast = await session.get(Broadcast, broadcast_id)
            if broadcast is None or broadcast.status != "sending":  # cancelled meanwhile
                return
            rows = await lease_pending(
                session, broadcast_id, self.clock(), limit=self.chunk, lease_seconds=self.lease_seconds
            )
            await session.commit()
            for row in rows:
                outcome = await self._deliver(session, broadcast, row)
                counts[outcome] = counts.get(outcome, 0) + 1
            if len(rows) < self.chunk or self._progress_due(broadcast_id):
                await self._report(session, broadcast, counts)

    async def _deliver(self, session: AsyncSession, broadcast: Broadcast, row: BroadcastDelivery) -> str:
        user = await session.get(User, row.user_id)
        if user is None or user.blocked_at is not None:
            return await _close(session, row, "blocked", "blocked before sending")
        t = self.translations.get(user.locale)
        for _ in range(RETRY_AFTER_LIMIT):
            await self.pacer.wait(user.telegram_id)
            try:
                await telegram_presenters().broadcast(self.bot, user.telegram_id, broadcast, t)
            except TelegramRetryAfter as exc:
                log.warning("telegram asked to wait", extra={"retry_after": exc.retry_after})
                self.pacer.pause(exc.retry_after)
                continue
            except TelegramForbiddenError:
                user.blocked_at = self.clock()
                return await _close(session, row, "blocked", "blocked by the user")
            except TelegramBadRequest as exc:
                return await _close(session, row, "failed", exc.message)
            except (TelegramNetworkError, TelegramServerError) as exc:
                row.attempts += 1
                if row.attempts >= RETRY_LIMIT:
                    return await _close(session, row, "failed", str(exc))
                row.locked_until = self.clock() + backoff(row.attempts)
                await session.commit()
                return "retry"
            except TelegramAPIError as exc:
                return await _close(session, row, "failed", str(exc))
            row.status, row.sent_at = "sent", self.clock()
            await session.commit()
            return "sent"
        row.locked_until = None  # the next round takes it again, after the pause
        await session.commit()
        return "retry_after"

    def _progress_due(self, broadcast_id: int) -> bool:
        last = self._progress_at.get(broadcast_id)
        return last is None or self._monotonic() - last >= self.progress_every

    async def _report(self, session: AsyncSession, broadcast: Broadcast, counts: dict[str, int]) -> None:
        """Edit the live progress; when nothing is pending any more, finish with the final report."""
        tally = await delivery_counts(session, broadcast.id)
        total = sum(tally.values())
        finished = tally["pending"] == 0
        if finished:
            if not await claim_status(session, broadcast.id, "sending", "done", finished_at=self.clock()):
                await session.rollback()
                return  # cancelled meanwhile, or another worker finished it
            await session.commit()
            await session.refresh(broadcast)
            counts["finished"] = counts.get("finished", 0) + 1
            log.info("broadcast done", extra={"broadcast_id": broadcast.id, **tally})
        elif not self._progress_due(broadcast.id):
            return
        t = await self._admin_translator(session, broadcast)
        if t is None or broadcast.progress_chat_id is None:
            return
        args = {"id": broadcast.id, "total": total, "blocked": tally["blocked"], "failed": tally["failed"]}
        self._progress_at[broadcast.id] = self._monotonic()
        if broadcast.progress_message_id is not None:
            await self._call(
                self.bot.edit_message_text,
                broadcast.progress_chat_id,
                text=t("broadcast-progress", sent=tally["sent"], **args),
                chat_id=broadcast.progress_chat_id,
                message_id=broadcast.progress_message_id,
            )
        if finished:
            self._progress_at.pop(broadcast.id, None)
            await self._call(
                self.bot.send_message,
                broadcast.progress_chat_id,
                chat_id=broadcast.progress_chat_id,
                text=t("broadcast-report", delivered=tally["sent"], **args),
            )

    async def _admin_translator(self, session: AsyncSession, broadcast: Broadcast) -> Translator | None:
        creator = await session.get(User, broadcast.created_by) if broadcast.created_by else None
        return self.translations.get(creator.locale) if creator else None

    async def _call(self, method: Callable[..., object], pace_chat: int, **kwargs: object) -> None:
        """A message to the admin: paced like the rest; "not modified" and the like are harmless."""
        await self.pacer.wait(pace_chat)
        try:
            await method(**kwargs)  # type: ignore[misc]
        except TelegramRetryAfter as exc:
            self.pacer.pause(exc.retry_after)
        except TelegramAPIError as exc:
            log.debug("progress message not updated", extra={"error": str(exc)})


async def _close(session: AsyncSession, row: BroadcastDelivery, status: str, reason: str) -> str:
    row.status, row.error = status, reason[:300]
    await session.commit()
    return status


async def broadcast_worker(
    bot: Bot,
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
