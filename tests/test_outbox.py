"""Reminders through the outbox: due times, quiet hours in three time zones, opt-outs, snoozing,
429/403 handling, and a sender killed in the middle that loses nothing and sends nothing twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest
from aiogram import Bot
from sqlalchemy import select

from bot.jobs import LEASE_SECONDS, plan_outbox, send_outbox
from domain.reminders import deliverable_at, event_reminders, in_quiet_hours, item_reminders
from services.regions import region_rules
from services.reminders import plan_event
from services.uow import UnitOfWork
from storage.models import Event, OutboxMessage, User
from storage.outbox import Outbox
from telegram_stub import StubSession
from tests.conftest import App
from tests.flows import onboard, onboard_elsewhere

QUIET = (time(21, 0), time(8, 0))

# --- policy ---------------------------------------------------------------------------------------


def test_quiet_hours_span_midnight() -> None:
    assert in_quiet_hours(time(23, 0), *QUIET) and in_quiet_hours(time(7, 59), *QUIET)
    assert not in_quiet_hours(time(8, 0), *QUIET) and not in_quiet_hours(time(20, 59), *QUIET)
    assert in_quiet_hours(time(13, 0), time(12, 0), time(14, 0))
    assert not in_quiet_hours(time(13, 0), time(0, 0), time(0, 0))


@pytest.mark.parametrize(
    ("due", "tz", "expected"),
    [
        # 15:00 UTC is 18:00 in Moscow, 22:00 in Novokuznetsk (quiet), 19:00 in Saratov
        (
            datetime(2026, 11, 22, 15, 0, tzinfo=UTC),
            "Europe/Moscow",
            datetime(2026, 11, 22, 15, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 22, 15, 0, tzinfo=UTC),
            "Asia/Novokuznetsk",
            datetime(2026, 11, 23, 1, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 22, 15, 0, tzinfo=UTC),
            "Europe/Saratov",
            datetime(2026, 11, 22, 15, 0, tzinfo=UTC),
        ),
        # 03:00 UTC is 06:00 in Moscow (quiet, until 05:00 UTC), 10:00 in Novokuznetsk, 07:00 in Saratov
        (datetime(2026, 11, 22, 3, 0, tzinfo=UTC), "Europe/Moscow", datetime(2026, 11, 22, 5, 0, tzinfo=UTC)),
        (
            datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
            "Asia/Novokuznetsk",
            datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
            "Europe/Saratov",
            datetime(2026, 11, 22, 4, 0, tzinfo=UTC),
        ),
    ],
)
def test_deliverable_time_in_three_zones(due: datetime, tz: str, expected: datetime) -> None:
    assert deliverable_at(due, tz, *QUIET) == expected


def test_item_reminders_at_ten_local() -> None:
    plan = item_reminders(7, date(2027, 3, 15), "Asia/Novokuznetsk", (7, 1))
    assert [(kind, due) for kind, _, due in plan] == [
        ("item_due_7", datetime(2027, 3, 8, 3, 0, tzinfo=UTC)),
        ("item_due_1", datetime(2027, 3, 14, 3, 0, tzinfo=UTC)),
        ("item_overdue", datetime(2027, 3, 16, 3, 0, tzinfo=UTC)),
    ]


def test_event_reminders() -> None:
    start = datetime(2027, 1, 20, 12, 0, tzinfo=UTC)
    assert [(k, d) for k, _, d in event_reminders(1, 2, start, (24, 1))] == [
        ("event_day", start - timedelta(hours=24)),
        ("event_hour", start - timedelta(hours=1)),
    ]


# --- through the bot ----------------------------------------------------------------------------------


async def send(app: App) -> dict[str, int]:
    return await send_outbox(app.bot, app.database.sessionmaker, app.translations, app.clock)


async def outbox_rows(app: App, kind: str | None = None) -> list[OutboxMessage]:
    async with app.database.sessionmaker() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        return list(await session.scalars(query))


def texts(app: App, user_id: int, fragment: str) -> list[str]:
    return [
        m.plain_text
        for m in app.stub.outbox
        if m.chat_id == user_id and not m.edited and fragment in m.plain_text
    ]


async def test_unfinished_diagnosis_reminder_and_snooze(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await chat.press("3.")
    [row] = await outbox_rows(app, "diagnosis_unfinished")  # written with the diagnosis itself
    assert row.due_at == app.clock.now + timedelta(days=2)
    assert await send(app) == {}
    app.clock.advance(days=2)
    assert (await send(app)).get("sent") == 1
    assert len(texts(app, 1001, "Вы начали самодиагностику")) == 1
    assert await send(app) == {}  # never twice
    await chat.press("Напомнить завтра")
    assert "Напомню завтра." in chat.alerts()
    app.clock.advance(hours=23)
    assert await send(app) == {}
    app.clock.advance(hours=1)
    assert (await send(app)).get("sent") == 1
    assert len(texts(app, 1001, "Вы начали самодиагностику")) == 2


async def test_finished_diagnosis_is_not_reminded(app: App) -> None:
    from tests.test_diagnosis_flow import answer_all

    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await answer_all(chat, {})
    app.clock.advance(days=3)
    assert (await send(app)).get("cancelled") == 1
    assert texts(app, 1001, "Вы начали самодиагностику") == []
    [rediag] = await outbox_rows(app, "rediagnosis")
    assert rediag.status == "pending" and rediag.due_at.date() == date(2027, 11, 22)


async def test_quiet_hours_in_the_teachers_zone(app: App) -> None:
    chat = app.chat()
    await onboard_elsewhere(chat)
    app.clock.now = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)  # 22:00 in Novokuznetsk
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    app.clock.advance(days=2)
    assert await send(app) == {"postponed": 1}
    [row] = await outbox_rows(app, "diagnosis_unfinished")
    assert row.due_at == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00 local
    app.clock.now = datetime(2026, 11, 25, 0, 59, tzinfo=UTC)
    assert await send(app) == {}
    app.clock.now = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert await send(app) == {"sent": 1}


async def test_route_item_reminders_opt_out_and_done(app: App) -> None:
    from tests.test_route_flow import diagnosed, the_route

    chat = app.chat()
    await diagnosed(app, chat, {"methodical": "1."})
    await chat.press("Составить ИОМ")
    route = await the_route(app)
    rows = await outbox_rows(app)
    items = [r for r in rows if r.ref_type == "item"]
    assert len(items) == 3 * len(route.items)
    first = route.items[0]
    # Mark the first item done: its reminders no longer apply.
    from handlers.callbacks import RouteAction, RouteCb

    await chat.press_data(RouteCb(action=RouteAction.ITEM, route_id=route.id, item_id=first.id).pack())
    await chat.press("Отметить выполненным")
    await chat.send("Прочитала две книги и обсудила их на ШМО")
    app.clock.now = datetime.combine(first.due_on - timedelta(days=7), time(7, 0), tzinfo=UTC)
    counts = await send(app)
    assert counts.get("cancelled", 0) >= 1 and not texts(app, 1001, f"Пункт ИОМ «{first.title}")
    # Switch route deadlines off: the second item's reminder is dropped too.
    await chat.press("👤 Профиль")
    await chat.press("Уведомления")
    await chat.press("Сроки ИОМ")
    second = route.items[1]
    app.clock.now = datetime.combine(second.due_on - timedelta(days=1), time(7, 0), tzinfo=UTC)
    await send(app)
    assert not texts(app, 1001, "срок — ")
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None and user.notify_off == ["route"]


async def test_item_date_change_replaces_the_reminders(app: App) -> None:
    from tests.test_route_flow import diagnosed, the_route

    chat = app.chat()
    await diagnosed(app, chat, {"methodical": "1."})
    await chat.press("Составить ИОМ")
    await chat.press("1")
    await chat.press("Изменить срок")
    await chat.send("15.03.2027")
    route = await the_route(app)
    item = next(i for i in route.items if i.due_on == date(2027, 3, 15))
    pending = [
        r
        for r in await outbox_rows(app)
        if r.ref_type == "item" and r.ref_id == item.id and r.status == "pending"
    ]
    assert {r.key.rsplit(":", 1)[-1] for r in pending} == {"2027-03-15"}
    app.clock.now = datetime(2027, 3, 14, 7, 0, tzinfo=UTC)  # 10:00 Moscow, one day before
    await send(app)
    assert len(texts(app, 1001, "через 1 день")) == 1


async def test_blocked_user_and_flood_wait(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None
        outbox = Outbox(session)
        for n in range(3):
            await outbox.schedule(
                user.id, "inactivity", f"test:{n}", app.clock.now, ref_type="user", ref_id=user.id
            )
        user.last_seen_at = app.clock.now - timedelta(days=40)
        await session.commit()
    app.stub.fail_next("sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30)
    assert await send(app) == {"retry_after": 3}  # the refused one and the rest of the batch
    assert await send(app) == {}  # everything waits as long as Telegram asked
    app.clock.advance(seconds=30)
    assert await send(app) == {"sent": 3}
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None
        await Outbox(session).schedule(
            user.id, "inactivity", "test:403", app.clock.now, ref_type="user", ref_id=user.id
        )
        await session.commit()
    app.stub.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    assert await send(app) == {"failed": 1}
    assert (await outbox_rows(app))[-1].error == "blocked"
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None and user.blocked_at is not None
    await chat.send("/help")  # writing again means they unblocked the bot
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None and user.blocked_at is None


class DyingSession(StubSession):
    """A process that is killed: the N-th sendMessage never returns, and the sender (``victim``)
    is cancelled — its requests run in tasks of their own."""

    def __init__(self, stub, *, die_at: int, after_sending: bool) -> None:
        super().__init__(stub)
        self.sent = 0
        self.die_at = die_at
        self.after_sending = after_sending
        self.victim: asyncio.Task[object] | None = None

    async def make_request(self, bot, method, timeout=None):  # noqa: ASYNC109 - the base class signature
        if method.__api_method__ == "sendMessage":
            self.sent += 1
            if self.sent == self.die_at:
                if self.after_sending:
                    await super().make_request(bot, method, timeout)
                if self.victim is not None:
                    self.victim.cancel()
                raise asyncio.CancelledError  # the process dies here
        return await super().make_request(bot, method, timeout)


async def seed_due(app: App, count: int) -> list[int]:
    ids = []
    async with app.database.sessionmaker() as session:
        outbox = Outbox(session)
        for n in range(count):
            user = User(
                telegram_id=7000 + n,
                locale="ru",
                consent_at=app.clock.now,
                subjects=[],
                region_code="kostroma",
                last_seen_at=app.clock.now - timedelta(days=40),
            )
            session.add(user)
            await session.flush()
            await outbox.schedule(
                user.id, "inactivity", f"inactive:{user.id}", app.clock.now, ref_type="user", ref_id=user.id
            )
            ids.append(7000 + n)
        await session.commit()
    for telegram_id in ids:  # the stand-in only delivers to people who wrote to the bot
        app.stub.message_update(telegram_id, "/start")
    return ids


@pytest.mark.parametrize("after_sending", [False, True])
async def test_killed_sender_loses_nothing_and_doubles_at_most_the_one_in_flight(
    app: App, after_sending: bool
) -> None:
    recipients = await seed_due(app, 10)
    session = DyingSession(app.stub, die_at=5, after_sending=after_sending)
    dying = Bot(app.bot.token, session=session, default=app.bot.default)
    session.victim = asyncio.create_task(
        send_outbox(dying, app.database.sessionmaker, app.translations, app.clock)
    )
    with pytest.raises(asyncio.CancelledError):
        await session.victim
    assert len([r for r in await outbox_rows(app) if r.status == "sent"]) == 4
    assert await send(app) == {}  # the dead sender's lease still holds
    app.clock.advance(seconds=LEASE_SECONDS + 1)
    assert await send(app) == {"sent": 6}
    received = {uid: len(texts(app, uid, "Давно не виделись")) for uid in recipients}
    assert all(n >= 1 for n in received.values())  # nothing lost
    doubled = [uid for uid, n in received.items() if n > 1]
    assert doubled == ([recipients[4]] if after_sending else [])  # only the message in flight
    assert await send(app) == {}


async def test_event_reminders_respect_quiet_hours_but_never_arrive_late(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None
        early = Event(
            external_id="ev1",
            region_code="kostroma",
            title="Ранний семинар",
            kind="seminar",
            starts_at=datetime(2026, 11, 24, 4, 30, tzinfo=UTC),
            areas=[],
            subjects=[],
        )  # 07:30 MSK
        late = Event(
            external_id="ev2",
            region_code="kostroma",
            title="Вечерний вебинар",
            kind="webinar",
            starts_at=datetime(2026, 11, 24, 18, 30, tzinfo=UTC),
            areas=[],
            subjects=[],
        )  # 21:30 MSK
        session.add_all([early, late])
        await session.flush()
        uow = UnitOfWork(session, app.clock)
        rules = await region_rules(uow, user.region_code)
        await plan_event(uow, rules, user.id, early)
        await plan_event(uow, rules, user.id, late)
        await session.commit()
    app.clock.now = datetime(2026, 11, 23, 4, 30, tzinfo=UTC)  # a day before the early one: 07:30, quiet
    await send(app)
    app.clock.now = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # 08:00 MSK
    await send(app)
    assert len(texts(app, 1001, "Завтра — «Ранний семинар»")) == 1
    app.clock.now = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)  # an hour before: 06:30, quiet until after it
    await send(app)
    app.clock.now = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # 20:30 MSK
    await send(app)
    assert len(texts(app, 1001, "Через час — «Вечерний вебинар»")) == 1
    early_hour = next(r for r in await outbox_rows(app, "event_hour") if r.ref_id == early.id)
    assert early_hour.status == "cancelled"
    assert texts(app, 1001, "Через час — «Ранний семинар»") == []


async def test_inactivity_is_planned_once(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    app.clock.advance(days=29)
    assert await plan_outbox(app.database.sessionmaker, app.clock) == 0  # the region says 30 days
    app.clock.advance(days=2)
    assert await plan_outbox(app.database.sessionmaker, app.clock) == 1
    # The next ticks find nobody to remind: the database leaves out who was reminded since last seen.
    assert await plan_outbox(app.database.sessionmaker, app.clock) == 0
    assert len(await outbox_rows(app, "inactivity")) == 1
    await send(app)
    assert len(texts(app, 1001, "Давно не виделись")) == 1
    # Back, then away again for a month: a new reminder.
    await chat.send("/menu")
    app.clock.advance(days=31)
    assert await plan_outbox(app.database.sessionmaker, app.clock) == 1
    assert len(await outbox_rows(app, "inactivity")) == 2


async def test_digest_is_planned_at_the_methodists_local_time_and_sent_once(app: App) -> None:
    from storage.models import Caseload

    methodist = app.chat(5001)
    await onboard(methodist, name="Методистова Ольга", birth="01.01.1975", work_start="1998")
    teacher = app.chat(1001)
    await onboard(teacher)
    async with app.database.sessionmaker() as session:
        m = await session.scalar(select(User).where(User.telegram_id == 5001))
        t = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert m is not None and t is not None
        m.role = "methodist"
        session.add(Caseload(teacher_id=t.id, methodist_id=m.id, source="admin", assigned_at=app.clock.now))
        await session.commit()
    await plan_outbox(app.database.sessionmaker, app.clock)
    await plan_outbox(app.database.sessionmaker, app.clock)  # planning twice queues once
    [row] = await outbox_rows(app, "digest")
    assert row.due_at == datetime(2026, 11, 23, 5, 30, tzinfo=UTC)  # 08:30 in Moscow, tomorrow
    app.clock.now = row.due_at
    assert (await send(app)).get("sent") == 1
    assert any(m.chat_id == 5001 and "Сводка" in m.plain_text for m in app.stub.outbox)
    assert await send(app) == {}
    await plan_outbox(app.database.sessionmaker, app.clock)
    assert [r.due_at for r in await outbox_rows(app, "digest")][-1] == datetime(
        2026, 11, 24, 5, 30, tzinfo=UTC
    )
