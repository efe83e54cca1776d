"""«Входящие» in conversation: what waits for a person is there whether or not its notification
arrived, can be answered from there, and is gone once handled."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import select, update

from bot.jobs import send_outbox
from domain.region import MethodistRule
from handlers.callbacks import ApplicationAction, ApplicationCb
from handlers.inbox import render
from locales import Translations
from services import inbox as service
from storage.models import InternshipApplication, Route, User
from tests.catalogue import seed_catalogue
from tests.chat import Chat
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard, onboard_staff
from tests.max_chat import MaxChat
from tests.test_handoffs import MENTEE, MENTOR, ask, handoffs
from tests.test_mentorship import make_mentor
from tests.test_workspace import (
    caseload_with_teacher,
    kostroma_with,
    make_methodist,
    seed_route,
    susanino,
    uid,
)

INBOX = "📥 Входящие"

# Every conversation runs on both messengers (the people in it on the test's messenger).
both = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


@both
async def test_everyone_has_the_inbox_and_an_empty_one_says_so(app: App) -> None:
    teacher = app.chat(MENTEE)
    await onboard(teacher)
    assert INBOX in teacher.reply_keyboard()
    await teacher.press(INBOX)
    teacher.expect("Пока ничего не ждёт вашего ответа")


@both
async def test_a_mentor_whose_notification_failed_accepts_from_the_inbox(app: App) -> None:
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app, (403, "Forbidden: bot was blocked by the user", 1))
    request, _notice = await handoffs(app)
    assert request.status == "failed"  # the mentor never got the message…
    assert not any("Запрос на наставничество" in text for text in mentor.told())
    await app.chat(MENTEE).press("🤝 Наставничество")  # the mentee is told the truth about it
    app.chat(MENTEE).expect("Не доставлено: наставник заблокировал бота")
    await mentor.press(INBOX)  # …yet the request waits for her
    mentor.expect("Входящие: 1", "1. Запрос наставничества от Иванова Мария Петровна")
    await mentor.press("1. Принять")
    mentor.expect("Вы приняли запрос")
    assert "Наставник найден" in app.chat(MENTEE).last_bot_message().plain_text
    await mentor.press(INBOX)
    mentor.expect("Пока ничего не ждёт вашего ответа")
    mentee = app.chat(MENTEE)
    await mentee.press(INBOX)  # the mentee never had anything to answer
    mentee.expect("Пока ничего не ждёт вашего ответа")


@both
async def test_a_submitted_route_waits_in_the_methodists_inbox_until_approved(app: App) -> None:
    methodist, teacher = await caseload_with_teacher(app)
    await methodist.send(INBOX)
    methodist.expect("Пока ничего не ждёт вашего ответа")
    route = await seed_route(app, await uid(app, 1001), "draft", [("planned", date(2027, 3, 1))])
    await teacher.press("🗺 Мой ИОМ")
    await teacher.press("На согласование")
    teacher.expect("отправлен методисту на согласование")
    await teacher.press(INBOX)
    teacher.expect("Пока ничего не ждёт вашего ответа")  # it waits for the methodist, not for her

    await methodist.send(INBOX)
    methodist.expect("Входящие: 1", "1. ИОМ на согласование: Иванова Мария Петровна")
    await methodist.press("1. Открыть")
    methodist.expect("ФИО: Иванова Мария Петровна", "ИОМ: на согласовании")
    await methodist.press("Согласовать ИОМ")
    assert "ИОМ согласован, уведомление педагогу отправлено." in methodist.alerts()
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(Route.status).where(Route.id == route.id)) == "active"
    await methodist.send(INBOX)
    methodist.expect("Пока ничего не ждёт вашего ответа")


@both
async def test_a_returned_route_waits_in_the_teachers_inbox_until_resubmitted(app: App) -> None:
    _methodist, teacher = await caseload_with_teacher(app)
    route = await seed_route(app, await uid(app, 1001), "submitted", [("planned", date(2027, 3, 1))])
    async with app.database.sessionmaker() as session:
        found = await session.get(Route, route.id)
        assert found is not None
        found.status, found.comment = "returned", "Добавьте стажировку"
        await session.commit()
    await teacher.press(INBOX)
    teacher.expect("Входящие: 1", "ИОМ возвращён на доработку: Добавьте стажировку")
    await teacher.press("1. Открыть")
    teacher.expect("Комментарий методиста: Добавьте стажировку")
    await teacher.press("На согласование")
    teacher.expect("отправлен методисту на согласование")
    await teacher.press(INBOX)
    teacher.expect("Пока ничего не ждёт вашего ответа")


def test_twenty_entries_are_listed_and_the_rest_counted() -> None:
    t = Translations().get("ru")
    box = service.Inbox([service.Item(service.Kind.ROUTE_RETURNED, n, text=f"№{n}") for n in range(1, 24)])
    text, markup = render(box, t)
    lines = text.splitlines()
    assert lines[0] == "Входящие: 23"
    assert lines[1].startswith("1. ") and lines[20].startswith("20. ") and "№20" in lines[20]
    assert "и ещё 3" in lines[21] and "№21" not in text
    assert markup is not None and len(markup.inline_keyboard) == 20 + 1  # and «Обновить»
    for row in markup.inline_keyboard:
        assert all(len((button.callback_data or "").encode()) <= 64 for button in row)
    assert render(service.Inbox(), t) == ("Пока ничего не ждёт вашего ответа.", None)


@both
async def test_a_done_item_waits_for_the_methodists_confirmation(app: App) -> None:
    methodist, _teacher = await caseload_with_teacher(app)
    await seed_route(
        app, await uid(app, 1001), "active", [("done", date(2026, 10, 1)), ("planned", date(2027, 3, 1))]
    )
    await methodist.send(INBOX)
    methodist.expect("Входящие: 1", "1. Подтвердить перенос в практику: Иванова Мария Петровна, пунктов: 1")
    await methodist.press("1. Открыть")
    methodist.expect("1. ✅ Методические: Пункт 1")
    await methodist.press("Подтвердить перенос в практику: 1")
    methodist.expect("перенос в практику подтверждён")
    await methodist.send(INBOX)
    methodist.expect("Пока ничего не ждёт вашего ответа")


@both
async def test_a_mentor_whose_notification_failed_twice_declines_from_the_inbox(app: App) -> None:
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app, (502, "Bad Gateway", 1), (403, "Forbidden: bot was blocked by the user", 1))
    app.clock.advance(minutes=3)  # the retry after the 5xx meets the 403
    await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
    request = (await handoffs(app))[0]
    assert request.status == "failed"
    await mentor.press(INBOX)
    mentor.expect("Входящие: 1", "Иванова Мария Петровна")
    await mentor.press("1. Отклонить")
    await mentor.press("Без комментария")
    assert "не может стать вашим наставником" in app.chat(MENTEE).last_bot_message().plain_text
    await mentor.press(INBOX)
    mentor.expect("Пока ничего не ждёт вашего ответа")


@both
async def test_an_iom_submitted_with_no_methodist_reaches_an_admin(app: App) -> None:
    """Nobody to receive it → the region's admins have it, and the teacher is told so; once an admin
    gives the teacher a methodist, the ИОМ is the methodist's to approve."""
    admin = app.chat(ADMIN_ID)
    await onboard_staff(admin, name="Админова Вера Павловна", title="Специалист ЦНППМ")
    methodist = await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    teacher = app.chat(1001)
    await onboard(teacher)
    await seed_route(app, await uid(app, 1001), "draft", [("planned", date(2027, 3, 1))])
    await teacher.press("🗺 Мой ИОМ")
    await teacher.press("На согласование")
    teacher.expect("Методиста у вас пока нет, поэтому ИОМ передан администраторам региона (ЦНППМ)")
    assert "отправлен методисту" not in teacher.text
    notice = admin.last_bot_message()
    assert "Иванова Мария Петровна отправил(а) ИОМ на согласование" in notice.plain_text

    await admin.send("/menu")
    assert f"{INBOX} (1)" in admin.reply_keyboard()  # the count is on the menu's button
    await admin.press(f"{INBOX} (1)")
    admin.expect("Входящие: 1", "1. ИОМ ждёт согласования, а методист не назначен: Иванова Мария Петровна")
    await admin.press("1. Назначить методиста")
    admin.expect("Методист для педагога: Иванова Мария Петровна")
    await admin.press("Закрепить за: Методистова")
    admin.expect("закреплён(а) за методистом Методистова Анна Сергеевна")
    assert "Вам назначен методист: Методистова Анна Сергеевна" in teacher.last_bot_message().plain_text

    await methodist.send(INBOX)
    methodist.expect("1. ИОМ на согласование: Иванова Мария Петровна")
    await admin.send("/menu")
    assert INBOX in admin.reply_keyboard()  # nothing waits: no count
    await admin.press(INBOX)
    admin.expect("Пока ничего не ждёт вашего ответа")


