"""Broadcasts: audience filters, pacing, Telegram's answers (429/403/400/5xx), a sender killed in the
middle, fairness between broadcasts, the admin's wizard, RSVP buttons and forged buttons."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram import Bot
from sqlalchemy import select
from sqlalchemy.exc import PendingRollbackError

from bot.broadcast import LEASE_SECONDS, BroadcastSender
from bot.messengers import Bots
from domain.audience import Audience, AudienceError, Pacer
from handlers.broadcasts import parse_link_button
from handlers.callbacks import AdminCb, BroadcastAction, BroadcastCb, EventRsvpCb
from storage.broadcasts import audience_user_ids, count_audience, create_broadcast, delivery_counts
from storage.models import (
    AuditEntry,
    Broadcast,
    BroadcastDelivery,
    Diagnosis,
    Event,
    EventResponse,
    Municipality,
    Route,
    User,
)
from telegram_stub import StubSession
from tests.chat import Chat
from tests.conftest import ADMIN_ID, NOW, App
from tests.flows import onboard

# The wizard and what teachers receive are the same on both messengers: those conversations run on each.
BOTH = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)

# --- pure ---------------------------------------------------------------------------------------------


def test_audience_validation_and_description() -> None:
    a = Audience.from_dict({"roles": ["methodist"], "subjects": ["math"], "young_only": True})
    assert a.to_dict() == {"roles": ["methodist"], "subjects": ["math"], "young_only": True}
    assert [key for key, _ in a.describe()] == ["audience-role", "audience-subject", "audience-young-only"]
    assert Audience().describe() == [("audience-all", {})]
    for bad in ({"roles": ["king"]}, {"subjects": ["alchemy"]}, {"colour": 1}, {"municipality_ids": ["x"]}):
        with pytest.raises(AudienceError):
            Audience.from_dict(bad)


def test_link_button_is_validated() -> None:
    assert parse_link_button("Записаться https://iro.example.ru/form") == (
        "Записаться",
        "https://iro.example.ru/form",
    )
    assert parse_link_button("Программа | https://x.ru/p?a=1") == ("Программа", "https://x.ru/p?a=1")
    for bad in (
        "https://x.ru",
        "Ссылка http://x.ru",
        "Ссылка https://localhost",
        "Ссылка",
        "x" * 70 + " https://a.ru",
    ):
        assert parse_link_button(bad) is None


class FakeTime:
    """A monotonic clock that only moves when somebody sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += seconds


async def test_pacer_overall_rate_and_per_chat() -> None:
    fake = FakeTime()
    pacer = Pacer(25, monotonic=fake.monotonic, sleep=fake.sleep)
    times = []
    for chat in range(100):
        await pacer.wait(chat)
        times.append(fake.now)
    assert times[-1] == pytest.approx(99 / 25)
    assert max(sum(1 for t in times if start <= t < start + 1) for start in times) <= 25
    # One chat: one message a second, however fast the overall rate.
    same = []
    for _ in range(3):
        await pacer.wait(1)
        same.append(fake.now)
    assert same[1] - same[0] == pytest.approx(1.0) and same[2] - same[1] == pytest.approx(1.0)
    # A pause holds back everything.
    pacer.pause(7)
    before = fake.now
    await pacer.wait(555)
    assert fake.now - before == pytest.approx(7)
    assert fake.slept == pytest.approx(fake.now)  # it never slept for real


# --- audience in the database ----------------------------------------------------------------------------


