"""Long polling of MAX (``GET /updates`` with a ``marker``) into the dispatcher — MAX's counterpart
of aiogram's ``start_polling`` for development and one-machine use (production MAX bots use
webhooks)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Dispatcher

from bot.max.api import MaxApiError, MaxNetworkError
from bot.max.bot import MaxBot
from bot.max.updates import to_update

log = logging.getLogger(__name__)
UPDATE_TYPES = ("message_created", "message_callback", "bot_started")


async def poll(
    dp: Dispatcher, bot: MaxBot, stop: asyncio.Event, *, poll_seconds: int = 30, **data: Any
) -> None:
    """Fetch and dispatch updates until ``stop`` is set; each update is handled in its own task
    (one person's updates still go one at a time: the dispatcher's per-person lock)."""
    api = bot.max_session.max_api
    me = await bot.me()  # a wrong token stops here, before any polling
    log.info("MAX polling started", extra={"bot_id": me.id, "username": me.username})
    marker: int | None = None
    tasks: set[asyncio.Task[Any]] = set()
    backoff = 1.0
    while not stop.is_set():
        params: dict[str, Any] = {"timeout": poll_seconds, "limit": 100, "types": ",".join(UPDATE_TYPES)}
        if marker is not None:
            params["marker"] = marker
        fetch = asyncio.ensure_future(api.call("GET", "/updates", params=params, seconds=poll_seconds + 10))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if stop.is_set():
            fetch.cancel()
            break
        try:
            answer = fetch.result()
        except (MaxApiError, MaxNetworkError) as error:
            log.warning("MAX polling failed: %s", error)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 30)
            continue
        backoff = 1.0
        marker = answer.get("marker", marker)
        for raw in answer.get("updates") or []:
            update = to_update(raw, bot.max_session.ids, bot)
            if update is None:
                continue
            task = asyncio.create_task(dp.feed_update(bot, update, **data))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    if tasks:  # the updates in hand are finished
        await asyncio.gather(*tasks, return_exceptions=True)
