"""The broadcast sender: deliveries at Telegram's limit whatever the round trip, resumable, fair
between broadcasts.

A broadcast whose time has come gets one delivery row per recipient (written in the transaction
that marks it "sending"). Each round the sender leases a chunk of pending rows of every broadcast
being sent — round-robin, so a big one does not starve a small one — and hands each to the send
pool (``bot.pacing.SendPool``): several requests are under way at once, as many as the rate times
the observed round trip, and every one first takes its slot from the one ``Pacer`` (at most the
rate in any second, one message a second to a chat). Answers are marked in batches: whatever
arrived while the previous batch was being committed goes in the next commit.

A sender that is stopped (cancelled) waits for the answers of the messages already on their way
and marks them before it goes, so a stop and a resume send nothing twice; rows it had leased and
not sent come back when their lease runs out. Only a hard kill (the process gone at once) can
send twice, at most the messages that were on their way or answered and not yet committed —
Telegram has no idempotency key.

Telegram's answers: 429 pauses every sender of the bot for ``retry_after`` and steps the rate down
(``Pacer.too_many``); 403 marks the delivery blocked and the person blocked (later broadcasts skip
them); 400 fails the delivery with the reason; network errors and 5xx are retried with a growing
delay, up to ``services.broadcasts.RETRY_LIMIT`` attempts.

``allow_paid_broadcast`` (``ALLOW_PAID_BROADCAST``) sends every broadcast message with Telegram's
paid broadcasts: up to 1,000 messages a second, the messages over the free limit paid in Stars.

The sender only paces and talks to Telegram: who receives a broadcast, claiming it, leasing rows,
recording answers and finishing are decided by ``services.broadcasts``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
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
from bot.messengers import Bots, NoMessenger, kept_message, message_ref, messenger_of, route, route_to
from bot.pacing import SendPool
from domain.accounts import Messenger
from domain.audience import DeliveryStatus, Pacer
from locales import Translations
from services import broadcasts as service
from services.broadcasts import Outcome, Recipient
from services.uow import UnitOfWork
from storage.models import Broadcast

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
RETRY_AFTER_LIMIT = 5  # 429s in a row for one message before it is left for a later round
LEASE_SECONDS = 60.0
CHUNK = 5  # the least rows leased at a time; more when more are under way at once


class BroadcastSender:
    def __init__(
        self,
        bot: Bot | Bots,
        sessionmaker: async_sessionmaker[AsyncSession],
        translations: Translations,
        clock: Clock,
        *,
        pacer: Pacer | None = None,
        chunk: int | None = None,
        lease_seconds: float = LEASE_SECONDS,
        progress_every: float = 5.0,
        paid: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.translations = translations
        self.clock = clock
        self.pacer = pacer or Pacer()
        self.pool = SendPool(self.pacer)
        self.chunk = chunk
        self.lease_seconds = lease_seconds
        self.progress_every = progress_every
        self.paid = paid
        self._monotonic = monotonic
        self._progress_at: dict[int, float] = {}
        self._answers: list[Outcome] = []
        self._recorded: dict[str, int] = {}
        self._recorder: asyncio.Task[None] | None = None

    async def run_once(self) -> dict[str, int]:
        """One round: start what is due, then lease and hand to the pool a chunk of every
        broadcast being sent; a broadcast that ran out of rows is finished once its answers are in.

        Returns what happened by name: "leased", the answers recorded meanwhile ("sent",
        "blocked", "failed", "retry", "retry_after") and "finished"; empty when there was nothing
        to do. Stopped (cancelled), it first records the answers of what is on its way."""
        counts: dict[str, int] = {}
        try:
            async with self.sessionmaker() as session:
                uow = UnitOfWork(session, self.clock)
                due = await service.due(uow)
                for broadcast in due:
                    if broadcast.to_start:
                        await self._start(uow, broadcast.broadcast_id)
            for broadcast in due:
                await self._send_chunk(broadcast.broadcast_id, counts)
            if not due:
                await self.settle()
        except BaseException:
            await self.settle()
            raise
        for outcome, n in self._recorded.items():
            counts[outcome] = counts.get(outcome, 0) + n
        self._recorded.clear()
        return counts

    async def _start(self, uow: UnitOfWork, broadcast_id: int) -> None:
        """Deliveries and the "sending" mark (``services.broadcasts.start``), then the admin's
        progress message."""
        started = await service.start(uow, broadcast_id)
        if started is None or started.creator is None:
            return
        broadcast, creator, total = started.broadcast, started.creator, started.recipients
        t = self.translations.get(creator.locale)
        chat = creator.reach.external_id  # where the admin last wrote from
        try:
            await self.pacer.wait(chat)
            bot = route(self.bot, creator)
            message = await bot.send_message(
                chat, t("broadcast-progress", id=broadcast.id, sent=0, total=total, blocked=0, failed=0)
            )
        except TelegramRetryAfter as exc:
            await self.pacer.too_many(exc.retry_after)
            return
        except TelegramAPIError as exc:
            log.warning("no progress message", extra={"broadcast_id": broadcast.id, "error": str(exc)})
            return
        ref = message_ref(bot, message.message_id)  # MAX's own id: any process edits it later
        await service.progress_message(uow, broadcast, chat, message.message_id, ref)
        self._progress_at[broadcast.id] = self._monotonic()

    @property
    def chunk_size(self) -> int:
        """Rows leased at a time: twice what is under way at once (so the pool never runs dry
        while the next chunk is leased), at least ``CHUNK``."""
        return self.chunk or max(CHUNK, 2 * self.pacer.in_flight)

    async def _send_chunk(self, broadcast_id: int, counts: dict[str, int]) -> None:
        size = self.chunk_size
        async with self.sessionmaker() as session:
            uow = UnitOfWork(session, self.clock)
            chunk = await service.lease(uow, broadcast_id, limit=size, lease_seconds=self.lease_seconds)
            if chunk is None:  # stopped meanwhile
                return
            ready, closed = await service.recipients(uow, chunk.rows)
        if chunk.rows:
            counts["leased"] = counts.get("leased", 0) + len(chunk.rows)
        if closed:
            counts[DeliveryStatus.BLOCKED] = counts.get(DeliveryStatus.BLOCKED, 0) + closed
        for recipient in ready:
            await self.pool.submit(functools.partial(self._send, chunk.broadcast, recipient))
        if len(chunk.rows) < size:  # the last rows: finish once their answers are in
            await self.settle()
            await self._report(chunk.broadcast, counts)
        elif self._progress_due(broadcast_id):
            await self._report(chunk.broadcast, counts)

    async def _send(self, broadcast: Broadcast, to: Recipient) -> None:
        """One message through the pacer, its answer kept for the next batch of marks."""
        t = self.translations.get(to.locale)
        outcome = Outcome(to.delivery_id, "retry_after")
        for _ in range(RETRY_AFTER_LIMIT):
            await self.pacer.wait(to.chat_id)
            began = time.monotonic()
            try:
                bot = route_to(self.bot, to.messenger, to.chat_id)  # the person's own messenger
                paid = self.paid and messenger_of(bot) == Messenger.TELEGRAM  # Stars are Telegram's
                await telegram_presenters().broadcast(bot, to.chat_id, broadcast, t, paid=paid)
            except TelegramRetryAfter as exc:
                log.warning("telegram asked to wait", extra={"retry_after": exc.retry_after})
                await self.pacer.too_many(exc.retry_after)
                continue
            except TelegramForbiddenError:
                outcome = Outcome(to.delivery_id, DeliveryStatus.BLOCKED)
            except TelegramBadRequest as exc:
                outcome = Outcome(to.delivery_id, DeliveryStatus.FAILED, exc.message)
            except (TelegramNetworkError, TelegramServerError) as exc:
                outcome = Outcome(to.delivery_id, "retry", str(exc))
            except TelegramAPIError as exc:
                outcome = Outcome(to.delivery_id, DeliveryStatus.FAILED, str(exc))
            else:
                self.pacer.observe(time.monotonic() - began)
                outcome = Outcome(to.delivery_id, DeliveryStatus.SENT)
            break
        self._answers.append(outcome)
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._record())

    async def _record(self) -> None:
        """Commit the answers in batches: all that came while the previous commit ran."""
        while self._answers:
            batch, self._answers = self._answers, []
            try:
                async with self.sessionmaker() as session:
                    recorded = await service.record(UnitOfWork(session, self.clock), batch)
            except Exception:
                log.exception("answers not recorded: their rows come back when the lease runs out")
                continue
            for outcome, n in recorded.items():
                self._recorded[outcome] = self._recorded.get(outcome, 0) + n

    async def settle(self) -> None:
        """Every message on its way answered and every answer committed (shielded: a stop waits)."""
        await self.pool.drain()
        while self._recorder is not None and not self._recorder.done():
            await asyncio.shield(self._recorder)
        if self._answers:  # an answer that came as the recorder finished
            self._recorder = asyncio.create_task(self._record())
            await asyncio.shield(self._recorder)

    def _progress_due(self, broadcast_id: int) -> bool:
        last = self._progress_at.get(broadcast_id)
        return last is None or self._monotonic() - last >= self.progress_every

    async def _report(self, broadcast: Broadcast, counts: dict[str, int]) -> None:
        async with self.sessionmaker() as session:
            await self._show_progress(UnitOfWork(session, self.clock), broadcast, counts)

    async def _show_progress(self, uow: UnitOfWork, broadcast: Broadcast, counts: dict[str, int]) -> None:
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
        message_id = broadcast.progress_message_id
        try:
            if broadcast.progress_message_ref:  # the messenger it was sent on, its id there
                bot, message_id = kept_message(self.bot, broadcast.progress_message_ref)
            else:
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
        if message_id is not None:
            await self._call(
                bot.edit_message_text,
                broadcast.progress_chat_id,
                text=t("broadcast-progress", sent=tally[DeliveryStatus.SENT], **args),
                chat_id=broadcast.progress_chat_id,
                message_id=message_id,
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
            await self.pacer.too_many(exc.retry_after)
        except TelegramAPIError as exc:
            log.debug("progress message not updated", extra={"error": str(exc)})


async def broadcast_worker(
    bot: Bot | Bots,
    sessionmaker: async_sessionmaker[AsyncSession],
    translations: Translations,
    clock: Clock,
    *,
    pacer: Pacer,
    stop: asyncio.Event,
    paid: bool = False,
    idle_seconds: float = 1.0,
) -> None:
    """Run the sender until ``stop`` is set; it sleeps briefly whenever there is nothing to send,
    and records the answers of what is on its way before it returns."""
    sender = BroadcastSender(bot, sessionmaker, translations, clock, pacer=pacer, paid=paid)
    while not stop.is_set():
        try:
            counts = await sender.run_once()
        except Exception:
            log.exception("broadcast round failed")
            counts = {}
        if not counts:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), idle_seconds)
    await sender.settle()