async def seed_people(app: App) -> dict[str, int]:
    async with app.database.sessionmaker() as session:
        places = list(
            await session.scalars(
                select(Municipality).where(Municipality.region_code == "kostroma").order_by(Municipality.id)
            )
        )
        a, b = places[0].id, places[1].id
        now = app.clock.now
        young, old = (date(2000, 1, 1), 2025), (date(1980, 1, 1), 2005)

        def person(
            tid: int, mun: int | None, subjects: list[str], age: tuple[date, int], **kw: object
        ) -> User:
            return User(
                telegram_id=tid,
                locale="ru",
                consent_at=now,
                profile_completed_at=kw.pop("done", now),
                region_code=kw.pop("region", "kostroma"),
                municipality_id=mun,
                subjects=subjects,
                birth_date=age[0],
                work_start_year=age[1],
                **kw,
            )

        people = {
            "u1": person(8001, a, ["math"], young),
            "u2": person(8002, a, ["russian"], old),
            "u3": person(8003, b, ["math"], old, role="methodist"),
            "u4": person(8004, b, ["math"], young, blocked_at=now),
            "u5": person(8005, b, ["math"], young, done=None),
            "u6": person(8006, None, ["math"], young, region="kuzbass"),
            "u7": person(8007, b, ["math"], young),
        }
        session.add_all(people.values())
        await session.flush()
        ids = {k: u.id for k, u in people.items()}
        session.add_all(
            [
                Diagnosis(user_id=ids["u2"], framework_version="v", status="done"),
                Diagnosis(user_id=ids["u7"], framework_version="v", status="in_progress"),
                Diagnosis(user_id=ids["u7"], framework_version="v", status="done", source="cnppm"),
                Route(user_id=ids["u3"], starts_on=now.date(), ends_on=now.date()),
            ]
        )
        event = Event(external_id="e1", title="Семинар", kind="seminar", starts_at=now, areas=[], subjects=[])
        session.add(event)
        await session.flush()
        session.add_all(
            [
                EventResponse(event_id=event.id, user_id=ids["u1"], going=True),
                EventResponse(event_id=event.id, user_id=ids["u2"], going=False),
            ]
        )
        await session.commit()
        return ids | {"mun_a": a, "mun_b": b, "event": event.id}


async def test_audience_filters(app: App) -> None:
    ids = await seed_people(app)
    today = NOW.date()

    async def who(audience: dict[str, object], region: str | None = "kostroma") -> set[str]:
        async with app.database.sessionmaker() as session:
            found = set(await audience_user_ids(session, audience, region, today))
        return {k for k, v in ids.items() if k.startswith("u") and v in found}

    assert await who({}) == {"u1", "u2", "u3", "u7"}  # not blocked u4, not unfinished u5, not Kuzbass u6
    assert await who({}, None) == {"u1", "u2", "u3", "u6", "u7"}
    assert await who({"roles": ["methodist"]}) == {"u3"}
    assert await who({"municipality_ids": [ids["mun_a"]]}) == {"u1", "u2"}
    assert await who({"young_only": True}) == {"u1", "u7"}
    # A ЦНППМ result is not a self-diagnosis; the methodist u3 does not teach: not a teachers' filter's.
    assert await who({"no_diagnosis": True}) == {"u1", "u7"}
    assert await who({"no_route": True}) == {"u1", "u2", "u7"}
    assert await who({"subjects": ["math"]}) == {"u1", "u7"}
    assert await who({"young_only": True, "municipality_ids": [ids["mun_b"]]}) == {"u7"}
    assert await who({"event_id": ids["event"]}) == {"u1"}
    async with app.database.sessionmaker() as session:
        assert await count_audience(session, {"subjects": ["math"], "no_route": True}, "kostroma", today) == 2


# --- the sender -------------------------------------------------------------------------------------------
# Telegram-only: the sender's pacing and its handling of Telegram's own answers (429/403/400/5xx, a
# process killed mid-send) on seeded Telegram people; MAX's are tests/test_max.py's. The wizard and
# what teachers receive, below, run on both messengers.


async def seed_recipients(app: App, count: int, *, first: int = 7000, role: str = "teacher") -> list[int]:
    async with app.database.sessionmaker() as session:
        for n in range(count):
            session.add(
                User(
                    telegram_id=first + n,
                    locale="ru",
                    role=role,
                    consent_at=app.clock.now,
                    profile_completed_at=app.clock.now,
                    subjects=[],
                    region_code="kostroma",
                )
            )
        await session.commit()
    recipients = [first + n for n in range(count)]
    for telegram_id in recipients:  # the stand-in only delivers to people who wrote to the bot
        app.stub.message_update(telegram_id, "/start")
    return recipients


async def queue(app: App, text: str = "Семинар в пятницу", **kwargs: object) -> int:
    async with app.database.sessionmaker() as session:
        audience = kwargs.pop("audience", {})
        broadcast = await create_broadcast(
            session,
            created_by=kwargs.pop("created_by", None),
            region_code="kostroma",
            text=text,
            audience=audience,  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )
        await session.commit()
        return broadcast.id


def sender(app: App, fake: FakeTime, bot: Bot | Bots | None = None, **kwargs: object) -> BroadcastSender:
    return BroadcastSender(
        bot or app.bot,
        app.database.sessionmaker,
        app.translations,
        app.clock,
        pacer=Pacer(25, monotonic=fake.monotonic, sleep=fake.sleep),
        monotonic=fake.monotonic,
        **kwargs,  # type: ignore[arg-type]
    )


