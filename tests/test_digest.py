"""Flow 7: the methodist's daily digest — counts, query budget, isolation, conversation, schedule."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.factory import Database
from bot.jobs import plan_outbox, send_outbox
from domain.digest import (
    DigestTimeError,
    Kind,
    Snapshot,
    TeacherFacts,
    build_digest,
    next_digest_at,
    parse_digest_time,
    short_name,
)
from handlers.callbacks import WorkspaceAction, WorkspaceCb
from handlers.digest import DigestMessage, render_digest
from locales import Translations
from services.uow import UnitOfWork
from storage.digest import caseload_snapshot, methodists_with_caseload
from storage.models import (
    Caseload,
    Diagnosis,
    MentorPair,
    MethodistSettings,
    OutboxMessage,
    Route,
    RouteItem,
    User,
)
from tests.conftest import NOW, App

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
# The conversations run on both messengers.
BOTH = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


# --- seeding rows directly ------------------------------------------------------------------------


class Seed:
    """Rows as the other flows would leave them, written straight through the ORM."""

    def __init__(self, session: AsyncSession, messenger: str = "telegram") -> None:
        self.session = session
        self.messenger = messenger  # everyone's messenger: the conversation's, in a chat test
        self._telegram_ids = itertools.count(700_000)

    async def person(
        self,
        name: str,
        *,
        role: str = "teacher",
        telegram_id: int | None = None,
        created: datetime = NOW - 200 * DAY,
        seen: datetime | None = NOW - HOUR,
        birth: date | None = date(1980, 1, 1),
        work_start: int | None = 2005,
    ) -> User:
        user = User(
            messenger=self.messenger,
            telegram_id=telegram_id or next(self._telegram_ids),
            locale="ru",
            role=role,
            consent_at=created,
            created_at=created,
            profile_completed_at=created,
            full_name=name,
            position="teacher",
            region_code="kostroma",
            subjects=["math"],
            birth_date=birth,
            work_start_year=work_start,
            qualification="first",
            last_seen_at=seen,
        )
        self.session.add(user)
        await self.session.flush()
        return user

    async def teacher(self, methodist: User, name: str, **kwargs: Any) -> User:
        teacher = await self.person(name, **kwargs)
        self.session.add(
            Caseload(teacher_id=teacher.id, methodist_id=methodist.id, assigned_at=NOW - 300 * DAY)
        )
        return teacher

    def diagnosis(
        self,
        teacher: User,
        finished: datetime | None,
        deficits: list[str],
        *,
        source: str = "self",
        status: str = "done",
    ) -> None:
        self.session.add(
            Diagnosis(
                user_id=teacher.id,
                source=source,
                framework_version="efs-2026",
                status=status,
                started_at=(finished or NOW) - HOUR,
                finished_at=finished,
                deficits=deficits,
            )
        )

    async def route(self, teacher: User, status: str, *, submitted: datetime | None = None) -> Route:
        route = Route(
            user_id=teacher.id,
            status=status,
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 8, 31),
            submitted_at=submitted,
        )
        self.session.add(route)
        await self.session.flush()
        return route

    def item(
        self,
        route: Route,
        due: date,
        *,
        done: datetime | None = None,
        evidence: str | None = None,
        confirmed: datetime | None = None,
    ) -> None:
        self.session.add(
            RouteItem(
                route_id=route.id,
                area="methodical",
                kind="course",
                form="formal",
                title="Курс",
                due_on=due,
                status="done" if done else "planned",
                done_at=done,
                evidence_kind=evidence,
                evidence="https://example.org/result" if evidence else None,
                transfer_confirmed_at=confirmed,
            )
        )

    def pair(self, mentee: User, mentor: User, *, closed: datetime | None = None) -> None:
        self.session.add(
            MentorPair(
                mentee_id=mentee.id,
                mentor_id=mentor.id,
                form="young",
                status="closed" if closed else "active",
                started_at=NOW - 100 * DAY,
                closed_at=closed,
            )
        )


async def seed_caseloads(session: AsyncSession, messenger: str = "telegram") -> tuple[User, User]:
    """Methodist A with eight teachers (the hand-counted case below) and methodist B with two."""
    seed = Seed(session, messenger)
    a = await seed.person("Методистова Алла Борисовна", role="methodist", telegram_id=5001)
    b = await seed.person("Другой Методист Иванович", role="methodist", telegram_id=5002)

    # New today, young, no support yet.
    await seed.teacher(
        a,
        "Новикова Анна Сергеевна",
        telegram_id=1001,
        created=NOW - 2 * HOUR,
        birth=date(2000, 3, 1),
        work_start=2025,
    )
    # Finished a self-diagnosis this morning (the older one must not count) and submitted an ИОМ.
    petrov = await seed.teacher(a, "Петров Илья Олегович", created=NOW - 100 * DAY, seen=NOW - 3 * HOUR)
    seed.diagnosis(petrov, NOW - 60 * DAY, ["subject"])
    seed.diagnosis(petrov, NOW - 5 * HOUR, ["methodical", "it_digital"])
    await seed.route(petrov, "submitted", submitted=NOW - 4 * HOUR)
    # An active ИОМ: two items overdue (one since today), one piece of evidence to confirm.
    sidorova = await seed.teacher(a, "Сидорова Ольга Ивановна", seen=NOW - 20 * HOUR)
    seed.diagnosis(sidorova, NOW - 30 * DAY, ["methodical"])
    route = await seed.route(sidorova, "active", submitted=NOW - 40 * DAY)
    seed.item(route, date(2026, 11, 10))
    seed.item(route, date(2026, 11, 21))  # due yesterday: overdue since this (Moscow) midnight
    seed.item(route, date(2026, 12, 20))
    seed.item(route, date(2026, 11, 15), done=NOW - 2 * HOUR, evidence="link")
    seed.item(route, date(2026, 11, 1), done=NOW - 9 * DAY, evidence="photo", confirmed=NOW - 8 * DAY)
    seed.item(route, date(2026, 11, 2), done=NOW - 9 * DAY)  # done without evidence: nothing to confirm
    # Young with a mentor: supported.
    kuznetsov = await seed.teacher(
        a, "Кузнецов Пётр Андреевич", seen=NOW - 10 * DAY, birth=date(1999, 6, 1), work_start=2024
    )
    # The mentor, never seen since registering 90 days ago.
    orlova = await seed.teacher(a, "Орлова Мария Викторовна", created=NOW - 90 * DAY, seen=None)
    seed.pair(kuznetsov, orlova)
    # Away for 45 days; an unfinished self-diagnosis and an official result do not count.
    volkov = await seed.teacher(a, "Волков Денис Игоревич", created=NOW - 300 * DAY, seen=NOW - 45 * DAY)
    seed.diagnosis(volkov, None, [], status="in_progress")
    seed.diagnosis(volkov, NOW - HOUR, ["subject"], source="cnppm")
    # Young; the mentor pair closed this morning; a draft ИОМ's past dates are not "overdue".
    zaitseva = await seed.teacher(
        a,
        "Зайцева Нина <Тест>",
        created=NOW - 50 * DAY,
        seen=NOW - 2 * DAY,
        birth=date(1998, 1, 10),
        work_start=2024,
    )
    seed.pair(zaitseva, orlova, closed=NOW - 3 * HOUR)
    draft = await seed.route(zaitseva, "draft")
    seed.item(draft, date(2026, 11, 1))
    # Crossed the 30-day inactivity line an hour ago; old evidence on a finished ИОМ, a new draft.
    lebedev = await seed.teacher(
        a, "Лебедев Антон Павлович", created=NOW - 400 * DAY, seen=NOW - 30 * DAY - HOUR
    )
    finished = await seed.route(lebedev, "completed", submitted=NOW - 300 * DAY)
    seed.item(finished, date(2026, 10, 1), done=NOW - 10 * DAY, evidence="text")
    await seed.route(lebedev, "draft")

    # Methodist B's teachers: new, and overdue on an active ИОМ.
    await seed.teacher(b, "Чужой Учитель Иванович", created=NOW - HOUR)
    other = await seed.teacher(b, "Посторонняя Анна Петровна")
    seed.item(await seed.route(other, "active"), date(2026, 11, 1))
    await session.commit()
    return a, b


def counts(message: DigestMessage) -> str:
    return message.text.split("\n\n")[0]


# --- (a) counts of a seeded caseload --------------------------------------------------------------


async def test_seeded_caseload_counts_match_hand_counted(
    database: Database, translations: Translations
) -> None:
    async with database.sessionmaker() as session:
        a, _ = await seed_caseloads(session)
        snapshot = await caseload_snapshot(session, a.id, NOW)
        digest = build_digest(snapshot, since=NOW - DAY, now=NOW, inactivity_days=30)

        def names(kind: Kind) -> list[str]:
            return [e.name.split()[0] for e in digest.section(kind).entries]

        assert (snapshot.timezone, snapshot.today) == ("Europe/Moscow", date(2026, 11, 22))
        assert digest.teachers == 8
        assert names(Kind.NEW) == ["Новикова"]
        assert names(Kind.DIAGNOSED) == ["Петров"]
        assert digest.section(Kind.DIAGNOSED).entries[0].areas == ("methodical", "it_digital")
        assert names(Kind.AWAITING) == ["Петров"]
        assert names(Kind.OVERDUE) == ["Сидорова"]
        assert digest.section(Kind.OVERDUE).quantity == 2
        assert names(Kind.EVIDENCE) == ["Сидорова", "Лебедев"]
        assert names(Kind.YOUNG) == ["Зайцева", "Новикова"]  # Кузнецов has a mentor
        assert names(Kind.INACTIVE) == ["Орлова", "Волков", "Лебедев"]  # never seen first
        fresh = {s.kind: s.fresh for s in digest.sections}
        assert fresh == {
            Kind.NEW: 1,
            Kind.DIAGNOSED: 1,
            Kind.AWAITING: 1,
            Kind.OVERDUE: 1,
            Kind.EVIDENCE: 1,
            Kind.YOUNG: 2,
            Kind.INACTIVE: 1,
        }
        assert not digest.is_empty()
        assert digest.diagnosed == 2
        assert dict(digest.deficits) == {
            "methodical": 2,
            "it_digital": 1,
            "subject": 0,
            "psych_ped": 0,
            "communicative": 0,
        }
        assert digest.deficits[0] == ("methodical", 2)

        message = await render_digest(UnitOfWork(session, lambda: NOW), a, translations.get("ru"))
    assert message is not None and message.chart is not None and message.chart.startswith(b"\x89PNG")
    assert len(message.text) < 4096
    assert counts(message).splitlines()[1:] == [
        "🆕 Новые педагоги: 1",
        "📝 Прошли самодиагностику: 1",
        "⏳ ИОМ на согласовании: 1 (новых: 1)",
        "⌛ Просрочены пункты ИОМ: 1 педагог, 2 пункта (новых: 1)",
        "📎 Результаты ждут подтверждения: 2 педагога, 2 пункта (новых: 1)",
        "🌱 Молодые педагоги без наставника и поддержки: 2 (новых: 2)",
        "💤 Не заходили больше 30 дней: 3 (новых: 1)",
    ]
    assert "Петров Илья Олегович — дефициты: Методические, IT- и цифровые" in message.text
    assert "Зайцева Нина &lt;Тест&gt;" in message.text  # escaped
    assert message.markup is not None
    cards = [b.callback_data for row in message.markup.inline_keyboard for b in row]
    assert WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=a.id).pack() not in cards and all(
        c and len(c.encode()) <= 64 for c in cards
    )


async def test_a_long_caseload_fits_one_message(database: Database, translations: Translations) -> None:
    """250 teachers with 200-character names, every one of them in several sections."""
    async with database.sessionmaker() as session:
        seed = Seed(session)
        methodist = await seed.person("Методистова Алла Борисовна", role="methodist")
        for i in range(250):
            name = f"Очень{'длинная' * 27} Фамилия{i:03d} Отчество"[:200]
            teacher = await seed.teacher(methodist, name, created=NOW - HOUR, seen=None)
            seed.diagnosis(teacher, NOW - HOUR, ["methodical", "subject", "it_digital"])
            route = await seed.route(teacher, "submitted", submitted=NOW - 2 * HOUR)
            seed.item(route, date(2026, 11, 1), done=NOW - HOUR, evidence="text")
        await session.commit()
        message = await render_digest(
            UnitOfWork(session, lambda: NOW), methodist, translations.get("ru"), with_chart=False
        )
    assert message is not None and message.markup is not None
    assert len(message.text.encode("utf-16-le")) // 2 < 4096
    buttons = [b for row in message.markup.inline_keyboard for b in row]
    assert len(buttons) <= 100
    assert any("все 250" in b.text for b in buttons)


# --- (b) a fixed number of queries ----------------------------------------------------------------


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _caseload_of(session: AsyncSession, seed: Seed, size: int, tag: str) -> User:
    methodist = await seed.person(f"Методист {tag}", role="methodist")
    mentor = await seed.person(f"Наставник {tag}")
    for i in range(size):
        teacher = await seed.teacher(
            methodist, f"Педагог {tag} {i}", birth=date(1999, 1, 1), work_start=2024 + i % 3, seen=None
        )
        seed.diagnosis(teacher, NOW - i * HOUR, ["methodical"] if i % 2 else ["subject", "it_digital"])
        route = await seed.route(teacher, ("active", "submitted", "draft")[i % 3], submitted=NOW - i * DAY)
        seed.item(route, date(2026, 11, 1 + i % 20))
        seed.item(route, date(2026, 11, 2), done=NOW - i * HOUR, evidence="link")
        if i % 4 == 0:
            seed.pair(teacher, mentor)
    await session.commit()
    return methodist


async def test_snapshot_takes_the_same_queries_for_5_and_60_teachers(database: Database) -> None:
    async with database.sessionmaker() as session:
        seed = Seed(session)
        small, large = await _caseload_of(session, seed, 5, "S"), await _caseload_of(session, seed, 60, "L")
        with statements(database.engine) as for_small:
            snapshot_small = await caseload_snapshot(session, small.id, NOW)
        with statements(database.engine) as for_large:
            snapshot_large = await caseload_snapshot(session, large.id, NOW)
    assert (len(snapshot_small.teachers), len(snapshot_large.teachers)) == (5, 60)
    assert sum(t.overdue_items for t in snapshot_large.teachers) == 20  # every third route is active
    assert len(for_small) == len(for_large) == 12, for_large


# --- (c) isolation --------------------------------------------------------------------------------


async def test_a_methodist_sees_only_their_own_caseload(
    database: Database, translations: Translations
) -> None:
    t = translations.get("ru")
    async with database.sessionmaker() as session:
        a, b = await seed_caseloads(session)
        digest_a = await render_digest(
            UnitOfWork(session, lambda: NOW), a, t, on_demand=True, with_chart=False
        )
        digest_b = await render_digest(
            UnitOfWork(session, lambda: NOW), b, t, on_demand=True, with_chart=False
        )
        late_a = await render_digest(UnitOfWork(session, lambda: NOW), a, t, section=Kind.OVERDUE)
        ids_a = {
            c.teacher_id for c in await session.scalars(select(Caseload).where(Caseload.methodist_id == a.id))
        }
        assert [m.id for m in await methodists_with_caseload(session)] == [a.id, b.id]
    assert digest_a is not None and digest_b is not None and late_a is not None
    for text in (digest_a.text, late_a.text):
        assert "Чужой" not in text and "Посторонняя" not in text
    assert "Новикова" not in digest_b.text and "Сидорова" not in digest_b.text
    assert "Чужой Учитель Иванович" in digest_b.text
    assert digest_a.markup is not None
    opened = {
        int(b.callback_data.split(":")[2])
        for row in digest_a.markup.inline_keyboard
        for b in row
        if b.callback_data and b.callback_data.startswith("ws:card:")
    }
    assert opened and opened <= ids_a


# --- (d) the conversation -------------------------------------------------------------------------


async def _seeded(app: App) -> tuple[User, User]:
    async with app.database.sessionmaker() as session:
        return await seed_caseloads(session, app.messenger)


@BOTH
async def test_digest_on_demand_pages_and_settings(app: App) -> None:
    await _seeded(app)
    methodist = app.chat(5001)
    await methodist.send("/digest")
    photo, _ = methodist.replies
    assert photo.kind == "photo" and photo.document is not None and photo.document[1].startswith(b"\x89PNG")
    methodist.expect("Сводка на 22.11.2026", "Новые педагоги: 1", "Сидорова Ольга Ивановна — 2 пункта")
    assert "🆕🌱 Новикова А. С." in methodist.buttons()
    await methodist.press("Петров И. О.")  # the workspace opens the teacher's card
    methodist.expect("Петров Илья Олегович")
    await methodist.send("/digest")

    # The workspace button gives the same digest.
    await methodist.press_data("dj:show:0:")
    assert [m.kind for m in methodist.replies] == ["photo", "text"]

    await methodist.press("Настройки сводки")
    methodist.expect("Приходит в 08:30", "следующая — 23.11 08:30", "одна короткая строка")
    await methodist.press("09:00")
    assert "✓ 09:00" in methodist.buttons()
    await methodist.press("Другое время")
    methodist.expect("ЧЧ:ММ")
    await methodist.send("25:00")
    methodist.expect("Такого времени нет")
    await methodist.send("7:45")
    methodist.expect("Сводка будет приходить в 07:45", "следующая — 23.11 07:45")
    await methodist.press("Ничего не присылать")
    async with app.database.sessionmaker() as session:
        settings = await session.scalar(select(MethodistSettings))
    assert settings is not None and (settings.digest_time, settings.quiet_days) == ("07:45", "none")

    # /digest_settings opens the same screen.
    await methodist.send("/digest_settings")
    methodist.expect("Приходит в 07:45", "ничего не присылать")


@BOTH
async def test_long_sections_page(app: App) -> None:
    async with app.database.sessionmaker() as session:
        seed = Seed(session, app.messenger)
        methodist = await seed.person("Методистова Алла Борисовна", role="methodist", telegram_id=5001)
        for i in range(14):
            await seed.teacher(
                methodist, f"Неактивная{'абвгдежзийклмн'[i]} Анна Ивановна", seen=NOW - (40 + i) * DAY
            )
        await session.commit()
    chat = app.chat(5001)
    await chat.send("/digest")
    assert [m.kind for m in chat.replies] == ["text"]  # no diagnoses, no chart
    chat.expect("Не заходили больше 30 дней: 14", "… и ещё 9 педагогов")
    await chat.press("Неактивные: все 14")
    chat.expect("Давно не заходили: 14 · стр. 1 из 2", "Неактивнаян Анна Ивановна")  # the longest away first
    await chat.press("Далее")
    chat.expect("стр. 2 из 2", "Неактивнаяа Анна Ивановна")
    assert "Неактивнаян" not in chat.text
    await chat.press("К сводке")
    chat.expect("Сводка на 22.11.2026")
    await chat.press_data("dj:page:9:idle")  # a page that no longer exists: the last one
    chat.expect("стр. 2 из 2")


@BOTH
async def test_the_scheduled_digest_reaches_each_methodist_on_their_messenger(app: App) -> None:
    """The digest is no answer to anything: the scheduler's job plans it and the outbox's sender
    delivers it — chart first, then the text with its buttons — through the methodist's own
    messenger's bot (MAX's through its upload flow); its buttons work there."""
    await _seeded(app)
    methodist, other = app.chat(5001), app.chat(5002)
    for chat in (methodist, other):  # each has the bot open (a messenger delivers to no stranger)
        await chat.send("/start")
    app.max_stub.not_ready = 1  # type: ignore[union-attr]  # on MAX: the chart is still being processed
    await plan_outbox(app.database.sessionmaker, app.clock)
    async with app.database.sessionmaker() as session:
        due = list(await session.scalars(select(OutboxMessage.due_at).where(OutboxMessage.kind == "digest")))
    assert due == [datetime(2026, 11, 23, 5, 30, tzinfo=UTC)] * 2  # 08:30 in Moscow, for A and B
    app.clock.now = due[0]
    await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
    async with app.database.sessionmaker() as session:
        rows = list(await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")))
    assert [(r.status, r.error) for r in rows] == [("sent", None)] * 2
    photo, text = methodist.received()[-2:]
    assert photo.kind == "photo" and photo.document is not None and photo.document[1].startswith(b"\x89PNG")
    assert "Сводка на 23.11.2026" in text.plain_text and "Сидорова Ольга Ивановна" in text.plain_text
    assert "Чужой" not in text.plain_text
    assert any("Чужой Учитель Иванович" in m.plain_text for m in other.received())
    # Nothing went through the other messenger's bot.
    elsewhere = app.max_stub.outbox if app.messenger == "telegram" else app.stub.outbox  # type: ignore[union-attr]
    assert elsewhere == []
    await methodist.press("Петров И. О.")
    methodist.expect("Петров Илья Олегович")


@BOTH
async def test_teachers_have_no_digest(app: App) -> None:
    await _seeded(app)
    teacher = app.chat(1001)  # Новикова, a teacher of methodist A
    await teacher.send("/digest")
    teacher.expect("Такой команды нет")
    await teacher.send("/digest_settings")
    teacher.expect("Такой команды нет")
    await teacher.press_data("dj:show:0:")
    assert teacher.alerts()[-1].startswith("Нет доступа")


# --- (e) when the digest is due -------------------------------------------------------------------


class _Settings:
    def __init__(self, digest_time: str) -> None:
        self.digest_time = digest_time


@pytest.mark.parametrize(
    ("tz", "digest_time", "now", "expected"),
    [
        # NOW is 09:30 UTC: 12:30 in Moscow, 13:30 in Saratov, 16:30 in Novokuznetsk.
        ("Europe/Moscow", "08:30", NOW, datetime(2026, 11, 23, 5, 30, tzinfo=UTC)),  # passed: tomorrow
        ("Europe/Moscow", "17:00", NOW, datetime(2026, 11, 22, 14, 0, tzinfo=UTC)),  # ahead: today
        ("Europe/Saratov", "08:30", NOW, datetime(2026, 11, 23, 4, 30, tzinfo=UTC)),
        ("Europe/Saratov", "17:00", NOW, datetime(2026, 11, 22, 13, 0, tzinfo=UTC)),
        ("Asia/Novokuznetsk", "08:30", NOW, datetime(2026, 11, 23, 1, 30, tzinfo=UTC)),
        ("Asia/Novokuznetsk", "17:00", NOW, datetime(2026, 11, 22, 10, 0, tzinfo=UTC)),
        # 20:00 UTC is already 03:00 on the 23rd in Novokuznetsk: 08:30 there is still ahead.
        (
            "Asia/Novokuznetsk",
            "08:30",
            datetime(2026, 11, 22, 20, 0, tzinfo=UTC),
            datetime(2026, 11, 23, 1, 30, tzinfo=UTC),
        ),
        # Exactly at the digest time: the next one is tomorrow's.
        (
            "Europe/Moscow",
            "08:30",
            datetime(2026, 11, 22, 5, 30, tzinfo=UTC),
            datetime(2026, 11, 23, 5, 30, tzinfo=UTC),
        ),
    ],
)
def test_next_digest_at(tz: str, digest_time: str, now: datetime, expected: datetime) -> None:
    assert next_digest_at(_Settings(digest_time), tz, now) == expected


def test_next_digest_at_defaults() -> None:
    assert next_digest_at(None, "Europe/Moscow", NOW) == datetime(2026, 11, 23, 5, 30, tzinfo=UTC)
    assert next_digest_at(_Settings("bad"), "Europe/Saratov", NOW) == datetime(
        2026, 11, 23, 4, 30, tzinfo=UTC
    )
    with pytest.raises(ValueError, match="aware"):
        next_digest_at(None, "Europe/Moscow", NOW.replace(tzinfo=None))


@pytest.mark.parametrize(("text", "expected"), [("8:30", "08:30"), (" 07.45 ", "07:45"), ("23:59", "23:59")])
def test_parse_digest_time(text: str, expected: str) -> None:
    assert parse_digest_time(text).strftime("%H:%M") == expected


@pytest.mark.parametrize(
    ("text", "code"), [("830", "format"), ("8:3", "format"), ("24:00", "range"), ("12:60", "range")]
)
def test_parse_digest_time_rejects(text: str, code: str) -> None:
    with pytest.raises(DigestTimeError) as err:
        parse_digest_time(text)
    assert err.value.code == f"digest-err-time-{code}"


def test_short_name() -> None:
    assert short_name("Иванова Мария Петровна") == "Иванова М. П."
    assert short_name("Ли") == "Ли"
    assert len(short_name("Ж" * 200)) == 28


# --- (f) quiet days -------------------------------------------------------------------------------


async def _quiet_caseload(session: AsyncSession, messenger: str = "telegram") -> User:
    """Standing items only: an ИОМ awaiting approval for three days, a teacher away for 100 days."""
    seed = Seed(session, messenger)
    methodist = await seed.person("Методистова Алла Борисовна", role="methodist", telegram_id=5001)
    waiting = await seed.teacher(methodist, "Ждущая Ольга Петровна", seen=NOW - 3 * DAY)
    await seed.route(waiting, "submitted", submitted=NOW - 3 * DAY)
    await seed.teacher(methodist, "Пропавший Иван Иванович", seen=NOW - 100 * DAY)
    await session.commit()
    return methodist


async def test_quiet_day_short_line_nothing_or_everything_on_demand(
    database: Database, translations: Translations
) -> None:
    t = translations.get("ru")
    async with database.sessionmaker() as session:
        methodist = await _quiet_caseload(session)
        snapshot = await caseload_snapshot(session, methodist.id, NOW)
        digest = build_digest(snapshot, since=NOW - DAY, now=NOW, inactivity_days=30)
        assert digest.is_empty()  # nothing new, though two sections are not empty
        assert (digest.section(Kind.AWAITING).count, digest.section(Kind.INACTIVE).count) == (1, 1)

        short = await render_digest(
            UnitOfWork(session, lambda: NOW), methodist, t
        )  # no settings yet: the default
        assert short is not None and short.chart is None
        assert short.text == "📋 22.11.2026: по вашим педагогам (2) за сутки нового нет."
        assert short.markup is not None and short.markup.inline_keyboard[0][0].callback_data == "dj:show:0:"

        session.add(MethodistSettings(user_id=methodist.id, digest_time="08:30", quiet_days="none"))
        await session.commit()
        assert await render_digest(UnitOfWork(session, lambda: NOW), methodist, t) is None

        everything = await render_digest(UnitOfWork(session, lambda: NOW), methodist, t, on_demand=True)
        assert everything is not None
        assert "ИОМ на согласовании: 1" in everything.text and "Пропавший Иван Иванович" in everything.text

        # Three days earlier the submission was news: the scheduled digest is sent in full.
        earlier = await render_digest(UnitOfWork(session, lambda: NOW), methodist, t, since=NOW - 4 * DAY)
        assert earlier is not None and "ИОМ на согласовании: 1 (новых: 1)" in earlier.text


@BOTH
async def test_quiet_setting_through_the_dispatcher(app: App) -> None:
    async with app.database.sessionmaker() as session:
        methodist = await _quiet_caseload(session, app.messenger)
    chat = app.chat(5001)
    await chat.send("/digest_settings")
    await chat.press("Ничего не присылать")
    async with app.database.sessionmaker() as session:
        assert (
            await render_digest(UnitOfWork(session, app.clock), methodist, app.translations.get("ru")) is None
        )
    await chat.press("Короткая строка")
    async with app.database.sessionmaker() as session:
        message = await render_digest(UnitOfWork(session, app.clock), methodist, app.translations.get("ru"))
    assert message is not None and "нового нет" in message.text


# --- the domain alone -----------------------------------------------------------------------------


def test_overdue_is_new_when_it_fell_due_since_the_last_digest() -> None:
    """An item due on the 21st becomes overdue at local midnight: new in the digest after it only."""

    def digest(now: datetime) -> bool:
        teacher = TeacherFacts(
            1,
            "Педагог",
            NOW - 400 * DAY,
            last_seen_at=now,
            overdue_items=1,
            latest_overdue_on=date(2026, 11, 21),
        )
        snapshot = Snapshot(1, "Asia/Novokuznetsk", now.date(), (teacher,))
        return (
            build_digest(snapshot, since=now - DAY, now=now, inactivity_days=30).section(Kind.OVERDUE).fresh
            == 1
        )

    # Novokuznetsk is UTC+7: the 22nd starts there at 17:00 UTC on the 21st.
    assert digest(datetime(2026, 11, 22, 1, 0, tzinfo=UTC))  # since = 21st 08:00 local: news
    assert not digest(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # since = 22nd 08:00 local: old news
