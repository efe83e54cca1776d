"""«Мероприятия»: upcoming events with «Пойду» / «Не смогу», the admin's events and the draft of a
new one, announcing an event as a broadcast, and marking attendance (admins and methodists).

Whom an event is for: a person sees the events of their own region and those for every region; an
admin without a region of their own sees every region's. Anything else (an old or forged button, an
event that is gone) is ``Stale``; a role that may not do something gets ``Denied``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain import events as domain
from domain.events import Audience, EventError, Rsvp
from domain.framework import AREA_CODES
from domain.paging import page_of
from domain.roles import Role, municipal_scope
from services.regions import RegionRules, region_rules
from services.reminders import plan_event
from services.results import DENIED, STALE, Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage.audit import audit
from storage.broadcasts import create_broadcast
from storage.events import EventRepo, cancel_reminders, reopen_reminders
from storage.models import Event, EventResponse, User

log = logging.getLogger(__name__)
PAGE = 5  # events on a page
MARK_PAGE = 20  # people on a page of the attendance list
MINE_MAX = 30  # «Мои мероприятия» shows this many
STAFF = frozenset({Role.METHODIST, Role.ADMIN})
# The arguments of every validation message of the wizard (``Invalid.args``).
LIMITS: dict[str, Any] = {
    "max": domain.TITLE_MAX,
    "min_minutes": str(domain.DURATION_MIN),
    "max_minutes": str(domain.DURATION_MAX),
    "max_seats": domain.SEATS_MAX,
    "max_place": domain.PLACE_MAX,
    "max_text": domain.DESCRIPTION_MAX,
}


# --- results --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Upcoming:
    """A page of the events ahead, with «Пойду» counts and the person's own answers."""

    events: list[Event]
    going: dict[int, int]
    answers: dict[int, bool]
    page: int
    pages: int
    total: int
    zone: ZoneInfo
    staff: bool  # may mark attendance


@dataclass(frozen=True, slots=True)
class Card:
    """An event for a teacher: how many go, and the person's answer (None before any)."""

    event: Event
    going: int
    mine: bool | None
    zone: ZoneInfo

    @property
    def full(self) -> bool:
        return not domain.can_go(self.event.seats, self.going)


@dataclass(frozen=True, slots=True)
class Mine:
    """Upcoming events the person said «Пойду» to (the first ``MINE_MAX``)."""

    events: list[Event]
    zone: ZoneInfo


@dataclass(frozen=True, slots=True)
class Started:
    """The event has begun: answers to it no longer count."""


@dataclass(frozen=True, slots=True)
class Answered:
    """«Пойду» / «Не смогу» taken: what it did (``Rsvp``) and what was asked."""

    outcome: Rsvp
    going: bool


@dataclass(frozen=True, slots=True)
class AdminList:
    """A page of the upcoming events an admin manages."""

    events: list[Event]
    going: dict[int, int]
    page: int
    pages: int
    total: int
    zone: ZoneInfo


@dataclass(frozen=True, slots=True)
class AdminCard:
    """An event for an admin: announce it before it begins, mark attendance after."""

    event: Event
    going: int
    zone: ZoneInfo
    started: bool