async def drain(s: BroadcastSender) -> dict[str, int]:
    """Rounds until one has nothing to do; the outcomes of all ("leased" left out)."""
    total: dict[str, int] = {}
    for _ in range(500):
        counts = await s.run_once()
        if not counts:
            return total
        for key, value in counts.items():
            if key != "leased":
                total[key] = total.get(key, 0) + value
    raise AssertionError("the sender never ran out of work")


def received(app: App, chat_id: int, fragment: str = "Семинар") -> int:
    return sum(
        1 for m in app.stub.outbox if m.chat_id == chat_id and not m.edited and fragment in m.plain_text
    )


async def deliveries(app: App, broadcast_id: int) -> dict[int, BroadcastDelivery]:
    async with app.database.sessionmaker() as session:
        rows = await session.execute(
            select(User.telegram_id, BroadcastDelivery)
            .join(User, User.id == BroadcastDelivery.user_id)
            .where(BroadcastDelivery.broadcast_id == broadcast_id)
        )
        return {tid: row for tid, row in rows}


async def status_of(app: App, broadcast_id: int) -> str:
    async with app.database.sessionmaker() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        assert broadcast is not None
        return broadcast.status


async def test_sends_once_with_progress_and_final_report(app: App) -> None:
    recipients = await seed_recipients(app, 12)
    admin = await seed_recipients(app, 1, first=ADMIN_ID, role="admin")
    async with app.database.sessionmaker() as session:
        admin_user = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        assert admin_user is not None
        admin_id = admin_user.id
    bid = await queue(app, "<b>Семинар</b> в пятницу", created_by=admin_id)
    fake = FakeTime()
    counts = await drain(sender(app, fake))
    assert counts["sent"] == 13 and counts["finished"] == 1  # the admin is a teacher of the region too
    assert all(received(app, uid) == 1 for uid in recipients + admin)
    assert await status_of(app, bid) == "done"
    progress = [m for m in app.stub.outbox if m.chat_id == ADMIN_ID and "Рассылка №" in m.plain_text]
    assert progress[0].plain_text.startswith(f"Рассылка №{bid}: отправлено 0 из 13")
    assert any(
        m.edited and "отправлено 13 из 13, заблокировали 0, ошибок 0" in m.plain_text for m in progress
    )
    assert "Доставлено: 13 сообщений из 13" in progress[-1].plain_text
    assert fake.now >= 12 / 25  # paced, on the fake clock
    assert await drain(sender(app, fake)) == {}  # nothing twice


class TimedSession(StubSession):
    """Remembers when (on the fake clock) each sendMessage reached Telegram."""

    def __init__(self, stub, fake: FakeTime) -> None:  # type: ignore[no-untyped-def]
        super().__init__(stub)
        self.fake = fake
        self.calls: list[tuple[float, int]] = []

    async def make_request(self, bot, method, timeout=None):  # type: ignore[no-untyped-def] # noqa: ASYNC109
        if method.__api_method__ == "sendMessage":
            self.calls.append((self.fake.now, method.chat_id))
        return await super().make_request(bot, method, timeout)


async def test_429_pauses_all_sending(app: App) -> None:
    recipients = await seed_recipients(app, 40)
    await queue(app)
    fake = FakeTime()
    session = TimedSession(app.stub, fake)
    bot = Bot(app.bot.token, session=session, default=app.bot.default)
    app.stub.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    s = sender(app, fake, bot)
    in_flight = s.pacer.in_flight
    counts = await drain(s)
    assert counts["sent"] == 40
    refused_at, refused_chat = session.calls[0]
    retried_at = next(at for at, chat in session.calls[1:] if chat == refused_chat)
    assert retried_at - refused_at >= 7  # the same message, after the pause
    # Those already on their way when the 429 came went; nothing new started during the pause.
    under_way = [at for at, _ in session.calls[1:] if at < refused_at + 7]
    assert len(under_way) <= in_flight
    assert all(at - refused_at < 1 for at in under_way)
    # After the pause the rate had stepped down (slots further apart than 1/25 s).
    after = sorted(at for at, _ in session.calls if at >= refused_at + 7)
    assert after[1] - after[0] > 1 / 25
    assert all(received(app, uid) == 1 for uid in recipients)


