"""Shared fixtures: a migrated database per test, a fixed clock, and a bot wired to the stub API."""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.redis import RedisStorage
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.factory import Database, create_bot, create_dispatcher, create_max_bot, create_storage, open_database
from bot.jobs import send_handoffs
from bot.max.api import MaxApi
from bot.max.bot import MaxBot
from bot.max.session import ChatPace
from bot.messengers import Bots, share_files
from bot.settings import Settings
from locales import Translations
from max_stub import MaxStub, MaxStubServer
from storage.models import FsmRecord
from telegram_stub import StubSession, TelegramStub
from tests import engines
from tests.chat import Chat
from tests.max_chat import MaxChat

ADMIN_ID = 900_001
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


@dataclass
class Clock:
    """A clock the tests move by hand."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """``python -m bot …`` run in-process sets up logging on the stream of the moment (pytest's
    capture); put the root logger back so later tests do not log into a closed stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head with the shipped regions, copied for each test.

    SQLite by default; with ``TEST_DATABASE_URL=postgresql+asyncpg://…`` (as ``scripts/test.sh`` sets
    for its second pass) the template is a PostgreSQL database and each test gets a copy of it.
    """
    import asyncio

    if engines.postgres_url() is not None:
        url = asyncio.run(engines.create_pg_template())
        yield url
        asyncio.run(engines.drop_pg_database(url))
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    url = f"sqlite+aiosqlite:///{path}"

    async def build() -> None:
        db = await open_database(_settings(url))
        await db.close()

    asyncio.run(build())
    yield url


def _settings(url: str) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=SecretStr("42:TEST"),
        database_url=url,
        admin_ids=(ADMIN_ID,),
        max_admin_ids=(ADMIN_ID,),  # the same admin when the test runs on MAX
        default_locale="ru",
        timezone="Europe/Moscow",
        redis_url=None,  # the `fsm` fixture decides where conversations live (TEST_FSM)
    )


@pytest.fixture
async def settings(tmp_path: Path, template_db: str) -> AsyncIterator[Settings]:
    if engines.postgres_url() is not None:
        url = await engines.new_pg_database(template_db)
        yield _settings(url)
        await engines.drop_pg_database(url)
        return
    path = tmp_path / "bot.db"
    shutil.copy(make_url(template_db).database or "", path)
    yield _settings(f"sqlite+aiosqlite:///{path}")


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = await open_database(settings)
    yield db
    await db.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def translations() -> Translations:
    return Translations()


@pytest.fixture
async def fsm(
    settings: Settings, database: Database
) -> AsyncIterator[tuple[BaseStorage, BaseEventIsolation]]:
    """The app's FSM storage and per-user lock: the database's (as without ``REDIS_URL``), or with
    ``TEST_FSM=redis`` Redis under this test's own key prefix, emptied afterwards."""
    if not engines.fsm_on_redis():
        yield create_storage(settings, database.sessionmaker)
        return
    storage = engines.new_redis_storage()
    yield storage, storage.create_isolation()
    await engines.drop_redis_storage(storage)


@dataclass
class App:
    bot: Bot
    stub: TelegramStub
    database: Database
    settings: Settings
    clock: Clock
    translations: Translations
    storage: BaseStorage
    isolation: BaseEventIsolation
    chats: dict[int, Chat | MaxChat] = field(default_factory=dict)
    dp: Dispatcher = field(init=False)
    auto_deliver: bool = True  # send hand-offs after each update, as a worker's sender does
    # The messenger ``chat()`` talks on (``messenger`` fixture), and MAX's stand-in and bot.
    messenger: str = "telegram"
    max_stub: MaxStub | None = None
    max_bot: MaxBot | None = None

    def __post_init__(self) -> None:
        self.restart()

    def chat(self, user_id: int = 1001, **kwargs: object) -> Chat:
        """The person ``user_id`` on the test's messenger (a ``MaxChat`` reads the same way)."""
        if user_id not in self.chats:
            kind = MaxChat if self.messenger == "max" else Chat
            self.chats[user_id] = kind(self, user_id, **kwargs)  # type: ignore[arg-type]
        return self.chats[user_id]  # type: ignore[return-value]

    @property
    def bots(self) -> Bots:
        return Bots(self.bot, self.max_bot) if self.max_bot is not None else Bots(self.bot)

    def restart(self) -> None:
        """A new dispatcher over the same database and FSM storage, as after a process restart."""
        self.dp = create_dispatcher(
            self.settings,
            self.database.sessionmaker,
            translations=self.translations,
            storage=self.storage,
            events_isolation=self.isolation,
            clock=self.clock,
        )

    async def deliver(self) -> dict[str, int]:
        """What the worker's hand-off sender does when an update rang the wake-up (``bot.workers``):
        send what is due now. Run after every update, as production does at once."""
        if not self.auto_deliver or not self.dp["outbox_wakeup"].take():
            return {}
        return await send_handoffs(self.bots, self.database.sessionmaker, self.translations, self.clock)

    async def fsm_keys(self) -> list[str]:
        """The key of every conversation record the app keeps, in the database or in Redis."""
        if isinstance(self.storage, RedisStorage):
            return await engines.redis_keys(self.storage)
        async with self.database.sessionmaker() as session:
            return sorted(await session.scalars(select(FsmRecord.key)))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark a conversation test's MAX run ``on_max``: the transport is the same whatever the
    database, so the PostgreSQL pass of ``scripts/test.sh`` leaves these runs to the SQLite pass."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("messenger") == "max":
            item.add_marker(pytest.mark.on_max)


@pytest.fixture
def messenger(request: pytest.FixtureRequest) -> str:
    """Where ``app.chat()`` talks: Telegram, or MAX with ``@pytest.mark.parametrize("messenger",
    ["telegram", "max"], indirect=True)`` (``tests.max_chat``)."""
    return str(getattr(request, "param", "telegram"))


@pytest.fixture
async def app(
    settings: Settings,
    database: Database,
    clock: Clock,
    translations: Translations,
    fsm: tuple[BaseStorage, BaseEventIsolation],
    caplog: pytest.LogCaptureFixture,
    messenger: str,
) -> AsyncIterator[App]:
    stub = TelegramStub()
    bot = create_bot(settings, session=StubSession(stub))
    caplog.set_level(logging.INFO)
    max_stub = MaxStub()
    async with MaxStubServer(max_stub) as max_server:
        # No waiting for MAX's per-chat pace in conversations (tests/test_max.py checks it).
        unpaced = ChatPace(per_chat=1_000_000)
        max_bot = create_max_bot(settings, MaxApi("max-test-token", max_server.url), unpaced)
        share_files(bot, max_bot)
        yield App(bot, stub, database, settings, clock, translations, *fsm, messenger=messenger,
                  max_stub=max_stub, max_bot=max_bot)  # fmt: skip
        await max_bot.session.close()
    await bot.session.close()
    # Every request the bot made must respect Telegram's and MAX's limits, and no handler may have
    # crashed.
    assert stub.violations == []
    assert max_stub.violations == []
    crashes = [r for r in caplog.records if r.name == "handlers.errors" and r.levelno >= logging.ERROR]
    assert crashes == [], [r.getMessage() for r in crashes]
