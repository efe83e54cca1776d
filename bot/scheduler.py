"""The clock: APScheduler runs the jobs; the database holds what is due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.jobs import OUTBOX_RATE, tick
from domain.audience import Pacer
from locales import Translations

TICK_SECONDS = 60


def create_scheduler(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translations: Translations,
    clock: Callable[[], datetime],
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=TICK_SECONDS,
        args=(bot, sessionmaker, translations, clock, Pacer(OUTBOX_RATE)),
        id="tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=TICK_SECONDS,
    )
    return scheduler
