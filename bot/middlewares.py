"""Outer middlewares on ``dp.update``: a limit on updates at once, a database session per update,
then who is speaking."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import TelegramObject
from aiogram.types import User as TgUser
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.roles import effective_role
from locales import Translations
from storage.models import User
from storage.repositories import UserRepo

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


# Updates handled at once by one process. An update may hold two database connections (its session,
# and the FSM storage's own when conversations are kept in the database), so this stays well within
# the pool (``storage.db.POOL_SIZE + MAX_OVERFLOW``), leaving room for the tick and the senders.
# More wait their turn here instead of timing out on the pool.
MAX_UPDATES_AT_ONCE = 10


class UpdateLimit(BaseMiddleware):
    """The outermost middleware: at most ``limit`` updates past this point at once."""

    def __init__(self, limit: int = MAX_UPDATES_AT_ONCE) -> None:
        self._slots = asyncio.Semaphore(limit)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._slots:
            return await handler(event, data)


class DbSessionMiddleware(BaseMiddleware):
    """One session per update. Handlers commit before they confirm anything to the user."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.sessionmaker() as session:
            data["session"] = session
            return await handler(event, data)


class UserContextMiddleware(BaseMiddleware):
    """Puts ``user`` (None before consent), ``role`` and the translator ``t`` into handler data."""

    def __init__(self, translations: Translations, admin_ids: tuple[int, ...], default_locale: str) -> None:
        self.translations = translations
        self.admin_ids = admin_ids
        self.default_locale = default_locale

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        tg_user: TgUser | None = data.get("event_from_user")
        if tg_user is None:
            return await handler(event, data)
        session = data["session"]
        user = await UserRepo(session).by_telegram_id(tg_user.id)
        if user is not None:
            locale = user.locale
            await _seen(session, user, data["clock"]())
        else:
            # Before consent nothing is stored but the conversation state, which keeps the language.
            state: FSMContext | None = data.get("state")
            locale = (await state.get_value("locale")) if state else None
        data["user"] = user
        data["role"] = effective_role(user.role if user else None, tg_user.id, self.admin_ids)
        data["t"] = self.translations.get(locale, self.default_locale)
        return await handler(event, data)


SEEN_EVERY = timedelta(hours=1)


async def _seen(session: AsyncSession, user: User, now: datetime) -> None:
    """Remember when the person was last here (at most one write an hour); writing again also
    means they unblocked the bot."""
    if user.last_seen_at is not None and now - user.last_seen_at < SEEN_EVERY and user.blocked_at is None:
        return
    user.last_seen_at, user.blocked_at = now, None
    await session.commit()
