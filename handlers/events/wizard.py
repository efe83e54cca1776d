"""The admin's wizard for a new event, eight questions and a confirmation. The answers so far are
a ``services.events.Draft`` kept in the conversation data; each answer is checked by the service
and, when it does not pass, the message is shown and the same question asked again.

``router`` holds the wizard's buttons (admins only; ``handlers.events.denied`` answers anyone else),
``answers_router`` its typed answers, tried after menu buttons and commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain import events as domain
from domain.framework import AREA_CODES
from domain.roles import Role
from handlers.callbacks import EventAdminAction, EventAdminCb
from handlers.events import views
from handlers.filters import RoleFilter
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, refused, stale
from locales import Html, Translator
from services import events as service
from services.regions import RegionRules
from services.results import Denied, Invalid, Stale
from services.uow import Clock, UnitOfWork
from storage.models import User

router = Router(name="events-wizard")
router.callback_query.filter(RoleFilter(Role.ADMIN))
answers_router = Router(name="events-answers")
answers_router.message.filter(RoleFilter(Role.ADMIN))

STEPS = 8


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


Take = Callable[[service.Draft, str | None, RegionRules, datetime], service.Draft | Invalid]
# The steps answered by typing: how the answer is taken, and the question after it. A photo or a
# sticker there gets «ответ текстом».
TYPED: dict[State, tuple[Take, State]] = {
    EventWizard.title: (lambda draft, text, *_: service.set_title(draft, text), EventWizard.kind),
    EventWizard.start: (service.set_start, EventWizard.duration),
    EventWizard.duration: (lambda draft, text, *_: service.set_duration(draft, text), EventWizard.place),
    EventWizard.place: (lambda draft, text, *_: service.set_place(draft, text), EventWizard.seats),
    EventWizard.seats: (lambda draft, text, *_: service.set_seats(draft, text), EventWizard.description),
    EventWizard.description: (
        lambda draft, text, *_: service.set_description(draft, text),
        EventWizard.areas,
    ),
}
BY_NAME = {step.state: step for step in TYPED}
STEP_BY_NAME = {step.state: step for step in EventWizard.__states__}


def _skipped(outcome: service.Draft | Invalid) -> service.Draft:
    assert not isinstance(outcome, Invalid)  # «Без ограничения» and «Пропустить» always pass
    return outcome


Choose = Callable[[service.Draft, EventAdminCb], service.Draft | Stale]
# The steps answered by a button: the step the button belongs to, how the choice is taken (a forged
# one is stale), and the question after it.
CHOSEN: dict[EventAdminAction, tuple[State, Choose, State]] = {
    EventAdminAction.KIND: (
        EventWizard.kind,
        lambda draft, button: service.set_kind(draft, button.index),
        EventWizard.start,
    ),
    EventAdminAction.DURATION: (
        EventWizard.duration,
        lambda draft, button: service.choose_duration(draft, button.minutes),
        EventWizard.place,
    ),
    EventAdminAction.NO_LIMIT: (
        EventWizard.seats,
        lambda draft, _: _skipped(service.set_seats(draft, None)),
        EventWizard.description,
    ),
    EventAdminAction.NO_DESCRIPTION: (
        EventWizard.description,
        lambda draft, _: _skipped(service.set_description(draft, None)),
        EventWizard.areas,
    ),
}


def _button(action: EventAdminAction, **fields: int) -> EventAdminCb:
    return EventAdminCb(action=action, **fields)


# --- the conversation data ------------------------------------------------------------------------


async def _draft(state: FSMContext) -> service.Draft:
    return service.Draft.from_data(await state.get_data())


async def _keep(state: FSMContext, draft: service.Draft) -> None:
    await state.set_data(draft.to_data())


async def _in_step(query: CallbackQuery, state: FSMContext, step: State, t: Translator) -> bool:
    """A wizard button counts only at its own step; otherwise it is an old button."""
    if await state.get_state() != step.state:
        await stale(query, t)
        return False
    return True


# --- the questions --------------------------------------------------------------------------------


def _cancel_markup(t: Translator, *extra: tuple[str, EventAdminCb]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for text, data in extra:
        kb.button(text=text, callback_data=data)
    kb.button(text=t("btn-cancel"), callback_data=_button(EventAdminAction.CANCEL))
    kb.adjust(1)
    return kb.as_markup()


def _areas_markup(draft: service.Draft, t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for index, area in enumerate(AREA_CODES):
        mark = "✅ " if area in draft.areas else ""
        kb.button(text=mark + t(f"area-{area}"), callback_data=_button(EventAdminAction.AREA, index=index))
    kb.button(
        text=t("btn-done") if draft.areas else t("event-btn-skip"),
        callback_data=_button(EventAdminAction.AREAS_DONE),
    )
    kb.button(text=t("btn-cancel"), callback_data=_button(EventAdminAction.CANCEL))
    kb.adjust(1)
    return kb.as_markup()


def _question(
    step: State, draft: service.Draft, rules: RegionRules, t: Translator, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    zone = ZoneInfo(rules.timezone)
    if step == EventWizard.title:
        return t("event-ask-title", step=1, steps=STEPS, max=domain.TITLE_MAX), _cancel_markup(t)
    if step == EventWizard.kind:
        kb = Keyboard()
        for index, kind in enumerate(domain.KINDS):
            kb.button(text=t(f"event-kind-{kind}"), callback_data=_button(EventAdminAction.KIND, index=index))
        kb.button(text=t("btn-cancel"), callback_data=_button(EventAdminAction.CANCEL))
        kb.adjust(2)
        return t("event-ask-kind", step=2, steps=STEPS), kb.as_markup()
    if step == EventWizard.start:
        text = t("event-ask-start", step=3, steps=STEPS, zone=zone.key, offset=domain.utc_offset(now, zone))
        return text, _cancel_markup(t)
    if step == EventWizard.duration:
        text = t(
            "event-ask-duration",
            step=4,
            steps=STEPS,
            min=str(domain.DURATION_MIN),
            max=str(domain.DURATION_MAX),
        )
        kb = Keyboard()
        for minutes in domain.DURATION_CHOICES:
            kb.button(
                text=views.duration(minutes, t),
                callback_data=_button(EventAdminAction.DURATION, minutes=minutes),
            )
        kb.button(text=t("btn-cancel"), callback_data=_button(EventAdminAction.CANCEL))
        kb.adjust(len(domain.DURATION_CHOICES), 1)
        return text, kb.as_markup()
    if step == EventWizard.place:
        return t("event-ask-place", step=5, steps=STEPS), _cancel_markup(t)
    if step == EventWizard.seats:
        text = t("event-ask-seats", step=6, steps=STEPS, max=domain.SEATS_MAX)
        return text, _cancel_markup(t, (t("event-btn-no-limit"), _button(EventAdminAction.NO_LIMIT)))
    if step == EventWizard.description:
        text = t("event-ask-description", step=7, steps=STEPS)
        return text, _cancel_markup(t, (t("event-btn-skip"), _button(EventAdminAction.NO_DESCRIPTION)))
    if step == EventWizard.areas:
        return t("event-ask-areas", step=8, steps=STEPS), _areas_markup(draft, t)
    assert draft.starts_at is not None
    preview = views.details(
        t,
        zone,
        title=draft.title,
        kind=draft.kind,
        starts_at=draft.starts_at,
        minutes=draft.duration,
        place=views.where(draft.place, draft.url, t),
        seats=t("event-seats-total", seats=draft.seats) if draft.seats else t("event-seats-no-limit"),
        areas=list(draft.areas),
        description=draft.description,
    )
    kb = Keyboard()
    kb.button(text=t("event-btn-save"), callback_data=_button(EventAdminAction.SAVE))
    kb.button(text=t("btn-cancel"), callback_data=_button(EventAdminAction.CANCEL))
    kb.adjust(1)
    return t("event-ask-confirm", preview=Html(preview)), kb.as_markup()


async def _ask(
    target: Message,
    state: FSMContext,
    rules: RegionRules,
    t: Translator,
    now: datetime,
    step: State,
    error: Invalid | None = None,
) -> None:
    """Ask the wizard's question for ``step`` (after ``error``, when the last answer did not pass)."""
    await state.set_state(step)
    text, markup = _question(step, await _draft(state), rules, t, now)
    if error is not None:
        text = t(error.key, **error.args) + "\n\n" + text
    await target.answer(text, reply_markup=markup)


