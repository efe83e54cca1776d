"""Jobs the scheduler runs. The database says what is due; the jobs only read and mark it.

- ``plan_outbox`` queues what no single change causes (inactivity, the methodists' digests).
- ``mentorship_tick`` lapses unanswered mentor requests and queues meeting reminders.
- ``send_outbox`` delivers due outbox rows: lease, compose, send several at once through the pacer,
  mark the sent ones in one commit.
- ``send_handoffs`` is the same sender woken at once (``Wakeup``) when an update committed a
  message for someone else (a hand-off: ``services.reminders.handoff``), so it goes out within a
  second rather than at the next minute.

Delivery guarantee (see README): the rows of a batch are marked sent in one commit as soon as the
batch's answers are in (a graceful stop waits for them; a commit that fails is tried again); a
sender that dies leaves its leased rows to be sent again when the lease runs out. A message starts
only with half the batch's lease left, so a batch held up (a long 429 pause) never sends a row
another worker may have leased since; a late answer reschedules a row only under its own lease.
So nothing is lost, and nothing is sent twice except — at most — the messages of the batch already
answered at the moment of a hard kill (Telegram has no idempotency key to close that window).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.factory import telegram_presenters
from bot.messengers import Bots, route
from bot.pacing import SendPool
from domain.audience import Pacer
from domain.reminders import OutboxStatus
from locales import Translations
from services import mentorship
from services.reminders import Delegated, sending
from services.uow import UnitOfWork
from storage.models import OutboxMessage, User

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
# One pacer for everybody, or one per messenger (``bot.pacing.BotPacers.outbox``).
Pacers = Pacer | Mapping[str, Pacer]


async def mentorship_tick(
    bot: Bot | Bots, sessionmaker: async_sessionmaker[AsyncSession], translations: Translations, clock: Clock
) -> dict[str, int]:
    """Pass over requests nobody answered in time (each mentee told through the outbox, with the way
    to the next candidates), and remind pairs to log a meeting (``services.mentorship``)."""
    async with sessionmaker() as session:
        uow = UnitOfWork(session, clock)
        lapsed = await mentorship.lapse_requests(uow)
        counts = {"lapsed": lapsed, "reminded": await mentorship.remind_meetings(uow)}
    if any(counts.values()):
        log.info("mentorship tick", extra=counts)
    return counts


LEASE_SECONDS = 120
RECORD_TRIES = 6  # commits of a batch of answers tried before the sender gives up on them


async def send_handoffs(
    bot: Bot | Bots,
    sessionmaker: async_sessionmaker[AsyncSession],
    translations: Translations,
    clock: Clock,
    *,
    pacer: Pacers | None = None,
    stop: asyncio.Event | None = None,
) -> dict[str, int]:
    """Send what is due now, batch after batch, until nothing is (the wake-up's sender): a row
    queued by the sending itself — a sender told their message was not delivered — goes too."""
    total: dict[str, int] = {}
    while not (stop is not None and stop.is_set()):
        counts = await send_outbox(bot, sessionmaker, translations, clock, pacer=pacer, stop=stop)
        for outcome, count in counts.items():
            total[outcome] = total.get(outcome, 0) + count
        sent_any = any(k in counts for k in (str(OutboxStatus.SENT), str(OutboxStatus.FAILED)))
        if not sent_any or "retry_after" in counts or "released" in counts:
            break
    return total


@dataclass(frozen=True, slots=True)
class Message:
    """A row composed and ready to go: what to send to whom (the digest's chart first, if any)."""

    row: OutboxMessage
    user: User
    text: str
    markup: InlineKeyboardMarkup | None
    chart: bytes | None = None


async def send_outbox(
    bot: Bot | Bots,
    sessionmaker: async_sessionmaker[AsyncSession],
    translations: Translations,
    clock: Clock,
    *,
    default_tz: str = "Europe/Moscow",
    batch: int = 50,
    pacer: Pacers | None = None,
    stop: asyncio.Event | None = None,
) -> dict[str, int]:
    """Deliver the due outbox rows once each, in the recipient's time and language.

    The batch is composed row by row (the database's part), then sent with several requests under
    way at once through the pacer (``bot.pacing.SendPool``), then marked: the sent rows in one
    commit. When ``stop`` is set (a graceful shutdown), the messages on their way are finished and
    marked, and the rest of the batch is handed back at once for another worker — or the next
    start — to send.

    Each message goes through the pacer of its recipient's messenger (``pacer``: one per messenger,
    or one for all), and starts only while at least ``LEASE_GUARD`` of the batch's lease is left:
    a row whose lease ran out may be another sender's by now, and is not sent from here.
    """
    now = clock()
    counts: dict[str, int] = {}
    async with sessionmaker() as session:
        uow = UnitOfWork(session, lambda: now)  # one time for the batch
        rows = await sending.lease(uow, limit=batch, lease_seconds=LEASE_SECONDS)
        until = now + timedelta(seconds=LEASE_SECONDS)
        messages: list[Message] = []
        for row in rows:
            composed = await _compose(uow, translations, row, default_tz)
            if isinstance(composed, Message):
                messages.append(composed)
            else:
                counts[composed] = counts.get(composed, 0) + 1
        recorder = _Recorder(uow, until)

        def in_time() -> bool:
            return clock() + LEASE_GUARD < until

        try:
            await _send_all(bot, messages, pacer or _unpaced(), stop, recorder.add, in_time)
        finally:
            await recorder.close()  # what was answered is marked, even when the sender is cancelled
        for outcome, n in recorder.counts.items():
            counts[outcome] = counts.get(outcome, 0) + n
    if counts:
        log.info("outbox sent", extra=counts)
    return counts


async def _compose(
    uow: UnitOfWork, translations: Translations, row: OutboxMessage, default_tz: str
) -> Message | str:
    """The row as it will be sent, as its kind says (``services.reminders``); or the outcome of a
    row that does not go now."""
    ready = await sending.prepare(uow, row, default_tz)
    if isinstance(ready, sending.Closed):
        return str(ready.status)
    if isinstance(ready, sending.Postponed):
        return "postponed"
    user = ready.user
    t = translations.get(user.locale)
    composed = await sending.compose(uow, row, ready)
    if isinstance(composed, Delegated):
        digest = await telegram_presenters().digest(uow, user, t)
        if digest is not None:
            return Message(row, user, digest.text, digest.markup, digest.chart)
    elif composed is not None:
        text, markup = telegram_presenters().reminder(composed, t)
        return Message(row, user, text, markup)
    return str((await sending.close(uow, row, OutboxStatus.CANCELLED, "no longer applies")).status)


SENT = "sent"
RELEASED = "released"
EXPIRED = "expired"
Answer = str | TelegramAPIError  # SENT, RELEASED, EXPIRED, or what the messenger said instead
LEASE_GUARD = timedelta(seconds=LEASE_SECONDS / 2)  # the lease left for a message to start


def _unpaced() -> Pacer:
    """No pacing, one message at a time: a sender given no pacer (the sandbox, tests)."""
    return Pacer(1_000_000, per_chat=0.0, max_in_flight=1)


async def _send_all(
    bot: Bot | Bots,
    messages: list[Message],
    pacer: Pacers,
    stop: asyncio.Event | None,
    answered: Callable[[Message, Answer], None],
    in_time: Callable[[], bool] = lambda: True,
) -> None:
    """Send ``messages``, each messenger's through its own pacer, several under way at once."""
    if isinstance(pacer, Pacer):
        await _send_paced(bot, messages, pacer, stop, answered, in_time)
        return
    by_messenger: dict[str, list[Message]] = {}
    for message in messages:
        by_messenger.setdefault(message.user.messenger, []).append(message)
    fallback = next(iter(pacer.values()), None) or _unpaced()
    await asyncio.gather(
        *(
            _send_paced(bot, group, pacer.get(messenger, fallback), stop, answered, in_time)
            for messenger, group in by_messenger.items()
        )
    )


async def _send_paced(
    bot: Bot | Bots,
    messages: list[Message],
    pacer: Pacer,
    stop: asyncio.Event | None,
    answered: Callable[[Message, Answer], None],
    in_time: Callable[[], bool],
) -> None:
    """Send ``messages``, several under way at once, each when the pacer gives it a slot. A message
    not yet started when ``stop`` is set is not sent (``RELEASED``), nor one whose lease is short
    (``EXPIRED``); after a 429 the rest of these messages are not sent either: they wait as long as
    the messenger asked."""
    pool = SendPool(pacer)
    refused: list[TelegramRetryAfter] = []

    async def send(message: Message) -> None:
        if stop is not None and stop.is_set():
            answered(message, RELEASED)
            return
        chat = message.user.reach.external_id  # where they last wrote from
        if not refused:
            await pacer.wait(chat)
        if refused:
            answered(message, refused[0])
            return
        if not in_time():
            answered(message, EXPIRED)
            return
        began = time.monotonic()
        try:
            to_user = route(bot, message.user)  # the person's own messenger
            if message.chart is not None:
                photo = BufferedInputFile(message.chart, filename="digest.png")
                await to_user.send_photo(chat, photo)
            await to_user.send_message(chat, message.text, reply_markup=message.markup)
        except TelegramRetryAfter as exc:
            refused.append(exc)
            await pacer.too_many(exc.retry_after)
            answered(message, exc)
        except TelegramAPIError as exc:
            answered(message, exc)
        else:
            pacer.observe(time.monotonic() - began)
            answered(message, SENT)

    try:
        for message in messages:
            if refused:
                answered(message, refused[0])
                continue
            await pool.submit(functools.partial(send, message))
    finally:
        await pool.drain()


class _Recorder:
    """Marks the answers in batches as they come: the sent rows of a batch in one commit, every
    answer that came while the previous commit ran in the next one. A commit that fails is tried
    again (an answer dropped would let its row be sent again); what only reschedules a row applies
    only while the row's lease is still this batch's (``until``)."""

    def __init__(self, uow: UnitOfWork, until: datetime | None = None) -> None:
        self.uow = uow
        self.until = until
        self.counts: dict[str, int] = {}
        self._answers: list[tuple[Message, Answer]] = []
        self._task: asyncio.Task[None] | None = None

    def add(self, message: Message, answer: Answer) -> None:
        self._answers.append((message, answer))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._record())

    async def _record(self) -> None:
        failures = 0
        while self._answers:
            batch, self._answers = self._answers, []
            try:
                await self._commit(batch)
            except Exception:
                failures += 1
                await self.uow.rollback()
                if failures >= RECORD_TRIES:
                    raise
                log.warning("outbox answers not recorded yet: trying again", exc_info=True)
                self._answers = batch + self._answers
                await asyncio.sleep(min(5.0, 0.2 * 2**failures))
                continue
            failures = 0

    async def _commit(self, batch: list[tuple[Message, Answer]]) -> None:
        delivered = [m.row for m, answer in batch if answer == SENT]
        if delivered:
            await sending.sent_all(self.uow, delivered)
        for message, answer in batch:
            if answer != SENT and not await sending.still_leased(self.uow, message.row, self.until):
                outcome = "lost"  # leased again by another sender: its to record
            else:
                outcome = await _record(self.uow, message, answer)
            self.counts[outcome] = self.counts.get(outcome, 0) + 1

    async def close(self) -> None:
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)
        if self._answers:
            self._task = asyncio.create_task(self._record())
            await asyncio.shield(self._task)
        if self._task is not None:
            self._task.result()  # a failure to record is the sender's failure


