"""How an event reads on Telegram: its time in a zone, place or link, seats, the whole card, the
admin's card and page buttons. Shared by every screen of «Мероприятия»."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from domain import events as domain
from handlers.callbacks import EventAction, EventAdminAction, EventAdminCb, EventCb
from handlers.keyboards import Keyboard
from locales import Html, Translator
from services import events as service
from storage.models import Event


def duration(minutes: int, t: Translator) -> str:
    hours, rest = domain.duration_parts(minutes)
    if hours and rest:
        return t("event-duration-hm", hours=hours, minutes=rest)
    if hours:
        return t("event-duration-h", hours=hours)
    return t("event-duration-m", minutes=rest)


def where(place: str | None, url: str | None, t: Translator) -> str:
    if url:
        return t("event-link", url=url)
    return t("event-place", place=place or "—")


def seats(total: int | None, going: int, t: Translator) -> str:
    left = domain.seats_left(total, going)
    if left is None:
        return t("event-seats-unlimited", going=going)
    if left == 0:
        return t("event-seats-none", seats=total or 0)
    return t("event-seats-left", left=left, seats=total or 0)


def when(starts_at: datetime, zone: ZoneInfo, t: Translator) -> str:
    return t(
        "event-when",
        when=domain.local_time(starts_at, zone),
        zone=domain.utc_offset(starts_at, zone),
    )


def details(
    t: Translator,
    zone: ZoneInfo,
    *,
    title: str,
    kind: str,
    starts_at: datetime,
    minutes: int,
    place: str,
    seats: str | None,
    areas: list[str],
    description: str | None,
) -> str:
    lines = [
        t("event-head", title=title, kind=t(f"event-kind-{kind}")),
        t("event-time", when=Html(when(starts_at, zone, t)), duration=duration(minutes, t)),
        place,
    ]
    if seats:
        lines.append(seats)
    if areas:
        lines.append(t("event-areas", areas=", ".join(t(f"area-{a}") for a in areas)))
    if description:
        lines.append("\n" + t("event-description", text=description))
    return "\n".join(lines)


def event_text(event: Event, zone: ZoneInfo, t: Translator, going: int | None) -> str:
    """The event's card (with its seats when ``going`` is given)."""
    return details(
        t,
        zone,
        title=event.title,
        kind=event.kind,
        starts_at=event.starts_at,
        minutes=event.duration_minutes,
        place=where(event.place, event.url, t),
        seats=seats(event.seats, going, t) if going is not None else None,
        areas=list(event.areas or []),
        description=event.description,
    )


def nav(kb: Keyboard, t: Translator, page: int, pages: int, make: Callable[[int], CallbackData]) -> None:
    """«Назад» / «Дальше» between pages."""
    row = Keyboard()
    if page > 0:
        row.button(text=t("btn-prev"), callback_data=make(page - 1))
    if page < pages - 1:
        row.button(text=t("btn-next"), callback_data=make(page + 1))
    kb.attach(row)


def numbered(
    events: Sequence[Event],
    page: int,
    pages: int,
    t: Translator,
    *,
    line: Callable[[int, Event], str],
    open_event: Callable[[Event], CallbackData],
    turn: Callable[[int], CallbackData],
) -> tuple[list[str], Keyboard]:
    """A page of events: a numbered line each, a row of number buttons that open them, and
    «Назад» / «Дальше» between pages."""
    kb = Keyboard()
    lines = []
    for number, event in enumerate(events, start=page * service.PAGE + 1):
        lines.append(line(number, event))
        kb.button(text=str(number), callback_data=open_event(event))
    kb.adjust(service.PAGE)
    nav(kb, t, page, pages, turn)
    return lines, kb


def admin_card(card: service.AdminCard, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """The admin's card: «Объявить рассылкой» before the event, «Отметить посещение» after."""
    event = card.event
    text = event_text(event, card.zone, t, card.going)
    kb = Keyboard()
    if card.started:
        text += "\n\n" + t("event-started-mark")
        kb.button(
            text=t("event-btn-attendance"),
            callback_data=EventCb(action=EventAction.ATTENDANCE, event_id=event.id),
        )
    else:
        kb.button(
            text=t("event-btn-announce"),
            callback_data=EventAdminCb(action=EventAdminAction.ANNOUNCE, event_id=event.id),
        )
    kb.button(text=t("event-btn-to-admin-list"), callback_data=to_admin_list())
    kb.adjust(1)
    return text, kb.as_markup()


def to_admin_list(page: int = 0) -> EventAdminCb:
    return EventAdminCb(action=EventAdminAction.LIST, page=page)