@both
async def test_an_internship_application_is_answered_from_the_methodists_inbox(app: App) -> None:
    methodist, teacher = await caseload_with_teacher(app)
    await seed_catalogue(app)
    await teacher.press("🏫 Стажировки")
    await teacher.press("1")
    await teacher.press("Подать заявку")
    teacher.expect("Заявка подана и отправлена вашему методисту")
    notice = methodist.last_bot_message()
    assert "подал(а) заявку на стажировку" in notice.plain_text

    await methodist.press("📥 Входящие")  # the notification's button
    methodist.expect("Входящие: 1", "1. Заявка на стажировку: Иванова Мария Петровна")
    await methodist.press_data(
        ApplicationCb(action=ApplicationAction.ACCEPT, application_id=2**31 - 1).pack()
    )
    assert "устарела" in methodist.alerts()[-1]  # a forged application changes nothing
    await methodist.press("1. Принять")
    methodist.expect("Пока ничего не ждёт вашего ответа")  # redrawn in place
    assert "Заявка принята, ответ отправлен" in methodist.alerts()[-1]
    teacher_notice = teacher.last_bot_message().plain_text
    assert (
        "Ваша заявка на стажировку принята" in teacher_notice
        and "Методистова Анна Сергеевна" in teacher_notice
    )

    await teacher.send("/menu")
    assert f"{INBOX} (1)" in teacher.reply_keyboard()
    await teacher.press(f"{INBOX} (1)")
    teacher.expect("1. Ответ на вашу заявку на стажировку: Сусанинская СОШ — принята")
    await teacher.press("1. Понятно")
    teacher.expect("Пока ничего не ждёт вашего ответа")
    await methodist.press_data(ApplicationCb(action=ApplicationAction.DECLINE, application_id=1).pack())
    assert "устарела" in methodist.alerts()[-1]  # answered already: a second answer changes nothing
    await teacher.press("🏫 Стажировки")
    await teacher.press("Мои заявки")
    teacher.expect("Сусанинская СОШ", "принята")


