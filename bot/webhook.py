"""``python -m bot webhook``: one worker of a deployment that receives updates by webhook.

N such workers run behind a reverse proxy (README, "Deployment"), all on one PostgreSQL and one
Redis. Each worker:

- takes Telegram's POSTs at ``WEBHOOK_PATH``, refusing any without the secret token (401), and
  answers only when the update has been handled — a worker that dies mid-update leaves Telegram
  to deliver it again; with ``MAX_TOKEN`` also MAX's at ``MAX_WEBHOOK_PATH`` (``bot.max.webhook``);
- registers the webhook on start (``WEBHOOK_BASE_URL`` + path, the secret, and exactly the update
  types the dispatcher's handlers use) — the same call from every worker, so any may restart;
- runs the minute tick and the broadcast sender beside the updates (``bot.workers``);
- answers ``GET /healthz`` with the state of the database, Redis and the clock (200, or 503);
- on SIGTERM stops taking connections, finishes the updates in hand, finishes the message it is
  sending, hands back what it leased, and only then closes the bot session and the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.factory import (
    Database,
    create_bot,
    create_dispatcher,
    create_max_bot,
    freeze_startup_objects,
    open_database,
    set_commands,
    utc_clock,
)
from bot.max import webhook as max_webhook
from bot.max.bot import MaxBot
from bot.messengers import Bots, share_files
from bot.settings import Settings
from bot.workers import Background
from locales import Translations

log = logging.getLogger(__name__)
HEALTH_PATH = "/healthz"
HEALTH_TIMEOUT = 2.0
SHUTDOWN_TIMEOUT = 25.0  # systemd's TimeoutStopSec in deploy/ leaves room for this

DB_KEY = web.AppKey("db", Database)
DP_KEY = web.AppKey("dp", Dispatcher)
BOT_KEY = web.AppKey("bot", Bot)
BACKGROUND_KEY = web.AppKey("background", Background)


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or one derived from the token: the same in every worker, never the token."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    assert settings.bot_token is not None
    seed = f"efs-webhook:{settings.bot_token.get_secret_value()}".encode()
    return hashlib.sha256(seed).hexdigest()


def max_secret(settings: Settings) -> str:
    """MAX_WEBHOOK_SECRET, or one derived from MAX's token (the same in every worker)."""
    if settings.max_webhook_secret is not None:
        return settings.max_webhook_secret.get_secret_value()
    assert settings.max_token is not None
    return max_webhook.derived_secret(settings.max_token.get_secret_value())


def max_webhook_url(settings: Settings) -> str:
    assert settings.webhook_base_url is not None
    return settings.webhook_base_url.rstrip("/") + settings.max_webhook_path


def webhook_url(settings: Settings) -> str:
    assert settings.webhook_base_url is not None
    return settings.webhook_base_url.rstrip("/") + settings.webhook_path


async def create_app(
    settings: Settings,
    *,
    bot: Bot | None = None,
    max_bot: MaxBot | None = None,
    translations: Translations | None = None,
    clock: Callable[[], datetime] = utc_clock,
) -> web.Application:
    translations = translations or Translations()
    db = await open_database(settings)
    # Telegram's webhook with BOT_TOKEN, MAX's (bot.max.webhook) with MAX_TOKEN: one or both.
    telegram = bot or (create_bot(settings) if settings.bot_token is not None else None)
    max_bot = max_bot or (create_max_bot(settings) if settings.max_token is not None else None)
    if telegram is not None and max_bot is not None:
        share_files(telegram, max_bot)
    present = [b for b in (telegram, max_bot) if b is not None]
    if not present:
        raise ValueError("neither BOT_TOKEN nor MAX_TOKEN is set")
    main_bot = present[0]
    dp = create_dispatcher(settings, db.sessionmaker, translations=translations, clock=clock)
    bots = Bots(*present)
    background = Background(
        bots, db.engine, db.sessionmaker, translations, clock, settings, wakeup=dp["outbox_wakeup"]
    )

    app = web.Application()
    app[DB_KEY], app[DP_KEY], app[BOT_KEY], app[BACKGROUND_KEY] = db, dp, main_bot, background
    if telegram is not None:
        # Registered by hand rather than with handler.register(): that closes the bot session in
        # on_shutdown, while updates still in hand need it until on_cleanup.
        handler = SimpleRequestHandler(
            dp, telegram, handle_in_background=False, secret_token=webhook_secret(settings)
        )
        app.router.add_post(settings.webhook_path, handler.handle)
    if max_bot is not None:
        app.router.add_post(settings.max_webhook_path, max_webhook.handler(dp, max_bot, max_secret(settings)))
    app.router.add_get(HEALTH_PATH, health)

    async def on_startup(_app: web.Application) -> None:
        await dp.emit_startup(bot=main_bot, **dp.workflow_data)
        if telegram is not None:
            await telegram.set_webhook(
                webhook_url(settings),
                secret_token=webhook_secret(settings),
                allowed_updates=dp.resolve_used_update_types(),
                drop_pending_updates=False,
            )
            await set_commands(telegram, translations, settings.default_locale)
        if max_bot is not None:
            await max_bot.me()  # a wrong MAX token stops the start here
            await max_webhook.subscribe(max_bot, max_webhook_url(settings), max_secret(settings))
        background.start()
        freeze_startup_objects()
        log.info("webhook worker started", extra={"url": webhook_url(settings), "port": settings.web_port})

    async def on_shutdown(_app: web.Application) -> None:
        # Connections are no longer taken; updates in hand finish meanwhile (until on_cleanup).
        await background.stop()

    async def on_cleanup(_app: web.Application) -> None:
        await dp.emit_shutdown(bot=main_bot, **dp.workflow_data)
        await dp.storage.close()
        for each in present:
            await each.session.close()
        await db.close()

    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    app.on_cleanup.append(on_cleanup)
    return app


async def health(request: web.Request) -> web.Response:
    """200 when the database (and Redis, if used) answer within two seconds; 503 otherwise."""
    checks: dict[str, Any] = {"worker": f"{socket.gethostname()}:{os.getpid()}"}
    ok = True
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT), request.app[DB_KEY].engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        ok, checks["database"] = False, f"error: {type(exc).__name__}"
    redis = getattr(request.app[DP_KEY].storage, "redis", None)
    if redis is not None:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                await redis.ping()
            checks["redis"] = "ok"
        except (RedisError, OSError, TimeoutError) as exc:
            ok, checks["redis"] = False, f"error: {type(exc).__name__}"
    checks.update(request.app[BACKGROUND_KEY].status())
    checks["status"] = "ok" if ok else "unavailable"
    return web.json_response(checks, status=200 if ok else 503)


def serve(settings: Settings) -> None:
    """Run one worker until SIGTERM/SIGINT (aiohttp's graceful shutdown, then ours)."""
    web.run_app(
        create_app(settings),
        host=settings.web_host,
        port=settings.web_port,
        shutdown_timeout=SHUTDOWN_TIMEOUT,
        access_log=None,
        print=None,
    )
    log.info("stopped")
