"""services.events without Telegram: a unit of work over a real (migrated) database."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.factory import Database
from domain.events import Audience, Kind, Rsvp
from domain.framework import AREA_CODES
from domain.roles import Role
from services import events as service
from services.regions import RegionRules, region_rules
from services.results import DENIED, STALE, Invalid, Stale
from services.uow import UnitOfWork
from storage.models import AuditEntry, Broadcast, Event, EventResponse, OutboxMessage, User
from tests.conftest import NOW, Clock

# 10.12.2026 15:00 in Moscow (Kostroma), 19:00 in Novokuznetsk (Kuzbass).
START = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def _person(
    uow: UnitOfWork, telegram_id: int, *, region: str | None = "kostroma", name: str = "Иванова Мария"
) -> User:
    user = User(telegram_id=telegram_id, locale="ru", consent_at=NOW, full_name=name, region_code=region)
    uow.session.add(user)
    await uow.commit()
    return user


_EVENT_IDS = itertools.count(1)


async def _event(
    uow: UnitOfWork,
    *,
    region: str | None = "kostroma",
    title: str = "Семинар о наставничестве",
    starts_at: datetime = START,
    seats: int | None = None,
    subjects: tuple[str, ...] = (),
) -> Event:
    event = Event(
        external_id=f"t-{next(_EVENT_IDS)}",  # the column holds 60 characters (PostgreSQL checks)
        region_code=region,
        title=title,
        kind=Kind.SEMINAR,
        starts_at=starts_at,
        duration_minutes=90,
        place="ЦНППМ, ауд. 5",
        areas=[],
        subjects=list(subjects),
        seats=seats,
    )
    uow.session.add(event)
    await uow.commit()
    return event


async def _rules(uow: UnitOfWork, user: User) -> RegionRules:
    return await region_rules(uow, user.region_code)


async def _count(uow: UnitOfWork, model: type[object]) -> int:
    return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


# --- teachers ---------------------------------------------------------------------------------------


async def test_upcoming_shows_the_regions_and_every_regions_events_ahead(uow: UnitOfWork) -> None:
    teacher = await _person(uow, 1)
    own = await _event(uow, title="Костромской", seats=10)
    everyone = await _event(uow, region=None, title="Всероссийский", starts_at=START - timedelta(days=1))
    await _event(uow, region="kuzbass", title="Кузбасский")
    await _event(uow, title="Прошедший", starts_at=NOW - timedelta(hours=1))
    rules = await _rules(uow, teacher)
    await service.answer(uow, teacher, Role.TEACHER, rules, own.id, True)

    listed = await service.upcoming(uow, teacher, Role.TEACHER, rules)
    assert [e.title for e in listed.events] == ["Всероссийский", "Костромской"]  # soonest first
    assert listed.total == 2 and (listed.page, listed.pages) == (0, 1)
    assert listed.going == {own.id: 1} and listed.answers == {own.id: True}
    assert listed.zone == ZoneInfo("Europe/Moscow") and not listed.staff
    assert everyone.id not in listed.answers
    methodist_view = await service.upcoming(uow, teacher, Role.METHODIST, rules)
    assert methodist_view.staff


async def test_upcoming_pages_are_clamped(uow: UnitOfWork) -> None:
    teacher = await _person(uow, 1)
    for n in range(service.PAGE + 2):
        await _event(uow, title=f"Событие {n}", starts_at=START + timedelta(hours=n))
    rules = await _rules(uow, teacher)
    second = await service.upcoming(uow, teacher, Role.TEACHER, rules, page=99)
    assert (second.page, second.pages, second.total) == (1, 2, service.PAGE + 2)
    assert [e.title for e in second.events] == [f"Событие {service.PAGE}", f"Событие {service.PAGE + 1}"]


async def test_a_card_of_another_regions_or_a_missing_event_is_stale(uow: UnitOfWork) -> None:
    teacher = await _person(uow, 1)
    admin = await _person(uow, 2, region=None)
    foreign = await _event(uow, region="kuzbass")
    rules = await _rules(uow, teacher)
    assert await service.card(uow, teacher, Role.TEACHER, rules, foreign.id) is STALE
    assert await service.card(uow, teacher, Role.TEACHER, rules, 987_654) is STALE
    # An admin without a region sees every region's events.
    card = await service.card(uow, admin, Role.ADMIN, RegionRules(), foreign.id)
    assert isinstance(card, service.Card) and card.mine is None and card.going == 0 and not card.full


async def test_going_takes_a_seat_and_plans_reminders_not_going_cancels_only_ones_own(
    uow: UnitOfWork,
) -> None:
    first, second, third = await _person(uow, 1), await _person(uow, 2), await _person(uow, 3)
    event = await _event(uow, seats=2)
    rules = await _rules(uow, first)

    assert await service.answer(uow, first, Role.TEACHER, rules, event.id, True) == service.Answered(
        Rsvp.GOING, True
    )
    assert await service.answer(uow, first, Role.TEACHER, rules, event.id, True) == service.Answered(
        Rsvp.SAME, True
    )
    assert await service.answer(uow, second, Role.TEACHER, rules, event.id, True) == service.Answered(
        Rsvp.GOING, True
    )
    full = await service.answer(uow, third, Role.TEACHER, rules, event.id, True)
    assert full == service.Answered(Rsvp.FULL, True)
    card = await service.card(uow, third, Role.TEACHER, rules, event.id)
    assert isinstance(card, service.Card) and card.full and card.going == 2 and card.mine is None

    reminders = list(await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.ref_id == event.id)))
    assert sorted((r.user_id, r.kind, r.status) for r in reminders) == sorted(
        (u.id, kind, "pending") for u in (first, second) for kind in ("event_day", "event_hour")
    )
    assert {r.due_at for r in reminders if r.kind == "event_hour"} == {START - timedelta(hours=1)}

    assert (await service.answer(uow, first, Role.TEACHER, rules, event.id, False)) == service.Answered(
        Rsvp.NOT_GOING, False
    )
    status = {
        (r.user_id, r.kind): r.status
        for r in await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.ref_id == event.id))
    }
    assert status[(first.id, "event_day")] == status[(first.id, "event_hour")] == "cancelled"
    assert status[(second.id, "event_day")] == status[(second.id, "event_hour")] == "pending"
    # The freed seat is the third person's now; changing one's mind brings the reminders back.
    assert await service.answer(uow, third, Role.TEACHER, rules, event.id, True) == service.Answered(
        Rsvp.GOING, True
    )
    assert await service.answer(uow, first, Role.TEACHER, rules, event.id, True) == service.Answered(
        Rsvp.FULL, True
    )
    mine = await service.mine(uow, third, rules)
    assert [e.id for e in mine.events] == [event.id]
    assert await service.mine(uow, first, rules) == service.Mine([], ZoneInfo("Europe/Moscow"))


async def test_answers_to_a_begun_or_foreign_event_change_nothing(uow: UnitOfWork, clock: Clock) -> None:
    teacher = await _person(uow, 1)
    event = await _event(uow)
    foreign = await _event(uow, region="kuzbass")
    rules = await _rules(uow, teacher)
    assert await service.answer(uow, teacher, Role.TEACHER, rules, foreign.id, True) is STALE
    assert await service.answer(uow, teacher, Role.TEACHER, rules, 987_654, True) is STALE
    clock.now = START + timedelta(minutes=5)
    assert await service.answer(uow, teacher, Role.TEACHER, rules, event.id, True) is service.STARTED
    assert await _count(uow, EventResponse) == 0 and await _count(uow, OutboxMessage) == 0


# --- admins: the list and a card ----------------------------------------------------------------------


async def test_only_admins_get_the_admins_events(uow: UnitOfWork, clock: Clock) -> None:
    teacher = await _person(uow, 1)
    admin = await _person(uow, 2, region=None)
    own = await _event(uow, region="kostroma")
    foreign = await _event(uow, region="kuzbass", title="Кузбасский")
    rules = await _rules(uow, teacher)
    for role in (Role.TEACHER, Role.METHODIST):
        assert await service.admin_events(uow, teacher, role, rules) is DENIED
        assert await service.admin_card(uow, teacher, role, rules, own.id) is DENIED

    regional = await service.admin_events(uow, teacher, Role.ADMIN, rules)
    assert isinstance(regional, service.AdminList) and [e.id for e in regional.events] == [own.id]
    assert await service.admin_card(uow, teacher, Role.ADMIN, rules, foreign.id) is STALE

    everywhere = await service.admin_events(uow, admin, Role.ADMIN, RegionRules())
    assert isinstance(everywhere, service.AdminList) and {e.id for e in everywhere.events} == {
        own.id,
        foreign.id,
    }
    card = await service.admin_card(uow, admin, Role.ADMIN, RegionRules(), foreign.id)
    # The event's own region's time zone, not the admin's (who has none).
    assert isinstance(card, service.AdminCard) and card.zone == ZoneInfo("Asia/Novokuznetsk")
    assert not card.started
    clock.now = START + timedelta(hours=1)
    card = await service.admin_card(uow, admin, Role.ADMIN, RegionRules(), foreign.id)
    assert isinstance(card, service.AdminCard) and card.started


# --- admins: the draft of a new event -----------------------------------------------------------------


def _taken(outcome: service.Draft | Invalid | Stale) -> service.Draft:
    assert isinstance(outcome, service.Draft), outcome
    return outcome


def test_the_draft_takes_each_answer_or_says_why_not() -> None:
    rules = RegionRules(code="kuzbass", timezone="Asia/Novokuznetsk")
    draft = service.Draft()

    bad = service.set_title(draft, "Я" * 301)
    assert isinstance(bad, Invalid) and bad.key == "event-err-title-long" and bad.args["max"] == 300
    draft = _taken(service.set_title(draft, "  Семинар   «Функциональная грамотность» "))
    assert draft.title == "Семинар «Функциональная грамотность»"

    assert service.set_kind(draft, len(Kind)) is STALE
    draft = _taken(service.set_kind(draft, 1))
    assert draft.kind == Kind.WEBINAR

    for text, key in [("завтра", "event-err-start-format"), ("01.11.2026 15:00", "event-err-start-past")]:
        wrong = service.set_start(draft, text, rules, NOW)
        assert isinstance(wrong, Invalid) and wrong.key == key
    draft = _taken(service.set_start(draft, "10.12.2026 19:00", rules, NOW))
    assert draft.starts_at == START  # read in the region's time zone

    wrong = service.set_duration(draft, "5")
    assert isinstance(wrong, Invalid) and wrong.key == "event-err-duration-range"
    assert wrong.args["min_minutes"] == "10" and wrong.args["max_minutes"] == "1440"
    assert service.choose_duration(draft, 5) is STALE
    draft = _taken(service.choose_duration(draft, 90))
    assert draft.duration == 90
    assert service.set_duration(draft, "45 мин") == service.Draft(
        draft.title, draft.kind, draft.starts_at, 45
    )

    wrong = service.set_place(draft, "http://example.ru/w")
    assert isinstance(wrong, Invalid) and wrong.key == "event-err-link-https"
    draft = _taken(service.set_place(draft, "https://example.ru/w"))
    assert (draft.place, draft.url) == (None, "https://example.ru/w")

    wrong = service.set_seats(draft, "много")
    assert isinstance(wrong, Invalid) and wrong.key == "event-err-seats-format"
    draft = _taken(service.set_seats(draft, "30"))
    assert draft.seats == 30
    assert _taken(service.set_seats(draft, None)).seats is None

    assert service.toggle_area(draft, len(AREA_CODES)) is STALE
    toggled = service.toggle_area(_taken(service.toggle_area(draft, 2)), 0)
    assert isinstance(toggled, service.Draft) and toggled.areas == (AREA_CODES[0], AREA_CODES[2])
    again = service.toggle_area(toggled, 2)
    assert isinstance(again, service.Draft) and again.areas == (AREA_CODES[0],)
    # A new description (or none) starts the areas afresh.
    described = service.set_description(again, "Для учителей математики")
    assert isinstance(described, service.Draft) and described.areas == ()
    assert described.description == "Для учителей математики"
    skipped = service.set_description(again, None)
    assert isinstance(skipped, service.Draft) and skipped.description is None and skipped.areas == ()
    wrong = service.set_description(again, "   ")
    assert isinstance(wrong, Invalid) and wrong.key == "event-err-description-empty"

    # The draft survives the conversation data (JSON) unchanged.
    assert service.Draft.from_data(again.to_data()) == again and again.complete
    assert service.Draft.from_data({}) == service.Draft() and not service.Draft().complete


def _draft() -> service.Draft:
    return service.Draft(
        title="Семинар",
        kind=Kind.SEMINAR,
        starts_at=START,
        duration=90,
        url="https://example.ru/w",
        seats=30,
        areas=(AREA_CODES[0],),
    )


async def test_only_an_admin_saves_a_complete_draft_in_the_future(uow: UnitOfWork, clock: Clock) -> None:
    admin = await _person(uow, 1)
    rules = await _rules(uow, admin)
    assert await service.create(uow, admin, Role.METHODIST, rules, _draft()) is DENIED
    assert await service.create(uow, admin, Role.ADMIN, rules, service.Draft(title="Семинар")) is STALE
    assert await _count(uow, Event) == 0

    card = await service.create(uow, admin, Role.ADMIN, rules, _draft())
    assert isinstance(card, service.AdminCard) and not card.started and card.going == 0
    event = card.event
    assert (event.title, event.kind, event.starts_at, event.duration_minutes) == (
        "Семинар",
        "seminar",
        START,
        90,
    )
    assert (event.region_code, event.url, event.place, event.seats) == (
        "kostroma",
        "https://example.ru/w",
        None,
        30,
    )
    assert (event.areas, event.subjects, event.created_by) == ([AREA_CODES[0]], [], admin.id)
    entry = await uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.create"))
    assert entry is not None and entry.target_id == event.id and entry.actor_id == admin.id

    clock.now = START
    late = await service.create(uow, admin, Role.ADMIN, rules, _draft())
    assert isinstance(late, Invalid) and late.key == "event-err-start-past"
    assert await _count(uow, Event) == 1


# --- admins: announcing -------------------------------------------------------------------------------


def _compose(event: Event, zone: ZoneInfo) -> str:
    return f"{event.title} в {event.starts_at.astimezone(zone):%H:%M}"


async def test_announcing_queues_one_broadcast_with_the_event(uow: UnitOfWork) -> None:
    admin = await _person(uow, 1, region=None)
    event = await _event(uow, region="kuzbass", subjects=("math",))
    plain = await _event(uow, title="Без предметов")
    rules = RegionRules()
    assert await service.announcing(uow, admin, Role.METHODIST, event.id) is DENIED
    assert await service.announce(uow, admin, Role.TEACHER, rules, event.id, Audience.ALL, _compose) is DENIED
    choice = await service.announcing(uow, admin, Role.ADMIN, event.id)
    assert isinstance(choice, service.Announcing) and choice.event.id == event.id
    assert (
        await service.announce(uow, admin, Role.ADMIN, rules, plain.id, Audience.SUBJECTS, _compose) is STALE
    )

    announced = await service.announce(uow, admin, Role.ADMIN, rules, event.id, Audience.SUBJECTS, _compose)
    assert isinstance(announced, service.Announced)
    again = await service.announce(uow, admin, Role.ADMIN, rules, event.id, Audience.ALL, _compose)
    assert again is service.ALREADY_QUEUED
    [broadcast] = list(await uow.session.scalars(select(Broadcast)))
    assert broadcast.id == announced.broadcast_id and broadcast.event_id == event.id
    assert broadcast.status == "scheduled" and broadcast.region_code == "kuzbass"
    assert broadcast.audience.get("subjects") == ["math"]
    assert broadcast.text == "Семинар о наставничестве в 19:00"  # in the event's region's time zone
    entry = await uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.announce"))
    assert entry is not None and entry.details["broadcast_id"] == broadcast.id

    everyone = await service.announce(uow, admin, Role.ADMIN, rules, plain.id, Audience.ALL, _compose)
    assert isinstance(everyone, service.Announced)
    audience = await uow.session.scalar(select(Broadcast.audience).where(Broadcast.event_id == plain.id))
    assert audience is not None and audience.get("roles") == ["teacher"]


async def test_a_begun_or_foreign_event_is_not_announced(uow: UnitOfWork, clock: Clock) -> None:
    admin = await _person(uow, 1)
    rules = await _rules(uow, admin)
    event = await _event(uow)
    foreign = await _event(uow, region="kuzbass")
    assert await service.announcing(uow, admin, Role.ADMIN, foreign.id) is STALE
    assert await service.announce(uow, admin, Role.ADMIN, rules, foreign.id, Audience.ALL, _compose) is STALE
    clock.now = START
    assert await service.announcing(uow, admin, Role.ADMIN, event.id) is STALE
    assert await service.announce(uow, admin, Role.ADMIN, rules, event.id, Audience.ALL, _compose) is STALE
    assert await _count(uow, Broadcast) == 0


# --- attendance ---------------------------------------------------------------------------------------


async def test_staff_mark_who_came_after_the_event_has_begun(uow: UnitOfWork, clock: Clock) -> None:
    anna = await _person(uow, 1, name="Алексеева Анна")
    boris = await _person(uow, 2, name="Борисов Борис")
    absent = await _person(uow, 3, name="Васильев Василий")
    methodist = await _person(uow, 4, name="Методистова Алла")
    event = await _event(uow)
    rules = await _rules(uow, anna)
    for person in (anna, boris):
        await service.answer(uow, person, Role.TEACHER, rules, event.id, True)
    await service.answer(uow, absent, Role.TEACHER, rules, event.id, False)

    assert await service.past(uow, anna, Role.TEACHER, rules) is DENIED
    assert await service.attendance(uow, anna, Role.TEACHER, event.id) is DENIED
    assert await service.mark(uow, anna, Role.TEACHER, event.id, boris.id) is DENIED
    assert await service.attendance(uow, methodist, Role.METHODIST, event.id) is service.NOT_STARTED
    assert await service.mark(uow, methodist, Role.METHODIST, event.id, boris.id) is service.NOT_STARTED

    clock.now = START + timedelta(hours=2)
    past = await service.past(uow, methodist, Role.METHODIST, rules)
    assert isinstance(past, service.Past) and [e.id for e in past.events] == [event.id]
    assert past.going == {event.id: 2} and not past.admin
    admin_past = await service.past(uow, methodist, Role.ADMIN, rules)
    assert isinstance(admin_past, service.Past) and admin_past.admin

    listed = await service.attendance(uow, methodist, Role.METHODIST, event.id)
    assert isinstance(listed, service.Attendance)
    assert [p.full_name for _, p in listed.people] == ["Алексеева Анна", "Борисов Борис"]
    assert (listed.attended, listed.going) == (0, 2)

    marked = await service.mark(uow, methodist, Role.METHODIST, event.id, boris.id)
    assert isinstance(marked, service.Marked) and marked.attended and marked.attendance.attended == 1
    unmarked = await service.mark(uow, methodist, Role.METHODIST, event.id, boris.id)  # toggles back
    assert isinstance(unmarked, service.Marked) and not unmarked.attended
    assert unmarked.attendance.attended == 0
    # Someone who said «Не смогу» (or nothing) is not on the list to mark.
    assert await service.mark(uow, methodist, Role.METHODIST, event.id, absent.id) is STALE
    assert await service.mark(uow, methodist, Role.METHODIST, event.id, 987_654) is STALE
    response = await uow.session.scalar(
        select(EventResponse).where(EventResponse.event_id == event.id, EventResponse.user_id == boris.id)
    )
    assert response is not None and (response.attended, response.marked_by) == (False, methodist.id)
    audited = await uow.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "event.attendance")
    )
    assert audited == 2


async def test_attendance_of_another_regions_event_is_stale(uow: UnitOfWork, clock: Clock) -> None:
    methodist = await _person(uow, 1)
    foreign = await _event(uow, region="kuzbass")
    clock.now = START + timedelta(hours=2)
    assert await service.attendance(uow, methodist, Role.METHODIST, foreign.id) is STALE
    assert await service.mark(uow, methodist, Role.METHODIST, foreign.id, methodist.id) is STALE
    past = await service.past(uow, methodist, Role.METHODIST, await _rules(uow, methodist))
    assert isinstance(past, service.Past) and past.events == []