@both
async def test_a_teacher_cannot_answer_applications(app: App) -> None:
    _methodist, teacher = await caseload_with_teacher(app)
    await seed_catalogue(app)
    await teacher.press("🏫 Стажировки")
    await teacher.press("1")
    await teacher.press("Подать заявку")
    await teacher.press_data(ApplicationCb(action=ApplicationAction.ACCEPT, application_id=1).pack())
    assert "нет доступа" in teacher.alerts()[-1].lower() or "недоступ" in teacher.alerts()[-1].lower()
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(InternshipApplication.status)) == "applied"


@both
async def test_the_mentee_sees_her_request_delivered(app: App) -> None:
    await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app)
    mentee = app.chat(MENTEE)
    await mentee.press("🤝 Наставничество")
    mentee.expect("Доставлено наставнику")


async def test_a_telegram_teachers_route_reaches_her_methodist_on_max_not_a_namesake(app: App) -> None:
    """One region on both messengers: the rule names the methodist by her MAX id; a Telegram
    methodist with the same number is someone else. The teacher's ИОМ waits in the MAX
    methodist's «Входящие», and the approval reaches the teacher on Telegram."""
    namesake = Chat(app, 3001)  # a Telegram methodist whose Telegram id is the MAX methodist's number
    await onboard(namesake, name="Тёзкина Вера Павловна", birth="01.01.1980", work_start="2005")
    app.chats[3001] = MaxChat(app, 3001)
    # Both are methodists (the number is the same): only the rule's messenger tells them apart.
    methodist = await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    async with app.database.sessionmaker() as session:
        telegram_3001 = (User.messenger == "telegram", User.telegram_id == 3001)
        await session.execute(update(User).where(*telegram_3001).values(role="methodist"))
        await session.commit()
    await kostroma_with(app, susanino(3001, messenger="max"))
    teacher = app.chat(1001)
    await onboard(teacher)
    await seed_route(app, await uid(app, 1001), "draft", [("planned", date(2027, 3, 1))])
    quiet = len(namesake.told())
    await teacher.press("🗺 Мой ИОМ")
    await teacher.press("На согласование")
    teacher.expect("отправлен методисту на согласование")
    await methodist.send(INBOX)
    methodist.expect("Входящие: 1", "1. ИОМ на согласование: Иванова Мария Петровна")
    await methodist.press("1. Открыть")
    await methodist.press("Согласовать ИОМ")
    assert "ИОМ согласован, уведомление педагогу отправлено." in methodist.alerts()
    assert "Методистова Анна Сергеевна согласовал(а) ваш ИОМ" in teacher.last_bot_message().plain_text
    assert namesake.told()[quiet:] == []  # nothing of it reached the Telegram namesake
    await namesake.send(INBOX)
    namesake.expect("Пока ничего не ждёт вашего ответа")


def test_a_methodist_rule_names_the_methodist_on_one_messenger() -> None:
    assert susanino(3001).methodist_account == ("telegram", 3001)
    assert susanino(3001, messenger="max").methodist_account == ("max", 3001)
    for ids in ({}, {"methodist_telegram_id": 1, "methodist_max_id": 2}):
        with pytest.raises(ValidationError):
            MethodistRule(municipality="susaninsky", **ids)