async def test_403_marks_blocked_and_later_broadcasts_skip_them(app: App) -> None:
    recipients = await seed_recipients(app, 4)
    first = await queue(app)
    app.stub.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    fake = FakeTime()
    assert (await drain(sender(app, fake)))["blocked"] == 1
    rows = await deliveries(app, first)
    assert rows[recipients[0]].status == "blocked"
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == recipients[0]))
        assert user is not None and user.blocked_at == app.clock.now
    second = await queue(app, "Семинар номер два")
    await drain(sender(app, fake))
    assert set(await deliveries(app, second)) == set(recipients[1:])
    assert received(app, recipients[0], "номер два") == 0


async def test_400_is_recorded_and_not_retried(app: App) -> None:
    recipients = await seed_recipients(app, 3)
    bid = await queue(app)
    app.stub.fail_next("sendMessage", 400, "Bad Request: chat not found")
    fake = FakeTime()
    assert await drain(sender(app, fake)) == {"failed": 1, "sent": 2, "finished": 1}
    row = (await deliveries(app, bid))[recipients[0]]
    assert row.status == "failed" and row.error == "Bad Request: chat not found"
    app.clock.advance(days=1)
    assert await drain(sender(app, fake)) == {}
    assert received(app, recipients[0]) == 0


async def test_server_errors_are_retried_with_backoff(app: App) -> None:
    recipients = await seed_recipients(app, 3)
    bid = await queue(app)
    app.stub.fail_next("sendMessage", 502, "Bad Gateway", times=2)
    fake = FakeTime()
    s = sender(app, fake)
    counts = await drain(s)
    assert counts["retry"] == 2 and counts["sent"] == 1
    assert await status_of(app, bid) == "sending"
    app.clock.advance(seconds=9)
    assert await drain(s) == {}  # still waiting: the first retry is 10 s later
    app.clock.advance(seconds=2)
    assert (await drain(s)) == {"sent": 2, "finished": 1}
    rows = await deliveries(app, bid)
    assert rows[recipients[0]].attempts == 1 and all(received(app, uid) == 1 for uid in recipients)


class DyingSession(StubSession):
    """A process that is killed: the N-th sendMessage never returns, and the sender (``victim``)
    is cancelled — its requests run in tasks of their own."""

    def __init__(self, stub, *, die_at: int, after_sending: bool) -> None:  # type: ignore[no-untyped-def]
        super().__init__(stub)
        self.sent = 0
        self.die_at = die_at
        self.after_sending = after_sending
        self.victim: asyncio.Task[object] | None = None

    async def make_request(self, bot, method, timeout=None):  # type: ignore[no-untyped-def] # noqa: ASYNC109
        if method.__api_method__ == "sendMessage":
            self.sent += 1
            if self.sent == self.die_at:
                if self.after_sending:
                    await super().make_request(bot, method, timeout)
                if self.victim is not None:
                    self.victim.cancel()
                raise asyncio.CancelledError  # the process dies here
        return await super().make_request(bot, method, timeout)


@pytest.mark.parametrize("after_sending", [False, True])
async def test_killed_sender_resumes_without_loss_or_duplicates(app: App, after_sending: bool) -> None:
    recipients = await seed_recipients(app, 12)
    bid = await queue(app)
    session = DyingSession(app.stub, die_at=7, after_sending=after_sending)
    dying = Bot(app.bot.token, session=session, default=app.bot.default)
    fake = FakeTime()
    session.victim = asyncio.create_task(drain(sender(app, fake, dying, chunk=5)))
    # A kill lands wherever it lands: in the middle of a query the session cannot even roll back.
    with pytest.raises((asyncio.CancelledError, PendingRollbackError)):
        await session.victim
    # Killed, it still waited for the answers of the messages on their way and marked them.
    sent = (await delivery_counts_of(app, bid))["sent"]
    assert 6 <= sent < 12
    restarted = sender(app, fake, chunk=5)
    # Rows nobody holds go at once; the one whose sender died with it waits for its lease to run out.
    assert await drain(restarted) == {"sent": 12 - sent - 1}
    app.clock.advance(seconds=LEASE_SECONDS + 1)
    assert await drain(restarted) == {"sent": 1, "finished": 1}
    counts = {uid: received(app, uid) for uid in recipients}
    assert all(n >= 1 for n in counts.values())  # nothing lost
    doubled = [uid for uid, n in counts.items() if n > 1]
    assert doubled == ([recipients[6]] if after_sending else [])  # at most the message in flight
    assert await status_of(app, bid) == "done"


