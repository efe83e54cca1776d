"""Factories for the bot, the dispatcher and the database: one place that wires everything."""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import BotCommand, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.answers import AnswerOnce, HarmlessAnswers, KeepResponseModels
from bot.max.api import MaxApi
from bot.max.bot import MaxBot
from bot.max.session import ChatPace
from bot.messengers import Bots, share_files
from bot.middlewares import ReleaseWhileWaiting, UnitOfWorkPerUpdate, UpdateLimit, UserContextMiddleware
from bot.settings import TELEGRAM_API_URL, Settings
from bot.wakeup import Wakeup
from handlers import broadcasts as broadcast_views
from handlers import digest as digest_views
from handlers import import_report as import_views
from handlers import reminders as reminder_views
from handlers import setup_routers
from handlers.digest import DigestMessage
from locales import Translations, Translator
from services.broadcasts import Pace
from services.catalogues import ImportFileError, ImportReport
from services.reminders import View
from services.uow import UnitOfWork, UnitsOfWork
from storage import migrate
from storage.db import create_engine, create_sessionmaker
from storage.frameworks import Frameworks
from storage.fsm import MessengerKeys, SqlStorage, redis_storage
from storage.importers import load_demo_catalogue
from storage.locks import startup_lock
from storage.models import Broadcast, User
from storage.regions_loader import load_shipped_regions
from storage.repositories import DirectoryRepo

Clock = Callable[[], datetime]
log = logging.getLogger(__name__)


def utc_clock() -> datetime:
    return datetime.now(UTC)


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    if session is None:
        api = None
        if settings.telegram_api_url.rstrip("/") != TELEGRAM_API_URL:
            api = TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/"))
        session = AiohttpSession(api=api) if api else AiohttpSession()
    session.middleware(KeepResponseModels())
    session.middleware(HarmlessAnswers())
    session.middleware(ReleaseWhileWaiting())
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_max_bot(settings: Settings, api: MaxApi | None = None, pace: ChatPace | None = None) -> MaxBot:
    """The bot for MAX (``MAX_TOKEN``, ``MAX_API_URL``): the same handlers, MAX's transport."""
    if api is None:
        if settings.max_token is None:
            raise ValueError("MAX_TOKEN is not set")
        api = MaxApi(settings.max_token.get_secret_value(), settings.max_api_url)
    bot = MaxBot(api, pace=pace)
    bot.session.middleware(KeepResponseModels())
    bot.session.middleware(HarmlessAnswers())
    bot.session.middleware(ReleaseWhileWaiting())
    return bot


def create_bots(settings: Settings) -> Bots:
    """A bot for every messenger whose token is set."""
    telegram = create_bot(settings) if settings.bot_token is not None else None
    max_bot = create_max_bot(settings) if settings.max_token is not None else None
    if telegram is not None and max_bot is not None:
        share_files(telegram, max_bot)
    return Bots(*(bot for bot in (telegram, max_bot) if bot is not None))


