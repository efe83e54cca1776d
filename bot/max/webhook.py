"""MAX's webhook beside Telegram's in a webhook worker (``python -m bot webhook``).

On start the worker subscribes (``POST /subscriptions``: the public address, the update types, the
secret MAX then sends in ``X-Max-Bot-Api-Secret``); each POST without that secret is refused (401),
and the others are answered only when the update has been handled, so that MAX delivers again an
update a dying worker had in hand."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiogram import Dispatcher
from aiohttp import web

from bot.max.bot import MaxBot
from bot.max.polling import UPDATE_TYPES
from bot.max.updates import to_update

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Max-Bot-Api-Secret"


def derived_secret(token: str) -> str:
    """A secret from the token when MAX_WEBHOOK_SECRET is not set: the same in every worker."""
    return hashlib.sha256(f"efs-max-webhook:{token}".encode()).hexdigest()


async def subscribe(bot: MaxBot, url: str, secret: str) -> None:
    await bot.max_session.max_api.call(
        "POST", "/subscriptions", body={"url": url, "update_types": list(UPDATE_TYPES), "secret": secret}
    )
    log.info("MAX webhook subscribed", extra={"url": url})


def handler(dp: Dispatcher, bot: MaxBot, secret: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401)
        try:
            raw = json.loads(await request.text())
        except ValueError:
            return web.Response(status=400)
        update = to_update(raw, bot.max_session.ids, bot) if isinstance(raw, dict) else None
        if update is not None:
            await dp.feed_update(bot, update)
        return web.json_response({"success": True})

    return handle
