"""Outer middlewares on ``dp.update``: a limit on updates at once, the unit of work of an update
(the person's lock, a database session, the conversation state), then who is speaking."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.fsm.context import FSMContext
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject
from aiogram.types import User as TgUser
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.max.bot import MAX, messenger_of
from bot.wakeup import Wakeup
from domain.roles import effective_role
from locales import Translations
from services import accounts
from services.regions import region_rules
from services.uow import UnitOfWork
from storage.db import end_idle_transaction
from storage.fsm import bind_update_session, current_update_session, has_staged_states
from storage.models import User
from storage.repositories import UserRepo

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


# Updates handled at once by one process. Most of an update's time is Telegram's round trip, and an
# update holds a database connection only while it works with the database (``ReleaseWhileWaiting``
# lets it go before each call to Telegram unless something is uncommitted), so this many fit the
# pool (``storage.db.POOL_SIZE + MAX_OVERFLOW``); an update that has to wait for a connection waits
# there, up to the pool's timeout. More updates than this wait their turn here.
MAX_UPDATES_AT_ONCE = 50


class UpdateLimit(BaseMiddleware):
    """The outermost middleware: at most ``limit`` updates past this point at once."""

    def __init__(self, limit: int = MAX_UPDATES_AT_ONCE) -> None:
        self._slots = asyncio.Semaphore(limit)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._slots:
            return await handler(event, data)


class ReleaseWhileWaiting(BaseRequestMiddleware):
    """A request middleware of the bot's session: before each call to Telegram, the update's
    transaction is committed if it has nothing uncommitted (``storage.db.end_idle_transaction``),
    so no database connection waits through a round trip for a handler that only read."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        session = current_update_session()
        if session is not None:
            await end_idle_transaction(session)
        return await make_request(bot, method)


class UnitOfWorkPerUpdate(BaseMiddleware):
    """One unit of work per update, in place of aiogram's FSM middleware.

    In order: the person's lock (one update of a person at a time), a database session bound as
    the conversation storage's session and handed to the handler as a ``services.uow.UnitOfWork``
    (``uow``), the conversation state read in it, the handler, and the commit of whatever was left
    uncommitted (the conversation state, «last seen»). An exception rolls everything back. The
    services commit their changes themselves before the person is told they are done; this
    commit owns the rest. If a commit of the update queued a message for someone else (a
    hand-off), ``wakeup`` is rung after it, and the worker's sender sends it at once."""

    def __init__(
        self,
        fsm: FSMContextMiddleware,
        sessionmaker: async_sessionmaker[AsyncSession],
        wakeup: Wakeup | None = None,
    ) -> None:
        self.fsm = fsm
        self.sessionmaker = sessionmaker
        self.wakeup = wakeup

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        context = self.fsm.resolve_event_context(data["bot"], data)
        data["fsm_storage"] = self.fsm.storage
        person_lock = self.fsm.events_isolation.lock(key=context.key) if context else contextlib.nullcontext()
        async with person_lock, self.sessionmaker() as session:
            with bind_update_session(session):
                uow = data["uow"] = UnitOfWork(session, data["clock"])  # the only way in for handlers
                if context is not None:
                    data["state"], data["raw_state"] = context, await context.get_state()
                try:
                    result = await handler(event, data)
                    if _has_work(session):
                        await uow.commit()
                finally:
                    # What was committed is sent, even if the update failed after the commit.
                    if uow.take_to_send() and self.wakeup is not None:
                        self.wakeup.ring()
                return result


def _has_work(session: AsyncSession) -> bool:
    """Anything to commit: a transaction open (it may have written), objects to flush, or
    conversation changes staged. Most updates end with none of these (the handler committed, or
    only read and let go before answering), and a commit would only run SQLAlchemy's machinery."""
    pending = session.new or session.dirty or session.deleted
    return bool(session.in_transaction() or pending or has_staged_states(session))


class UserContextMiddleware(BaseMiddleware):
    """Puts ``user`` (None before consent), ``role`` and the translator ``t`` into handler data."""

    def __init__(
        self,
        translations: Translations,
        admin_ids: tuple[int, ...],
        default_locale: str,
        max_admin_ids: tuple[int, ...] = (),
    ) -> None:
        self.translations = translations
        self.admin_ids = admin_ids
        self.max_admin_ids = max_admin_ids
        self.default_locale = default_locale

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        tg_user: TgUser | None = data.get("event_from_user")
        if tg_user is None:
            return await handler(event, data)
        # The messenger the update came from: a person is their account there, and admins are
        # named by their ids on that messenger.
        messenger = data["messenger"] = messenger_of(data["bot"])
        admin_ids = self.max_admin_ids if messenger == MAX else self.admin_ids
        data["admin_ids"] = admin_ids
        session = data["uow"].session
        user = await UserRepo(session).by_telegram_id(tg_user.id, messenger)
        locale: str | None
        if user is not None:
            locale = user.locale
            # Linked accounts: what is sent to the person goes where they last wrote from.
            moved = accounts.wrote_from(user, messenger, tg_user.id)
            await _seen(session, user, data["clock"](), moved=moved)
        else:
            # Before consent nothing is stored but the conversation state, which keeps the language.
            state: FSMContext | None = data.get("state")
            locale = (await state.get_value("locale")) if state else None
        data["user"] = user
        # The region's rules, once per update, for the services the handler calls.
        data["rules"] = await region_rules(data["uow"], user.region_code if user else None, data["timezone"])
        data["role"] = effective_role(user.role if user else None, tg_user.id, admin_ids)
        data["t"] = self.translations.get(locale, self.default_locale)
        return await handler(event, data)


SEEN_EVERY = timedelta(hours=1)


async def _seen(session: AsyncSession, user: User, now: datetime, *, moved: bool = False) -> None:
    """Remember when the person was last here (at most one write an hour); writing again also
    means they unblocked the bot. ``moved``: they wrote from another of their accounts than last
    time (``services.accounts.wrote_from``), written at once."""
    recent = user.last_seen_at is not None and now - user.last_seen_at < SEEN_EVERY
    if recent and user.blocked_at is None and not moved:
        return
    user.last_seen_at, user.blocked_at = now, None
    # Committed now, in a transaction of its own, rather than held dirty through the handler's
    # reads (an autoflush would take the write lock for the rest of the update).
    await session.commit()