async def delivery_counts_of(app: App, bid: int) -> dict[str, int]:
    async with app.database.sessionmaker() as session:
        return await delivery_counts(session, bid)


async def test_two_broadcasts_share_the_sender(app: App) -> None:
    await seed_recipients(app, 12)
    methodists = await seed_recipients(app, 3, first=7500, role="methodist")
    await queue(app, "Семинар для всех")
    await queue(app, "Семинар методистов", audience={"roles": ["methodist"]})
    await drain(sender(app, FakeTime(), chunk=2))
    order = [m.plain_text for m in app.stub.outbox if not m.edited and "Семинар" in m.plain_text]
    assert len(order) == 15 + 3  # the methodists get both
    last_small = max(i for i, text in enumerate(order) if text == "Семинар методистов")
    assert last_small < 8  # two rounds, not after the big one
    assert all(received(app, uid, "методистов") == 1 for uid in methodists)


async def test_cancel_stops_further_deliveries(app: App) -> None:
    await seed_recipients(app, 10)
    bid = await queue(app)
    fake = FakeTime()
    s = sender(app, fake, chunk=3)
    await s.run_once()
    async with app.database.sessionmaker() as session:
        from storage.broadcasts import cancel_broadcast

        assert await cancel_broadcast(session, bid, app.clock.now) is not None
        await session.commit()
    assert set(await drain(s)) <= {"sent"}  # the answers of the first round's chunk, if still to come
    assert (await delivery_counts_of(app, bid))["sent"] == 3


async def test_event_announcement_has_rsvp_buttons(app: App) -> None:
    [uid] = await seed_recipients(app, 1)
    async with app.database.sessionmaker() as session:
        event = Event(
            external_id="ev",
            title="Вебинар",
            kind="webinar",
            starts_at=NOW + timedelta(days=3),
            areas=[],
            subjects=[],
        )
        session.add(event)
        await session.commit()
        event_id = event.id
    await queue(
        app,
        "Семинар: приглашаем",
        event_id=event_id,
        audience={"event_invite": event_id},
        button_text="Программа",
        button_url="https://iro.example.ru/p",
    )
    await drain(sender(app, FakeTime()))
    [message] = [m for m in app.stub.outbox if m.chat_id == uid]
    data = [b.get("callback_data") for b in message.buttons]
    assert EventRsvpCb(event_id=event_id, going=True).pack() in data
    assert EventRsvpCb(event_id=event_id, going=False).pack() in data
    assert message.button_texts == ["✅ Пойду", "Не смогу", "Программа"]


# --- the wizard -------------------------------------------------------------------------------------------


def got(chat: Chat, text: str) -> list:  # type: ignore[type-arg]
    """The messages ``chat`` received whose text is ``text`` (not their edits)."""
    return [m for m in chat.sent() if not m.edited and m.plain_text == text]


@BOTH
async def test_wizard_to_send_now_and_recipients_get_it(app: App) -> None:
    teacher = app.chat(1001)
    await onboard(teacher)
    older = app.chat(1002, first_name="Ольга")
    await onboard(older, name="Смирнова Ольга", birth="01.01.1970", work_start="1995")
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    await admin.send("Семинар <онлайн> & очно")
    await admin.send("Записаться https://iro.example.ru/form")
    admin.expect("Получателей: 3")
    await admin.press("Молодые педагоги")
    # The admin filled a staff profile (no birth date): the one young teacher is left.
    admin.expect("Получателей: 1", "молодые педагоги")
    await admin.press("Готово")
    preview, summary = admin.replies
    assert preview.plain_text == "Семинар <онлайн> & очно" and preview.button_texts == ["Записаться"]
    assert "Получателей: 1" in summary.plain_text
    await admin.press("Отправить сейчас")
    admin.expect("поставлена в очередь")
    await drain(sender(app, FakeTime(), app.bots))
    [message] = got(teacher, "Семинар <онлайн> & очно")
    assert message.buttons[0]["url"] == "https://iro.example.ru/form"
    assert not [m for m in older.sent() if "онлайн" in m.plain_text]
    async with app.database.sessionmaker() as session:
        [entry] = await session.scalars(select(AuditEntry).where(AuditEntry.action == "broadcast.send"))
        assert entry.target_type == "broadcast"
    assert "Доставлено: 1 сообщение из 1" in admin.last_bot_message().plain_text


