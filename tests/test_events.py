"""Flow 8 (events): the admin's wizard, «Мероприятия» in the teacher's time zone, «Пойду» with
seats and reminders, stale buttons, attendance by admins and methodists, announcing, and access."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.jobs import send_outbox
from domain import events as domain
from domain.events import EventError
from handlers.callbacks import AdminCb, EventAction, EventAdminAction, EventAdminCb, EventCb, EventRsvpCb
from storage.models import AuditEntry, Broadcast, Event, EventResponse, OutboxMessage, User
from tests.chat import Chat
from tests.conftest import ADMIN_ID, NOW, App
from tests.flows import onboard, onboard_elsewhere

# 10.12.2026 15:00 in Moscow (Kostroma) is 12:00 UTC, 19:00 in Novokuznetsk (Kuzbass).
START = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)


async def add_event(
    app: App, *, region: str | None = "kostroma", seats: int | None = None, **extra: object
) -> int:
    async with app.database.sessionmaker() as session:
        event = Event(
            external_id=f"t{seats}{region}{extra.get('title', '')}",
            region_code=region,
            title=str(extra.pop("title", "Семинар о наставничестве")),
            kind=str(extra.pop("kind", "seminar")),
            starts_at=extra.pop("starts_at", START),  # type: ignore[arg-type]
            duration_minutes=90,
            place="ЦНППМ, ауд. 5",
            areas=[],
            subjects=list(extra.pop("subjects", [])),  # type: ignore[call-overload]
            seats=seats,
        )
        session.add(event)
        await session.commit()
        return event.id


async def user_id(app: App, telegram_id: int) -> int:
    async with app.database.sessionmaker() as session:
        found = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
        assert found is not None
        return found


async def responses(app: App, event_id: int) -> list[EventResponse]:
    async with app.database.sessionmaker() as session:
        return list(
            await session.scalars(
                select(EventResponse).where(EventResponse.event_id == event_id).order_by(EventResponse.id)
            )
        )


async def reminders(app: App, event_id: int) -> list[OutboxMessage]:
    async with app.database.sessionmaker() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.ref_type == "event", OutboxMessage.ref_id == event_id)
                .order_by(OutboxMessage.id)
            )
        )


async def admin_chat(app: App) -> Chat:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    return admin


async def rsvp(chat: Chat, event_id: int, going: bool) -> None:
    await chat.press_data(
        EventRsvpCb(event_id=event_id, going=going).pack(), chat.last_bot_message().message_id
    )


# --- domain ----------------------------------------------------------------------------------------


def test_validation_and_seats() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Novokuznetsk")
    assert domain.parse_start("10.12.2026 19:00", zone, NOW) == START
    for text, code in [
        ("10/12/2026 19:00", "event-err-start-format"),
        ("31.02.2027 10:00", "event-err-start-invalid"),
        ("01.01.2026 10:00", "event-err-start-past"),
        ("01.01.2030 10:00", "event-err-start-far"),
    ]:
        with pytest.raises(EventError) as err:
            domain.parse_start(text, zone, NOW)
        assert err.value.code == code
    assert domain.parse_place("https://example.ru/w") == (None, "https://example.ru/w")
    assert domain.parse_place("г. Кемерово, ул. Весенняя, 5") == ("г. Кемерово, ул. Весенняя, 5", None)
    for bad in ("http://example.ru", "https://nohost", "https://exa mple.ru"):
        with pytest.raises(EventError):
            domain.parse_place(bad)
    assert domain.parse_duration("90 мин") == 90
    with pytest.raises(EventError):
        domain.parse_duration("5")
    with pytest.raises(EventError):
        domain.parse_seats("0")
    with pytest.raises(EventError):
        domain.parse_title("x" * 301)
    assert domain.can_go(None, 10**6) and domain.can_go(2, 1) and not domain.can_go(1, 1)
    assert domain.utc_offset(START, zone) == "UTC+7"


# --- conversations, on both messengers (the people in them on the test's messenger) -----------------

both = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


# --- the admin's wizard ---------------------------------------------------------------------------


@both
async def test_admin_creates_an_event_through_the_wizard(app: App) -> None:
    admin = await admin_chat(app)
    await admin.send("/admin")
    await admin.press("📅 Мероприятия")
    admin.expect("Предстоящих мероприятий нет")
    await admin.press("Создать")
    admin.expect("Шаг 1 из 8", "название")

    await admin.send("Я" * 301)
    admin.expect("длиннее 300 символов", "Шаг 1 из 8")
    await admin.send("Семинар «Функциональная грамотность»")
    admin.expect("Шаг 2 из 8")
    await admin.press("Семинар")
    admin.expect("Шаг 3 из 8", "Europe/Moscow", "UTC+3")

    await admin.send("завтра в три")
    admin.expect("Не понял дату и время", "Шаг 3 из 8")
    await admin.send("31.11.2026 15:00")
    admin.expect("Такой даты или времени не бывает", "Шаг 3 из 8")
    await admin.send("01.11.2026 15:00")
    admin.expect("уже прошло", "Шаг 3 из 8")
    await admin.send("10.12.2026 15:00")
    admin.expect("Шаг 4 из 8")

    await admin.send("5")
    admin.expect("от 10 до 1440 минут", "Шаг 4 из 8")
    await admin.press("1 ч 30 мин")
    admin.expect("Шаг 5 из 8")

    await admin.send("http://example.ru/webinar")
    admin.expect("должна начинаться с https://", "Шаг 5 из 8")
    await admin.send("https://localhost")
    admin.expect("не похожа на адрес", "Шаг 5 из 8")
    await admin.send("https://example.ru/webinar")
    admin.expect("Шаг 6 из 8")

    await admin.send("много")
    admin.expect("целое число мест", "Шаг 6 из 8")
    await admin.send("30")
    admin.expect("Шаг 7 из 8")
    await admin.send_photo()
    admin.expect("ответ текстом")
    await admin.press("Пропустить")
    admin.expect("Шаг 8 из 8")
    await admin.press("Методические")
    assert "✅ Методические" in admin.buttons()
    await admin.press("Готово")
    admin.expect(
        "Проверьте мероприятие", "10.12.2026 15:00 (UTC+3)", "https://example.ru/webinar", "Мест: 30"
    )
    await admin.press("Создать мероприятие")
    admin.expect("Мероприятие создано", "Свободных мест: 30 из 30")
    assert "📣 Объявить рассылкой" in admin.buttons()

    async with app.database.sessionmaker() as session:
        [event] = list(await session.scalars(select(Event)))
        assert (event.title, event.kind, event.starts_at) == (
            "Семинар «Функциональная грамотность»",
            "seminar",
            START,
        )
        assert (event.duration_minutes, event.url, event.place, event.seats) == (
            90,
            "https://example.ru/webinar",
            None,
            30,
        )
        assert (event.region_code, event.areas, event.description) == ("kostroma", ["methodical"], None)
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "event.create"))
        assert entry is not None and entry.target_id == event.id

    # An old wizard button after saving does nothing.
    await admin.press_data(EventAdminCb(action=EventAdminAction.SAVE).pack())
    assert "устарела" in admin.alerts()[-1]
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Event)) == 1


@both
async def test_announcing_creates_a_broadcast_with_the_event(app: App) -> None:
    event_id = await add_event(app, seats=10, subjects=["math"])
    admin = await admin_chat(app)
    await admin.send("/admin")
    await admin.press("📅 Мероприятия")
    admin.expect("Семинар о наставничестве", "идут: 0 из 10")
    await admin.press("1")
    await admin.press("Объявить рассылкой")
    admin.expect("Кому объявить")
    assert any("Математика" in b for b in admin.buttons())
    await admin.press("Всем учителям региона")
    admin.expect("поставлено в рассылку")
    await admin.press_data(EventAdminCb(action=EventAdminAction.ANNOUNCE_ALL, event_id=event_id).pack())
    assert "уже в очереди" in admin.alerts()[-1]
    async with app.database.sessionmaker() as session:
        [broadcast] = list(await session.scalars(select(Broadcast)))
        assert broadcast.event_id == event_id and broadcast.status == "scheduled"
        assert broadcast.region_code == "kostroma"
        assert broadcast.audience.get("roles") == ["teacher"]
        assert "Семинар о наставничестве" in broadcast.text


# --- teachers -------------------------------------------------------------------------------------


@both
async def test_teachers_see_the_time_in_their_own_zone(app: App) -> None:
    await add_event(app, region=None, title="Всероссийский вебинар", kind="webinar")
    await add_event(app, region="kostroma", title="Костромской семинар")
    await add_event(app, region="kostroma", title="Прошедший", starts_at=NOW - timedelta(hours=1))
    kuzbass, kostroma = app.chat(2001), app.chat(2002)
    await onboard_elsewhere(kuzbass)
    await onboard(kostroma)

    await kuzbass.press("📅 Мероприятия")
    kuzbass.expect("Всероссийский вебинар", "Вебинар", "10.12.2026 19:00 (UTC+7)", "Без ограничения мест")
    assert "Костромской семинар" not in kuzbass.text and "Прошедший" not in kuzbass.text

    await kostroma.press("📅 Мероприятия")
    kostroma.expect("Впереди 2 мероприятия", "10.12.2026 15:00 (UTC+3)", "Костромской семинар")
    assert "Прошедший" not in kostroma.text
    await kostroma.press("2")
    kostroma.expect("Костромской семинар", "ЦНППМ, ауд. 5", "1 ч 30 мин")
    assert "✅ Пойду" in kostroma.buttons() and "Не смогу" in kostroma.buttons()


@both
async def test_seats_are_enforced_and_answers_are_idempotent(app: App) -> None:
    event_id = await add_event(app, seats=1)
    first, second = app.chat(2001), app.chat(2002)
    await onboard(first)
    await onboard(second, name="Петрова Анна")

    await first.press("📅 Мероприятия")
    first.expect("Свободных мест: 1 из 1")
    await first.press("1")
    await first.press("Пойду")
    first.expect("Вы идёте", "Мест нет (всего 1)")
    await rsvp(first, event_id, True)  # a second press counts once
    assert "уже записаны" in first.alerts()[-1]
    assert [r.going for r in await responses(app, event_id)] == [True]

    await second.press("📅 Мероприятия")
    await second.press("1")
    second.expect("Мест нет")
    await rsvp(second, event_id, True)
    assert "свободных мест уже нет" in second.alerts()[-1]
    assert [r.going for r in await responses(app, event_id)] == [True]

    await first.press("Не смогу")  # frees the seat
    first.expect("не сможете", "Свободных мест: 1 из 1")
    await rsvp(second, event_id, True)
    assert "Записали" in second.alerts()[-1]
    got = {r.user_id: r.going for r in await responses(app, event_id)}
    assert got == {await user_id(app, 2001): False, await user_id(app, 2002): True}

    await second.press("📅 Мероприятия")
    await second.press("Мои мероприятия")
    second.expect("Семинар о наставничестве")


@both
async def test_going_queues_reminders_and_not_going_cancels_only_ones_own(app: App) -> None:
    event_id = await add_event(app)
    first, second = app.chat(2001), app.chat(2002)
    await onboard(first)
    await onboard(second, name="Петрова Анна")
    await rsvp(first, event_id, True)
    await rsvp(second, event_id, True)
    first_id, second_id = await user_id(app, 2001), await user_id(app, 2002)
    rows = await reminders(app, event_id)
    assert sorted((r.user_id, r.kind, r.status) for r in rows) == sorted(
        [
            (first_id, "event_day", "pending"),
            (first_id, "event_hour", "pending"),
            (second_id, "event_day", "pending"),
            (second_id, "event_hour", "pending"),
        ]
    )
    assert {r.due_at for r in rows if r.kind == "event_hour"} == {START - timedelta(hours=1)}

    await rsvp(first, event_id, False)
    status = {(r.user_id, r.kind): r.status for r in await reminders(app, event_id)}
    assert status[(first_id, "event_day")] == status[(first_id, "event_hour")] == "cancelled"
    assert status[(second_id, "event_day")] == status[(second_id, "event_hour")] == "pending"

    await rsvp(first, event_id, True)  # changing one's mind again brings the reminders back
    status = {(r.user_id, r.kind): r.status for r in await reminders(app, event_id)}
    assert set(status.values()) == {"pending"} and len(status) == 4


@both
async def test_the_reminders_reach_the_teacher_a_day_and_an_hour_before(app: App) -> None:
    """«Пойду» → the day's and the hour's reminders arrive on the teacher's messenger, each once, with
    the time in her region's zone."""
    event_id = await add_event(app)
    teacher = app.chat(2001)
    await onboard(teacher)
    await rsvp(teacher, event_id, True)

    async def due() -> list[str]:
        seen = len(teacher.told())
        await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
        return teacher.told()[seen:]

    app.clock.now = START - timedelta(hours=24)
    [day] = await due()
    assert "Завтра — «Семинар о наставничестве»: 10.12.2026 15:00, ЦНППМ, ауд. 5." in day
    assert await due() == []  # never twice
    app.clock.now = START - timedelta(hours=1)
    [hour] = await due()
    assert "Через час — «Семинар о наставничестве»" in hour and "ЦНППМ, ауд. 5" in hour


