"""/mydata sends everything stored; /forget deletes all of it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from storage.models import Base, Invite, User
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard

# What is kept and forgotten is the same on both messengers: every conversation runs on each.
pytestmark = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


async def test_mydata_sends_text_and_json(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("/mydata")
    chat.expect("Что хранится о вас", "Иванова Мария Петровна", "Сусанинская СОШ", "14.05.1998")
    # The person's account on the messenger they use: a MAX id is not a Telegram one.
    chat.expect("MAX ID: 1001" if app.messenger == "max" else "Telegram ID: 1001")
    assert ("Telegram" in chat.text) == (app.messenger == "telegram")
    document = next(m for m in chat.replies if m.document is not None)
    name, content = document.document  # type: ignore[misc]
    data = json.loads(content)
    assert name.endswith(".json")
    assert data["user"]["full_name"] == "Иванова Мария Петровна"
    assert data["user"]["telegram_id"] == 1001
    assert data["user"]["messenger"] == app.messenger
    assert data["school"] == "Сусанинская СОШ"


async def test_mydata_includes_the_conversation_in_progress_wherever_it_is_kept(app: App) -> None:
    """In the database (SQLite pass) or in Redis (PostgreSQL + Redis pass), /mydata shows it."""
    chat = app.chat()
    await onboard(chat)
    context = chat.fsm_context()
    await context.set_state("EditProfile:full_name")
    await context.update_data(draft="Иванова-Петрова")
    await chat.send("/mydata")
    document = next(m for m in chat.replies if m.document is not None)
    data = json.loads(document.document[1])  # type: ignore[index]
    assert {"state": "EditProfile:full_name", "data": {"draft": "Иванова-Петрова"}} in data[
        "conversation_state"
    ]


async def test_forget_can_be_cancelled(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("/forget")
    await chat.press("Отмена")
    chat.expect("отменено")
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(User)) is not None


async def test_forget_leaves_no_row_that_refers_to_the_user(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press("Пригласить методиста")
    link = next(m for m in admin.replies if admin.start_link() in m.plain_text).plain_text
    code = link.split("start=")[1].split()[0]

    chat = app.chat()
    await chat.open_link(code)
    await chat.press("Согласен")
    await chat.send("Иванова Мария")  # leaves FSM state mid-wizard too
    assert any(":1001:" in key for key in await app.fsm_keys())
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None and user.role == "methodist"
        user_id = user.id

    await chat.send("/forget")
    await chat.press("Да, удалить всё")
    chat.expect("Все ваши данные удалены", "/start")

    await assert_nothing_refers_to(app, user_id, 1001)
    # In the database's fsm_states, or in Redis when the app runs on it (TEST_FSM=redis).
    assert not any(":1001:" in key for key in await app.fsm_keys())
    async with app.database.sessionmaker() as session:
        invite = await session.scalar(select(Invite))
        assert invite is None  # the invite they used is gone with them


async def test_after_forget_start_asks_consent_again(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("/forget")
    await chat.press("Да, удалить всё")
    await chat.send("/start")
    chat.expect("Согласие на обработку")
    await chat.send("/mydata")
    chat.expect("/start")


async def assert_nothing_refers_to(app: App, user_id: int, telegram_id: int) -> None:
    async with app.database.sessionmaker() as session:
        conn = await session.connection()
        # Every column that points at users.id, in every table, and every Telegram id column.
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                points_to_users = any(fk.column.table.name == "users" for fk in column.foreign_keys)
                if points_to_users or (table.name == "users" and column.name == "id"):
                    query = text(f'SELECT 1 FROM "{table.name}" WHERE "{column.name}" = :v')
                    assert (await conn.execute(query, {"v": user_id})).all() == [], (
                        f"{table.name}.{column.name}"
                    )
                if column.name == "telegram_id":
                    query = text(f'SELECT 1 FROM "{table.name}" WHERE "{column.name}" = :v')
                    assert (await conn.execute(query, {"v": telegram_id})).all() == [], (
                        f"{table.name}.{column.name}"
                    )


async def test_forget_after_a_diagnosis_a_route_and_reminders(app: App) -> None:
    from storage.models import Diagnosis, OutboxMessage, Route
    from tests.test_route_flow import diagnosed

    chat = app.chat()
    await diagnosed(app, chat, {"methodical": "1."})
    await chat.press("Составить ИОМ")
    await chat.press("На согласование")
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None
        user_id = user.id
        assert await session.scalar(select(Diagnosis)) is not None
        assert await session.scalar(select(Route)) is not None
        assert await session.scalar(select(OutboxMessage)) is not None
    await chat.send("/forget")
    await chat.press("Да, удалить всё")
    await assert_nothing_refers_to(app, user_id, 1001)


async def test_mydata_has_the_diagnosis_the_route_and_the_reminders(app: App) -> None:
    from tests.test_diagnosis_flow import TEACHER_QUESTIONS
    from tests.test_route_flow import diagnosed

    chat = app.chat()
    await diagnosed(app, chat, {"methodical": "1."})
    await chat.press("Составить ИОМ")
    await chat.send("/mydata")
    chat.expect(
        "Ещё о вас хранится", "диагностики: 1", f"ответы на утверждения диагностик: {TEACHER_QUESTIONS}"
    )
    chat.expect("ИОМ: 1", "пункты ИОМ", "сообщения бота вам")
    document = next(m for m in chat.replies if m.document is not None)
    data = json.loads(document.document[1])  # type: ignore[index]
    [diagnosis] = data["diagnoses"]
    assert diagnosis["status"] == "done" and "methodical" in diagnosis["deficits"]
    assert len(data["diagnosis_answers"]) == TEACHER_QUESTIONS
    [route] = data["routes"]
    assert data["route_items"] and all(item["route_id"] == route["id"] for item in data["route_items"])
    assert data["outbox"], "the reminders planned for them"


async def test_the_consent_answered_keeps_its_words_and_formatting(app: App) -> None:
    """The consent is closed by editing it with the answer: on MAX, whose messages come back as
    text and formatting apart, it once showed «<b>Согласие…</b>» with its tags as words."""
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    [closed] = [m for m in chat.sent() if m.edited and "Согласие на обработку" in m.plain_text]
    assert closed.plain_text.startswith("Согласие на обработку персональных данных\n")
    assert closed.plain_text.endswith("✓ Согласие получено. Спасибо!")
    assert "<b>Согласие на обработку персональных данных</b>" in (closed.text or "")
    assert "&lt;" not in (closed.text or "") and not closed.buttons


async def test_forget_from_either_account_forgets_the_linked_one_and_its_conversation(app: App) -> None:
    """A teacher on the test's messenger links an account on the other (the code from «Профиль»),
    is in the middle of a question there, and says /forget here: both accounts are forgotten."""
    here = app.chat(1001)
    await onboard(here)
    await here.press("👤 Профиль")
    await here.press("Связать с другим мессенджером")
    code = here.text.split("/link ")[1].split()[0]
    chosen, app.messenger = app.messenger, "telegram" if app.messenger == "max" else "max"
    there = app.chat(2002)
    app.messenger = chosen
    await there.send(f"/link {code}")
    there.expect("Аккаунты связаны")
    await there.press("👤 Профиль")
    await there.press("ФИО")
    there.expect("Как вас зовут")
    assert any(":2002:" in key for key in await app.fsm_keys())
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None
        user_id = user.id
    await here.send("/forget")
    await here.press("Да, удалить всё")
    await assert_nothing_refers_to(app, user_id, 1001)
    assert not any(":2002:" in key or ":1001:" in key for key in await app.fsm_keys())
    await there.send("Петрова Анна Ивановна")  # the question there is gone with the person
    there.expect("/start")