@BOTH
async def test_wizard_schedule_list_and_cancel(app: App) -> None:
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    await admin.send_photo()
    await admin.press("Без кнопки")
    await admin.press("Готово")
    assert admin.replies[0].kind == "photo"
    await admin.press("Запланировать")
    await admin.send("22.11.2026 12:00")  # 09:00 UTC: already past
    admin.expect("уже прошло")
    await admin.send("23.11.2026 12:00")
    admin.expect("запланирована на 23.11.2026 12:00 (Europe/Moscow)")
    async with app.database.sessionmaker() as session:
        [broadcast] = await session.scalars(select(Broadcast))
        assert broadcast.send_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        assert broadcast.media_kind == "photo"
    assert await drain(sender(app, FakeTime(), app.bots)) == {}  # not yet
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Список рассылок")
    admin.expect(f"№{broadcast.id} · запланирована")
    await admin.press(f"Отменить №{broadcast.id}")
    assert f"Рассылка №{broadcast.id} отменена" in admin.alerts()[-1]
    app.clock.advance(days=2)
    assert await drain(sender(app, FakeTime(), app.bots)) == {}
    await admin.press_data(BroadcastCb(action=BroadcastAction.STOP, broadcast_id=broadcast.id).pack())
    assert "Эта кнопка устарела" in admin.alerts()[-1]


@BOTH
async def test_teacher_forging_broadcast_buttons_gets_no_access(app: App) -> None:
    teacher = app.chat(1001)
    await onboard(teacher)
    bid = await queue(app)
    for data in (
        AdminCb(action="broadcast"),
        BroadcastCb(action=BroadcastAction.NEW),
        BroadcastCb(action=BroadcastAction.STOP, broadcast_id=bid),
    ):
        await teacher.press_data(data.pack())
        assert "Нет доступа" in teacher.alerts()[-1]
    assert await status_of(app, bid) == "scheduled"


def on(app: App, messenger: str, user_id: int, **kwargs: object) -> Chat:
    """The person ``user_id`` on ``messenger``, whatever the test's messenger."""
    chosen, app.messenger = app.messenger, messenger
    try:
        return app.chat(user_id, **kwargs)
    finally:
        app.messenger = chosen


OTHER = {"telegram": "max", "max": "telegram"}


async def compose(admin: Chat, content: str | None, *, button: str | None = None) -> None:
    """The admin's wizard up to the preview: ``content`` typed (None: a photo), all teachers."""
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    if content is None:
        await admin.send_photo()
    else:
        await admin.send(content)
    if button is None:
        await admin.press("Без кнопки")
    else:
        await admin.send(button)
    await admin.press("Готово")


@BOTH
async def test_a_photo_broadcast_reaches_teachers_on_both_messengers_once_each(app: App) -> None:
    """The admin writes on the test's messenger; one teacher is on it, one on the other."""
    here = on(app, app.messenger, 1001)
    await onboard(here)
    there = on(app, OTHER[app.messenger], 1002)
    await onboard(there, name="Смирнова Ольга")
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await compose(admin, None, button="Программа https://iro.example.ru/p")
    preview = admin.replies[0]
    assert preview.kind == "photo" and preview.button_texts == ["Программа"]
    await admin.press("Отправить сейчас")
    await drain(sender(app, FakeTime(), app.bots))
    for teacher in (here, there):
        photos = [m for m in teacher.sent() if m.kind == "photo" and not m.edited]
        assert len(photos) == 1, teacher
        assert photos[0].document is not None and photos[0].document[1] == preview.document[1]  # type: ignore[index]
        assert photos[0].buttons[0]["url"] == "https://iro.example.ru/p"
    async with app.database.sessionmaker() as session:
        statuses = sorted(await session.scalars(select(BroadcastDelivery.status)))
    assert statuses == ["sent", "sent", "sent"]  # the two teachers and the admin, a regional methodist


@BOTH
async def test_a_broadcast_of_the_longest_text_with_markup_arrives_whole(app: App) -> None:
    teacher = app.chat(1001)
    await onboard(teacher)
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    body = "Семинар " + "слово " * 580  # 3,488 characters, under the 3,500 of the wizard
    await compose(admin, body.strip(), button="Записаться https://iro.example.ru/form")
    admin.expect("Получателей")
    await admin.press("Отправить сейчас")
    await drain(sender(app, FakeTime(), app.bots))
    [message] = got(teacher, body.strip())
    assert message.button_texts == ["Записаться"]