@both
async def test_buttons_of_a_started_event_are_stale(app: App) -> None:
    event_id = await add_event(app)
    teacher = app.chat(2001)
    await onboard(teacher)
    await teacher.press("📅 Мероприятия")
    await teacher.press("1")
    app.clock.now = START + timedelta(minutes=5)
    await teacher.press("Пойду")
    assert "уже началось" in teacher.alerts()[-1]
    assert await responses(app, event_id) == []
    await rsvp(teacher, 987_654, True)  # no such event
    assert "устарела" in teacher.alerts()[-1]


# --- attendance -------------------------------------------------------------------------------------


async def _two_going(app: App, event_id: int) -> None:
    for telegram_id, name in ((2001, "Алексеева Анна"), (2002, "Борисов Борис")):
        chat = app.chat(telegram_id)
        await onboard(chat, name=name)
        await rsvp(chat, event_id, True)


@both
async def test_admin_marks_attendance(app: App) -> None:
    event_id = await add_event(app)
    await _two_going(app, event_id)
    admin = await admin_chat(app)
    await admin.press_data(EventCb(action=EventAction.ATTENDANCE, event_id=event_id).pack())
    assert "ещё не началось" in admin.alerts()[-1]

    app.clock.now = START + timedelta(hours=2)
    await admin.send("/admin")
    await admin.press("📅 Мероприятия")
    await admin.press("Отметить посещение")
    admin.expect("Прошедшие мероприятия", "Семинар о наставничестве", "записались: 2")
    await admin.press("1")
    admin.expect("пришли 0 из 2")
    await admin.press("Алексеева Анна")
    admin.expect("пришли 1 из 2")
    assert "✅ Алексеева Анна" in admin.buttons() and "▫️ Борисов Борис" in admin.buttons()
    await admin.press("Алексеева Анна")  # toggles back
    admin.expect("пришли 0 из 2")
    await admin.press("Борисов Борис")

    admin_id = await user_id(app, ADMIN_ID)
    marks = {r.user_id: (r.attended, r.marked_by) for r in await responses(app, event_id)}
    assert marks == {await user_id(app, 2001): (False, admin_id), await user_id(app, 2002): (True, admin_id)}
    async with app.database.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "event.attendance")
        )
        assert count == 3


