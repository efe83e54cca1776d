"""Jobs the scheduler runs: they read what is due from the database and mark it as done.

Each job marks a row before it sends, in its own transaction, so a crash between the two can
lose a notice but never send it twice (the reminders' outbox will give stronger guarantees).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.mentorship import offer_next
from handlers.render import notify, region_rules
from locales import Translations
from storage.mentorship import MentorRepo
from storage.models import User

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
SHORTEST_REMINDER_DAYS = 3


async def mentorship_tick(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], translations: Translations, clock: Clock
) -> dict[str, int]:
    """Pass over requests nobody answered in time, and remind pairs to log a meeting."""
    now = clock()
    counts = {"lapsed": 0, "reminded": 0}
    async with sessionmaker() as session:
        repo = MentorRepo(session)
        for request in await repo.lapsed_requests(now):
            request.status, request.answered_at = "expired", now
            await session.commit()
            counts["lapsed"] += 1
            mentee = await session.get(User, request.mentee_id)
            mentor = await session.get(User, request.mentor_id)
            if mentee is not None:
                await offer_next(
                    bot,
                    translations,
                    session,
                    mentee,
                    "mentor-request-lapsed",
                    now,
                    name=mentor.full_name if mentor else "—",
                )
        for pair, _last in await repo.pairs_to_remind(now, SHORTEST_REMINDER_DAYS):
            mentee = await session.get(User, pair.mentee_id)
            mentor = await session.get(User, pair.mentor_id)
            if mentee is None or mentor is None:
                continue
            thresholds, _ = await region_rules(session, mentee.region_code)
            days = thresholds.mentor_meeting_reminder_days
            since = pair.last_reminder_at or pair.started_at
            meetings = await repo.meetings(pair.id)
            if meetings:
                since = max(since, max(m.created_at for m in meetings))
            if now - since < timedelta(days=days):
                continue
            pair.last_reminder_at = now
            await session.commit()
            counts["reminded"] += 1
            for person, other in ((mentee, mentor), (mentor, mentee)):
                await notify(
                    bot,
                    translations,
                    person,
                    "mentor-meeting-reminder",
                    None,
                    name=other.full_name,
                    days=days,
                )
    if any(counts.values()):
        log.info("mentorship tick", extra=counts)
    return counts
