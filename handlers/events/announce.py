"""Announcing an event as a broadcast with «Пойду» / «Не смогу» under it: to every teacher of the
region, or to the teachers of the event's subjects. Admins only; the broadcast sender delivers it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from domain.events import Audience
from domain.roles import Role
from handlers.callbacks import EventAdminAction, EventAdminCb
from handlers.events import views
from handlers.keyboards import Keyboard
from handlers.render import edit_text, refused
from locales import Html, Translator
from services import events as service
from services.regions import RegionRules
from services.results import Denied, Stale
from services.uow import UnitOfWork
from storage.models import Event, User

router = Router(name="events-announce")
AUDIENCES = {
    EventAdminAction.ANNOUNCE_ALL: Audience.ALL,
    EventAdminAction.ANNOUNCE_SUBJECTS: Audience.SUBJECTS,
}


@router.callback_query(EventAdminCb.filter(F.action == EventAdminAction.ANNOUNCE))
async def announce(
    query: CallbackQuery,
    message: Message,
    callback_data: EventAdminCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    announcing = await service.announcing(uow, user, role, callback_data.event_id)
    if isinstance(announcing, (Stale, Denied)):
        await refused(query, announcing, t)
        return
    event = announcing.event
    kb = Keyboard()
    kb.button(
        text=t("event-btn-announce-all"),
        callback_data=EventAdminCb(action=EventAdminAction.ANNOUNCE_ALL, event_id=event.id),
    )
    if event.subjects:
        kb.button(
            text=t(
                "event-btn-announce-subjects", subjects=", ".join(t(f"subject-{s}") for s in event.subjects)
            ),
            callback_data=EventAdminCb(action=EventAdminAction.ANNOUNCE_SUBJECTS, event_id=event.id),
        )
    kb.button(
        text=t("event-btn-to-admin-list"),
        callback_data=EventAdminCb(action=EventAdminAction.CARD, event_id=event.id),
    )
    kb.adjust(1)
    await query.answer()
    await message.answer(t("event-announce-ask", title=event.title), reply_markup=kb.as_markup())


@router.callback_query(EventAdminCb.filter(F.action.in_(AUDIENCES)))
async def announce_to(
    query: CallbackQuery,
    message: Message,
    callback_data: EventAdminCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    def compose(event: Event, zone: ZoneInfo) -> str:
        return t("event-announcement", details=Html(views.event_text(event, zone, t, None)))

    announced = await service.announce(
        uow, user, role, rules, callback_data.event_id, AUDIENCES[callback_data.action], compose
    )
    if isinstance(announced, (Stale, Denied)):
        await refused(query, announced, t)
        return
    if isinstance(announced, service.AlreadyQueued):
        await query.answer(t("event-announce-already"), show_alert=True)
        return
    await query.answer()
    kb = Keyboard()
    kb.button(text=t("event-btn-to-admin-list"), callback_data=views.to_admin_list())
    await edit_text(message, t("event-announced", title=announced.event.title), reply_markup=kb.as_markup())
