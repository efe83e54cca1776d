"""Jobs the scheduler runs. The database says what is due; the jobs only read and mark it.

- ``plan_outbox`` queues what no single change causes (inactivity, the methodists' digests).
- ``mentorship_tick`` lapses unanswered mentor requests and queues meeting reminders.
- ``send_outbox`` delivers due outbox rows: lease, send, mark sent — one commit per message.
- ``send_handoffs`` is the same sender woken at once (``Wakeup``) when an update committed a
  message for someone else (a hand-off: ``services.reminders.handoff``), so it goes out within a
  second rather than at the next minute.

Delivery guarantee (see README): a row is marked sent in its own commit right after Telegram
accepts the message; a sender that dies leaves its leased rows to be sent again when the lease
runs out. So nothing is lost, and nothing is sent twice except — at most — the one message that was
in flight at the moment of a hard kill (Telegram has no idempotency key to close that window).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.factory import telegram_presenters
from bot.messengers import Bots, route
from domain.audience import Pacer
from domain.reminders import OutboxStatus
from locales import Translations, Translator
from services import mentorship
from services.reminders import Delegated, sending
from services.uow import UnitOfWork
from storage.models import OutboxMessage, User

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


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


async def send_handoffs(
    bot: Bot | Bots,
    sessionmaker: async_sessionmaker[AsyncSession],
    translations: Translations,
    clock: Clock,
    *,
    pacer: Pacer | None = None,
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


async def send_outbox(
    bot: Bot | Bots,
    sessionmaker: async_sessionmaker[AsyncSession],
    translations: Translations,
    clock: Clock,
    *,
    default_tz: str = "Europe/Moscow",
    batch: int = 50,
    pacer: Pacer | None = None,
    stop: asyncio.Event | None = None,
) -> dict[str, int]:
    """Deliver the due outbox rows once each, in the recipient's time and language.

    When ``stop`` is set (a graceful shutdown), the message in hand is finished and marked, and the
    rest of the batch is handed back at once for another worker — or the next start — to send.
    """
    now = clock()
    counts: dict[str, int] = {}
    async with sessionmaker() as session:
        uow = UnitOfWork(session, lambda: now)  # one time for the batch
        rows = await sending.lease(uow, limit=batch, lease_seconds=LEASE_SECONDS)
        for index, row in enumerate(rows):
            if stop is not None and stop.is_set():
                await sending.release(uow, rows[index:])
                counts["released"] = len(rows) - index
                break
            outcome = await _deliver(bot, uow, translations, row, default_tz, pacer)
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome == "retry_after":
                # Telegram asked the whole bot to wait: the rest of the batch waits as long.
                await sending.wait_as(uow, rows[index + 1 :], row)
                break
    if counts:
        log.info("outbox sent", extra=counts)
    return counts


async def _deliver(
    bot: Bot | Bots,
    uow: UnitOfWork,
    translations: Translations,
    row: OutboxMessage,
    default_tz: str,
    pacer: Pacer | None = None,
) -> str:
    """Send one row as its kind says (``services.reminders``); the outcome counted."""
    ready = await sending.prepare(uow, row, default_tz)
    if isinstance(ready, sending.Closed):
        return str(ready.status)
    if isinstance(ready, sending.Postponed):
        return "postponed"
    user = ready.user
    t = translations.get(user.locale)
    if pacer is not None:
        await pacer.wait(user.telegram_id)
    try:
        to_user = route(bot, user)  # the person's own messenger
        composed = await sending.compose(uow, row, ready)
        if isinstance(composed, Delegated):
            delivered = await _send_digest(to_user, uow.session, user, t, uow.now())
        elif composed is not None:
            text, markup = telegram_presenters().reminder(composed, t)
            await to_user.send_message(user.telegram_id, text, reply_markup=markup)
            delivered = True
        else:
            delivered = False
    except TelegramRetryAfter as exc:
        await sending.wait(uow, [row], exc.retry_after)
        return "retry_after"
    except TelegramForbiddenError:
        return str((await sending.blocked(uow, row, user)).status)
    except TelegramBadRequest as exc:
        return str((await sending.close(uow, row, OutboxStatus.FAILED, exc.message)).status)
    except (TelegramNetworkError, TelegramServerError) as exc:
        return "retry" if await sending.failed_attempt(uow, row, str(exc)) else str(OutboxStatus.FAILED)
    if not delivered:
        return str((await sending.close(uow, row, OutboxStatus.CANCELLED, "no longer applies")).status)
    await sending.sent(uow, row)
    return str(OutboxStatus.SENT)


async def _send_digest(bot: Bot, session: AsyncSession, user: User, t: Translator, now: datetime) -> bool:
    from aiogram.types import BufferedInputFile

    message = await telegram_presenters().digest(UnitOfWork(session, lambda: now), user, t)
    if message is None:
        return False
    if message.chart is not None:
        await bot.send_photo(user.telegram_id, BufferedInputFile(message.chart, filename="digest.png"))
    await bot.send_message(user.telegram_id, message.text, reply_markup=message.markup)
    return True


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
    pacer: Pacer,
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
