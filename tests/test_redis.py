"""FSM and per-user event isolation in Redis (``REDIS_URL``), against the real redis-server that
scripts/test.sh starts (``TEST_REDIS_URL``). Whatever ``TEST_FSM`` says, the app here runs on Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Dispatcher
from aiogram.filters import Command
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from aiogram.types import Message, Update
from sqlalchemy import func, select

from bot.factory import Database, create_dispatcher, create_storage
from bot.settings import Settings
from storage.fsm import SqlStorage, redis_storage
from storage.models import FsmRecord, User
from tests import engines
from tests.conftest import App

BOT_ID = 42  # the test token is "42:TEST"


@pytest.fixture
async def fsm() -> AsyncIterator[tuple[BaseStorage, BaseEventIsolation]]:
    """Overrides conftest's: the app of this module always keeps conversations and locks in Redis."""
    storage = engines.new_redis_storage()
    yield storage, storage.create_isolation()
    await engines.drop_redis_storage(storage)


def prefix(app: App) -> str:
    assert isinstance(app.storage, RedisStorage) and isinstance(app.storage.key_builder, DefaultKeyBuilder)
    return app.storage.key_builder.prefix


async def test_redis_url_puts_conversations_and_locks_in_redis(
    settings: Settings, database: Database
) -> None:
    on_redis = settings.model_copy(update={"redis_url": engines.redis_url()})
    storage, isolation = create_storage(on_redis, database.sessionmaker)
    try:
        assert isinstance(storage, RedisStorage) and isinstance(isolation, RedisEventIsolation)
        keys = storage.key_builder
        assert isinstance(keys, DefaultKeyBuilder)
        assert (keys.prefix, keys.with_bot_id, keys.with_destiny) == ("efs", True, True)
        assert isolation.redis is storage.redis and isolation.key_builder is keys  # one connection pool
        assert await storage.redis.ping()
    finally:
        await storage.close()

    dp = create_dispatcher(settings, database.sessionmaker)  # no REDIS_URL: the database, a lock per process
    assert isinstance(dp.storage, SqlStorage) and isinstance(dp.fsm.events_isolation, SimpleEventIsolation)


async def test_a_conversation_survives_a_restart_on_redis(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")

    # <prefix>:<bot id>:<chat id>:<user id>:<destiny>:<state|data>; nothing in the database's table.
    base = f"{prefix(app)}:{BOT_ID}:1001:1001:default"
    assert await app.fsm_keys() == [f"{base}:state"]  # the answers so far are in the profile
    assert await app.storage.redis.get(f"{base}:state") == b"Onboarding:region"
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(FsmRecord)) == 0

    app.restart()  # another process over the same Redis
    await chat.press("Костромская")
    chat.expect("Выберите муниципалитет")
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None and (user.full_name, user.region_code) == ("Иванова Мария", "kostroma")

    # A connection of its own (a new pool, as a new process has) reads the same conversation.
    fresh = redis_storage(engines.redis_url(), prefix=prefix(app))
    try:
        key = StorageKey(bot_id=BOT_ID, chat_id=1001, user_id=1001)
        assert await fresh.get_state(key) == "Onboarding:municipality"
        assert await fresh.get_data(key) == {}  # no search typed into the picker yet: nothing to keep
    finally:
        await fresh.close()


# --- two workers sharing one Redis ---

Log = list[tuple[str, int, str]]  # (enter or exit, user id, worker)
Isolation = Callable[[RedisStorage], BaseEventIsolation]


def worker(app: App, log: Log, name: str, *, isolation: Isolation) -> Dispatcher:
    """A dispatcher with its own Redis connection, as in another webhook worker, plus a /probe
    handler that logs when it starts and ends and takes its time in between."""
    storage = redis_storage(engines.redis_url(), prefix=prefix(app))
    dp = create_dispatcher(
        app.settings,
        app.database.sessionmaker,
        translations=app.translations,
        storage=storage,
        events_isolation=isolation(storage),
        clock=app.clock,
    )

    @dp.message(Command("probe"))  # the dispatcher's own handlers come before the app's routers
    async def probe(message: Message) -> None:
        assert message.from_user is not None
        user = message.from_user.id
        log.append(("enter", user, name))
        await asyncio.sleep(0.3)
        log.append(("exit", user, name))

    return dp


async def feed(app: App, dp: Dispatcher, user_id: int) -> None:
    update = app.stub.message_update(user_id, "/probe")
    await dp.feed_update(app.bot, Update.model_validate(update, context={"bot": app.bot}))


async def both(app: App, isolation: Isolation, users: tuple[int, int]) -> Log:
    """Feed one /probe to each of two workers at the same time; the log of what their handlers did."""
    log: Log = []
    workers = [worker(app, log, name, isolation=isolation) for name in ("w1", "w2")]
    try:
        await asyncio.gather(*(feed(app, dp, user) for dp, user in zip(workers, users, strict=True)))
    finally:
        for dp in workers:
            await dp.storage.close()
    return log


def overlapped(log: Log) -> bool:
    return [kind for kind, _, _ in log] == ["enter", "enter", "exit", "exit"]


def one_after_the_other(log: Log) -> bool:
    kinds = [kind for kind, _, _ in log]
    return kinds == ["enter", "exit", "enter", "exit"] and log[0][2] == log[1][2] and log[2][2] == log[3][2]


def redis_lock(storage: RedisStorage) -> BaseEventIsolation:
    return storage.create_isolation()


def process_lock(storage: RedisStorage) -> BaseEventIsolation:
    return SimpleEventIsolation()


