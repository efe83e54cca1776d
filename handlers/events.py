"""«Мероприятия»: upcoming events with «Пойду» / «Не смогу», the admin's events and their wizard,
announcing an event as a broadcast, and marking attendance (admins and methodists).

``router`` is tried before ``admin.denied``: every admin button here checks the role itself, and
whoever else presses or forges one gets «Нет доступа» and nothing changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import events as domain
from domain.events import EventError
from domain.framework import AREA_CODES
from domain.roles import Role
from handlers.callbacks import AdminCb, EventCb, EventRsvpCb
from handlers.filters import MenuButton, RoleFilter
from handlers.keyboards import Keyboard
from handlers.render import edit_text
from locales import Html, Translator
from services.regions import RegionRules
from services.reminders import plan_event
from services.uow import UnitOfWork
from storage.audit import audit
from storage.broadcasts import create_broadcast
from storage.events import EventRepo, cancel_reminders, reopen_reminders
from storage.models import Broadcast, Event, Region, User

log = logging.getLogger(__name__)
router = Router(name="events")
# Typed answers of the admin's event wizard; tried after menu buttons and commands.
answers_router = Router(name="events-answers")
answers_router.message.filter(RoleFilter(Role.ADMIN))
Clock = Callable[[], datetime]
PAGE = 5
MARK_PAGE = 20
STAFF = (Role.METHODIST, Role.ADMIN)


class EventWizard(StatesGroup):
    title = State()
    kind = State()
    start = State()
    duration = State()
    place = State()
    seats = State()
    description = State()
    areas = State()
    confirm = State()


# AdminCb actions handled here: everything but «events» itself starts with «ev_».
ADMIN_ACTIONS = frozenset(
    {
        "events",
        "ev_card",
        "ev_new",
        "ev_cancel",
        "ev_kind",
        "ev_dur",
        "ev_seats",
        "ev_nodesc",
        "ev_area",
        "ev_areas_done",
        "ev_save",
        "ev_announce",
        "ev_ann_all",
        "ev_ann_subj",
    }
)
WIZARD_STATES = (
    EventWizard.title,
    EventWizard.start,
    EventWizard.duration,
    EventWizard.place,
    EventWizard.seats,
    EventWizard.description,
)
STEPS = 8


def _admin(action: str) -> Any:
    return AdminCb.filter(F.action == action)


# --- shared helpers -------------------------------------------------------------------------------


async def _zone(session: AsyncSession, region_code: str | None, default: str) -> ZoneInfo:
    region = await session.get(Region, region_code) if region_code else None
    return ZoneInfo(region.timezone if region is not None else default)


def _every_region(user: User, role: Role) -> bool:
    """An admin without a region of their own sees every region's events."""
    return role == Role.ADMIN and user.region_code is None


def _in_scope(event: Event, user: User, role: Role) -> bool:
    return _every_region(user, role) or event.region_code in (None, user.region_code)


def _duration(minutes: int, t: Translator) -> str:
    hours, rest = domain.duration_parts(minutes)
    if hours and rest:
        return t("event-duration-hm", hours=hours, minutes=rest)
    if hours:
        return t("event-duration-h", hours=hours)
    return t("event-duration-m", minutes=rest)


def _where(event: Event | dict[str, Any], t: Translator) -> str:
    place = event.get("place") if isinstance(event, dict) else event.place
    url = event.get("url") if isinstance(event, dict) else event.url
    if url:
        return t("event-link", url=url)
    return t("event-place", place=place or "—")


def _seats(seats: int | None, going: int, t: Translator) -> str:
    left = domain.seats_left(seats, going)
    if left is None:
        return t("event-seats-unlimited", going=going)
    if left == 0:
        return t("event-seats-none", seats=seats or 0)
    return t("event-seats-left", left=left, seats=seats or 0)


def _when(starts_at: datetime, zone: ZoneInfo, t: Translator) -> str:
    return t(
        "event-when",
        when=domain.local_time(starts_at, zone),
        zone=domain.utc_offset(starts_at, zone),
    )


def _details(
    t: Translator,
    zone: ZoneInfo,
    *,
    title: str,
    kind: str,
    starts_at: datetime,
    duration: int,
    where: str,
    seats: str | None,
    areas: list[str],
    description: str | None,
) -> str:
    lines = [
        t("event-head", title=title, kind=t(f"event-kind-{kind}")),
        t("event-time", when=Html(_when(starts_at, zone, t)), duration=_duration(duration, t)),
        where,
    ]
    if seats:
        lines.append(seats)
    if areas:
        lines.append(t("event-areas", areas=", ".join(t(f"area-{a}") for a in areas)))
    if description:
        lines.append("\n" + t("event-description", text=description))
    return "\n".join(lines)


