"""The clock: APScheduler runs the tick each minute; the database holds what is due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

TICK_SECONDS = 60


def create_scheduler(job: Callable[[], Awaitable[None]]) -> AsyncIOScheduler:
    """The tick every minute, the first one at once; a tick still running is never doubled."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        job,
        "interval",
        seconds=TICK_SECONDS,
        id="tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=TICK_SECONDS,
        next_run_time=datetime.now(UTC),
    )
    return scheduler
