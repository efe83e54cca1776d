"""Many people at once: the failures a load test found on the embedded default, one test each.

- "database is locked": a handler that wrote and then changed the conversation waited for its own
  write lock from the conversation storage's second connection (five seconds, then the error);
- an id past a 64-bit integer in a forged button reached the database (OverflowError on SQLite;
  on PostgreSQL anything past 2^31 - 1, the id columns' range);
- a button answered twice (Telegram refuses the second answer: "query is already answered");
- an edit to the same content ("message is not modified") reached the error handler.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from enum import Enum
from typing import Any

import pytest
from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from pydantic import ValidationError
from sqlalchemy import select, text

from handlers import callbacks
from handlers.callbacks import ID_MAX
from services.uow import UnitOfWork
from storage.fsm import SqlStorage
from storage.models import FsmRecord, User
from tests.conftest import App
from tests.flows import onboard


def _install(app: App, router: Router) -> None:
    """A router tried before the bot's own ones (the bot's fallback would take everything)."""
    app.dp.sub_routers.insert(0, router)
    router._parent_router = app.dp


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_handler_that_writes_then_changes_the_conversation_does_not_wait_for_itself(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    chat = app.chat(1001)
    await onboard(chat)
    router = Router(name="writes-then-state")

    @router.message(F.text == "rename")
    async def rename(message: Message, uow: UnitOfWork, user: User, state: FSMContext) -> None:
        user.full_name = "Сидорова Анна"
        await uow.flush()  # the write lock is this transaction's from here on
        await state.set_state("Renamed:done")
        await state.update_data(renamed=True)
        await uow.commit()
        await message.answer("ok")

    _install(app, router)
    async with asyncio.timeout(10):
        await chat.send("rename")
    assert chat.text == "ok"
    assert _errors(caplog) == []
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(User.full_name).where(User.telegram_id == 1001)) == "Сидорова Анна"
    if isinstance(app.storage, SqlStorage):
        async with app.database.sessionmaker() as session:
            record = await session.scalar(select(FsmRecord).where(FsmRecord.telegram_id == 1001))
            assert record is not None and (record.state, record.data) == ("Renamed:done", {"renamed": True})


async def test_a_failed_update_leaves_neither_its_writes_nor_its_conversation_change(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    chat = app.chat(1001)
    await onboard(chat)
    before = await app.dp.storage.get_state(_key(app, 1001))
    router = Router(name="fails-half-way")

    @router.message(F.text == "boom")
    async def boom(message: Message, user: User, state: FSMContext) -> None:
        user.full_name = "Не сохранится"
        await state.set_state("Half:way")
        raise RuntimeError("half-way")

    _install(app, router)
    caplog.set_level(logging.CRITICAL, logger="handlers.errors")  # the crash is the point here
    await chat.send("boom")
    chat.expect("Что-то пошло не так")
    if isinstance(app.storage, SqlStorage):  # in the update's transaction; Redis is written at once
        assert await app.dp.storage.get_state(_key(app, 1001)) == before
    async with app.database.sessionmaker() as session:
        name = await session.scalar(select(User.full_name).where(User.telegram_id == 1001))
    assert name == "Иванова Мария Петровна"


def _key(app: App, user_id: int) -> Any:
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=app.bot.id, chat_id=user_id, user_id=user_id)


async def test_thirty_people_registering_and_answering_at_once_all_get_through(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    people = [app.chat(30_000 + n) for n in range(30)]

    async def one(chat: Any) -> None:
        await onboard(chat, name=f"Учитель Номер {chr(0x410 + people.index(chat))}")
        await chat.press("🧭 Самодиагностика")
        await chat.press("Начать")
        for level in ("3.", "4.", "1."):
            await chat.press(level)

    async with asyncio.timeout(120):
        await asyncio.gather(*(one(chat) for chat in people))
    assert _errors(caplog) == []
    async with app.database.sessionmaker() as session:
        registered = await session.scalar(
            select(text("count(*)")).select_from(User).where(User.telegram_id >= 30_000)
        )
    assert registered == 30


# --- forged numbers ------------------------------------------------------------------------------


def _factories() -> list[type[CallbackData]]:
    return [
        obj
        for obj in vars(callbacks).values()
        if isinstance(obj, type) and issubclass(obj, CallbackData) and obj is not CallbackData
    ]


def _int_fields(factory: type[CallbackData]) -> list[str]:
    return [name for name, info in factory.model_fields.items() if info.annotation is int]


def _sample(annotation: Any) -> Any:
    """A value a button of ours could carry in a field of this type."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation))
    return 0 if annotation is int else ("x" if annotation is str else False)