def _event_text(event: Event, zone: ZoneInfo, t: Translator, going: int | None) -> str:
    return _details(
        t,
        zone,
        title=event.title,
        kind=event.kind,
        starts_at=event.starts_at,
        duration=event.duration_minutes,
        where=_where(event, t),
        seats=_seats(event.seats, going, t) if going is not None else None,
        areas=list(event.areas or []),
        description=event.description,
    )


def _nav(kb: Keyboard, t: Translator, page: int, pages: int, make: Callable[[int], Any]) -> None:
    nav = Keyboard()
    if page > 0:
        nav.button(text=t("btn-prev"), callback_data=make(page - 1))
    if page < pages - 1:
        nav.button(text=t("btn-next"), callback_data=make(page + 1))
    kb.attach(nav)


async def _no_access(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("no-access"), show_alert=True)


# --- teachers: the list, a card, «Пойду» / «Не смогу», «Мои мероприятия» ---------------------------


@router.message(MenuButton("menu-events"))
async def events_home(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    await state.clear()
    text, markup = await _list_view(session, user, role, t, clock(), timezone, page=0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(EventCb.filter(F.action == "list"))
async def list_page(
    query: CallbackQuery,
    callback_data: EventCb,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _list_view(session, user, role, t, clock(), timezone, page=callback_data.p)
    await edit_text(query.message, text, reply_markup=markup)


async def _list_view(
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    now: datetime,
    default_zone: str,
    *,
    page: int,
) -> tuple[str, InlineKeyboardMarkup]:
    repo = EventRepo(session)
    events = await repo.upcoming(user.region_code, now)
    shown, page, pages = domain.page_of(events, page, PAGE)
    counts = await repo.going_counts(e.id for e in shown)
    answers = await repo.responses_of(user.id, (e.id for e in shown))
    zone = await _zone(session, user.region_code, default_zone)
    kb = Keyboard()
    lines = []
    for number, event in enumerate(shown, start=page * PAGE + 1):
        parts = [
            _when(event.starts_at, zone, t),
            _where(event, t),
            _seats(event.seats, counts.get(event.id, 0), t),
        ]
        if event.id in answers:
            parts.append(t("event-answer-going") if answers[event.id] else t("event-answer-not-going"))
        lines.append(
            t(
                "event-line",
                number=number,
                title=event.title,
                kind=t(f"event-kind-{event.kind}"),
                details=Html(" · ".join(parts)),
            )
        )
        kb.button(text=str(number), callback_data=EventCb(action="card", x=event.id, p=page))
    kb.adjust(PAGE)
    _nav(kb, t, page, pages, lambda p: EventCb(action="list", p=p))
    tools = Keyboard()
    tools.button(text=t("event-btn-mine"), callback_data=EventCb(action="mine"))
    if role in STAFF:
        tools.button(text=t("event-btn-attendance"), callback_data=EventCb(action="past"))
    tools.adjust(1)
    kb.attach(tools)
    if not events:
        return t("events-none"), kb.as_markup()
    text = t("events-list", count=len(events), lines=Html("\n\n".join(lines)), page=page + 1, pages=pages)
    return text, kb.as_markup()


@router.callback_query(EventCb.filter(F.action == "card"))
async def event_card(
    query: CallbackQuery,
    callback_data: EventCb,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    timezone: str,
) -> None:
    event = await EventRepo(session).get(callback_data.x)
    if event is None or not _in_scope(event, user, role):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _card_view(session, event, user, t, timezone, callback_data.p)
    await edit_text(query.message, text, reply_markup=markup)


async def _card_view(
    session: AsyncSession, event: Event, user: User, t: Translator, default_zone: str, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    repo = EventRepo(session)
    going = (await repo.going_counts([event.id])).get(event.id, 0)
    mine = await repo.response(event.id, user.id)
    zone = await _zone(session, user.region_code, default_zone)
    text = _event_text(event, zone, t, going)
    if mine is not None:
        text += "\n\n" + (t("event-you-going") if mine.going else t("event-you-not-going"))
    elif not domain.can_go(event.seats, going):
        text += "\n\n" + t("event-full")
    kb = Keyboard()
    if mine is None or not mine.going:
        kb.button(text=t("event-btn-going"), callback_data=EventRsvpCb(event_id=event.id, going=True))
    if mine is None or mine.going:
        kb.button(text=t("event-btn-not-going"), callback_data=EventRsvpCb(event_id=event.id, going=False))
    kb.button(text=t("event-btn-back"), callback_data=EventCb(action="list", p=page))
    kb.adjust(2, 1)
    return text, kb.as_markup()


def _is_card(message: Message) -> bool:
    """Our own event card (it has «К списку»), not an announcement sent as a broadcast."""
    markup = message.reply_markup
    if markup is None:
        return False
    return any(
        (button.callback_data or "").startswith(EventCb.__prefix__ + ":")
        for row in markup.inline_keyboard
        for button in row
    )


@router.callback_query(EventRsvpCb.filter())
async def rsvp(
    query: CallbackQuery,
    callback_data: EventRsvpCb,
    session: AsyncSession,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    now = clock()
    repo = EventRepo(session)
    event = await repo.get(callback_data.event_id)
    if event is None or not _in_scope(event, user, role):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    if domain.has_started(event.starts_at, now):
        await query.answer(t("event-started"), show_alert=True)
        return
    outcome = await repo.set_response(event, user.id, callback_data.going, now)
    if outcome == "going":
        await reopen_reminders(session, event.id, user.id, now)
        await plan_event(uow, rules, user.id, event)
    elif outcome == "not_going":
        await cancel_reminders(session, event.id, user.id)
    await session.commit()
    if outcome == "same":
        key = "event-rsvp-same-going" if callback_data.going else "event-rsvp-same-not-going"
    else:
        key = f"event-rsvp-{outcome.replace('_', '-')}"
    await query.answer(t(key), show_alert=outcome == "full")
    log.info("event answer", extra={"user_id": user.id, "event_id": event.id, "outcome": outcome})
    if isinstance(query.message, Message) and _is_card(query.message):
        event = await repo.get(callback_data.event_id)
        assert event is not None
        text, markup = await _card_view(session, event, user, t, timezone)
        await edit_text(query.message, text, reply_markup=markup)


@router.callback_query(EventCb.filter(F.action == "mine"))
async def my_events(
    query: CallbackQuery, session: AsyncSession, user: User, t: Translator, clock: Clock, timezone: str
) -> None:
    events = await EventRepo(session).mine(user.id, clock())
    zone = await _zone(session, user.region_code, timezone)
    kb = Keyboard()
    lines = []
    for event in events[:30]:
        lines.append(
            t(
                "event-mine-line",
                title=event.title,
                details=Html(" · ".join([_when(event.starts_at, zone, t), _where(event, t)])),
            )
        )
        kb.button(text=event.title[:60], callback_data=EventCb(action="card", x=event.id))
    kb.button(text=t("event-btn-back"), callback_data=EventCb(action="list"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    text = t("events-mine", lines=Html("\n".join(lines))) if lines else t("events-mine-none")
    await edit_text(query.message, text, reply_markup=kb.as_markup())


# --- admins: the list and an event's card -----------------------------------------------------------


@router.callback_query(AdminCb.filter(F.action.in_(ADMIN_ACTIONS)), ~RoleFilter(Role.ADMIN))
async def admin_only(query: CallbackQuery, t: Translator) -> None:
    await _no_access(query, t)


@router.callback_query(_admin("events"))
async def admin_events(
    query: CallbackQuery,
    callback_data: AdminCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    await state.clear()
    now = clock()
    repo = EventRepo(session)
    events = await repo.upcoming(user.region_code, now, every_region=_every_region(user, role))
    shown, page, pages = domain.page_of(events, callback_data.value, PAGE)
    counts = await repo.going_counts(e.id for e in shown)
    zone = await _zone(session, user.region_code, timezone)
    kb = Keyboard()
    lines = []
    for number, event in enumerate(shown, start=page * PAGE + 1):
        going = counts.get(event.id, 0)
        lines.append(
            t(
                "event-admin-line",
                number=number,
                title=event.title,
                kind=t(f"event-kind-{event.kind}"),
                when=Html(_when(event.starts_at, zone, t)),
                going=going,
                seats=event.seats if event.seats is not None else "∞",
            )
        )
        kb.button(text=str(number), callback_data=AdminCb(action="ev_card", value=event.id))
    kb.adjust(PAGE)
    _nav(kb, t, page, pages, lambda p: AdminCb(action="events", value=p))
    tools = Keyboard()
    tools.button(text=t("event-btn-create"), callback_data=AdminCb(action="ev_new"))
    tools.button(text=t("event-btn-attendance"), callback_data=EventCb(action="past"))
    tools.button(text=t("btn-back"), callback_data=AdminCb(action="menu"))
    tools.adjust(1)
    kb.attach(tools)
    if events:
        text = t(
            "event-admin-list", count=len(events), lines=Html("\n\n".join(lines)), page=page + 1, pages=pages
        )
    else:
        text = t("event-admin-none")
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, text, reply_markup=kb.as_markup())


async def _admin_card(
    session: AsyncSession, event: Event, user: User, t: Translator, now: datetime, default_zone: str
) -> tuple[str, InlineKeyboardMarkup]:
    going = (await EventRepo(session).going_counts([event.id])).get(event.id, 0)
    zone = await _zone(session, event.region_code or user.region_code, default_zone)
    text = _event_text(event, zone, t, going)
    kb = Keyboard()
    if domain.has_started(event.starts_at, now):
        text += "\n\n" + t("event-started-mark")
        kb.button(text=t("event-btn-attendance"), callback_data=EventCb(action="att", x=event.id))
    else:
        kb.button(text=t("event-btn-announce"), callback_data=AdminCb(action="ev_announce", value=event.id))
    kb.button(text=t("event-btn-to-admin-list"), callback_data=AdminCb(action="events"))
    kb.adjust(1)
    return text, kb.as_markup()


@router.callback_query(_admin("ev_card"))
async def admin_card(
    query: CallbackQuery,
    callback_data: AdminCb,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    event = await EventRepo(session).get(callback_data.value)
    if event is None or not _in_scope(event, user, role):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _admin_card(session, event, user, t, clock(), timezone)
    await edit_text(query.message, text, reply_markup=markup)


# --- admins: the wizard ---------------------------------------------------------------------------


def _cancel_markup(t: Translator, *extra: tuple[str, AdminCb]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for text, data in extra:
        kb.button(text=text, callback_data=data)
    kb.button(text=t("btn-cancel"), callback_data=AdminCb(action="ev_cancel"))
    kb.adjust(1)
    return kb.as_markup()


async def _ask(
    target: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    timezone: str,
    step: State,
    error: str | None = None,
) -> None:
    """Ask the wizard's question for ``step`` (after ``error``, when the last answer was wrong)."""
    await state.set_state(step)
    data = await state.get_data()
    markup: InlineKeyboardMarkup
    if step == EventWizard.title:
        text = t("event-ask-title", step=1, steps=STEPS, max=domain.TITLE_MAX)
        markup = _cancel_markup(t)
    elif step == EventWizard.kind:
        text = t("event-ask-kind", step=2, steps=STEPS)
        kb = Keyboard()
        for index, kind in enumerate(domain.KINDS):
            kb.button(text=t(f"event-kind-{kind}"), callback_data=AdminCb(action="ev_kind", value=index))
        kb.button(text=t("btn-cancel"), callback_data=AdminCb(action="ev_cancel"))
        kb.adjust(2)
        markup = kb.as_markup()
    elif step == EventWizard.start:
        zone = await _zone(session, user.region_code, timezone)
        text = t(
            "event-ask-start",
            step=3,
            steps=STEPS,
            zone=zone.key,
            offset=domain.utc_offset(datetime.now(UTC), zone),
        )
        markup = _cancel_markup(t)
    elif step == EventWizard.duration:
        text = t(
            "event-ask-duration",
            step=4,
            steps=STEPS,
            min=str(domain.DURATION_MIN),
            max=str(domain.DURATION_MAX),
        )
        kb = Keyboard()
        for minutes in domain.DURATION_CHOICES:
            kb.button(text=_duration(minutes, t), callback_data=AdminCb(action="ev_dur", value=minutes))
        kb.button(text=t("btn-cancel"), callback_data=AdminCb(action="ev_cancel"))
        kb.adjust(len(domain.DURATION_CHOICES), 1)
        markup = kb.as_markup()
    elif step == EventWizard.place:
        text = t("event-ask-place", step=5, steps=STEPS)
        markup = _cancel_markup(t)
    elif step == EventWizard.seats:
        text = t("event-ask-seats", step=6, steps=STEPS, max=domain.SEATS_MAX)
        markup = _cancel_markup(t, (t("event-btn-no-limit"), AdminCb(action="ev_seats", value=0)))
    elif step == EventWizard.description:
        text = t("event-ask-description", step=7, steps=STEPS)
        markup = _cancel_markup(t, (t("event-btn-skip"), AdminCb(action="ev_nodesc")))
    elif step == EventWizard.areas:
        chosen = set(data.get("areas") or [])
        text = t("event-ask-areas", step=8, steps=STEPS)
        kb = Keyboard()
        for index, area in enumerate(AREA_CODES):
            mark = "✅ " if area in chosen else ""
            kb.button(text=mark + t(f"area-{area}"), callback_data=AdminCb(action="ev_area", value=index))
        kb.button(
            text=t("btn-done") if chosen else t("event-btn-skip"),
            callback_data=AdminCb(action="ev_areas_done"),
        )
        kb.button(text=t("btn-cancel"), callback_data=AdminCb(action="ev_cancel"))
        kb.adjust(1)
        markup = kb.as_markup()
    else:
        zone = await _zone(session, user.region_code, timezone)
        preview = _details(
            t,
            zone,
            title=data["title"],
            kind=data["kind"],
            starts_at=datetime.fromisoformat(data["starts_at"]),
            duration=data["duration"],
            where=_where(data, t),
            seats=(
                t("event-seats-total", seats=data["seats"])
                if data.get("seats")
                else t("event-seats-no-limit")
            ),
            areas=list(data.get("areas") or []),
            description=data.get("description"),
        )
        text = t("event-ask-confirm", preview=Html(preview))
        kb = Keyboard()
        kb.button(text=t("event-btn-save"), callback_data=AdminCb(action="ev_save"))
        kb.button(text=t("btn-cancel"), callback_data=AdminCb(action="ev_cancel"))
        kb.adjust(1)
        markup = kb.as_markup()
    if error is not None:
        text = t(error, **_error_args()) + "\n\n" + text
    await target.answer(text, reply_markup=markup)


def _error_args() -> dict[str, object]:
    return {
        "max": domain.TITLE_MAX,
        "min_minutes": str(domain.DURATION_MIN),
        "max_minutes": str(domain.DURATION_MAX),
        "max_seats": domain.SEATS_MAX,
        "max_place": domain.PLACE_MAX,
        "max_text": domain.DESCRIPTION_MAX,
    }


async def _in_step(query: CallbackQuery, state: FSMContext, step: State, t: Translator) -> bool:
    """A wizard button counts only at its own step; otherwise it is an old button."""
    if await state.get_state() != step.state:
        await query.answer(t("err-stale-button"), show_alert=True)
        return False
    return True


@router.callback_query(_admin("ev_new"))
async def wizard_start(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, t: Translator, timezone: str
) -> None:
    await state.clear()
    await query.answer()
    assert isinstance(query.message, Message)
    await _ask(query.message, state, session, user, t, timezone, EventWizard.title)


@router.callback_query(_admin("ev_cancel"))
async def wizard_cancel(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    current = await state.get_state()
    if current is None or not current.startswith(EventWizard.__name__):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.clear()
    await query.answer()
    assert isinstance(query.message, Message)
    kb = Keyboard()
    kb.button(text=t("event-btn-to-admin-list"), callback_data=AdminCb(action="events"))
    await query.message.answer(t("event-wizard-cancelled"), reply_markup=kb.as_markup())


@answers_router.message(EventWizard.title, F.text)
async def got_title(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, timezone: str
) -> None:
    try:
        title = domain.parse_title(message.text)
    except EventError as err:
        await _ask(message, state, session, user, t, timezone, EventWizard.title, err.code)
        return
    await state.update_data(title=title)
    await _ask(message, state, session, user, t, timezone, EventWizard.kind)


@router.callback_query(_admin("ev_kind"))
async def got_kind(
    query: CallbackQuery,
    callback_data: AdminCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    timezone: str,
) -> None:
    if not await _in_step(query, state, EventWizard.kind, t):
        return
    if not 0 <= callback_data.value < len(domain.KINDS):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.update_data(kind=domain.KINDS[callback_data.value])
    await query.answer()
    assert isinstance(query.message, Message)
    await _ask(query.message, state, session, user, t, timezone, EventWizard.start)


@answers_router.message(EventWizard.start, F.text)
async def got_start(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    zone = await _zone(session, user.region_code, timezone)
    try:
        starts_at = domain.parse_start(message.text, zone, clock())
    except EventError as err:
        await _ask(message, state, session, user, t, timezone, EventWizard.start, err.code)
        return
    await state.update_data(starts_at=starts_at.isoformat())
    await _ask(message, state, session, user, t, timezone, EventWizard.duration)


@router.callback_query(_admin("ev_dur"))
async def got_duration_button(
    query: CallbackQuery,
    callback_data: AdminCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    timezone: str,
) -> None:
    if not await _in_step(query, state, EventWizard.duration, t):
        return
    try:
        minutes = domain.check_duration(callback_data.value)
    except EventError:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.update_data(duration=minutes)
    await query.answer()
    assert isinstance(query.message, Message)
    await _ask(query.message, state, session, user, t, timezone, EventWizard.place)


@answers_router.message(EventWizard.duration, F.text)
async def got_duration(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, timezone: str
) -> None:
    try:
        minutes = domain.parse_duration(message.text)
    except EventError as err:
        await _ask(message, state, session, user, t, timezone, EventWizard.duration, err.code)
        return
    await state.update_data(duration=minutes)
    await _ask(message, state, session, user, t, timezone, EventWizard.place)


@answers_router.message(EventWizard.place, F.text)
async def got_place(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, timezone: str
) -> None:
    try:
        place, url = domain.parse_place(message.text)
    except EventError as err:
        await _ask(message, state, session, user, t, timezone, EventWizard.place, err.code)
        return
    await state.update_data(place=place, url=url)
    await _ask(message, state, session, user, t, timezone, EventWizard.seats)


@router.callback_query(_admin("ev_seats"))
async def got_no_limit(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, t: Translator, timezone: str
) -> None:
    if not await _in_step(query, state, EventWizard.seats, t):
        return
    await state.update_data(seats=None)
    await query.answer()
    assert isinstance(query.message, Message)
    await _ask(query.message, state, session, user, t, timezone, EventWizard.description)


@answers_router.message(EventWizard.seats, F.text)
async def got_seats(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, timezone: str
) -> None:
    try:
        seats = domain.parse_seats(message.text)
    except EventError as err:
        await _ask(message, state, session, user, t, timezone, EventWizard.seats, err.code)
        return
    await state.update_data(seats=seats)
    await _ask(message, state, session, user, t, timezone, EventWizard.description)


@router.callback_query(_admin("ev_nodesc"))
async def got_no_description(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, t: Translator, timezone: str
) -> None:
    if not await _in_step(query, state, EventWizard.description, t):
        return
    await state.update_data(description=None, areas=[])
    await query.answer()
    assert isinstance(query.message, Message)
    await _ask(query.message, state, session, user, t, timezone, EventWizard.areas)


@answers_router.message(EventWizard.description, F.text)
async def got_description(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, timezone: str
) -> None:
    try:
        description = domain.parse_description(message.text)
    except EventError as err:
        await _ask(message, state, session, user, t, timezone, EventWizard.description, err.code)
        return
    await state.update_data(description=description, areas=[])
    await _ask(message, state, session, user, t, timezone, EventWizard.areas)


@router.callback_query(_admin("ev_area"))
async def toggle_area(
    query: CallbackQuery,
    callback_data: AdminCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    timezone: str,
) -> None:
    if not await _in_step(query, state, EventWizard.areas, t):
        return
    if not 0 <= callback_data.value < len(AREA_CODES):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    area = AREA_CODES[callback_data.value]
    chosen = list((await state.get_data()).get("areas") or [])
    chosen = [a for a in chosen if a != area] if area in chosen else [*chosen, area]
    await state.update_data(areas=[a for a in AREA_CODES if a in chosen])
    await query.answer()
    assert isinstance(query.message, Message)
    # Redraw the buttons in place.
    kb = Keyboard()
    for index, code in enumerate(AREA_CODES):
        mark = "✅ " if code in chosen else ""
        kb.button(text=mark + t(f"area-{code}"), callback_data=AdminCb(action="ev_area", value=index))
    kb.button(
        text=t("btn-done") if chosen else t("event-btn-skip"), callback_data=AdminCb(action="ev_areas_done")
    )
    kb.button(text=t("btn-cancel"), callback_data=AdminCb(action="ev_cancel"))
    kb.adjust(1)
    await edit_text(query.message, t("event-ask-areas", step=8, steps=STEPS), reply_markup=kb.as_markup())


@router.callback_query(_admin("ev_areas_done"))
async def areas_done(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, t: Translator, timezone: str
) -> None:
    if not await _in_step(query, state, EventWizard.areas, t):
        return
    await query.answer()
    assert isinstance(query.message, Message)
    await _ask(query.message, state, session, user, t, timezone, EventWizard.confirm)


@router.callback_query(_admin("ev_save"))
async def save_event(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    if not await _in_step(query, state, EventWizard.confirm, t):
        return
    data = await state.get_data()
    starts_at = datetime.fromisoformat(data["starts_at"])
    if domain.has_started(starts_at, clock()):
        await query.answer()
        assert isinstance(query.message, Message)
        await _ask(
            query.message, state, session, user, t, timezone, EventWizard.start, "event-err-start-past"
        )
        return
    event = await EventRepo(session).create(
        created_by=user.id,
        region_code=user.region_code,
        title=data["title"],
        kind=data["kind"],
        starts_at=starts_at,
        duration_minutes=data["duration"],
        place=data.get("place"),
        url=data.get("url"),
        seats=data.get("seats"),
        description=data.get("description"),
        areas=list(data.get("areas") or []),
        subjects=[],
    )
    await audit(session, user.id, "event.create", target_type="event", target_id=event.id, title=event.title)
    await session.commit()
    await state.clear()
    log.info("event created", extra={"user_id": user.id, "event_id": event.id})
    await query.answer(t("event-created-toast"))
    assert isinstance(query.message, Message)
    text, markup = await _admin_card(session, event, user, t, clock(), timezone)
    await query.message.answer(t("event-created") + "\n\n" + text, reply_markup=markup)


@answers_router.message(StateFilter(*WIZARD_STATES))
async def text_expected(message: Message, t: Translator) -> None:
    await message.answer(t("err-text-expected"))


# --- admins: announcing ---------------------------------------------------------------------------


@router.callback_query(_admin("ev_announce"))
async def announce(
    query: CallbackQuery,
    callback_data: AdminCb,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    event = await EventRepo(session).get(callback_data.value)
    if event is None or not _in_scope(event, user, role) or domain.has_started(event.starts_at, clock()):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    kb = Keyboard()
    kb.button(text=t("event-btn-announce-all"), callback_data=AdminCb(action="ev_ann_all", value=event.id))
    if event.subjects:
        kb.button(
            text=t(
                "event-btn-announce-subjects", subjects=", ".join(t(f"subject-{s}") for s in event.subjects)
            ),
            callback_data=AdminCb(action="ev_ann_subj", value=event.id),
        )
    kb.button(text=t("event-btn-to-admin-list"), callback_data=AdminCb(action="ev_card", value=event.id))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("event-announce-ask", title=event.title), reply_markup=kb.as_markup())


@router.callback_query(AdminCb.filter(F.action.in_({"ev_ann_all", "ev_ann_subj"})))
async def announce_to(
    query: CallbackQuery,
    callback_data: AdminCb,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    event = await EventRepo(session).get(callback_data.value)
    if event is None or not _in_scope(event, user, role) or domain.has_started(event.starts_at, clock()):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    if callback_data.action == "ev_ann_subj" and not event.subjects:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    audience: dict[str, Any] = (
        {"subjects": list(event.subjects)}
        if callback_data.action == "ev_ann_subj"
        else {"roles": ["teacher"]}
    )
    already = await session.scalar(
        select(Broadcast.id).where(
            Broadcast.event_id == event.id, Broadcast.status.in_(("scheduled", "sending"))
        )
    )
    if already is not None:
        await query.answer(t("event-announce-already"), show_alert=True)
        return
    zone = await _zone(session, event.region_code or user.region_code, timezone)
    text = t("event-announcement", details=Html(_event_text(event, zone, t, None)))
    broadcast = await create_broadcast(
        session,
        created_by=user.id,
        region_code=event.region_code,
        text=text,
        audience=audience,
        event_id=event.id,
    )
    await audit(
        session,
        user.id,
        "event.announce",
        target_type="event",
        target_id=event.id,
        broadcast_id=broadcast.id,
        audience=audience,
    )
    await session.commit()
    log.info("event announced", extra={"user_id": user.id, "event_id": event.id})
    await query.answer()
    assert isinstance(query.message, Message)
    kb = Keyboard()
    kb.button(text=t("event-btn-to-admin-list"), callback_data=AdminCb(action="events"))
    await edit_text(query.message, t("event-announced", title=event.title), reply_markup=kb.as_markup())


# --- attendance (admins and methodists) -----------------------------------------------------------


@router.callback_query(EventCb.filter(F.action.in_({"past", "att", "mark"})), ~RoleFilter(*STAFF))
async def staff_only(query: CallbackQuery, t: Translator) -> None:
    await _no_access(query, t)


@router.callback_query(EventCb.filter(F.action == "past"))
async def past_events(
    query: CallbackQuery,
    callback_data: EventCb,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    repo = EventRepo(session)
    events = await repo.started(user.region_code, clock(), every_region=_every_region(user, role))
    shown, page, pages = domain.page_of(events, callback_data.p, PAGE)
    counts = await repo.going_counts(e.id for e in shown)
    zone = await _zone(session, user.region_code, timezone)
    kb = Keyboard()
    lines = []
    for number, event in enumerate(shown, start=page * PAGE + 1):
        lines.append(
            t(
                "event-past-line",
                number=number,
                title=event.title,
                when=Html(_when(event.starts_at, zone, t)),
                going=counts.get(event.id, 0),
            )
        )
        kb.button(text=str(number), callback_data=EventCb(action="att", x=event.id))
    kb.adjust(PAGE)
    _nav(kb, t, page, pages, lambda p: EventCb(action="past", p=p))
    back = Keyboard()
    if role == Role.ADMIN:
        back.button(text=t("event-btn-to-admin-list"), callback_data=AdminCb(action="events"))
    else:
        back.button(text=t("event-btn-back"), callback_data=EventCb(action="list"))
    kb.attach(back)
    text = (
        t("event-past-list", lines=Html("\n".join(lines)), page=page + 1, pages=pages)
        if events
        else t("event-past-none")
    )
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, text, reply_markup=kb.as_markup())


async def _attendance_view(
    session: AsyncSession, event: Event, t: Translator, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    people = await EventRepo(session).going_people(event.id)
    shown, page, pages = domain.page_of(people, page, MARK_PAGE)
    kb = Keyboard()
    for response, person in shown:
        name = person.full_name or str(person.telegram_id)
        mark = "✅" if response.attended else "▫️"
        kb.button(
            text=f"{mark} {name}"[:60], callback_data=EventCb(action="mark", x=event.id, y=person.id, p=page)
        )
    kb.adjust(1)
    _nav(kb, t, page, pages, lambda p: EventCb(action="att", x=event.id, p=p))
    back = Keyboard()
    back.button(text=t("event-btn-past"), callback_data=EventCb(action="past"))
    kb.attach(back)
    marked = sum(1 for response, _ in people if response.attended)
    if not people:
        return t("event-attendance-nobody", title=event.title), kb.as_markup()
    text = t(
        "event-attendance", title=event.title, attended=marked, going=len(people), page=page + 1, pages=pages
    )
    return text, kb.as_markup()


async def _started_event(
    query: CallbackQuery,
    session: AsyncSession,
    event_id: int,
    user: User,
    role: Role,
    t: Translator,
    now: datetime,
) -> Event | None:
    event = await EventRepo(session).get(event_id)
    if event is None or not _in_scope(event, user, role):
        await query.answer(t("err-stale-button"), show_alert=True)
        return None
    if not domain.has_started(event.starts_at, now):
        await query.answer(t("event-not-started"), show_alert=True)
        return None
    return event


@router.callback_query(EventCb.filter(F.action == "att"))
async def attendance(
    query: CallbackQuery,
    callback_data: EventCb,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    event = await _started_event(query, session, callback_data.x, user, role, t, clock())
    if event is None:
        return
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _attendance_view(session, event, t, callback_data.p)
    await edit_text(query.message, text, reply_markup=markup)


@router.callback_query(EventCb.filter(F.action == "mark"))
async def mark(
    query: CallbackQuery,
    callback_data: EventCb,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    now = clock()
    event = await _started_event(query, session, callback_data.x, user, role, t, now)
    if event is None:
        return
    repo = EventRepo(session)
    current = await repo.response(event.id, callback_data.y)
    attended = not (current is not None and current.attended)
    response = await repo.mark_attendance(event.id, callback_data.y, attended, user.id, now)
    if response is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await audit(
        session,
        user.id,
        "event.attendance",
        target_type="event",
        target_id=event.id,
        user_id=callback_data.y,
        attended=attended,
    )
    await session.commit()
    await query.answer(t("event-marked") if attended else t("event-unmarked"))
    assert isinstance(query.message, Message)
    text, markup = await _attendance_view(session, event, t, callback_data.p)
    await edit_text(query.message, text, reply_markup=markup)