def create_storage(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> tuple[BaseStorage, BaseEventIsolation]:
    """Where conversations live, and the lock that lets one update of a person be handled at a time.

    With ``REDIS_URL`` both are in Redis, shared by every worker; otherwise the conversation is in
    the database and the lock is in this process (enough for one polling process)."""
    if settings.redis_url:
        storage = redis_storage(settings.redis_url)
        return storage, storage.create_isolation()
    # The same number on Telegram and MAX is two people: MAX's conversations under its name.
    return SqlStorage(sessionmaker, MessengerKeys()), SimpleEventIsolation()


def broadcast_pace(settings: Settings) -> Pace:
    """The broadcasts' pace the preview estimates with: each messenger's rate (``bot.pacing``);
    MAX's counts only where the deployment has a MAX bot."""
    max_rate = settings.max_broadcast_rate if settings.max_token is not None else None
    return Pace(settings.broadcast_rate, settings.allow_paid_broadcast, max_rate)


def create_dispatcher(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    translations: Translations | None = None,
    storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
    frameworks: Frameworks | None = None,
    clock: Clock = utc_clock,
) -> Dispatcher:
    """The dispatcher with every router. FSM storage and isolation come from ``create_storage``
    unless given; whoever runs the dispatcher closes them (``dp.storage.close()``; aiogram's shutdown
    does it too). ``dp["outbox_wakeup"]`` is rung when an update queued a hand-off: the worker's
    ``Background`` waits on it."""
    translations = translations or Translations()
    if storage is None:
        storage, isolation = create_storage(settings, sessionmaker)
    else:
        isolation = SimpleEventIsolation()
    dp = Dispatcher(
        storage=storage,
        events_isolation=events_isolation or isolation,
        disable_fsm=True,  # the unit of work below takes its place, inside the update limit
        # Workflow data: handlers receive these by parameter name.
        translations=translations,
        frameworks=frameworks or Frameworks(),
        units=UnitsOfWork(sessionmaker, clock),
        clock=clock,
        admin_ids=settings.admin_ids,
        default_locale=settings.default_locale,
        invite_ttl_hours=settings.invite_ttl_hours,
        timezone=settings.timezone,
        home_region=settings.region,
        broadcast_pace=broadcast_pace(settings),
    )
    dp.update.outer_middleware(UpdateLimit())
    dp["outbox_wakeup"] = wakeup = Wakeup()
    dp.update.outer_middleware(UnitOfWorkPerUpdate(dp.fsm, sessionmaker, wakeup))
    dp.update.outer_middleware(
        UserContextMiddleware(
            translations, settings.admin_ids, settings.default_locale, settings.max_admin_ids
        )
    )
    dp.callback_query.outer_middleware(AnswerOnce())
    dp.include_router(setup_routers())
    return dp


class ImportReportView(Protocol):
    def __call__(
        self,
        report: ImportReport,
        t: Translator,
        limit: int = ...,
        *,
        plain: bool = ...,
        max_chars: int | None = ...,
    ) -> str: ...


class ImportErrorView(Protocol):
    def __call__(self, err: ImportFileError, t: Translator, *, plain: bool = ...) -> str: ...


class BroadcastView(Protocol):
    async def __call__(
        self, bot: Bot, chat_id: int, broadcast: Broadcast, t: Translator, *, paid: bool = ...
    ) -> Message: ...


@dataclass(frozen=True)
class Presenters:
    """How what the bot's jobs send is shown on Telegram: the handlers' renderers (they know its
    keyboards and HTML), handed to the jobs and the CLI from here, so that nothing but this factory
    imports ``handlers``."""

    reminder: Callable[[View, Translator], tuple[str, InlineKeyboardMarkup]] = reminder_views.render
    digest: Callable[[UnitOfWork, User, Translator], Awaitable[DigestMessage | None]] = (
        digest_views.render_digest
    )
    broadcast: BroadcastView = broadcast_views.send_content
    import_report: ImportReportView = import_views.render_report
    import_file_error: ImportErrorView = import_views.render_file_error


TELEGRAM = Presenters()


def telegram_presenters() -> Presenters:
    return TELEGRAM


@dataclass
class Database:
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]

    async def close(self) -> None:
        await self.engine.dispose()


async def open_database(
    settings: Settings, *, load_regions: bool = True, demo_catalogue: bool = False
) -> Database:
    """Open the database, apply migrations, and load the shipped regions into an empty one
    (with the demo catalogue when asked: the sandbox wants something to browse)."""
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    async with startup_lock(engine):  # workers starting together take turns here
        await migrate.upgrade(engine)
        if load_regions:
            async with sessionmaker() as session:
                directory = DirectoryRepo(session)
                if await directory.count_regions() == 0:
                    await load_shipped_regions(session)
                    if demo_catalogue:
                        await load_demo_catalogue(session)
                        await session.commit()
                if await directory.region(settings.region) is None:
                    log.warning("REGION=%s is not loaded: see `python -m bot load-region`", settings.region)
    return Database(engine, sessionmaker)


def freeze_startup_objects() -> None:
    """Move what start-up created (modules, routers, the translations: ~335,000 objects) out of the
    garbage collector's reach. A full collection walked them all and stopped the event loop for
    ~230 ms, for everyone, whenever it came; after this it takes 12–25 ms."""
    gc.collect()
    gc.freeze()


async def set_commands(bot: Bot, translations: Translations, default_locale: str) -> None:
    for locale in translations.locales:
        t = translations.get(locale)
        commands = [
            BotCommand(command=name, description=t(f"command-{name}"))
            for name in ("start", "menu", "help", "mydata", "forget")
        ]
        await bot.set_my_commands(commands, language_code=locale)
        if locale == default_locale:
            await bot.set_my_commands(commands)