@both
async def test_methodist_marks_attendance(app: App) -> None:
    event_id = await add_event(app)
    await _two_going(app, event_id)
    methodist = app.chat(3001)
    await onboard(methodist, name="Методистова Алла")
    async with app.database.sessionmaker() as session:
        person = await session.scalar(select(User).where(User.telegram_id == 3001))
        assert person is not None
        person.role = "methodist"
        await session.commit()
    app.clock.now = START + timedelta(hours=2)
    await methodist.send("📅 Мероприятия")
    await methodist.press("Отметить посещение")
    await methodist.press("1")
    await methodist.press("Борисов Борис")
    methodist.expect("пришли 1 из 2")
    marks = {r.user_id: (r.attended, r.marked_by) for r in await responses(app, event_id)}
    assert marks[await user_id(app, 2002)] == (True, await user_id(app, 3001))


# --- access -----------------------------------------------------------------------------------------


@both
async def test_teacher_forging_admin_event_buttons_gets_no_access(app: App) -> None:
    event_id = await add_event(app)
    await _two_going(app, event_id)
    teacher = app.chat(2001)
    app.clock.now = START + timedelta(hours=2)
    forged = [
        AdminCb(action="events"),
        EventAdminCb(action=EventAdminAction.NEW),
        EventAdminCb(action=EventAdminAction.SAVE),
        EventAdminCb(action=EventAdminAction.CARD, event_id=event_id),
        EventAdminCb(action=EventAdminAction.ANNOUNCE_ALL, event_id=event_id),
        EventCb(action=EventAction.PAST),
        EventCb(action=EventAction.ATTENDANCE, event_id=event_id),
        EventCb(action=EventAction.MARK, event_id=event_id, person_id=await user_id(app, 2002)),
    ]
    for data in forged:
        before = len(teacher.alerts())
        await teacher.press_data(data.pack())
        assert len(teacher.alerts()) == before + 1 and "Нет доступа" in teacher.alerts()[-1], data
    assert all(r.attended is None for r in await responses(app, event_id))
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0
        assert await session.scalar(select(func.count()).select_from(Event)) == 1
    # The teacher's menu shows no attendance button.
    await teacher.send("/menu")
    await teacher.press("📅 Мероприятия")
    assert "✅ Отметить посещение" not in teacher.buttons()


@both
async def test_admin_event_buttons_of_the_old_admin_factory_are_stale(app: App) -> None:
    admin = await admin_chat(app)
    await admin.press_data("adm:ev_new:0")  # the old layout: no such admin action any more
    assert "устарела" in admin.alerts()[-1]
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Event)) == 0