async def test_two_workers_handle_one_persons_updates_one_after_the_other(app: App) -> None:
    log = await both(app, redis_lock, (1001, 1001))
    assert one_after_the_other(log), log
    assert {name for _, _, name in log} == {"w1", "w2"}  # each worker did handle one
    assert not [key for key in await app.fsm_keys() if key.endswith(":lock")]  # locks are released


async def test_two_workers_handle_two_people_at_the_same_time(app: App) -> None:
    log = await both(app, redis_lock, (1001, 1002))
    assert overlapped(log), log


async def test_a_lock_per_process_does_not_keep_workers_apart(app: App) -> None:
    """The control: without the lock in Redis the same person's updates do overlap across workers,
    so the test above would notice a missing isolation."""
    log = await both(app, process_lock, (1001, 1001))
    assert overlapped(log), log


# --- /forget ---


async def test_forget_leaves_no_key_of_the_person_in_redis(app: App) -> None:
    storage = app.storage
    assert isinstance(storage, RedisStorage)
    for user_id in (1001, 1002):
        chat = app.chat(user_id)
        await chat.send("/start")
        await chat.press("Согласен")
        await chat.send("Иванова Мария")  # mid-wizard: a state in Redis
    # What other chats and destinies (a group, a scene) would leave; a look-alike id; someone else
    # in a chat whose id is the person's.
    for key in (
        StorageKey(bot_id=BOT_ID, chat_id=1001, user_id=1001, destiny="scene"),
        StorageKey(bot_id=BOT_ID, chat_id=-100_1001, user_id=1001),
        StorageKey(bot_id=BOT_ID, chat_id=-100_1001, user_id=10011),
        StorageKey(bot_id=BOT_ID, chat_id=1001, user_id=1002),
    ):
        await storage.set_state(key, "Some:state")
        await storage.set_data(key, {"x": 1})
    before = await app.fsm_keys()

    chat = app.chat(1001)
    await chat.send("/forget")
    await chat.press("Да, удалить всё")
    chat.expect("Все ваши данные удалены")

    def person(key: str) -> str:
        return key.split(":")[-3]  # …:<user id>:<destiny>:<part>

    after = await app.fsm_keys()
    assert [key for key in after if person(key) == "1001"] == []
    assert after == [key for key in before if person(key) != "1001"]  # everyone else's is kept
    assert {person(key) for key in after} == {"1002", "10011"}


# --- the bot's rate shared by its workers (issue 15: bot.pacing.SharedPacer) ----------------------------


async def test_two_workers_share_one_rate_and_one_pause_through_redis() -> None:
    import uuid

    from redis.asyncio import Redis

    from bot.pacing import SharedPacer

    redis = Redis.from_url(engines.redis_url())
    key = f"efs-test-{uuid.uuid4().hex[:12]}:pace:42"
    loop = asyncio.get_running_loop()

    def worker() -> SharedPacer:
        return SharedPacer(redis, key, "broadcasts", 20, monotonic=loop.time)

    async def slot(pacer: SharedPacer, chat: int) -> float:  # the slot it was given, not slept
        return loop.time() + await pacer.reserve_shared(chat)

    try:
        one, two = worker(), worker()
        slots = sorted(await asyncio.gather(*(slot(p, chat) for chat in range(40) for p in (one, two))))
        # 80 slots at 20 a second between both take 4 s; unshared, the two workers would put 40 in a
        # second and be done in 2. Slots are on Redis's clock and seen here through a round trip, so
        # they shift by its jitter (large on a busy machine): the window bound leaves room for it,
        # and the span is what tells one shared rate from two.
        most = max(sum(1 for s in slots if start <= s < start + 0.95) for start in slots)
        assert most <= 30 and slots[-1] - slots[0] >= 3.5
        # A 429 seen by one worker holds the other back and steps the shared rate down.
        await one.too_many(30)
        assert await slot(two, 1000) - loop.time() > 29 and two.rate == pytest.approx(20 * two.step_down)
    finally:
        keys = [k async for k in redis.scan_iter(match=f"{key}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


async def test_each_messenger_has_its_own_shared_pace_and_pause(settings: Settings) -> None:
    """Issue 16: with Redis, Telegram's and MAX's pacers are keyed apart (each its bot's): a 429 on
    Telegram holds back every worker's Telegram senders, and no MAX sender."""
    import uuid

    from bot.pacing import SharedPacer, bot_pacers

    configured = settings.model_copy(update={"redis_url": engines.redis_url(), "max_broadcast_rate": 20})
    bot = f"test-{uuid.uuid4().hex[:12]}"
    one = bot_pacers(configured, {"telegram": bot, "max": bot})
    two = bot_pacers(configured, {"telegram": bot, "max": bot})
    try:
        pacers = [one.broadcasts["telegram"], two.outbox["telegram"], two.broadcasts["max"]]
        assert all(isinstance(p, SharedPacer) for p in pacers)
        telegram, telegram_outbox, max_ = pacers
        assert max_.ceiling == 20 and telegram.ceiling == settings.broadcast_rate
        await telegram.too_many(30)  # worker one's Telegram broadcasts
        assert await telegram_outbox.reserve_shared(1) > 29  # worker two's Telegram outbox waits
        assert await max_.reserve_shared(1) < 5  # MAX does not
    finally:
        redis = one.redis
        assert redis is not None
        keys = [k async for k in redis.scan_iter(match=f"*:pace:*:{bot}*")]
        if keys:
            await redis.delete(*keys)
        await one.close()
        await two.close()