async def _chosen(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    rules: RegionRules,
    t: Translator,
    now: datetime,
    outcome: service.Draft | Stale,
    next_step: State,
) -> None:
    """A button's choice taken and the next question asked (a forged choice is stale)."""
    if isinstance(outcome, Stale):
        await stale(query, t)
        return
    await _keep(state, outcome)
    await query.answer()
    await _ask(message, state, rules, t, now, next_step)


# --- the steps ------------------------------------------------------------------------------------


@router.callback_query(EventAdminCb.filter(F.action == EventAdminAction.NEW))
async def wizard_start(
    query: CallbackQuery, message: Message, state: FSMContext, rules: RegionRules, t: Translator, clock: Clock
) -> None:
    await state.clear()
    await query.answer()
    await _ask(message, state, rules, t, clock(), EventWizard.title)


@router.callback_query(EventAdminCb.filter(F.action == EventAdminAction.CANCEL))
async def wizard_cancel(query: CallbackQuery, message: Message, state: FSMContext, t: Translator) -> None:
    current = await state.get_state()
    if current is None or not current.startswith(EventWizard.__name__):
        await stale(query, t)
        return
    await state.clear()
    await query.answer()
    kb = Keyboard()
    kb.button(text=t("event-btn-to-admin-list"), callback_data=views.to_admin_list())
    await message.answer(t("event-wizard-cancelled"), reply_markup=kb.as_markup())


