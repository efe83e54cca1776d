"""Marking attendance (admins and methodists): the events begun lately, who said «Пойду» to one,
and a tick per person who came. Anyone else gets «Нет доступа»."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.roles import Role
from handlers.callbacks import EventAction, EventCb
from handlers.events import views
from handlers.keyboards import Keyboard
from handlers.render import edit_text, no_access, stale
from locales import Html, Translator
from services import events as service
from services.regions import RegionRules
from services.results import Denied, Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="events-attendance")


async def _refused(query: CallbackQuery, outcome: object, t: Translator) -> bool:
    """Say why nothing happened (a service's ``Denied``, ``Stale`` or ``NotStarted``), if so."""
    if isinstance(outcome, Denied):
        await no_access(query, t)
    elif isinstance(outcome, Stale):
        await stale(query, t)
    elif isinstance(outcome, service.NotStarted):
        await query.answer(t("event-not-started"), show_alert=True)
    else:
        return False
    return True


@router.callback_query(EventCb.filter(F.action == EventAction.PAST))
async def past_events(
    query: CallbackQuery,
    message: Message,
    callback_data: EventCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    past = await service.past(uow, user, role, rules, callback_data.page)
    if isinstance(past, Denied):
        await no_access(query, t)
        return
    lines, kb = views.numbered(
        past.events,
        past.page,
        past.pages,
        t,
        line=lambda number, event: t(
            "event-past-line",
            number=number,
            title=event.title,
            when=Html(views.when(event.starts_at, past.zone, t)),
            going=past.going.get(event.id, 0),
        ),
        open_event=lambda event: EventCb(action=EventAction.ATTENDANCE, event_id=event.id),
        turn=lambda p: EventCb(action=EventAction.PAST, page=p),
    )
    back = Keyboard()
    if past.admin:
        back.button(text=t("event-btn-to-admin-list"), callback_data=views.to_admin_list())
    else:
        back.button(text=t("event-btn-back"), callback_data=EventCb(action=EventAction.LIST))
    kb.attach(back)
    text = (
        t("event-past-list", lines=Html("\n".join(lines)), page=past.page + 1, pages=past.pages)
        if past.events
        else t("event-past-none")
    )
    await query.answer()
    await edit_text(message, text, reply_markup=kb.as_markup())


def _attendance_view(attendance: service.Attendance, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    event, page = attendance.event, attendance.page
    kb = Keyboard()
    for response, person in attendance.people:
        name = person.full_name or str(person.telegram_id)
        mark = "✅" if response.attended else "▫️"
        kb.button(
            text=f"{mark} {name}"[:60],
            callback_data=EventCb(action=EventAction.MARK, event_id=event.id, person_id=person.id, page=page),
        )
    kb.adjust(1)
    views.nav(
        kb,
        t,
        page,
        attendance.pages,
        lambda p: EventCb(action=EventAction.ATTENDANCE, event_id=event.id, page=p),
    )
    back = Keyboard()
    back.button(text=t("event-btn-past"), callback_data=EventCb(action=EventAction.PAST))
    kb.attach(back)
    if not attendance.going:
        return t("event-attendance-nobody", title=event.title), kb.as_markup()
    text = t(
        "event-attendance",
        title=event.title,
        attended=attendance.attended,
        going=attendance.going,
        page=page + 1,
        pages=attendance.pages,
    )
    return text, kb.as_markup()


@router.callback_query(EventCb.filter(F.action == EventAction.ATTENDANCE))
async def attendance(
    query: CallbackQuery,
    message: Message,
    callback_data: EventCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    listed = await service.attendance(uow, user, role, callback_data.event_id, callback_data.page)
    if await _refused(query, listed, t):
        return
    assert isinstance(listed, service.Attendance)
    await query.answer()
    text, markup = _attendance_view(listed, t)
    await edit_text(message, text, reply_markup=markup)


@router.callback_query(EventCb.filter(F.action == EventAction.MARK))
async def mark(
    query: CallbackQuery,
    message: Message,
    callback_data: EventCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    marked = await service.mark(
        uow, user, role, callback_data.event_id, callback_data.person_id, callback_data.page
    )
    if await _refused(query, marked, t):
        return
    assert isinstance(marked, service.Marked)
    await query.answer(t("event-marked") if marked.attended else t("event-unmarked"))
    text, markup = _attendance_view(marked.attendance, t)
    await edit_text(message, text, reply_markup=markup)
