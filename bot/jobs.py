"""Jobs the scheduler runs. The database says what is due; the jobs only read and mark it.

- ``plan_outbox`` queues what no single change causes (inactivity, the methodists' digests).
- ``mentorship_tick`` lapses unanswered mentor requests and queues meeting reminders.
- ``send_outbox`` delivers due outbox rows: lease, send, mark sent — one commit per message.

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
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.factory import telegram_presenters
from domain import reminders as policy
from domain.audience import Pacer
from locales import Translations, Translator
from services import mentorship
from services.regions import region_rules
from services.uow import UnitOfWork
from storage.models import OutboxMessage, Region, User
from storage.outbox import Outbox

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


async def mentorship_tick(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], translations: Translations, clock: Clock
) -> dict[str, int]:
    """Pass over requests nobody answered in time (offering each mentee the next candidates), and
    remind pairs to log a meeting (``services.mentorship``)."""
    async with sessionmaker() as session:
        uow = UnitOfWork(session, clock)
        lapsed = await mentorship.lapse_requests(uow)
        for request in lapsed:
            if request.mentee_home is not None:
                await telegram_presenters().mentor_offer(
                    bot,
                    translations,
                    request.mentee_home,
                    "mentor-request-lapsed",
                    name=request.mentor_name or "—",
                )
        counts = {"lapsed": len(lapsed), "reminded": await mentorship.remind_meetings(uow)}
    if any(counts.values()):
        log.info("mentorship tick", extra=counts)
    return counts


RETRY_LIMIT = 5
LEASE_SECONDS = 120


async def send_outbox(
    bot: Bot,
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
        outbox = Outbox(session)
        rows = await outbox.lease_due(now, limit=batch, lease_seconds=LEASE_SECONDS)
        await session.commit()
        for index, row in enumerate(rows):
            if stop is not None and stop.is_set():
                outbox.release(rows[index:])
                await session.commit()
                counts["released"] = len(rows) - index
                break
            outcome = await _deliver(bot, session, translations, row, now, default_tz, pacer)
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome == "retry_after":
                # Telegram asked the whole bot to wait: the rest of the batch waits as long.
                for later in rows[index + 1 :]:
                    later.locked_until = row.locked_until
                await session.commit()
                break
    if counts:
        log.info("outbox sent", extra=counts)
    return counts


async def _deliver(
    bot: Bot,
    session: AsyncSession,
    translations: Translations,
    row: OutboxMessage,
    now: datetime,
    default_tz: str,
    pacer: Pacer | None = None,
) -> str:
    user = await session.get(User, row.user_id)
    if user is None or user.blocked_at is not None:
        return await _close(session, row, "failed", "blocked")
    if policy.KIND_GROUPS.get(row.kind) in set(user.notify_off or []):
        return await _close(session, row, "cancelled", "switched off")
    region = await region_rules(UnitOfWork(session, lambda: now), user.region_code, default_tz)
    rules, tz = region.reminders, region.timezone
    when = policy.deliverable_at(
        row.due_at, tz, policy.parse_hhmm(rules.quiet_from), policy.parse_hhmm(rules.quiet_to)
    )
    if when > now:
        expires = row.payload.get("expires_at")
        if expires and when >= datetime.fromisoformat(expires):
            return await _close(session, row, "cancelled", "quiet hours until it no longer matters")
        row.due_at, row.locked_until = when, None
        await session.commit()
        return "postponed"
    t = translations.get(user.locale)
    if pacer is not None:
        await pacer.wait(user.telegram_id)
    try:
        if row.kind == "digest":
            delivered = await _send_digest(bot, session, user, t, now)
        else:
            rendered = await telegram_presenters().reminder(session, row, user, t, now)
            delivered = rendered is not None
            if rendered is not None:
                await bot.send_message(user.telegram_id, rendered[0], reply_markup=rendered[1])
    except TelegramRetryAfter as exc:
        row.locked_until = now + timedelta(seconds=exc.retry_after)
        await session.commit()
        return "retry_after"
    except TelegramForbiddenError:
        user.blocked_at = now
        return await _close(session, row, "failed", "blocked")
    except TelegramBadRequest as exc:
        return await _close(session, row, "failed", exc.message)
    except (TelegramNetworkError, TelegramServerError) as exc:
        row.attempts += 1
        if row.attempts >= RETRY_LIMIT:
            return await _close(session, row, "failed", str(exc))
        row.locked_until = now + timedelta(seconds=60 * 2**row.attempts)
        await session.commit()
        return "retry"
    if not delivered:
        return await _close(session, row, "cancelled", "no longer applies")
    row.status, row.sent_at = "sent", now
    await session.commit()
    return "sent"


async def _close(session: AsyncSession, row: OutboxMessage, status: str, reason: str) -> str:
    row.status, row.error = status, reason[:300]
    await session.commit()
    return status


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
    """Queue what no single change causes: inactivity reminders and the methodists' digests."""
    now = clock()
    planned = 0
    async with sessionmaker() as session:
        outbox = Outbox(session)
        # Region by region, with its own threshold, only people not reminded since they were last seen:
        # the database does the sifting, so a tick costs the same with 1,000 or 100,000 teachers.
        for region_code in [*await session.scalars(select(Region.code)), None]:
            rules = (await region_rules(UnitOfWork(session, clock), region_code, default_tz)).reminders
            reminded = exists().where(  # by the indexed user_id: one look-up per person
                OutboxMessage.user_id == User.id,
                OutboxMessage.kind == "inactivity",
                OutboxMessage.due_at > User.last_seen_at,
            )
            in_region = User.region_code == region_code if region_code else User.region_code.is_(None)
            stale = await session.scalars(
                select(User).where(
                    in_region,
                    User.last_seen_at < now - timedelta(days=rules.inactivity_days),
                    ~reminded,
                )
            )
            for user in stale:
                assert user.last_seen_at is not None
                key = f"inactive:{user.id}:{user.last_seen_at.date().isoformat()}"
                await outbox.schedule(user.id, "inactivity", key, now, ref_type="user", ref_id=user.id)
                planned += 1
        planned += await _plan_digests(session, outbox, now, default_tz)
        await session.commit()
    return planned


async def _plan_digests(session: AsyncSession, outbox: Outbox, now: datetime, default_tz: str) -> int:
    from domain.digest import next_digest_at
    from storage.digest import methodists_with_caseload
    from storage.models import MethodistSettings

    planned = 0
    zones: dict[str | None, str] = {}
    for methodist in await methodists_with_caseload(session):
        settings = await session.get(MethodistSettings, methodist.id)
        region = methodist.region_code
        if region not in zones:
            zones[region] = (
                await region_rules(UnitOfWork(session, lambda: now), region, default_tz)
            ).timezone
        tz = zones[region]
        due = next_digest_at(settings, tz, now)
        key = f"digest:{methodist.id}:{policy.local(due, tz).date().isoformat()}"
        await outbox.schedule(methodist.id, "digest", key, due, ref_type="user", ref_id=methodist.id)
        planned += 1
    return planned


TICK_BUDGET = timedelta(seconds=45)


class ClockLock(Protocol):
    """One scheduler clock per deployment: only the holder plans (``storage.locks``)."""

    async def acquire(self) -> bool: ...


async def tick(
    bot: Bot,
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
