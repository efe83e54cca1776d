"""«Входящие» in conversation: what waits for a person is there whether or not its notification
arrived, can be answered from there, and is gone once handled."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.jobs import send_outbox
from handlers.inbox import render
from locales import Translations
from services import inbox as service
from storage.models import Route
from tests.conftest import App
from tests.flows import onboard
from tests.test_handoffs import MENTEE, MENTOR, ask, handoffs
from tests.test_mentorship import make_mentor
from tests.test_workspace import caseload_with_teacher, seed_route, uid

INBOX = "📥 Входящие"


async def test_everyone_has_the_inbox_and_an_empty_one_says_so(app: App) -> None:
    teacher = app.chat(MENTEE)
    await onboard(teacher)
    assert INBOX in teacher.reply_keyboard()
    await teacher.press(INBOX)
    teacher.expect("Пока ничего не ждёт вашего ответа")


async def test_a_mentor_whose_notification_failed_accepts_from_the_inbox(app: App) -> None:
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app, (403, "Forbidden: bot was blocked by the user", 1))
    request, _notice = await handoffs(app)
    assert request.status == "failed"  # the mentor never got the message…
    assert not any("Запрос на наставничество" in m.plain_text for m in app.stub.outbox if m.chat_id == MENTOR)
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
    assert markup is not None and len(markup.inline_keyboard) == 20
    for row in markup.inline_keyboard:
        assert all(len((button.callback_data or "").encode()) <= 64 for button in row)
    assert render(service.Inbox(), t) == ("Пока ничего не ждёт вашего ответа.", None)


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


async def test_a_mentor_whose_notification_failed_twice_declines_from_the_inbox(app: App) -> None:
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app, (502, "Bad Gateway", 1), (403, "Forbidden: bot was blocked by the user", 1))
    app.clock.advance(minutes=3)  # the retry after the 5xx meets the 403
    await send_outbox(app.bot, app.database.sessionmaker, app.translations, app.clock)
    request = (await handoffs(app))[0]
    assert request.status == "failed"
    await mentor.press(INBOX)
    mentor.expect("Входящие: 1", "Иванова Мария Петровна")
    await mentor.press("1. Отклонить")
    await mentor.press("Без комментария")
    assert "не может стать вашим наставником" in app.chat(MENTEE).last_bot_message().plain_text
    await mentor.press(INBOX)
    mentor.expect("Пока ничего не ждёт вашего ответа")