@router.callback_query(EventAdminCb.filter(F.action.in_(CHOSEN)))
async def got_choice(
    query: CallbackQuery,
    message: Message,
    callback_data: EventAdminCb,
    state: FSMContext,
    rules: RegionRules,
    t: Translator,
    clock: Clock,
) -> None:
    """A button's choice taken and the next question asked."""
    step, choose, next_step = CHOSEN[callback_data.action]
    if not await _in_step(query, state, step, t):
        return
    draft = choose(await _draft(state), callback_data)
    await _chosen(query, message, state, rules, t, clock(), draft, next_step)


@router.callback_query(EventAdminCb.filter(F.action == EventAdminAction.AREA))
async def toggle_area(
    query: CallbackQuery, message: Message, callback_data: EventAdminCb, state: FSMContext, t: Translator
) -> None:
    if not await _in_step(query, state, EventWizard.areas, t):
        return
    draft = service.toggle_area(await _draft(state), callback_data.index)
    if isinstance(draft, Stale):
        await stale(query, t)
        return
    await _keep(state, draft)
    await query.answer()
    # Redraw the buttons in place.
    await edit_text(message, t("event-ask-areas", step=8, steps=STEPS), reply_markup=_areas_markup(draft, t))


@router.callback_query(EventAdminCb.filter(F.action == EventAdminAction.AREAS_DONE))
async def areas_done(
    query: CallbackQuery, message: Message, state: FSMContext, rules: RegionRules, t: Translator, clock: Clock
) -> None:
    if not await _in_step(query, state, EventWizard.areas, t):
        return
    await query.answer()
    await _ask(message, state, rules, t, clock(), EventWizard.confirm)


@router.callback_query(EventAdminCb.filter(F.action == EventAdminAction.SAVE))
async def save_event(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    if not await _in_step(query, state, EventWizard.confirm, t):
        return
    created = await service.create(uow, user, role, rules, await _draft(state))
    if isinstance(created, (Stale, Denied)):
        await refused(query, created, t)
        return
    if isinstance(created, Invalid):  # the start has passed meanwhile
        await query.answer()
        await _ask(message, state, rules, t, clock(), EventWizard.start, created)
        return
    await state.clear()
    await query.answer(t("event-created-toast"))
    text, markup = views.admin_card(created, t)
    await message.answer(t("event-created") + "\n\n" + text, reply_markup=markup)


@answers_router.message(StateFilter(*TYPED), F.text)
async def got_answer(
    message: Message, state: FSMContext, rules: RegionRules, t: Translator, clock: Clock
) -> None:
    """A typed answer taken and the next question asked, or the same question again."""
    step = BY_NAME[await state.get_state()]
    take, next_step = TYPED[step]
    now = clock()
    outcome = take(await _draft(state), message.text, rules, now)
    if isinstance(outcome, Invalid):
        await _ask(message, state, rules, t, now, step, outcome)
        return
    await _keep(state, outcome)
    await _ask(message, state, rules, t, now, next_step)


@asks_again(*TYPED, expects=Expects.TEXT)
@asks_again(EventWizard.kind, EventWizard.areas, EventWizard.confirm, expects=Expects.BUTTON)
async def ask_again(asking: Asking) -> bool:
    step = STEP_BY_NAME[asking.raw_state]
    await _ask(asking.message, asking.state, asking.rules, asking.t, asking.data["clock"](), step)
    return True