@pytest.mark.parametrize("factory", [f for f in _factories() if _int_fields(f)], ids=lambda f: f.__name__)
@pytest.mark.parametrize("forged", [-1, ID_MAX + 1, 2**63, 2**64, 10**30])
def test_every_number_in_every_button_is_checked_before_it_reaches_a_query(
    factory: type[CallbackData], forged: int
) -> None:
    for name in _int_fields(factory):
        values: dict[str, Any] = {
            field: _sample(info.annotation)
            for field, info in factory.model_fields.items()
            if info.is_required() or field == name
        }
        packed = factory(**values).pack()
        parts = packed.split(":")
        index = 1 + list(factory.model_fields).index(name)
        parts[index] = str(forged)
        with pytest.raises((ValueError, ValidationError)):
            factory.unpack(":".join(parts))
        parts[index] = str(ID_MAX)
        assert getattr(factory.unpack(":".join(parts)), name) == ID_MAX


@pytest.mark.parametrize(
    "data",
    [
        f"dg:ans:{2**63}:0:1",
        f"rt:rm:{2**63}:{2**63}:0:",
        f"ws:card:{2**63}:0::0:0:0:0:",
        "ws:card:-1:0::0:0:0:0:",
        f"ws:card:{2**31}:0::0:0:0:0:",
        f"st:card:{2**31}::0",
        f"mt:accept:{2**64}:0:0::",
        f"evt:card:{2**63}:0:0",
        f"rv:{2**63}:1",
        "dg:ans:1:2:",
    ],
)
async def test_a_forged_number_is_a_stale_button_not_a_crash(
    app: App, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    chat = app.chat(1001)
    await onboard(chat)
    await chat.press_data(data)
    assert chat.alerts()[-1].startswith("Эта кнопка устарела")
    assert _errors(caplog) == []


# --- answers Telegram refuses or that change nothing ---------------------------------------------


async def test_a_button_is_answered_exactly_once_whatever_the_handler_does(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    chat = app.chat(1001)
    await onboard(chat)
    router = Router(name="answers-twice")

    @router.callback_query(F.data == "twice")
    async def twice(query: CallbackQuery) -> None:
        await query.answer("первый")
        await query.answer("второй")

    @router.callback_query(F.data == "never")
    async def never(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.answer("без ответа на кнопку")

    _install(app, router)
    await chat.press_data("twice")
    await chat.press_data("never")
    per_query = Counter(a["callback_query_id"] for a in app.stub.callback_answers)
    assert sorted(per_query.values()) == [1] * len(per_query)
    assert [a.get("text") for a in app.stub.callback_answers[-2:]] == ["первый", None]
    assert not [e for e in app.stub.errors if e[0] == "answerCallbackQuery"]
    assert _errors(caplog) == []


async def test_an_edit_to_the_same_content_or_to_a_deleted_message_is_taken_as_done(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    chat = app.chat(1001)
    await onboard(chat)
    router = Router(name="edits")
    done: list[str] = []

    @router.callback_query(F.data == "same")
    async def same(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text("Тот же текст")
        await query.message.edit_text("Тот же текст")
        done.append("same")

    @router.callback_query(F.data == "gone")
    async def gone(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.delete()
        await query.message.edit_text("Уже некуда")
        await query.message.delete()
        done.append("gone")

    _install(app, router)
    await chat.press_data("same")
    await chat.press_data("gone")
    assert done == ["same", "gone"]
    refused = {description.split(":")[1].strip() for _m, _s, description in app.stub.errors}
    assert refused <= {"message is not modified", "message to edit not found", "message to delete not found"}
    assert _errors(caplog) == []


async def test_no_database_connection_waits_through_a_telegram_round_trip_of_a_handler_that_only_read(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = app.chat(1001)
    await onboard(chat)
    held: list[tuple[str, int]] = []
    handle = app.stub.handle

    async def counting(method: str, params: Any, files: Any = None) -> Any:
        held.append((method, app.database.engine.sync_engine.pool.checkedout()))  # type: ignore[attr-defined]
        return await handle(method, params, files)

    monkeypatch.setattr(app.stub, "handle", counting)
    await chat.press("🧭 Самодиагностика")  # reads the diagnoses, then answers
    await chat.send("👤 Профиль")
    assert held and all(count == 0 for _method, count in held), held
