"""Nothing a user types or presses goes unanswered or crashes a handler."""

from __future__ import annotations

import pytest
from aiogram.types import Update

from handlers.callbacks import (
    PickAction,
    PickCb,
    PickKind,
    PositionCb,
    ProfileAction,
    ProfileCb,
    RegionCb,
    SubjectAction,
    SubjectCb,
)
from storage.repositories import UserRepo
from tests.conftest import App
from tests.flows import onboard


async def test_unknown_command(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("/frobnicate")
    chat.expect("Такой команды нет", "/help")


async def test_unknown_command_in_the_middle_of_the_wizard(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("/whatever")
    chat.expect("Такой команды нет")


async def test_free_text_after_onboarding(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("привет")
    chat.expect("Я не понял")
    await chat.send_sticker()
    chat.expect("Я не понял")


async def test_text_before_start(app: App) -> None:
    chat = app.chat()
    await chat.send("привет")
    chat.expect("/start")


async def test_help_works_before_consent(app: App) -> None:
    chat = app.chat()
    await chat.send("/help")
    chat.expect("Что я умею")


async def test_stale_buttons_from_old_messages(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    # Buttons of questions already answered: position, region, subjects, a school page.
    question = next(m for m in app.stub.outbox if "Ваша должность" in m.plain_text)
    for data in (
        PositionCb(code="head").pack(),
        RegionCb(code="kuzbass").pack(),
        SubjectCb(action=SubjectAction.DONE).pack(),
        PickCb(kind=PickKind.SCHOOL, action=PickAction.ITEM, item_id=1).pack(),
        "garbage-that-no-one-sent",
    ):
        app.stub.callback_answers.clear()
        await chat.press_data(data, message_id=question.message_id)
        assert chat.alerts() and "устарела" in chat.alerts()[0], data
    await chat.press("👤 Профиль")
    chat.expect("Должность: Учитель", "Регион: Костромская область")


async def test_forged_school_from_another_municipality_is_refused(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    await chat.press("Костромская")
    await chat.send("Сусанин")
    await chat.press("Сусанинский")
    app.stub.callback_answers.clear()
    await chat.press_data(PickCb(kind=PickKind.SCHOOL, action=PickAction.ITEM, item_id=999_999).pack())
    assert "устарела" in chat.alerts()[0]
    await chat.press_data("pos:astronaut")  # no such position, nor the current question
    assert "устарела" in chat.alerts()[-1]


async def test_forged_profile_field_is_refused(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    app.stub.callback_answers.clear()
    await chat.press_data("pf:role")  # not a field anyone edits
    assert "устарела" in chat.alerts()[0]


async def test_old_button_after_forget(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("/forget")
    await chat.press("Да, удалить всё")
    app.stub.callback_answers.clear()
    await chat.press_data(
        ProfileCb(action=ProfileAction.FULL_NAME).pack(), message_id=chat.last_bot_message().message_id
    )
    assert "/start" in chat.alerts()[0]


async def test_a_crashing_handler_is_logged_and_the_user_is_told(
    app: App, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = app.chat()
    await onboard(chat)

    async def broken(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(UserRepo, "export", broken)
    await chat.send("/mydata")
    chat.expect("Что-то пошло не так")
    failure = [r for r in caplog.records if r.name == "handlers.errors"]
    assert failure and "disk on fire" in failure[0].getMessage()
    assert failure[0].user_id == 1001  # type: ignore[attr-defined]
    caplog.clear()  # the crash was the point of this test


async def test_group_messages_are_ignored(app: App) -> None:
    update = app.stub.message_update(1001, "/start")
    update["message"]["chat"] = {"id": -100500, "type": "group", "title": "Учительская"}
    await app.dp.feed_update(app.bot, Update.model_validate(update, context={"bot": app.bot}))
    assert [m for m in app.stub.outbox if m.chat_id == -100500] == []


async def test_button_on_a_message_telegram_no_longer_has(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    app.stub.callback_answers.clear()
    await chat.press_data(ProfileCb(action=ProfileAction.FULL_NAME).pack(), message_id=987_654)
    assert "устарела" in chat.alerts()[0]