async def _record(uow: UnitOfWork, message: Message, answer: Answer) -> str:
    """Mark a row as Telegram answered it (the sent rows of a batch are marked together first)."""
    row = message.row
    if answer == SENT:
        return str(OutboxStatus.SENT)
    if isinstance(answer, str):  # RELEASED, EXPIRED
        await sending.release(uow, [row])
        return answer
    if isinstance(answer, TelegramRetryAfter):
        # Telegram asked the whole bot to wait: the row waits as long (the pacer holds the rest).
        await sending.wait(uow, [row], answer.retry_after)
        return "retry_after"
    if isinstance(answer, TelegramForbiddenError):
        return str((await sending.blocked(uow, row, message.user)).status)
    if isinstance(answer, TelegramBadRequest):
        return str((await sending.close(uow, row, OutboxStatus.FAILED, answer.message)).status)
    if isinstance(answer, TelegramNetworkError | TelegramServerError):
        return "retry" if await sending.failed_attempt(uow, row, str(answer)) else str(OutboxStatus.FAILED)
    return str((await sending.close(uow, row, OutboxStatus.FAILED, str(answer))).status)


async def plan_outbox(
    sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, *, default_tz: str = "Europe/Moscow"
) -> int:
    """Queue what no single change causes (inactivity reminders, the methodists' digests): each
    reminder kind's own planner (``services.reminders``)."""
    async with sessionmaker() as session:
        return await sending.plan_periodic(UnitOfWork(session, clock), default_tz)


TICK_BUDGET = timedelta(seconds=45)


class ClockLock(Protocol):
    """One scheduler clock per deployment: only the holder plans (``storage.locks``)."""

    async def acquire(self) -> bool: ...


async def tick(
    bot: Bot | Bots,
    sessionmaker: async_sessionmaker[AsyncSession],
    translations: Translations,
    clock: Clock,
    pacer: Pacers,
    *,
    lock: ClockLock | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """What every worker's scheduler runs each minute: the clock's holder plans, then every worker
    sends batch after batch for most of the minute (the rows are shared out by their leases)."""
    if lock is None or await lock.acquire():
        await mentorship_tick(bot, sessionmaker, translations, clock)
        await plan_outbox(sessionmaker, clock)
    started = clock()
    while clock() - started < TICK_BUDGET and not (stop is not None and stop.is_set()):
        counts = await send_outbox(bot, sessionmaker, translations, clock, pacer=pacer, stop=stop)
        if not counts or "retry_after" in counts or "released" in counts:
            break
