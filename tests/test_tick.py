"""The scheduler's tick: plans, then sends every due reminder within the minute, paced."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.jobs import tick
from domain.audience import Pacer
from storage.models import OutboxMessage, User
from storage.outbox import Outbox
from tests.conftest import App
from tests.flows import onboard


async def test_tick_sends_more_than_one_batch_at_a_steady_pace(app: App) -> None:
    await onboard(app.chat())
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None
        outbox = Outbox(session)
        # More than one batch of 50, due since before the person was last seen (so the planner still
        # owes them an inactivity reminder of its own).
        for n in range(120):
            due = app.clock.now - timedelta(days=41)
            await outbox.schedule(user.id, "inactivity", f"load:{n}", due, ref_type="user", ref_id=user.id)
        user.last_seen_at = app.clock.now - timedelta(days=40)
        await session.commit()
    waits: list[float] = []
    fake_time = [0.0]

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        fake_time[0] += seconds

    pacer = Pacer(5.0, per_chat=0.0, monotonic=lambda: fake_time[0], sleep=sleep)
    await tick(app.bot, app.database.sessionmaker, app.translations, app.clock, pacer)
    async with app.database.sessionmaker() as session:
        statuses = list(await session.scalars(select(OutboxMessage.status)))
    # The 120 queued by hand and the inactivity reminder the planner added, all in one tick.
    assert statuses == ["sent"] * 121
    assert round(fake_time[0], 6) == round(120 / 5.0, 6)  # 5 a second, without real sleeping
