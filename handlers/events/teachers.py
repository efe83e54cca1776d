"""«Мероприятия» for everyone: the list of events ahead, an event's card, «Пойду» / «Не смогу»
(under a card or under an announcement) and «Мои мероприятия»."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.events import Rsvp
from domain.roles import Role
from handlers.callbacks import EventAction, EventCb, EventRsvpCb
from handlers.events import views
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.render import edit_text, stale
from locales import Html, Translator
from services import events as service
from services.regions import RegionRules
from services.results import Stale
from services.uow import UnitOfWork
from storage.models import Event, User

router = Router(name="events-teachers")


@router.message(MenuButton("menu-events"))
async def events_home(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    await state.clear()
    text, markup = _list_view(await service.upcoming(uow, user, role, rules), t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(EventCb.filter(F.action == EventAction.LIST))
async def list_page(
    query: CallbackQuery,
    message: Message,
    callback_data: EventCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    upcoming = await service.upcoming(uow, user, role, rules, callback_data.page)
    await query.answer()
    text, markup = _list_view(upcoming, t)
    await edit_text(message, text, reply_markup=markup)


def _list_view(upcoming: service.Upcoming, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    page = upcoming.page

    def line(number: int, event: Event) -> str:
        parts = [
            views.when(event.starts_at, upcoming.zone, t),
            views.where(event.place, event.url, t),
            views.seats(event.seats, upcoming.going.get(event.id, 0), t),
        ]
        if event.id in upcoming.answers:
            parts.append(
                t("event-answer-going") if upcoming.answers[event.id] else t("event-answer-not-going")
            )
        return t(
            "event-line",
            number=number,
            title=event.title,
            kind=t(f"event-kind-{event.kind}"),
            details=Html(" · ".join(parts)),
        )

    lines, kb = views.numbered(
        upcoming.events,
        page,
        upcoming.pages,
        t,
        line=line,
        open_event=lambda event: EventCb(action=EventAction.CARD, event_id=event.id, page=page),
        turn=lambda p: EventCb(action=EventAction.LIST, page=p),
    )
    tools = Keyboard()
    tools.button(text=t("event-btn-mine"), callback_data=EventCb(action=EventAction.MINE))
    if upcoming.staff:
        tools.button(text=t("event-btn-attendance"), callback_data=EventCb(action=EventAction.PAST))
    tools.adjust(1)
    kb.attach(tools)
    if not upcoming.total:
        return t("events-none"), kb.as_markup()
    text = t(
        "events-list",
        count=upcoming.total,
        lines=Html("\n\n".join(lines)),
        page=page + 1,
        pages=upcoming.pages,
    )
    return text, kb.as_markup()


@router.callback_query(EventCb.filter(F.action == EventAction.CARD))
async def event_card(
    query: CallbackQuery,
    message: Message,
    callback_data: EventCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    card = await service.card(uow, user, role, rules, callback_data.event_id)
    if isinstance(card, Stale):
        await stale(query, t)
        return
    await query.answer()
    text, markup = _card_view(card, t, callback_data.page)
    await edit_text(message, text, reply_markup=markup)


def _card_view(card: service.Card, t: Translator, page: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    event = card.event
    text = views.event_text(event, card.zone, t, card.going)
    if card.mine is not None:
        text += "\n\n" + (t("event-you-going") if card.mine else t("event-you-not-going"))
    elif card.full:
        text += "\n\n" + t("event-full")
    kb = Keyboard()
    if not card.mine:
        kb.button(text=t("event-btn-going"), callback_data=EventRsvpCb(event_id=event.id, going=True))
    if card.mine is None or card.mine:
        kb.button(text=t("event-btn-not-going"), callback_data=EventRsvpCb(event_id=event.id, going=False))
    kb.button(text=t("event-btn-back"), callback_data=EventCb(action=EventAction.LIST, page=page))
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
    message: Message,
    callback_data: EventRsvpCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    answered = await service.answer(uow, user, role, rules, callback_data.event_id, callback_data.going)
    if isinstance(answered, Stale):
        await stale(query, t)
        return
    if isinstance(answered, service.Started):
        await query.answer(t("event-started"), show_alert=True)
        return
    if answered.outcome == Rsvp.SAME:
        key = "event-rsvp-same-going" if answered.going else "event-rsvp-same-not-going"
    else:
        key = f"event-rsvp-{answered.outcome.replace('_', '-')}"
    await query.answer(t(key), show_alert=answered.outcome == Rsvp.FULL)
    if _is_card(message):
        card = await service.card(uow, user, role, rules, callback_data.event_id)
        if isinstance(card, service.Card):
            text, markup = _card_view(card, t)
            await edit_text(message, text, reply_markup=markup)


@router.callback_query(EventCb.filter(F.action == EventAction.MINE))
async def my_events(
    query: CallbackQuery, message: Message, uow: UnitOfWork, rules: RegionRules, user: User, t: Translator
) -> None:
    mine = await service.mine(uow, user, rules)
    kb = Keyboard()
    lines = []
    for event in mine.events:
        lines.append(
            t(
                "event-mine-line",
                title=event.title,
                details=Html(
                    " · ".join(
                        [views.when(event.starts_at, mine.zone, t), views.where(event.place, event.url, t)]
                    )
                ),
            )
        )
        kb.button(text=event.title[:60], callback_data=EventCb(action=EventAction.CARD, event_id=event.id))
    kb.button(text=t("event-btn-back"), callback_data=EventCb(action=EventAction.LIST))
    kb.adjust(1)
    await query.answer()
    text = t("events-mine", lines=Html("\n".join(lines))) if lines else t("events-mine-none")
    await edit_text(message, text, reply_markup=kb.as_markup())
