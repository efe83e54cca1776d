"""The admin's events: the list of upcoming ones (reached by the admin menu's
``AdminCb(action="events")``) and an event's card. Whoever else presses one gets «Нет доступа»."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from domain.roles import Role
from handlers.callbacks import AdminAction, AdminCb, EventAction, EventAdminAction, EventAdminCb, EventCb
from handlers.events import views
from handlers.keyboards import Keyboard
from handlers.render import edit_text, no_access, refused
from locales import Html, Translator
from services import events as service
from services.regions import RegionRules
from services.results import Denied, Stale
from services.uow import UnitOfWork
from storage.models import Event, User

router = Router(name="events-admin")


@router.callback_query(AdminCb.filter(F.action == AdminAction.EVENTS))
@router.callback_query(EventAdminCb.filter(F.action == EventAdminAction.LIST))
async def admin_events(
    query: CallbackQuery,
    message: Message,
    callback_data: AdminCb | EventAdminCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    page = callback_data.page if isinstance(callback_data, EventAdminCb) else 0
    listed = await service.admin_events(uow, user, role, rules, page)
    if isinstance(listed, Denied):
        await no_access(query, t)
        return
    await state.clear()

    def line(number: int, event: Event) -> str:
        return t(
            "event-admin-line",
            number=number,
            title=event.title,
            kind=t(f"event-kind-{event.kind}"),
            when=Html(views.when(event.starts_at, listed.zone, t)),
            going=listed.going.get(event.id, 0),
            seats=event.seats if event.seats is not None else "∞",
        )

    lines, kb = views.numbered(
        listed.events,
        listed.page,
        listed.pages,
        t,
        line=line,
        open_event=lambda event: EventAdminCb(action=EventAdminAction.CARD, event_id=event.id),
        turn=views.to_admin_list,
    )
    tools = Keyboard()
    tools.button(text=t("event-btn-create"), callback_data=EventAdminCb(action=EventAdminAction.NEW))
    tools.button(text=t("event-btn-attendance"), callback_data=EventCb(action=EventAction.PAST))
    tools.button(text=t("btn-back"), callback_data=AdminCb(action=AdminAction.MENU))
    tools.adjust(1)
    kb.attach(tools)
    if listed.total:
        text = t(
            "event-admin-list",
            count=listed.total,
            lines=Html("\n\n".join(lines)),
            page=listed.page + 1,
            pages=listed.pages,
        )
    else:
        text = t("event-admin-none")
    await query.answer()
    await edit_text(message, text, reply_markup=kb.as_markup())


@router.callback_query(EventAdminCb.filter(F.action == EventAdminAction.CARD))
async def admin_card(
    query: CallbackQuery,
    message: Message,
    callback_data: EventAdminCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    card = await service.admin_card(uow, user, role, rules, callback_data.event_id)
    if isinstance(card, (Stale, Denied)):
        await refused(query, card, t)
        return
    await query.answer()
    text, markup = views.admin_card(card, t)
    await edit_text(message, text, reply_markup=markup)