@dataclass(frozen=True, slots=True)
class Draft:
    """The admin's new event as the wizard fills it in, one answer at a time."""

    title: str = ""
    kind: str = ""
    starts_at: datetime | None = None
    duration: int = 0
    place: str | None = None
    url: str | None = None
    seats: int | None = None
    description: str | None = None
    areas: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """As conversation data (JSON)."""
        return {
            "title": self.title,
            "kind": self.kind,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "duration": self.duration,
            "place": self.place,
            "url": self.url,
            "seats": self.seats,
            "description": self.description,
            "areas": list(self.areas),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Draft:
        starts_at = data.get("starts_at")
        return cls(
            title=str(data.get("title") or ""),
            kind=str(data.get("kind") or ""),
            starts_at=datetime.fromisoformat(starts_at) if starts_at else None,
            duration=int(data.get("duration") or 0),
            place=data.get("place"),
            url=data.get("url"),
            seats=data.get("seats"),
            description=data.get("description"),
            areas=tuple(data.get("areas") or ()),
        )

    @property
    def complete(self) -> bool:
        return bool(
            self.title and self.kind and self.starts_at and self.duration and (self.place or self.url)
        )


@dataclass(frozen=True, slots=True)
class Announcing:
    """An event that may be announced: to every teacher, or (if it has subjects) to theirs."""

    event: Event


@dataclass(frozen=True, slots=True)
class AlreadyQueued:
    """A broadcast of the event is already waiting or being sent: nothing changed."""


@dataclass(frozen=True, slots=True)
class Announced:
    event: Event
    broadcast_id: int


@dataclass(frozen=True, slots=True)
class Past:
    """A page of the events begun lately, to mark attendance for."""

    events: list[Event]
    going: dict[int, int]
    page: int
    pages: int
    zone: ZoneInfo
    admin: bool  # the way back leads to the admin's events


@dataclass(frozen=True, slots=True)
class NotStarted:
    """Attendance is marked once the event has begun."""


@dataclass(frozen=True, slots=True)
class Attendance:
    """Who said «Пойду» (a page of them) and how many of them came."""

    event: Event
    people: list[tuple[EventResponse, User]]
    page: int
    pages: int
    attended: int
    going: int


@dataclass(frozen=True, slots=True)
class Marked:
    attended: bool
    attendance: Attendance


STARTED = Started()
NOT_STARTED = NotStarted()
ALREADY_QUEUED = AlreadyQueued()


# --- whose events ---------------------------------------------------------------------------------


def _every_region(user: User, role: Role) -> bool:
    """An admin without a region of their own sees every region's events."""
    return role == Role.ADMIN and user.region_code is None


def _in_scope(event: Event, user: User, role: Role) -> bool:
    return _every_region(user, role) or event.region_code in (None, user.region_code)


async def _visible(uow: UnitOfWork, event_id: int, user: User, role: Role) -> Event | None:
    event = await EventRepo(uow.session).get(event_id)
    return event if event is not None and _in_scope(event, user, role) else None


async def _zone(uow: UnitOfWork, rules: RegionRules, region_code: str | None) -> ZoneInfo:
    """The time zone of ``region_code`` (the speaker's own from ``rules``, without a query)."""
    if region_code == rules.code:
        return ZoneInfo(rules.timezone)
    return ZoneInfo((await region_rules(uow, region_code, rules.timezone)).timezone)


# --- teachers: the list, a card, «Пойду» / «Не смогу», «Мои мероприятия» ---------------------------


async def upcoming(uow: UnitOfWork, user: User, role: Role, rules: RegionRules, page: int = 0) -> Upcoming:
    """A page of the events ahead in the person's region and for every region, soonest first."""
    repo = EventRepo(uow.session)
    events = await repo.upcoming(user.region_code, uow.now())
    shown, page, pages = page_of(events, page, PAGE)
    ids = [e.id for e in shown]
    return Upcoming(
        events=shown,
        going=await repo.going_counts(ids),
        answers=await repo.responses_of(user.id, ids),
        page=page,
        pages=pages,
        total=len(events),
        zone=ZoneInfo(rules.timezone),
        staff=role in STAFF,
    )


async def card(uow: UnitOfWork, user: User, role: Role, rules: RegionRules, event_id: int) -> Card | Stale:
    event = await _visible(uow, event_id, user, role)
    if event is None:
        return STALE
    return await _card(uow, event, user, rules)


async def _card(uow: UnitOfWork, event: Event, user: User, rules: RegionRules) -> Card:
    repo = EventRepo(uow.session)
    going = (await repo.going_counts([event.id])).get(event.id, 0)
    mine = await repo.response(event.id, user.id)
    return Card(event, going, mine.going if mine is not None else None, ZoneInfo(rules.timezone))


async def answer(
    uow: UnitOfWork, user: User, role: Role, rules: RegionRules, event_id: int, going: bool
) -> Answered | Started | Stale:
    """«Пойду» (a seat if one is left, reminders before the event) or «Не смогу» (the person's
    reminders cancelled). Pressing the same answer again changes nothing."""
    now = uow.now()
    event = await _visible(uow, event_id, user, role)
    if event is None:
        return STALE
    if domain.has_started(event.starts_at, now):
        return STARTED
    outcome = await EventRepo(uow.session).set_response(event, user.id, going, now)
    if outcome == Rsvp.GOING:
        await reopen_reminders(uow.session, event.id, user.id, now)
        await plan_event(uow, rules, user.id, event)
    elif outcome == Rsvp.NOT_GOING:
        await cancel_reminders(uow.session, event.id, user.id)
    await uow.commit()
    log.info("event answer", extra={"user_id": user.id, "event_id": event.id, "outcome": str(outcome)})
    return Answered(outcome, going)


async def mine(uow: UnitOfWork, user: User, rules: RegionRules) -> Mine:
    events = await EventRepo(uow.session).mine(user.id, uow.now())
    return Mine(events[:MINE_MAX], ZoneInfo(rules.timezone))


# --- admins: the list and an event's card -----------------------------------------------------------


async def admin_events(
    uow: UnitOfWork, user: User, role: Role, rules: RegionRules, page: int = 0
) -> AdminList | Denied:
    if role != Role.ADMIN:
        return DENIED
    repo = EventRepo(uow.session)
    events = await repo.upcoming(user.region_code, uow.now(), every_region=_every_region(user, role))
    shown, page, pages = page_of(events, page, PAGE)
    going = await repo.going_counts(e.id for e in shown)
    return AdminList(shown, going, page, pages, len(events), ZoneInfo(rules.timezone))


async def admin_card(
    uow: UnitOfWork, user: User, role: Role, rules: RegionRules, event_id: int
) -> AdminCard | Denied | Stale:
    if role != Role.ADMIN:
        return DENIED
    event = await _visible(uow, event_id, user, role)
    if event is None:
        return STALE
    return await _admin_card(uow, event, user, rules)


async def _admin_card(uow: UnitOfWork, event: Event, user: User, rules: RegionRules) -> AdminCard:
    going = (await EventRepo(uow.session).going_counts([event.id])).get(event.id, 0)
    zone = await _zone(uow, rules, event.region_code or user.region_code)
    return AdminCard(event, going, zone, domain.has_started(event.starts_at, uow.now()))


# --- admins: the draft of a new event ---------------------------------------------------------------


def _invalid(err: EventError) -> Invalid:
    return Invalid(err.code, dict(LIMITS))


def set_title(draft: Draft, text: str | None) -> Draft | Invalid:
    try:
        return replace(draft, title=domain.parse_title(text))
    except EventError as err:
        return _invalid(err)


def set_kind(draft: Draft, index: int) -> Draft | Stale:
    """The kind offered at ``index`` (``domain.KINDS``)."""
    if not 0 <= index < len(domain.KINDS):
        return STALE
    return replace(draft, kind=domain.KINDS[index])


def set_start(draft: Draft, text: str | None, rules: RegionRules, now: datetime) -> Draft | Invalid:
    """«DD.MM.YYYY HH:MM» in the admin's region's time zone, in the future."""
    try:
        return replace(draft, starts_at=domain.parse_start(text, ZoneInfo(rules.timezone), now))
    except EventError as err:
        return _invalid(err)


def set_duration(draft: Draft, text: str | None) -> Draft | Invalid:
    try:
        return replace(draft, duration=domain.parse_duration(text))
    except EventError as err:
        return _invalid(err)


def choose_duration(draft: Draft, minutes: int) -> Draft | Stale:
    """A duration button (a forged one outside the allowed range is stale)."""
    try:
        return replace(draft, duration=domain.check_duration(minutes))
    except EventError:
        return STALE


def set_place(draft: Draft, text: str | None) -> Draft | Invalid:
    """An address or an https link."""
    try:
        place, url = domain.parse_place(text)
    except EventError as err:
        return _invalid(err)
    return replace(draft, place=place, url=url)


def set_seats(draft: Draft, text: str | None) -> Draft | Invalid:
    """The number of seats; ``None`` for «Без ограничения»."""
    if text is None:
        return replace(draft, seats=None)
    try:
        return replace(draft, seats=domain.parse_seats(text))
    except EventError as err:
        return _invalid(err)


def set_description(draft: Draft, text: str | None) -> Draft | Invalid:
    """The description; ``None`` for «Пропустить». The areas are chosen afresh after it."""
    if text is None:
        return replace(draft, description=None, areas=())
    try:
        return replace(draft, description=domain.parse_description(text), areas=())
    except EventError as err:
        return _invalid(err)


def toggle_area(draft: Draft, index: int) -> Draft | Stale:
    """Choose or un-choose the area offered at ``index`` (``AREA_CODES``); kept in that order."""
    if not 0 <= index < len(AREA_CODES):
        return STALE
    area = AREA_CODES[index]
    chosen = set(draft.areas) ^ {area}
    return replace(draft, areas=tuple(a for a in AREA_CODES if a in chosen))


async def create(
    uow: UnitOfWork, user: User, role: Role, rules: RegionRules, draft: Draft
) -> AdminCard | Invalid | Denied | Stale:
    """Save the draft as an event of the admin's region (audited). ``Invalid`` when its start has
    passed meanwhile; ``Stale`` when the draft is not complete."""
    if role != Role.ADMIN:
        return DENIED
    if not draft.complete or draft.starts_at is None:
        return STALE
    if domain.has_started(draft.starts_at, uow.now()):
        return Invalid("event-err-start-past", dict(LIMITS))
    event = await EventRepo(uow.session).create(
        created_by=user.id,
        region_code=user.region_code,
        title=draft.title,
        kind=draft.kind,
        starts_at=draft.starts_at,
        duration_minutes=draft.duration,
        place=draft.place,
        url=draft.url,
        seats=draft.seats,
        description=draft.description,
        areas=list(draft.areas),
        subjects=[],
    )
    await audit(
        uow.session, user.id, "event.create", target_type="event", target_id=event.id, title=event.title
    )
    await uow.commit()
    log.info("event created", extra={"user_id": user.id, "event_id": event.id})
    return await _admin_card(uow, event, user, rules)


# --- admins: announcing -----------------------------------------------------------------------------


async def _announceable(uow: UnitOfWork, user: User, role: Role, event_id: int) -> Event | Denied | Stale:
    """An event not begun the admin may announce: of their region — and, for a municipal admin
    (``domain.roles.municipal_scope``), one created by their municipality's staff."""
    if role != Role.ADMIN:
        return DENIED
    event = await _visible(uow, event_id, user, role)
    if event is None or domain.has_started(event.starts_at, uow.now()):
        return STALE
    scope = municipal_scope(role, user.staff_title, user.municipality_id)
    if scope is not None:
        author = await uow.session.get(User, event.created_by) if event.created_by else None
        if author is None or author.municipality_id != scope:
            return STALE
    return event


async def announcing(uow: UnitOfWork, user: User, role: Role, event_id: int) -> Announcing | Denied | Stale:
    """Whom the event may be announced to (it has not begun yet)."""
    event = await _announceable(uow, user, role, event_id)
    return event if isinstance(event, Denied | Stale) else Announcing(event)


async def announce(
    uow: UnitOfWork,
    user: User,
    role: Role,
    rules: RegionRules,
    event_id: int,
    audience: Audience,
    compose: Callable[[Event, ZoneInfo], str],
) -> Announced | AlreadyQueued | Denied | Stale:
    """Queue a broadcast of the event with «Пойду» / «Не смогу» under it, to every teacher of the
    event's region or to those of its subjects; once while one is waiting or being sent.
    ``compose`` writes the message (in the event's region's time zone)."""
    event = await _announceable(uow, user, role, event_id)
    if isinstance(event, Denied | Stale):
        return event
    if audience == Audience.SUBJECTS and not event.subjects:
        return STALE
    recipients: dict[str, Any] = (
        {"subjects": list(event.subjects)}
        if audience == Audience.SUBJECTS
        else {"roles": [Role.TEACHER.value]}
    )
    scope = municipal_scope(role, user.staff_title, user.municipality_id)
    if scope is not None:  # a municipal admin announces to their municipality only
        recipients["municipality_ids"] = [scope]
    repo = EventRepo(uow.session)
    if await repo.queued_announcement(event.id) is not None:
        return ALREADY_QUEUED
    zone = await _zone(uow, rules, event.region_code or user.region_code)
    broadcast = await create_broadcast(
        uow.session,
        created_by=user.id,
        region_code=event.region_code,
        text=compose(event, zone),
        audience=recipients,
        event_id=event.id,
    )
    await audit(
        uow.session,
        user.id,
        "event.announce",
        target_type="event",
        target_id=event.id,
        broadcast_id=broadcast.id,
        audience=recipients,
    )
    await uow.commit()
    log.info("event announced", extra={"user_id": user.id, "event_id": event.id})
    return Announced(event, broadcast.id)


# --- attendance (admins and methodists) -----------------------------------------------------------


async def past(uow: UnitOfWork, user: User, role: Role, rules: RegionRules, page: int = 0) -> Past | Denied:
    """A page of the events begun within the last 60 days, newest first."""
    if role not in STAFF:
        return DENIED
    repo = EventRepo(uow.session)
    events = await repo.started(user.region_code, uow.now(), every_region=_every_region(user, role))
    shown, page, pages = page_of(events, page, PAGE)
    going = await repo.going_counts(e.id for e in shown)
    return Past(shown, going, page, pages, ZoneInfo(rules.timezone), role == Role.ADMIN)


async def _begun(
    uow: UnitOfWork, user: User, role: Role, event_id: int
) -> Event | Denied | Stale | NotStarted:
    if role not in STAFF:
        return DENIED
    event = await _visible(uow, event_id, user, role)
    if event is None:
        return STALE
    if not domain.has_started(event.starts_at, uow.now()):
        return NOT_STARTED
    return event


async def attendance(
    uow: UnitOfWork, user: User, role: Role, event_id: int, page: int = 0
) -> Attendance | NotStarted | Denied | Stale:
    event = await _begun(uow, user, role, event_id)
    if not isinstance(event, Event):
        return event
    return await _attendance(uow, event, page)


async def _attendance(uow: UnitOfWork, event: Event, page: int) -> Attendance:
    people = await EventRepo(uow.session).going_people(event.id)
    shown, page, pages = page_of(people, page, MARK_PAGE)
    attended = sum(1 for response, _ in people if response.attended)
    return Attendance(event, shown, page, pages, attended, len(people))


async def mark(
    uow: UnitOfWork, user: User, role: Role, event_id: int, person_id: int, page: int = 0
) -> Marked | NotStarted | Denied | Stale:
    """Toggle whether someone who said «Пойду» came (audited); ``Stale`` for anyone else."""
    event = await _begun(uow, user, role, event_id)
    if not isinstance(event, Event):
        return event
    repo = EventRepo(uow.session)
    current = await repo.response(event.id, person_id)
    attended = not (current is not None and current.attended)
    if await repo.mark_attendance(event.id, person_id, attended, user.id, uow.now()) is None:
        return STALE
    await audit(
        uow.session,
        user.id,
        "event.attendance",
        target_type="event",
        target_id=event.id,
        user_id=person_id,
        attended=attended,
    )
    await uow.commit()
    return Marked(attended, await _attendance(uow, event, page))