@BOTH
async def test_a_teacher_answers_an_event_announcement_from_the_broadcast(app: App) -> None:
    teacher = app.chat(1001)
    await onboard(teacher)
    async with app.database.sessionmaker() as session:
        event = Event(
            external_id="ev", title="Вебинар", kind="webinar", starts_at=NOW + timedelta(days=3),
            areas=[], subjects=[],
        )  # fmt: skip
        session.add(event)
        await session.commit()
        event_id = event.id
    await queue(app, "Семинар: приглашаем", event_id=event_id)
    await drain(sender(app, FakeTime(), app.bots))
    [announcement] = got(teacher, "Семинар: приглашаем")
    assert announcement.button_texts == ["✅ Пойду", "Не смогу"]
    teacher.clear_alerts()
    await teacher.press("Пойду")
    assert teacher.alerts() == ["Записали: вы идёте. Напомним за день и за час."]
    await teacher.press("Пойду")  # twice: the same answer
    assert teacher.alerts()[-1] == "Вы уже записаны на это мероприятие."
    async with app.database.sessionmaker() as session:
        [response] = await session.scalars(select(EventResponse))
    assert response.going is True


@BOTH
async def test_a_document_broadcast_reaches_teachers_on_both_messengers_with_its_name(app: App) -> None:
    here = on(app, app.messenger, 1001)
    await onboard(here)
    there = on(app, OTHER[app.messenger], 1002)
    await onboard(there, name="Смирнова Ольга")
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    content = b"PK\x03\x04 the programme"
    await admin.send_document("Программа семинара.docx", content, caption="Программа семинара")
    await admin.press("Без кнопки")
    await admin.press("Готово")
    assert admin.replies[0].document == ("Программа семинара.docx", content)
    await admin.press("Отправить сейчас")
    await drain(sender(app, FakeTime(), app.bots))
    for teacher in (here, there):
        [document] = [m for m in teacher.sent() if m.kind == "document"]
        name, received_content = document.document  # type: ignore[misc]
        assert received_content == content and document.plain_text == "Программа семинара"
        if app.messenger == "telegram" and teacher is there:
            # Telegram's file id does not carry the file's name: fetched for MAX, it keeps the
            # extension (file_1.docx, as Telegram stores it), so it opens.
            assert name.endswith(".docx"), name
        else:
            assert name == "Программа семинара.docx", teacher


@BOTH
async def test_a_photo_broadcast_is_uploaded_to_max_once_for_all_its_recipients(app: App) -> None:
    """MAX takes a file's token again in another message: the photo is fetched and uploaded once
    (the preview's or the first recipient's), not once per teacher."""
    assert app.max_stub is not None
    teachers = [on(app, "max", uid) for uid in (1001, 1002, 1003)]
    for teacher, name in zip(teachers, ("Иванова Анна", "Петрова Анна", "Сидорова Анна"), strict=True):
        await onboard(teacher, name=name)
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await compose(admin, None)
    await admin.press("Отправить сейчас")
    await drain(sender(app, FakeTime(), app.bots))
    for teacher in teachers:
        assert [m.kind for m in teacher.sent() if m.kind == "photo"] == ["photo"]
    assert len(app.max_stub.uploads) == 1


