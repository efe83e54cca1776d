"""Nothing a user types or presses goes unanswered or crashes a handler."""

from __future__ import annotations

import pytest

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
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard

# Nothing crashes on either messenger: every conversation here runs on Telegram and on MAX.
BOTH = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


@BOTH
async def test_unknown_command(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("/frobnicate")
    chat.expect("Такой команды нет", "/help")


@BOTH
async def test_unknown_command_in_the_middle_of_the_wizard(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("/whatever")
    chat.expect("Такой команды нет")


@BOTH
async def test_free_text_after_onboarding(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("привет")
    chat.expect("Я не понял")
    await chat.send_sticker()
    chat.expect("Я не понял")


@BOTH
async def test_text_before_start(app: App) -> None:
    chat = app.chat()
    await chat.send("привет")
    chat.expect("/start")


@BOTH
async def test_help_works_before_consent(app: App) -> None:
    chat = app.chat()
    await chat.send("/help")
    chat.expect("Что я умею")


@BOTH
async def test_stale_buttons_from_old_messages(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    # Buttons of questions already answered: position, region, subjects, a school page.
    question = next(m for m in chat.sent() if "Ваша должность" in m.plain_text)
    for data in (
        PositionCb(code="head").pack(),
        RegionCb(code="kuzbass").pack(),
        SubjectCb(action=SubjectAction.DONE).pack(),
        PickCb(kind=PickKind.SCHOOL, action=PickAction.ITEM, item_id=1).pack(),
        "garbage-that-no-one-sent",
    ):
        chat.clear_alerts()
        await chat.press_data(data, message_id=question.message_id)
        assert chat.alerts() and "устарела" in chat.alerts()[0], data
    await chat.press("👤 Профиль")
    chat.expect("Должность: Учитель", "Регион: Костромская область")


@BOTH
async def test_forged_school_from_another_municipality_is_refused(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    await chat.press("Костромская")
    await chat.send("Сусанин")
    await chat.press("Сусанинский")
    chat.clear_alerts()
    await chat.press_data(PickCb(kind=PickKind.SCHOOL, action=PickAction.ITEM, item_id=999_999).pack())
    assert "устарела" in chat.alerts()[0]
    await chat.press_data("pos:astronaut")  # no such position, nor the current question
    assert "устарела" in chat.alerts()[-1]


@BOTH
async def test_forged_profile_field_is_refused(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    chat.clear_alerts()
    await chat.press_data("pf:role")  # not a field anyone edits
    assert "устарела" in chat.alerts()[0]


@BOTH
async def test_old_button_after_forget(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("/forget")
    await chat.press("Да, удалить всё")
    chat.clear_alerts()
    await chat.press_data(
        ProfileCb(action=ProfileAction.FULL_NAME).pack(), message_id=chat.last_bot_message().message_id
    )
    assert "/start" in chat.alerts()[0]


@BOTH
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


@BOTH
async def test_group_messages_are_ignored(app: App) -> None:
    assert await app.chat().send_in_group("/start") == []


@BOTH
async def test_button_on_a_message_the_messenger_no_longer_has(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    chat.clear_alerts()
    await chat.press_on_gone_message(ProfileCb(action=ProfileAction.FULL_NAME).pack())
    assert "устарела" in chat.alerts()[0]


@BOTH
async def test_forged_payloads_of_any_shape_are_stale_and_change_nothing(app: App) -> None:
    """MAX lets a button carry 1,024 characters (Telegram 64 bytes): whatever arrives, an answer."""
    chat = app.chat()
    await onboard(chat)
    for data in (
        "x" * 1024,
        "pf:" + "9" * 1000,
        PositionCb(code="head").pack() + ":" + "z" * 900,
        ":::",
        "💥:💥",
        "pos:\n",
        "adm:" + "%" * 60,
    ):
        chat.clear_alerts()
        await chat.press_data(data)
        assert chat.alerts() and "устарела" in chat.alerts()[0], data
    await chat.press("👤 Профиль")
    chat.expect("Должность: Учитель", "Регион: Костромская область")


@BOTH
async def test_the_current_question_answered_on_a_message_the_messenger_no_longer_has(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    statement = chat.last_bot_message()
    answer = chat.callback_data(statement.message_id, "3.")
    chat.clear_alerts()
    await chat.press_on_gone_message(answer)
    assert "устарела" in chat.alerts()[0]  # a button the person cannot see is not an answer
    await chat.press("3.")  # on the statement they see: it counts
    chat.expect("2 из")


@BOTH
async def test_buttons_pressed_by_a_stranger_are_stale(app: App) -> None:
    chat = app.chat()
    await chat.press_on_gone_message(ProfileCb(action=ProfileAction.FULL_NAME).pack())
    assert "устарела" in chat.alerts()[0]
    await chat.press_on_gone_message("garbage-that-no-one-sent")
    assert "устарела" in chat.alerts()[-1]
    await chat.send("привет")
    chat.expect("/start")


@BOTH
async def test_a_text_at_the_messengers_length_limit(app: App) -> None:
    """MAX takes 4,000 characters from a person (Telegram 4,096): refused with the question again,
    and echoing it back would not fit, so the bot never does."""
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Я" * 4000)
    chat.expect("Как вас зовут")
    assert all(len(m.plain_text) <= 4000 for m in chat.replies)
    await chat.send("Иванова Мария")
    chat.expect("Ваша должность")


@BOTH
@pytest.mark.parametrize(
    "payload",
    ["x" * 512, "inv_" + "Ω" * 300, "<b>inv_</b>", "  ", "inv_\n/forget", "inv_' OR 1=1 --", "😀" * 64],
)
async def test_a_start_link_with_a_junk_payload_is_refused_and_the_start_goes_on(
    app: App, payload: str
) -> None:
    """On MAX the payload comes with «Начать» (bot_started), on Telegram as ``/start <payload>``;
    neither messenger checks what a forged link carries."""
    chat = app.chat()
    await chat.open_link(payload)
    chat.expect("Согласие")
    if payload.strip():
        chat.expect("недействительна")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    chat.expect("Ваша должность")
    await chat.open_link(payload)  # again, in the middle of the wizard
    assert chat.replies, "answered"
    await chat.press("Учитель")
    chat.expect("Выберите регион")


@pytest.mark.parametrize("messenger", ["max"], indirect=True)  # what MAX's poller and webhook take in
async def test_updates_max_should_never_send_are_skipped_and_the_next_one_is_answered(app: App) -> None:
    from tests.max_chat import MaxChat

    chat = app.chat()
    assert isinstance(chat, MaxChat)
    me = {"user_id": 1001}
    for raw in (
        {"update_type": "bot_started", "payload": "inv_x"},  # nobody started it
        {"update_type": "message_callback", "callback": {"callback_id": "c1", "payload": "pf:name"}},
        {"update_type": "message_created", "message": None},
        {"update_type": "message_created", "message": {"sender": {"user_id": "Мария"}, "body": {}}},
        {"update_type": "message_created", "message": {"sender": me, "body": {"text": {"x": 1}}}},
        {"update_type": "bot_started", "user": me, "payload": ["inv_x"]},
        {
            "update_type": "message_created",
            "user_locale": 7,
            "message": {"sender": me, "body": {"text": None, "attachments": "x"}},
        },
        {"update_type": "message_removed", "message_id": "mid.x", "user_id": 1001},
        {
            "update_type": "message_callback",
            "callback": {"callback_id": "c2", "payload": None, "user": me},
            "message": {"body": None},
        },
    ):
        await chat.feed_raw(raw)
    await chat.send("/start")
    chat.expect("Согласие")


@BOTH
async def test_forged_ids_too_big_for_the_database_are_stale(app: App) -> None:
    """A button's id beyond any row (and beyond a 64-bit integer: MAX's payloads are long enough,
    and Telegram's 64 bytes too) answers «устарела», not a database error."""
    huge = str(10**30)
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    for data in (
        f"adm:revoke_yes:{huge}:0:0:0:",
        f"adm:demote:0:{huge}:0:0:",
        f"bc:stop:{huge}:0::",
        f"rv:{huge}:1",
        f"pk:s:item:{huge}:0",
        f"adm:demote:0:-{huge}:0:0:",
    ):
        admin.clear_alerts()
        await admin.press_data(data)
        assert admin.alerts() and "устарела" in admin.alerts()[0], data


@pytest.mark.parametrize("messenger", ["max"], indirect=True)  # MAX may give no text for a photo
async def test_a_button_of_a_photo_without_a_caption_is_its_own_and_a_forged_one_is_stale(app: App) -> None:
    from sqlalchemy import select

    from handlers.callbacks import EventRsvpCb
    from storage.models import Event, EventResponse
    from tests.conftest import NOW
    from tests.max_chat import MaxChat

    chat = app.chat()
    assert isinstance(chat, MaxChat)
    await onboard(chat)
    async with app.database.sessionmaker() as session:
        event = Event(external_id="ev", title="Вебинар", kind="webinar", starts_at=NOW.replace(year=2027),
                      areas=[], subjects=[])  # fmt: skip
        session.add(event)
        await session.commit()
        going = EventRsvpCb(event_id=event.id, going=True).pack()
    photo = {"type": "image", "payload": {"token": "t", "url": "https://i.example/p.jpg"}}
    keyboard = {"type": "inline_keyboard", "payload": {"buttons": [[{"type": "callback", "text": "✅ Пойду",
                                                                    "payload": going}]]}}  # fmt: skip

    def pressed(payload: str, attachments: list[dict[str, object]]) -> dict[str, object]:
        return {
            "update_type": "message_callback",
            "callback": {"callback_id": f"cb.{payload}", "payload": payload, "user": {"user_id": 1001}},
            "message": {"body": {"mid": "mid.photo.1", "text": None, "attachments": attachments}},
        }

    chat.clear_alerts()
    await chat.feed_raw(pressed(going, [photo]))  # a button the photo does not carry: forged
    assert chat.stub.answers == []  # (MAX's stand-in knows no such callback: nothing shown)
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(EventResponse)) is None
    await chat.feed_raw(pressed(going, [photo, keyboard]))  # the photo's own button
    async with app.database.sessionmaker() as session:
        response = await session.scalar(select(EventResponse))
    assert response is not None and response.going is True
