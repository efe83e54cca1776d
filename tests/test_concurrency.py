"""Many people at once: a burst of updates (polling hands them over as tasks; Telegram posts up to 40
at a time to a webhook) must not exhaust the database pool — every update is answered."""

from __future__ import annotations

import asyncio

from aiogram.types import Update

from tests.conftest import App

BURST = 60


async def test_a_burst_of_new_people_pressing_start_at_once_is_answered_in_full(app: App) -> None:
    users = range(20_000, 20_000 + BURST)
    updates = [
        Update.model_validate(app.stub.message_update(uid, "/start"), context={"bot": app.bot})
        for uid in users
    ]
    async with asyncio.timeout(60):
        await asyncio.gather(*(app.dp.feed_update(app.bot, update) for update in updates))
    answered = {m.chat_id for m in app.stub.outbox if "Согласие" in m.plain_text}
    assert answered == set(users)