async def test_a_photo_broadcast_made_on_max_is_fetched_for_telegram_once(app: App) -> None:
    """Telegram's file id of the first upload serves the other Telegram teachers."""
    assert app.max_stub is not None
    teachers = [on(app, "telegram", uid) for uid in (1001, 1002, 1003)]
    for teacher, name in zip(teachers, ("Иванова Анна", "Петрова Анна", "Сидорова Анна"), strict=True):
        await onboard(teacher, name=name)
    admin = on(app, "max", ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await compose(admin, None)
    await admin.press("Отправить сейчас")
    await drain(sender(app, FakeTime(), app.bots))
    for teacher in teachers:
        [photo] = [m for m in teacher.sent() if m.kind == "photo"]
        assert photo.document is not None and photo.document[1] == b"\xff\xd8\xff\xd9"
    assert len([f for f in app.stub._files.values() if f.kind == "photo"]) == 1  # uploaded to Telegram once


@pytest.mark.parametrize("messenger", ["max"], indirect=True)  # MAX's own formatting of a text
async def test_a_broadcast_written_with_formatting_on_max_keeps_it(app: App) -> None:
    from tests.max_chat import MaxChat

    teacher = app.chat(1001)
    await onboard(teacher)
    admin = app.chat(ADMIN_ID, first_name="Админ")
    assert isinstance(admin, MaxChat)
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    text = "Семинар в пятницу 😀: программа, запись <до 20.11> & зал"
    await admin.send_formatted(
        text,
        [
            {"type": "strong", "from": 0, "length": 7},
            {"type": "emphasized", "from": 8, "length": 9},
            {"type": "link", "from": 22, "length": 9, "url": "https://iro.example.ru/p"},
            {"type": "user_mention", "from": 33, "length": 6, "user_id": 5},
            {"type": "strong", "from": 10_000, "length": "x"},  # nonsense is left out
            {"type": "underline", "from": 40, "length": 500},
        ],
    )
    await admin.press("Без кнопки")
    await admin.press("Готово")
    await admin.press("Отправить сейчас")
    await drain(sender(app, FakeTime(), app.bots))
    [message] = got(teacher, text)
    assert message.text == (
        '<b>Семинар</b> <i>в пятницу</i> 😀: <a href="https://iro.example.ru/p">программа</a>, '
        "запись &lt;до 20.11&gt; &amp; зал"
    )


@BOTH
async def test_a_teacher_answers_a_photo_announcement_from_its_buttons(app: App) -> None:
    """The buttons of a photo are the photo's own: a press on them is not a forged one."""
    teacher = app.chat(1001)
    await onboard(teacher)
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await compose(admin, None)
    await admin.press("Отправить сейчас")
    async with app.database.sessionmaker() as session:
        event = Event(
            external_id="ev", title="Вебинар", kind="webinar", starts_at=NOW + timedelta(days=3),
            areas=[], subjects=[],
        )  # fmt: skip
        session.add(event)
        await session.flush()
        [broadcast] = await session.scalars(select(Broadcast))
        broadcast.event_id = event.id  # an announcement of the event, with its photo
        await session.commit()
    await drain(sender(app, FakeTime(), app.bots))
    [photo] = [m for m in teacher.sent() if m.kind == "photo"]
    assert photo.button_texts == ["✅ Пойду", "Не смогу"]
    teacher.clear_alerts()
    await teacher.press("Не смогу")
    assert teacher.alerts() == ["Отметили: вы не сможете."]
    async with app.database.sessionmaker() as session:
        [response] = await session.scalars(select(EventResponse))
    assert response.going is False


@BOTH
async def test_a_broadcast_within_the_wizards_limit_arrives_as_one_message_whatever_its_markup(
    app: App,
) -> None:
    """3,500 characters as the person reads them: MAX's 4,000 are counted the same way, so the
    escaping of «<», «>» and «&» does not split it in two."""
    teacher = app.chat(1001)
    await onboard(teacher)
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    body = ("Семинар <онлайн> & очно, " * 140).strip()  # 3,499 characters, 420 of them escaped
    assert len(body) <= 3500
    await compose(admin, body, button="Записаться https://iro.example.ru/form")
    assert len([m for m in admin.replies if m.plain_text == body]) == 1, "the preview in one piece"
    await admin.press("Отправить сейчас")
    await drain(sender(app, FakeTime(), app.bots))
    [message] = got(teacher, body)
    assert message.button_texts == ["Записаться"]


@BOTH
async def test_the_municipality_picker_of_a_region_with_seventy_municipalities(app: App) -> None:
    """MAX shows at most 30 rows of buttons (7 a row): a long list is laid out wider, not refused."""
    from domain.region import Municipality as Place
    from storage.regions_loader import SHIPPED_REGIONS_DIR, load_region, read_region_file

    config = read_region_file(SHIPPED_REGIONS_DIR / "kostroma.yaml")
    extra = tuple(Place(id=f"extra{n}", name=f"Посёлок {n}", kind="municipal_district") for n in range(1, 42))
    async with app.database.sessionmaker() as session:
        await load_region(
            session, config.model_copy(update={"municipalities": config.municipalities + extra})
        )
        await session.commit()
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    await admin.send("Семинар в пятницу")
    await admin.press("Без кнопки")
    await admin.press("Муниципалитет")
    buttons = admin.buttons()
    assert len(buttons) == 1 + 29 + 41 and "Посёлок 41" in buttons
    await admin.press("Посёлок 41")
    admin.expect("Посёлок 41", "Получателей: 0")
